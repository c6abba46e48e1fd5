/**
 * The names activation registers for the live bridge: they are in the host bundle, while the code
 * behind them (./liveHost.ts, ./liveHover.ts) is in dist/live.js, loaded by ./liveLoader.ts.
 */
import type * as vscode from 'vscode';

export const inspectLiveCommand = 'lossInspector.inspectLive';
/** True while the focused stack frame belongs to a session the bridge reads. */
export const pausedContextKey = 'lossInspector.debugPaused';

/** The documents a paused frame can be in, for the lens. */
export const liveLensSelector: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'javascript' },
  { language: 'typescript' },
  { language: 'javascriptreact' },
  { language: 'typescriptreact' },
];
