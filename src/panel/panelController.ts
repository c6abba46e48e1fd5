/**
 * What the panel needs from the rest of the extension. The lead's root object implements it: it
 * owns the analysis of the active document, the selected pair, the user's overrides and the view
 * (paging, stability constant), and produces complete {@link PanelState} snapshots with the
 * builders in ./panelState. The provider calls these methods only with messages that passed
 * the guard in src/protocol/webview.ts, so arguments are within their documented bounds.
 */
import type * as vscode from 'vscode';
import type { ControlOverrides, CopyKind, PanelState } from '../protocol/webview';
import type { AheadNote } from './panelContext';

export interface PanelController {
  /** Fires whenever the snapshot changes; the provider posts `getState()` (coalesced, latest wins). */
  readonly onDidChangeState: vscode.Event<PanelState>;
  /** Fires with each snapshot made ahead of the change that shows it (./panelAhead.ts); the provider sends it. */
  readonly onDidAhead?: vscode.Event<AheadNote>;
  /** The current complete snapshot. Called on every `ready` and after every change event. */
  getState(): PanelState;
  /** Show another pair of the document ({@link PairItem.id}). */
  onSelectPair(id: number): void;
  /** Show sample `element` (n·S + s) of the selected pair; may be ≥ N·S if the pair changed meanwhile: clamp. */
  onSelectSample(element: number): void;
  /** Show row `position` of an over-budget live input, reading it from the paused program if needed. */
  onSelectLiveRow?(position: number): void | Thenable<void>;
  /** Stop reading every row of a progressive live read (the first paint stays, labelled). */
  onStopLiveStream?(): void;
  /** Page the step table's classes: null for the top-k, else the page's first class. */
  onSetClassWindow(start: number | null): void;
  /** Page the reduction card's sample losses: the page's first element. */
  onSetLossPage(offset: number): void;
  /** Merge option overrides into the selected pair's (a field present overrides; weight null drops it). */
  onSetControls(overrides: ControlOverrides): void;
  /** Drop every override of the selected pair. */
  onResetControls(): void;
  /** Set the stability card's constant k (finite). */
  onSetShift(shift: number): void;
  /** Which of the cards computed per sample the webview shows open (a closed one is not computed). */
  onShowCards?(cards: { stability: boolean }): void;
  /** Copy the step table (Markdown / CSV, see ./copyText) or a PyTorch snippet to the clipboard. */
  onCopy(kind: CopyKind): void | Thenable<void>;
  /** Reveal and select the pair's code in its editor. */
  onReveal(pairId: number): void | Thenable<void>;
  /**
   * The view's webview said `ready` (true), or the view was hidden or disposed (false). A
   * controller computes only while a view shows its snapshots: the worker's time for a
   * (64, 50 257) batch is not spent for a panel nobody opened, and a CodeLens that opens the panel
   * on a pair is not queued behind the panel's previous pair.
   */
  setVisible?(visible: boolean): void;
}

/** Where the provider reports dropped messages; a `vscode.LogOutputChannel` fits. */
export interface PanelLogger {
  warn(message: string): void;
}
