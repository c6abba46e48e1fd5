import * as vscode from 'vscode';
import type { DocumentAnalysis, PairAnalysis } from '../core/detection';
import type { ErrorInfo } from '../core/types';
import type { InspectParams, Inspection, Outcome, PanelComputeOptions } from '../protocol/worker';
import { assumedTorchMark, assumedTorchText } from '../core/sharedText';
import { errorText } from '../core/errorText';
import type { ControlOverrides, Locale, PairItem, PairSummary, PanelOptions, StaleNote } from '../protocol/webview';

/* What the panel's model reads of the editor around it: the documents' analyses, tabs, the cursor, file names, the UI language. */

/** The analysis of one document version, as the panel reads it. */
export interface PanelEntry {
  uri: vscode.Uri;
  version: number;
  status: 'pending' | 'ready' | 'error';
  analysis: DocumentAnalysis | null;
  error: ErrorInfo | null;
  /**
   * While the text does not parse, the analysis may hold pairs kept from the last version that
   * did (the editor's stale merge): their ids, which the worker's analysis of this version lacks.
   */
  stale?: { pairs: ReadonlySet<number> } | null;
}

/**
 * What the panel needs of the shared per-document analysis. The root object builds it over the
 * editor's analysis cache, so the panel sits beside the editor and never imports it.
 */
export interface PanelAnalyses<E extends PanelEntry = PanelEntry> {
  /** Fires when the analysis of a document changes status or content. */
  readonly onDidChange: vscode.Event<E>;
  /** Whether the document is one that is analysed. */
  supports(document: vscode.TextDocument): boolean;
  /** The current analysis of the document's current version, if there is one. */
  peek(document: vscode.TextDocument): E | undefined;
  /** The analysis of the document's current version, computed now if needed; undefined if unsupported or closed. */
  ensure(document: vscode.TextDocument): Promise<E | undefined>;
  /** One pair's numbers from the worker (re-analysing once if the worker lost the analysis). */
  inspect(
    document: vscode.TextDocument,
    entry: E,
    params: Omit<InspectParams, 'key' | 'version'>,
  ): Promise<{ entry: E; outcome: Outcome<Inspection> }>;
  /** After a request about `entry` failed with `code`: the document analysed again if the worker lost it, else undefined. */
  reanalyse(document: vscode.TextDocument, entry: E, code: string): Promise<E | undefined>;
  /** Whether `entry` is the analysis of `document` (its notebook's, for a cell). */
  covers(entry: E, document: vscode.TextDocument): boolean;
  /** The pair a cursor at `offset` belongs to. */
  pairNear(entry: E, document: vscode.TextDocument, offset: number): PairAnalysis | undefined;
  /** Where the pair's code (its call, else its logits) is in `document`. */
  pairRange(entry: E, document: vscode.TextDocument, pair: PairAnalysis): vscode.Range | undefined;
}

/** Whether some editor tab shows `document` (or the notebook holding it). */
export function isInTab(document: vscode.TextDocument): boolean {
  const uris = new Set([document.uri.toString()]);
  for (const notebook of vscode.workspace.notebookDocuments)
    if (notebook.getCells().some((c) => c.document === document)) uris.add(notebook.uri.toString());
  for (const group of vscode.window.tabGroups.all)
    for (const tab of group.tabs) {
      const input = tab.input;
      const uri =
        input instanceof vscode.TabInputText || input instanceof vscode.TabInputNotebook
          ? input.uri
          : input instanceof vscode.TabInputTextDiff
            ? input.modified
            : undefined;
      if (uri && uris.has(uri.toString())) return true;
    }
  return false;
}

/** A selection change the user made (the debugger's reveal of a paused line has no kind, or Command). */
export function userMoved(kind: vscode.TextEditorSelectionChangeKind | undefined): boolean {
  return kind === vscode.TextEditorSelectionChangeKind.Keyboard || kind === vscode.TextEditorSelectionChangeKind.Mouse;
}
/** The file name the panel shows: the last segment of the path (a notebook's, for its cells). */
export function fileName(document: vscode.TextDocument): string {
  return document.uri.path.split('/').pop() ?? '';
}

/** Where the analysis stopped parsing, or null when it parses. */
export function parseErrorOf(analysis: DocumentAnalysis): StaleNote | null {
  const f = analysis.findings.find((x) => x.code === 'parse_error');
  if (!f) return null;
  // The tokenizer's words for a bracket left open: "'[' was never closed".
  const open = /^'([[({])' was never closed/.exec(f.message);
  return { line: Math.max(1, f.line), cell: f.cell ?? null, opener: open ? open[1]! : null };
}

/**
 * The 1-based line of the cursor when `document` (or, in a notebook, the cell `cell` of the
 * stale note) is the active editor's: where the user is typing.
 */
export function editLineOf(document: vscode.TextDocument, stale: StaleNote): number | null {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return null;
  const active = editor.document;
  if (active.uri.toString() === document.uri.toString() && stale.cell === null) return editor.selection.active.line + 1;
  if (stale.cell === null || active.uri.scheme !== 'vscode-notebook-cell') return null;
  // A notebook: the cursor counts when it is in the cell that does not parse.
  const notebook = vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document === active));
  const index = notebook?.getCells().findIndex((c) => c.document === active);
  const same = notebook?.getCells().some((c) => c.document.uri.toString() === document.uri.toString());
  return same && index === stale.cell ? editor.selection.active.line + 1 : null;
}

/** An error as the panel shows it: Loss Inspector's own sentences in the user's language, torch's as torch words them. */
export function errorShown(error: ErrorInfo): string {
  return errorText(error, vscode.l10n);
}

export function locale(): Locale {
  return vscode.env.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * The key the panel keeps a pair's overrides under: its document's URI (a live pair's key) and its
 * id in that document.
 */
export function pairKeyOf(uri: { toString(): string } | undefined, pairId: number): string {
  return `${uri?.toString()}#${pairId}`;
}

/** The options the worker computes with, and the dtype as the user chose it ('auto' included). */
export type EffectiveOptions = PanelComputeOptions & { choice: PanelOptions['dtype'] };

/** The options in effect: the code's, under the user's overrides of the pair, under `more` (a change made ahead). */
export function effectiveOptions(
  code: PanelOptions,
  overrides: ControlOverrides | undefined,
  more?: ControlOverrides,
): EffectiveOptions {
  const o = { ...code, ...(overrides ?? {}), ...(more ?? {}) };
  return {
    reduction: o.reduction,
    dtype: o.dtype === 'float64' ? 'float64' : 'float32',
    choice: o.dtype,
    labelSmoothing: o.labelSmoothing,
    ignoreIndex: o.ignoreIndex,
    weight: o.weight === undefined ? code.weight : o.weight,
    inputKind: o.inputKind,
  };
}

/** The options written in the code of a document's pair. */
export function codeOptions(pair: PairAnalysis): PanelOptions {
  return {
    // The code's own mean or sum of per-element losses: the panel's steps are those losses (origin says so).
    reduction: pair.reduces ? 'none' : pair.options.reduction,
    dtype: pair.dtype,
    labelSmoothing: pair.options.labelSmoothing,
    ignoreIndex: pair.options.ignoreIndex,
    // The values the worker computes on are the kernel's (x for NLLLoss of log_softmax(x)).
    inputKind: pair.kernelInputKind ?? pair.options.inputKind,
    hasWeight: !!pair.options.weight,
    weight: pair.options.weight,
  };
}

/** The options in effect as the panel's header shows them (the dtype as the user chose it). */
export function summaryOptions(eff: EffectiveOptions): PairSummary['options'] {
  return {
    reduction: eff.reduction,
    dtype: eff.choice,
    labelSmoothing: eff.labelSmoothing,
    ignoreIndex: eff.ignoreIndex,
    inputKind: eff.inputKind,
    hasWeight: !!eff.weight,
    weight: eff.weight,
  };
}

/** The header of a document's pair: its names, shapes, options (the code's and those in effect) and claim. */
export function pairSummary(analysis: DocumentAnalysis, pair: PairAnalysis, eff: EffectiveOptions): PairSummary {
  const claim = pair.claims.map((id) => analysis.claims.find((c) => c.id === id)).find((c) => c !== undefined);
  const [d0 = 0, d1 = 0] = pair.inputShape;
  const N = pair.inputShape.length > 1 ? d0 : 1;
  const C = pair.inputShape.length > 1 ? d1 : d0;
  const S = pair.inputShape.slice(2).reduce((a, b) => a * b, 1);
  return {
    id: pair.id,
    logitsName: pair.logits.argName ?? pair.logits.name,
    targetName: pair.target.argName ?? pair.target.name,
    inputShape: pair.inputShape,
    targetShape: pair.targetShape,
    lossShape: pair.inputShape.length > 1 ? [N, ...pair.inputShape.slice(2)] : [],
    N,
    C,
    S,
    targetKind: pair.targetKind ?? 'indices',
    codeOptions: codeOptions(pair),
    options: summaryOptions(eff),
    claimText: claim?.text ?? null,
    claimOk: claim ? (claim.status === 'unverified' ? null : claim.status === 'holds') : null,
    codePrinted: pair.printed,
    ...(pair.assumedTorch
      ? {
          assumedTorch: {
            mark: assumedTorchMark(vscode.l10n),
            reason: assumedTorchText(pair.assumedTorch, vscode.l10n),
          },
        }
      : {}),
  };
}

/** The pairs of `analysis` as the panel's pair list names them. */
export function pairItems(analysis: DocumentAnalysis): PairItem[] {
  return analysis.pairs.map((p) => ({
    id: p.id,
    label: `${p.logits.argName ?? p.logits.name ?? 'logits'}, ${p.target.argName ?? p.target.name ?? 'target'}`,
    line: (p.call ?? p.logits).line,
    cell: (p.call ?? p.logits).cell ?? null,
    loss: p.loss,
    failed: !!p.error,
  }));
}

/** Reveals and selects pair `pairId`'s code: the paused line of a live pair, else the pair's range in `document`. */
export async function revealPair<E extends PanelEntry>(
  cache: PanelAnalyses<E>,
  live: { uri: string | undefined; line: number } | null,
  document: vscode.TextDocument | undefined,
  pairId: number,
): Promise<void> {
  if (live) {
    const { uri, line } = live;
    if (!uri) return;
    const at = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(at, at) });
    return;
  }
  const entry = document ? cache.peek(document) : undefined;
  const pair = entry?.analysis?.pairs.find((p) => p.id === pairId);
  if (!entry || !pair || !document) return;
  const range = cache.pairRange(entry, document, pair);
  if (!range) return;
  const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
  editor.selection = new vscode.Selection(range.start, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
