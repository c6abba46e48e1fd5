// Helpers for suite files (they run inside the extension host). Bundled into each *.test.js.
import * as path from 'node:path';
import * as vscode from 'vscode';

/** `<publisher>.<name>` from package.json. */
export const extensionId = 'loss-inspector.loss-inspector';

/** What the driver told the suite (see harness/options.ts `suiteEnv`); all optional under other runners. */
export const harnessEnv = {
  /** The workspace folder the driver opened. */
  folder: process.env.E2E_FOLDER,
  /** The repository the extension is loaded from. */
  extensionPath: process.env.E2E_EXTENSION_PATH,
  /** The display language the driver asked for; VS Code's default is English. */
  language: process.env.E2E_LOCALE || 'en',
};

/** The extension under test; fails the test when it is not loaded at all. */
export function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded in this window`);
  return extension;
}

/** The first workspace folder; fails when the window has none. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the window has no workspace folder (the driver passes one)');
  return folder;
}

/** Opens a file of the workspace folder in an editor and returns both. */
export async function openFixture(relativePath: string): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor }> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, ...relativePath.split('/'));
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  return { document, editor };
}

/** The position of the `occurrence`-th (0-based) match of `text` in the document, for hover/inlay requests. */
export function positionOf(document: vscode.TextDocument, text: string, occurrence = 0): vscode.Position {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = document.getText().indexOf(text, offset + 1);
    if (offset < 0) throw new Error(`"${text}" occurs only ${i} times in ${path.basename(document.fileName)}`);
  }
  return document.positionAt(offset);
}

/**
 * Polls `probe` until it returns a value other than undefined/false, for results that arrive after
 * debounced, asynchronous work (analysis, activation). Rejects with `what` after `timeoutMs`.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The text of every hover any provider gives at `position` (vscode.executeHoverProvider), joined by newlines. */
export async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

/** Inlay hints over `range` (default: the whole document) as 0-based line plus label text. */
export async function inlayHints(document: vscode.TextDocument, range?: vscode.Range): Promise<{ line: number; label: string }[]> {
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, range ?? whole);
  return hints.map((h) => ({
    line: h.position.line,
    label: typeof h.label === 'string' ? h.label : h.label.map((part) => part.value).join(''),
  }));
}
