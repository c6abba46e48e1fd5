import { constants as fsConstants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorText } from '../core/errorText';
import type { WorkerRequester } from '../protocol/worker';
import type { Config } from './config';

/**
 * Files larger than this are skipped without being read: the number VS Code itself uses for what it
 * hands extensions, and far beyond any source file with a loss in it.
 */
export const maxCheckBytes = 50 * 2 ** 20;

/** Why a file found by the search was not analysed. */
export type SkipReason = 'outside' | 'tooLarge' | 'notAFile';

/** What Check All Claims returns to its caller (tests, other extensions); fields are only ever added. */
export interface WorkspaceCheckResult {
  /** Files the search found. */
  files: number;
  /** Files analysed to the end. */
  checked: number;
  claims: number;
  wrong: number;
  /**
   * Files that could not be read or analysed (error, deadline): their claims are not verified.
   * `reason` in English (`code: message`, or the file system's words); `text` as the person reads
   * it in the log, in the display language (Loss Inspector's own sentences translated, torch's and
   * the file system's words as they are).
   */
  unverified: { path: string; reason: string; text: string }[];
  /** Files left out on purpose, never read: by reason. */
  skipped: Record<SkipReason, number>;
  /** The person cancelled: files after that point were neither checked nor reported. */
  cancelled: boolean;
}

export interface WorkspaceCheckDeps {
  worker: WorkerRequester;
  config: Config;
  collection: vscode.DiagnosticCollection;
  log: vscode.LogOutputChannel;
  /** Whether an open document already has live diagnostics: the workspace check then adds none for it. */
  isLive: (uri: vscode.Uri) => boolean;
  /** The size cap in bytes; {@link maxCheckBytes} unless a test says otherwise. */
  maxBytes?: number;
}

const include = '**/*.{py,ipynb,md,markdown,js,mjs,cjs,ts,mts,json}';
const exclude = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/.vscode-test/**}';

/**
 * Check All Claims in Workspace: every supported file, analysed in the worker, wrong claims into the
 * Problems view. Contracts: a file is never read before its size and kind are known (over the cap, a
 * FIFO or a device: skipped unread); nothing outside the workspace folders is read, whatever a
 * symlink says; a file that cannot be read or analysed is reported as unverified, never dropped.
 */
export async function checkWorkspace(deps: WorkspaceCheckDeps): Promise<WorkspaceCheckResult> {
  const { worker, config, collection, log, isLive } = deps;
  const maxBytes = deps.maxBytes ?? maxCheckBytes;
  const files = await vscode.workspace.findFiles(include, exclude, 5000);
  const roots = await workspaceRoots();
  const result: WorkspaceCheckResult = {
    files: files.length,
    checked: 0,
    claims: 0,
    wrong: 0,
    unverified: [],
    skipped: { outside: 0, tooLarge: 0, notAFile: 0 },
    cancelled: false,
  };
  collection.clear();
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking loss claims'), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const onCancel = token.onCancellationRequested(() => abort.abort());
      try {
        for (const uri of files) {
          if (token.isCancellationRequested) break;
          const shown = vscode.workspace.asRelativePath(uri);
          progress.report({ message: shown, increment: 100 / files.length });
          const read = await readInWorkspace(uri, roots, maxBytes);
          if (read.kind === 'skip') {
            result.skipped[read.reason]++;
            log.info(`check: skipped ${shown} (${skipText[read.reason]})`);
            continue;
          }
          if (read.kind === 'error') {
            result.unverified.push({
              path: shown,
              reason: read.message,
              text: vscode.l10n.t('The file could not be read: {0}', read.message),
            });
            continue;
          }
          const r = await worker.request(
            'analyze',
            {
              key: uri.toString(),
              transient: true,
              version: 0,
              text: read.text,
              fileName: uri.path,
              maxElements: config.maxElements,
            },
            { signal: abort.signal },
          );
          if (token.isCancellationRequested) break;
          if (!r.ok) {
            result.unverified.push({
              path: shown,
              reason: `${r.error.code}: ${r.error.message}`,
              text: errorText(r.error, vscode.l10n),
            });
            continue;
          }
          result.checked++;
          result.claims += r.value.analysis.claims.length;
          const diags: vscode.Diagnostic[] = [];
          for (const c of r.value.analysis.claims) {
            if (c.status !== 'wrong') continue;
            result.wrong++;
            const range = c.cell === undefined ? claimRange(read.text, c) : new vscode.Range(0, 0, 0, 0);
            const d = new vscode.Diagnostic(
              range,
              vscode.l10n.t(
                'Claimed {0}, but the loss is {1} (torch prints {2}).',
                c.text,
                String(c.computed),
                c.expected ?? '?',
              ),
              vscode.DiagnosticSeverity.Warning,
            );
            d.source = 'Loss Inspector';
            d.code = 'claim_mismatch';
            diags.push(d);
          }
          if (diags.length && !isLive(uri)) collection.set(uri, diags);
        }
      } finally {
        onCancel.dispose();
      }
      result.cancelled = token.isCancellationRequested;
    },
  );
  for (const u of result.unverified) log.warn(`check: unverified ${u.path}: ${u.text}`);
  showSummary(result, log);
  return result;
}

const skipText: Record<SkipReason, string> = {
  outside: 'it leads outside the workspace folders',
  tooLarge: `larger than ${maxCheckBytes / 2 ** 20} MB`,
  notAFile: 'not a regular file',
};

function showSummary(result: WorkspaceCheckResult, log: vscode.LogOutputChannel): void {
  const attempted = result.checked + result.unverified.length;
  const parts = [
    vscode.l10n.t('Loss Inspector checked {0} files: {1} claims, {2} wrong.', attempted, result.claims, result.wrong),
  ];
  if (result.unverified.length) {
    const names = result.unverified.slice(0, 3).map((u) => u.path);
    if (result.unverified.length > 3) names.push('…');
    parts.push(
      vscode.l10n.t(
        '{0} files could not be verified (see the output): {1}.',
        result.unverified.length,
        names.join(', '),
      ),
    );
  }
  const { outside, tooLarge, notAFile } = result.skipped;
  if (outside + tooLarge + notAFile)
    parts.push(
      vscode.l10n.t(
        'Skipped {0} files: {1} outside the workspace, {2} larger than 50 MB, {3} not regular files.',
        outside + tooLarge + notAFile,
        outside,
        tooLarge,
        notAFile,
      ),
    );
  if (result.cancelled) parts.unshift(vscode.l10n.t('Cancelled.'));
  const summary = parts.join(' ');
  log.info(`check: ${summary}`);
  const showProblems = vscode.l10n.t('Show Problems');
  const showOutput = vscode.l10n.t('Show Output');
  const items = result.unverified.length ? [showProblems, showOutput] : [showProblems];
  const shown =
    result.wrong || result.unverified.length
      ? vscode.window.showWarningMessage(summary, ...items)
      : vscode.window.showInformationMessage(summary, ...items);
  // Not awaited: the command returns its counts while the notification waits for the person.
  void Promise.resolve(shown).then((choice) => {
    if (choice === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
    else if (choice === showOutput) log.show(true);
  });
}

type Read = { kind: 'text'; text: string } | { kind: 'skip'; reason: SkipReason } | { kind: 'error'; message: string };

/** The real paths of the workspace folders on disk; a folder that cannot be resolved keeps its own path. */
async function workspaceRoots(): Promise<string[]> {
  const roots: string[] = [];
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    roots.push(await fsp.realpath(f.uri.fsPath).catch(() => f.uri.fsPath));
  }
  return roots;
}

function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!path.isAbsolute(rel) && rel.split(path.sep)[0] !== '..');
}

/** Opening with O_NONBLOCK never waits for a FIFO's writer; it changes nothing for a regular file. */
const openFlags = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

/**
 * Reads a file the search found, if it is a regular file of at most `maxBytes` whose real path lies
 * in a workspace folder. The kind and size come from the open handle, so what is checked is what is
 * read, and a file that grows after the check is read only up to the size it had.
 */
async function readInWorkspace(uri: vscode.Uri, roots: string[], maxBytes: number): Promise<Read> {
  if (uri.scheme !== 'file') return readVirtual(uri, maxBytes);
  try {
    const real = await fsp.realpath(uri.fsPath);
    if (!roots.some((r) => isInside(real, r))) return { kind: 'skip', reason: 'outside' };
    const handle = await fsp.open(real, openFlags);
    try {
      const st = await handle.stat();
      if (!st.isFile()) return { kind: 'skip', reason: 'notAFile' };
      if (st.size > maxBytes) return { kind: 'skip', reason: 'tooLarge' };
      const bytes = new Uint8Array(st.size);
      let n = 0;
      while (n < bytes.length) {
        const { bytesRead } = await handle.read(bytes, n, bytes.length - n, n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      return { kind: 'text', text: new TextDecoder().decode(bytes.subarray(0, n)) };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
}

/**
 * A file on a file system without real paths (a virtual workspace): it must belong to a workspace
 * folder, and a symlink is not followed because where it leads cannot be known.
 */
async function readVirtual(uri: vscode.Uri, maxBytes: number): Promise<Read> {
  try {
    if (!vscode.workspace.getWorkspaceFolder(uri)) return { kind: 'skip', reason: 'outside' };
    const st = await vscode.workspace.fs.stat(uri);
    if (st.type & vscode.FileType.SymbolicLink) return { kind: 'skip', reason: 'outside' };
    if (!(st.type & vscode.FileType.File)) return { kind: 'skip', reason: 'notAFile' };
    if (st.size > maxBytes) return { kind: 'skip', reason: 'tooLarge' };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.byteLength > maxBytes) return { kind: 'skip', reason: 'tooLarge' };
    return { kind: 'text', text: new TextDecoder().decode(bytes) };
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
}

/**
 * The range of a claim from its 1-based line and offsets, counting line breaks as detection and
 * the editor do (`\n`, `\r\n` and a lone `\r`); only the claim's own span is scanned.
 */
export function claimRange(text: string, claim: { line: number; start: number; end: number }): vscode.Range {
  const lineStart = (offset: number) =>
    offset === 0 ? 0 : Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  let endLine = claim.line - 1;
  for (let i = claim.start; i < claim.end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) endLine++;
  }
  return new vscode.Range(
    claim.line - 1,
    claim.start - lineStart(claim.start),
    endLine,
    claim.end - lineStart(claim.end),
  );
}
