/**
 * The messages between the panel's host side and the webview: {@link HostToWebview} carries the
 * {@link PanelState} snapshot (and heat maps kept by reference), {@link WebviewToHost} what the
 * user did. src/protocol/webview.ts re-exports them; ./webviewGuards.ts checks them.
 */
import type { HopTrace } from './hops';
import type { CopyKind, DTypeChoice, HeatMap, HeatMapRows, InputKind, PanelState, Reduction } from './panelView';

/** Webview → host: stop reading every row of a progressive live read; the first paint stays. */
export interface StopLiveStreamNotification {
  type: 'stopLiveStream';
}

/** Webview → host: show row `position` of an over-budget live input, read on demand when not read yet. */
export interface SelectLiveRowNotification {
  type: 'selectLiveRow';
  position: number;
}

/** Host → webview: the complete state. */
export interface PanelStateNotification {
  type: 'state';
  /**
   * The whole snapshot (never a delta). With {@link heatMapId} its `heatMap` is null on the wire
   * and the heat map is the one the webview keeps under that id.
   */
  state: PanelState;
  /**
   * The snapshot's heat map by reference: one of the last {@link keptHeatMaps} sent by
   * {@link HeatMapNotification}. Absent: `state.heatMap` is the heat map itself.
   */
  heatMapId?: number;
  /** Only while tracing (see ./hops.ts): the host's and the worker's hops that led to this snapshot. */
  trace?: HopTrace;
  /**
   * The snapshot's context (everything it shows but the sample: document version, pair, options,
   * view), as the host numbers them: {@link AheadNotification}s made from it apply while it is on
   * show. Absent: none apply (a live pair, an error, a stale document).
   */
  context?: number;
  /**
   * How many messages the host had received from this webview when it posted the snapshot. The
   * webview counts its posts: while it shows a snapshot made ahead for its post number k, a
   * snapshot with `seen` < k was made before the host knew of that change, and is not shown.
   */
  seen?: number;
}

/** A change the host makes snapshots ahead for: the message the webview posts for it. */
export type AheadChange = SelectSampleNotification | SetControlsNotification;

/**
 * Host → webview: the snapshot the host will send when the webview posts `on` while it shows
 * sample `at` in context `from`, made ahead (see src/panel/panelAhead.ts). The webview keeps a few
 * and shows one as it posts that message; the host's own snapshot follows and confirms it.
 */
export interface AheadNotification {
  type: 'ahead';
  from: number;
  /** The flat element of the sample on show it applies from. */
  at: number;
  on: AheadChange;
  /** As {@link PanelStateNotification.state}, its heat map by reference with {@link heatMapId}. */
  state: PanelState;
  heatMapId?: number;
  /** The context `state` shows. */
  context: number;
}

/** How many snapshots the webview keeps for changes it may show before the host's answer (the newest). */
export const keptAheads = 16;

/**
 * How many heat maps the webview keeps (the newest {@link HeatMapNotification}s). The host counts
 * the same way, so it knows which it need not send again.
 */
export const keptHeatMaps = 4;

/**
 * Host → webview: a heat map to keep under `id`, which later snapshots name instead of repeating
 * it (about 180 kB of JSON for a (64, 50 257) batch, the same for each of its samples).
 */
export interface HeatMapNotification {
  type: 'heatMap';
  id: number;
  heatMap: HeatMap;
}

/**
 * Host → webview: the heat map to keep under `id` is the kept heat map `base` with these rows
 * ({@link HeatMapRows}): a label smoothing, weight or ignore_index change moves only the rows'
 * losses, and the cells (most of the map's 180 kB) are not sent again.
 */
export interface HeatMapRowsNotification extends HeatMapRows {
  type: 'heatMapRows';
  id: number;
}

/** Every message the host sends to the webview. */
export type HostToWebview = PanelStateNotification | HeatMapNotification | HeatMapRowsNotification | AheadNotification;

/** Partial option overrides from the controls. A present field overrides the code's value. */
export interface ControlOverrides {
  /** `reduction=`. */
  reduction?: Reduction;
  /** Precision, or both side by side. */
  dtype?: DTypeChoice;
  /** ε in [0, 1]. */
  labelSmoothing?: number;
  /** `ignore_index=` (any integer). */
  ignoreIndex?: number;
  /** Class weights (length C, finite), or null to drop the weight. */
  weight?: number[] | null;
  /** logits or log-probabilities. */
  inputKind?: InputKind;
}

/** Webview → host: the script runs and listens. The host answers with the current state. */
export interface ReadyNotification {
  type: 'ready';
}

/** Webview → host: show another pair of the document. */
export interface SelectPairNotification {
  type: 'selectPair';
  /** {@link PairItem.id}. */
  id: number;
}

/** Webview → host: show another sample (or position, for K-dim inputs). */
export interface SelectSampleNotification {
  type: 'selectSample';
  /** Flat element index n·S + s (the webview converts positions). */
  element: number;
}

/** Webview → host: page the step table's classes. */
export interface SetClassWindowNotification {
  type: 'setClassWindow';
  /** null: top-k by probability; otherwise the first class of the page. */
  start: number | null;
}

/** Webview → host: page the reduction card's sample losses. */
export interface SetLossPageNotification {
  type: 'setLossPage';
  /** Element index of the page's first loss. */
  offset: number;
}

/** Webview → host: override some options. */
export interface SetControlsNotification {
  type: 'setControls';
  /** The fields to override; absent fields keep their current value. */
  controls: ControlOverrides;
}

/** Webview → host: drop every override ("reset to code"). */
export interface ResetControlsNotification {
  type: 'resetControls';
}

/** Webview → host: the stability card's constant changed. */
export interface SetShiftNotification {
  type: 'setShift';
  /** The constant k added to every logit (finite). */
  shift: number;
}

/**
 * Webview → host: which of the cards the worker computes for the shown sample are open. Sent
 * before `ready` and whenever one opens or closes: a closed card is not computed.
 */
export interface ShowCardsNotification {
  type: 'showCards';
  /** The stability card is open. */
  stability: boolean;
}

/** Webview → host: copy something to the clipboard. */
export interface CopyNotification {
  type: 'copy';
  /** What to copy: the step table as Markdown or CSV, or a PyTorch snippet. */
  kind: CopyKind;
}

/** Webview → host: open the same view full width in the editor area (from the side bar's view). */
export interface OpenInEditorNotification {
  type: 'openInEditor';
}

/** Webview → host: select the pair's code in the editor. */
export interface RevealInEditorNotification {
  type: 'revealInEditor';
  /** {@link PairItem.id}. */
  id: number;
}

/** Every message the webview sends to the host. */
export type WebviewToHost =
  | ReadyNotification
  | SelectPairNotification
  | SelectSampleNotification
  | SetClassWindowNotification
  | SetLossPageNotification
  | SetControlsNotification
  | ResetControlsNotification
  | SetShiftNotification
  | ShowCardsNotification
  | CopyNotification
  | RevealInEditorNotification
  | OpenInEditorNotification
  | SelectLiveRowNotification
  | StopLiveStreamNotification;
