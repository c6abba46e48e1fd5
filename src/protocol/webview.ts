/**
 * The wire between the panel's host side ({@link ../panel/lossPanelProvider}) and the UI inside
 * the webview (`webview/`). Every message that crosses that boundary is declared in the modules
 * this file re-exports (listed below), and both sides import this file.
 *
 * - Webview → host: {@link WebviewToHost}. Host → webview: {@link HostToWebview}.
 * - The webview says `ready` once it listens; the host answers, and from then on sends a
 *   complete {@link PanelState} snapshot after every change. There are no deltas: a webview that
 *   was hidden and recreated rebuilds itself from one message.
 * - Messages are untrusted in both directions: each side checks what arrives with
 *   {@link isWebviewToHost} / {@link isHostToWebview} (or the `…Problem` variants, which say what
 *   is wrong) and drops a malformed message with a logged warning. The guards check every field's
 *   type and bounds, reject unknown fields, and cap every array, so a bad message cannot make a
 *   side allocate or render without limit.
 * - VS Code carries webview messages as JSON, which would turn NaN and ±Infinity into `null`.
 *   Non-finite numbers are real results here (a naive softmax that overflows, a logit written as
 *   `float('inf')`), so the host sends {@link encodeHostMessage}`(msg)` and the webview reads
 *   {@link decodeHostMessage}`(raw)` before checking it.
 *
 * The declarations live by concern: ./panelView.ts (the snapshot and its bounds),
 * ./webviewMessages.ts, ./webviewEncoding.ts and ./webviewGuards.ts (built from ./schemaChecks.ts).
 * This file re-exports them and is the one path webview/ imports. They import nothing at runtime
 * but each other, and no DOM or Node types, so they compile under both the extension's and the
 * webview's tsconfig.
 */
export * from './panelView';
export * from './webviewMessages';
export * from './webviewEncoding';
export * from './webviewGuards';
export * from './hops';
