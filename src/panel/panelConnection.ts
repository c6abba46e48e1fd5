/**
 * The host's end of one webview's message channel, without a runtime `vscode` import so that
 * vitest can drive it with fakes: it waits for `ready`, then posts complete snapshots (coalesced:
 * several changes in one tick post once, the latest), checks each incoming message with the
 * guard and routes it through one exhaustive switch to the {@link PanelController}.
 */
import {
  encodeHostMessage,
  hostToWebviewProblem,
  keptHeatMaps,
  webviewToHostProblem,
  type HeatMap,
  type HostToWebview,
  type PanelState,
  type WebviewToHost,
} from '../protocol/webview';
import type { PanelController, PanelLogger } from './panelController';
import { emptyPanelState } from './panelState';
import { heatMapRowsBase } from './panelReplies';
import { endRoute, startRoute, traceOf } from './panelTrace';
import { panelContexts, type AheadNote } from './panelContext';

/** The part of `vscode.Webview` the connection uses. */
export interface MessageTarget {
  postMessage(message: unknown): Thenable<boolean>;
}

/** What the surface showing the webview does for it (the side bar's view, or the editor area's panel). */
export interface PanelSurface {
  /** Opens the same view full width in the editor area (the side bar's view offers it). */
  openInEditor?(): void | Thenable<void>;
  /**
   * The webview said `ready`: it shows snapshots from now on. When absent the connection tells
   * the controller directly; a provider with several surfaces counts them instead.
   */
  setVisible?(visible: boolean): void;
}

export class PanelConnection {
  private ready = false;
  private postQueued = false;
  private disposed = false;
  /** The heat maps the webview keeps, with their ids, oldest first (see {@link keptHeatMaps}). */
  private readonly sentHeatMaps = new Map<HeatMap, number>();
  private heatMapCount = 0;
  /** Messages received from the webview (each snapshot says how many: see PanelStateNotification.seen). */
  private received = 0;
  /** Snapshots made ahead while the snapshot on show waited to be posted: sent right after it. */
  private aheadsHeld: AheadNote[] = [];

  constructor(
    private readonly target: MessageTarget,
    private readonly controller: PanelController,
    private readonly log: PanelLogger,
    private readonly surface: PanelSurface = {},
  ) {}

  /** The webview's script was torn down (view hidden): wait for the next `ready`. */
  reset(): void {
    this.ready = false;
  }

  /**
   * A webview whose context was retained while hidden is visible again. Its script kept running,
   * so it will not say `ready`: the connection acts as if it had (the latest snapshot, then the
   * controller computes again). Nothing happens before the first `ready`.
   */
  shown(): void {
    if (!this.ready) return;
    this.postNow();
    if (this.surface.setVisible) this.surface.setVisible(true);
    else this.controller.setVisible?.(true);
  }

  /** Stop posting; later messages are ignored. */
  dispose(): void {
    this.disposed = true;
    this.ready = false;
  }

  /** Posts the controller's state once the current tick ends, if the webview is ready. */
  schedulePost(): void {
    if (this.postQueued || this.disposed) return;
    this.postQueued = true;
    queueMicrotask(() => {
      this.postQueued = false;
      this.postNow();
      const held = this.aheadsHeld;
      this.aheadsHeld = [];
      for (const note of held) this.postAhead(note);
    });
  }

  /** Posts the controller's state now, if the webview is ready. */
  postNow(): void {
    if (!this.ready || this.disposed) return;
    let state: PanelState;
    try {
      state = this.controller.getState();
    } catch (err) {
      this.log.warn(`Loss Inspector panel: getState failed: ${String(err)}`);
      return;
    }
    const heatMapId = state.heatMap ? this.heatMapId(state.heatMap) : undefined;
    const trace = traceOf(state);
    const context = panelContexts.of(state);
    let message: HostToWebview = {
      type: 'state',
      state: heatMapId !== undefined ? { ...state, heatMap: null } : state,
      ...(heatMapId !== undefined ? { heatMapId } : {}),
      ...(trace ? { trace } : {}),
      ...(context !== undefined ? { context } : {}),
      seen: this.received,
    };
    // Our own snapshot goes through the same guard the webview applies: a bug here would
    // otherwise be a silently stale panel.
    const problem = hostToWebviewProblem(message);
    if (problem) {
      this.log.warn(`Loss Inspector panel: state rejected by its own guard: ${problem}`);
      const fallback = emptyPanelState(state.locale === 'ko' ? 'ko' : 'en');
      message = { type: 'state', state: { ...fallback, status: 'error', error: `Internal error: ${problem}` } };
    }
    this.post(message);
  }

  /**
   * Sends a snapshot made ahead (see ./panelAhead.ts), when the webview is ready; one that fails
   * the guard is not sent (the change then waits for the host, as without it). Never before the
   * snapshot on show: while that one waits to be posted, this one waits behind it (an answer to
   * the user's change must not cross VS Code's server behind a guess at the next change).
   */
  postAhead(note: AheadNote): void {
    if (!this.ready || this.disposed) return;
    if (this.postQueued) {
      this.aheadsHeld.push(note);
      return;
    }
    const context = panelContexts.of(note.state);
    if (context === undefined) return;
    const heatMapId = note.state.heatMap ? this.heatMapId(note.state.heatMap) : undefined;
    const message: HostToWebview = {
      type: 'ahead',
      from: note.from,
      at: note.at,
      on: note.on,
      state: heatMapId !== undefined ? { ...note.state, heatMap: null } : note.state,
      ...(heatMapId !== undefined ? { heatMapId } : {}),
      context,
    };
    const problem = hostToWebviewProblem(message);
    if (problem) {
      this.log.warn(`Loss Inspector panel: a snapshot made ahead was rejected by its own guard: ${problem}`);
      return;
    }
    this.post(message);
  }

  private post(message: HostToWebview): void {
    this.target.postMessage(encodeHostMessage(message)).then(undefined, (err: unknown) => {
      this.log.warn(`Loss Inspector panel: postMessage failed: ${String(err)}`);
    });
  }

  /**
   * The id under which the webview keeps `heatMap`, sending it first when the webview does not
   * have it: a snapshot names its heat map instead of repeating it for every sample and reduction
   * (the model hands the same object for those). Undefined when it fails the guard; the snapshot
   * then carries it and is rejected with the reason.
   */
  private heatMapId(heatMap: HeatMap): number | undefined {
    let id = this.sentHeatMaps.get(heatMap);
    if (id !== undefined) return id;
    // New rows of a map the webview keeps: the rows alone.
    const base = heatMapRowsBase(heatMap);
    const baseId = base ? this.sentHeatMaps.get(base) : undefined;
    const { rowLoss, rowIgnored, rowPick } = heatMap;
    let message: HostToWebview =
      baseId !== undefined
        ? { type: 'heatMapRows', id: this.heatMapCount + 1, base: baseId, rowLoss, rowIgnored, rowPick }
        : { type: 'heatMap', id: this.heatMapCount + 1, heatMap };
    if (message.type === 'heatMapRows' && hostToWebviewProblem(message))
      message = { type: 'heatMap', id: this.heatMapCount + 1, heatMap };
    if (hostToWebviewProblem(message)) return undefined;
    this.heatMapCount++;
    id = message.id;
    this.post(message);
    // The webview keeps the newest few, as counted here.
    this.sentHeatMaps.set(heatMap, id);
    while (this.sentHeatMaps.size > keptHeatMaps) this.sentHeatMaps.delete(this.sentHeatMaps.keys().next().value!);
    return id;
  }

  /** Handles one raw message from the webview. Returns false when it was dropped. */
  receive(raw: unknown): boolean {
    if (this.disposed) return false;
    this.received++;
    const problem = webviewToHostProblem(raw);
    if (problem) {
      this.log.warn(`Loss Inspector panel: dropped a malformed message: ${problem}`);
      return false;
    }
    try {
      startRoute((raw as WebviewToHost).type);
      const result = this.route(raw as WebviewToHost);
      if (result && typeof (result as Thenable<void>).then === 'function') {
        (result as Thenable<void>).then(undefined, (err: unknown) =>
          this.log.warn(`Loss Inspector panel: ${String(err)}`),
        );
      }
    } catch (err) {
      this.log.warn(`Loss Inspector panel: handling ${(raw as WebviewToHost).type} failed: ${String(err)}`);
    } finally {
      endRoute();
    }
    return true;
  }

  private route(msg: WebviewToHost): void | Thenable<void> {
    const c = this.controller;
    switch (msg.type) {
      case 'ready':
        // A page that (re)loaded keeps no heat map yet.
        this.sentHeatMaps.clear();
        this.ready = true;
        this.postNow();
        // After the snapshot it had: the controller may now compute what the view shows.
        return this.surface.setVisible ? this.surface.setVisible(true) : c.setVisible?.(true);
      case 'selectPair':
        return c.onSelectPair(msg.id);
      case 'selectSample':
        return c.onSelectSample(msg.element);
      case 'selectLiveRow':
        return c.onSelectLiveRow?.(msg.position);
      case 'stopLiveStream':
        return c.onStopLiveStream?.();
      case 'setClassWindow':
        return c.onSetClassWindow(msg.start);
      case 'setLossPage':
        return c.onSetLossPage(msg.offset);
      case 'setControls':
        return c.onSetControls(msg.controls);
      case 'resetControls':
        return c.onResetControls();
      case 'setShift':
        return c.onSetShift(msg.shift);
      case 'showCards':
        return c.onShowCards?.({ stability: msg.stability });
      case 'copy':
        return c.onCopy(msg.kind);
      case 'revealInEditor':
        return c.onReveal(msg.id);
      case 'openInEditor':
        return this.surface.openInEditor?.();
      default: {
        const unknown: never = msg;
        this.log.warn(`Loss Inspector panel: unhandled message ${JSON.stringify(unknown)}`);
      }
    }
  }
}
