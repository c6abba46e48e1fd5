/**
 * The only file that talks to VS Code. `acquireVsCodeApi()` may be called once per page load, so
 * it happens here, lazily, and everything else goes through {@link post}, {@link onMessage},
 * {@link loadUiState} and {@link saveUiState}. Incoming messages are decoded (non-finite numbers,
 * see the protocol) and checked with the guard; malformed ones are logged and ignored.
 */
import {
  decodeHostMessage,
  hostToWebviewProblem,
  type HostToWebview,
  type WebviewToHost,
} from '../src/protocol/webview';
import { markArrival, markPost, stamp } from './hops';

/** What the webview API offers (the subset used). */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

function vscode(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** Messages posted so far (the host's snapshots say how many it had received: PanelStateNotification.seen). */
let posted = 0;

/** Sends a message to the extension host; returns its number (1 for the first). */
export function post(message: WebviewToHost): number {
  markPost(message.type);
  vscode().postMessage(message);
  return ++posted;
}

/** Calls `handler` with every valid message from the host. Returns a function that stops listening. */
export function onMessage(handler: (message: HostToWebview) => void): () => void {
  const listener = (event: MessageEvent) => {
    const mark = markArrival();
    const message = decodeHostMessage(event.data);
    const problem = hostToWebviewProblem(message);
    if (problem) {
      console.warn(`Loss Inspector: ignored a malformed message from the host: ${problem}`);
      return;
    }
    const checked = message as HostToWebview;
    mark.type = checked.type;
    mark.checked = stamp();
    if (checked.type === 'state' && checked.trace) mark.trace = checked.trace;
    handler(checked);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

/** The UI state saved by {@link saveUiState}, or undefined (first load, or not ours). */
export function loadUiState(): unknown {
  return vscode().getState();
}

/** Saves UI-only state (survives the view being hidden and shown). Never document data. */
export function saveUiState(state: unknown): void {
  vscode().setState(state);
}
