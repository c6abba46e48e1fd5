/**
 * The host's end of one webview's message channel, without a runtime `vscode` import so that
 * vitest can drive it with fakes: it waits for `ready`, then posts complete snapshots (coalesced:
 * several changes in one tick post once, the latest), checks each incoming message with the
 * guard and routes it through one exhaustive switch to the {@link PanelController}.
 */
import {
  encodeHostMessage,
  hostToWebviewProblem,
  webviewToHostProblem,
  type HostToWebview,
  type PanelState,
  type WebviewToHost,
} from '../protocol/webview';
import type { PanelController, PanelLogger } from './panelController';
import { emptyPanelState } from './panelState';

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
    if (this.ready) this.receive({ type: 'ready' });
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
    let message: HostToWebview = { type: 'state', state };
    // Our own snapshot goes through the same guard the webview applies: a bug here would
    // otherwise be a silently stale panel.
    const problem = hostToWebviewProblem(message);
    if (problem) {
      this.log.warn(`Loss Inspector panel: state rejected by its own guard: ${problem}`);
      const fallback = emptyPanelState(state.locale === 'ko' ? 'ko' : 'en');
      message = { type: 'state', state: { ...fallback, status: 'error', error: `Internal error: ${problem}` } };
    }
    this.target.postMessage(encodeHostMessage(message)).then(undefined, (err: unknown) => {
      this.log.warn(`Loss Inspector panel: postMessage failed: ${String(err)}`);
    });
  }

  /** Handles one raw message from the webview. Returns false when it was dropped. */
  receive(raw: unknown): boolean {
    if (this.disposed) return false;
    const problem = webviewToHostProblem(raw);
    if (problem) {
      this.log.warn(`Loss Inspector panel: dropped a malformed message: ${problem}`);
      return false;
    }
    try {
      const result = this.route(raw as WebviewToHost);
      if (result && typeof (result as Thenable<void>).then === 'function') {
        (result as Thenable<void>).then(undefined, (err: unknown) =>
          this.log.warn(`Loss Inspector panel: ${String(err)}`),
        );
      }
    } catch (err) {
      this.log.warn(`Loss Inspector panel: handling ${(raw as WebviewToHost).type} failed: ${String(err)}`);
    }
    return true;
  }

  private route(msg: WebviewToHost): void | Thenable<void> {
    const c = this.controller;
    switch (msg.type) {
      case 'ready':
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
