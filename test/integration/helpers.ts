// Helpers for suite files (they run inside the extension host). Bundled into each *.test.js.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import referenceJson from '../fixtures/integration/reference.json';

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
export async function openFixture(
  relativePath: string,
): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor }> {
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
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<T> {
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
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    position,
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** Inlay hints over `range` (default: the whole document) as 0-based line plus label text. */
export async function inlayHints(
  document: vscode.TextDocument,
  range?: vscode.Range,
): Promise<{ line: number; label: string }[]> {
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
    'vscode.executeInlayHintProvider',
    document.uri,
    range ?? whole,
  );
  return hints.map((h) => ({
    line: h.position.line,
    label: typeof h.label === 'string' ? h.label : h.label.map((part) => part.value).join(''),
  }));
}

// ---------------------------------------------------------------------------------------------
// Reference values, lenses, diagnostics, settings and figures.

/** One pair's values as real PyTorch computed them (test/fixtures/integration/gen_reference.py). */
export interface ReferencePair {
  loss: number;
  printed: string;
  dtype: string;
  losses: number[];
  softmax: number[][];
  logSoftmax: number[][];
  target: number[];
  pTarget: number[];
  float64Loss: number;
  float64Printed?: string;
}

/** Reference values from PyTorch, per fixture file; the suite never invents a number. */
export const reference = referenceJson as unknown as Record<string, ReferencePair> & {
  'target_out_of_range.py': { error: string };
  'softmax_twice.py': { loss: number; printed: string };
  'nll_raw_logits.py': { loss: number; printed: string };
  'float64_claim.py': { loss: number; printed: string };
  'tutorial.md': { first: ReferencePair; batch: ReferencePair };
};

/** A library fixture's numbers (reference.json "libraries", by gen_reference.py): per variable. */
export interface LibraryTruth {
  loss?: number;
  losses?: number[];
}

/** The numbers of every file in test/fixtures/integration/libraries, by file and variable. */
export const libraryTruth = (referenceJson as unknown as { libraries: Record<string, Record<string, LibraryTruth>> })
  .libraries;

/** The loss the reference computed for `name` in library fixture `file` (an error when it has none). */
export function libraryLoss(file: string, name: string): number {
  const loss = libraryTruth[file]?.[name]?.loss;
  if (loss === undefined) throw new Error(`reference.json has no loss for ${name} in libraries/${file}`);
  return loss;
}

/** Opens a file of test/fixtures/integration/libraries in an editor. */
export async function openLibraryFixture(file: string): Promise<vscode.TextDocument> {
  return (await openFile(path.join(repoRoot, 'test', 'fixtures', 'integration', 'libraries', file))).document;
}

/** A value as the extension prints it with the default `lossInspector.decimals` (4). */
export const dec4 = (v: number): string => v.toFixed(4);

/**
 * In library fixture `file`, the lens on the line of `anchor` (the position `column` characters into
 * it) reads `= <loss of name> · Inspect`, and the hover there repeats the loss.
 */
export async function assertLibraryLensAndHover(
  file: string,
  name: string,
  anchor: string,
  column: number,
): Promise<void> {
  const document = await openLibraryFixture(file);
  const at = inside(document, anchor, 0, column);
  const value = dec4(libraryLoss(file, name));
  const lens = await waitFor(`the lens of ${name}`, async () =>
    (await ourLenses(document)).find((l) => l.line === at.line),
  );
  assert.ok(lens.title.endsWith(`= ${value} · Inspect`), lens.title);
  const hover = await hoverUntil(document, at, value);
  assert.ok(hover.includes(value), hover);
}

/** In library fixture `file`, a claim_mismatch lies on the line of `claimText` and names the loss of `name`. */
export async function assertLibraryClaimMismatch(
  file: string,
  claimText: string,
  name: string,
): Promise<vscode.TextDocument> {
  const document = await openLibraryFixture(file);
  const claimLine = inside(document, claimText, 0, 0).line;
  const d = await waitForDiagnostic(document.uri, 'claim_mismatch', (x) => codeOf(x) === 'claim_mismatch');
  assert.equal(d.range.start.line, claimLine);
  assert.ok(d.message.includes(dec4(libraryLoss(file, name))), d.message);
  return document;
}

/** A value as hovers and tables show it: 4 decimals, and the minus sign U+2212 of the labels around it. */
export const shown4 = (v: number): string => dec4(v).replace('-', '\u2212');

/** The repository root (where test-results/ lives). */
export const repoRoot = harnessEnv.extensionPath ?? path.resolve(__dirname, '..', '..', '..');

/** Writes `test-results/<name>.json` (git-ignored) and prints it, for figures the report quotes. */
export function writeFigures(name: string, figures: unknown): void {
  const file = path.join(repoRoot, 'test-results', `${name}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = JSON.stringify(figures, null, 2);
  fs.writeFileSync(file, `${text}\n`);
  console.log(`[figures] ${name}: ${text}`);
}

/** CodeLenses (resolved) of a document: line and title. */
export async function codeLenses(
  document: vscode.TextDocument,
): Promise<{ line: number; title: string; command?: vscode.Command | undefined }[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
    'vscode.executeCodeLensProvider',
    document.uri,
    100,
  );
  return (lenses ?? []).map((l) => ({ line: l.range.start.line, title: l.command?.title ?? '', command: l.command }));
}

/** Our lenses only (other extensions could add theirs). */
export async function ourLenses(
  document: vscode.TextDocument,
): Promise<{ line: number; title: string; command?: vscode.Command | undefined }[]> {
  return (await codeLenses(document)).filter((l) => l.command?.command === 'lossInspector.openPair');
}

/** The code of a diagnostic as a string. */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return c === undefined ? undefined : typeof c === 'object' ? String(c.value) : String(c);
}

/** Waits until the document has a Loss Inspector diagnostic matching `test`, and returns it. */
export function waitForDiagnostic(
  uri: vscode.Uri,
  what: string,
  test: (d: vscode.Diagnostic) => boolean,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic> {
  return waitFor(
    `diagnostic ${what} on ${path.basename(uri.path)}`,
    () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'Loss Inspector' && test(d)),
    timeoutMs,
  );
}

/**
 * Copies the workspace fixture `file` into `dir` (a quick fix edits the copy, never the fixture),
 * opens it, waits for our `code` diagnostic and returns it with the quick fixes offered on its range.
 */
export async function quickFixesOnCopy(
  dir: string,
  file: string,
  code: string,
): Promise<{
  copy: string;
  document: vscode.TextDocument;
  diagnostic: vscode.Diagnostic;
  actions: vscode.CodeAction[];
}> {
  const copy = path.join(dir, file);
  fs.copyFileSync(path.join(workspaceFolder().uri.fsPath, file), copy);
  const { document } = await openFile(copy);
  const diagnostic = await waitForDiagnostic(document.uri, code, (x) => codeOf(x) === code);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    document.uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return { copy, document, diagnostic, actions };
}

/** Changes a `lossInspector.*` user setting for the length of `body`, then restores it. */
export async function withSetting<T>(key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('lossInspector');
  const before = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    await vscode.workspace.getConfiguration('lossInspector').update(key, before, vscode.ConfigurationTarget.Global);
  }
}

/** A fresh temp folder for generated files (10 MB, 50 MB, binary); removed by the caller. */
export function tempDir(prefix = 'li-it-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Opens a file by absolute path in an editor. */
export async function openFile(file: string): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor }> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(document);
  return { document, editor };
}

/**
 * Closes every editor, so one test's documents do not feed the next one's analysis. Dirty documents
 * (a failed test's edit) are reverted first: a save prompt would block the window until the run times out.
 * A document can be dirty only for a moment: VS Code writes a settings change through the settings.json
 * model, and showing that document while it does fails with "another editor opened in the meantime". Such
 * a document is tried again a few times and skipped once it is clean or closed.
 */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter(
    (d) => d.isDirty && d.uri.scheme !== 'vscode-notebook-cell',
  )) {
    for (let attempt = 1; document.isDirty && !document.isClosed; attempt++) {
      try {
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand(
          document.isUntitled ? 'workbench.action.revertAndCloseActiveEditor' : 'workbench.action.files.revert',
        );
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Hovers until one contains `mustContain` (the first hover may wait for the analysis) and returns
 * the whole hover text; on timeout the error shows the last text seen.
 */
export async function hoverUntil(
  document: vscode.TextDocument,
  position: vscode.Position,
  mustContain: string,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = await hoverText(document, position);
    if (last.includes(mustContain)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `no hover containing "${mustContain}" at ${position.line + 1}:${position.character + 1} of ${path.basename(document.fileName)} within ${timeoutMs / 1000} s; last hover:\n${last}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The position `delta` characters after the `occurrence`-th match of `text` (inside a literal, a call, a claim). */
export function inside(document: vscode.TextDocument, text: string, occurrence = 0, delta = 1): vscode.Position {
  return positionOf(document, text, occurrence).translate(0, delta);
}
