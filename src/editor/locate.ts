import * as vscode from 'vscode';
import type { ArraySite, ClaimAnalysis, DocumentAnalysis, Finding, PairAnalysis } from '../core/detection';
import type { AnalysisEntry } from './documentAnalysis';
import { formulaWords, pairIdentity, torchExport } from '../core/libraryView';
import { pairTitle, type CoreL10n } from '../core/sharedText';
import { errorText } from '../core/errorText';
import { reasonText } from '../core/reasonText';
import { placeText, type PairView } from './format';

/** Something with a span in a document or a notebook cell. */
interface Spanned {
  start: number;
  end: number;
  cell?: number;
}

/**
 * Maps analysis positions (offsets, cell-relative in notebooks) to one text document: for a
 * notebook entry only the items of the cell shown by `document` are kept.
 */
export class DocumentView {
  readonly cell: number | undefined;

  constructor(
    readonly entry: AnalysisEntry,
    readonly document: vscode.TextDocument,
  ) {
    this.cell = entry.notebook ? entry.notebook.getCells().findIndex((c) => c.document === document) : undefined;
  }

  get analysis(): DocumentAnalysis | null {
    return this.entry.analysis;
  }

  /** Whether an item belongs to this document (its cell, for notebooks). */
  owns(item: { cell?: number }): boolean {
    return this.cell === undefined ? item.cell === undefined : item.cell === this.cell;
  }

  range(item: Spanned): vscode.Range {
    // positionAt clamps an offset past the end to the end, so no getText() (a copy of a 10 MB file) per range.
    return new vscode.Range(this.document.positionAt(item.start), this.document.positionAt(item.end));
  }

  contains(item: Spanned, offset: number): boolean {
    return this.owns(item) && offset >= item.start && offset <= item.end;
  }

  claimAt(offset: number): ClaimAnalysis | undefined {
    return this.analysis?.claims.find((c) => this.contains(c, offset));
  }

  arrayAt(offset: number): ArraySite | undefined {
    return this.analysis?.arrays.find((a) => this.contains(a, offset));
  }

  /** The pair whose loss call spans `offset`. */
  callAt(offset: number): PairAnalysis | undefined {
    return this.analysis?.pairs.find((p) => p.call && this.contains(p.call, offset));
  }

  pairs(): PairAnalysis[] {
    return (this.analysis?.pairs ?? []).filter((p) => this.owns(p.call ?? p.logits));
  }

  findings(): Finding[] {
    return (this.analysis?.findings ?? []).filter((f) => this.owns(f));
  }

  claims(): ClaimAnalysis[] {
    return (this.analysis?.claims ?? []).filter((c) => this.owns(c));
  }

  /**
   * The pair for a cursor: the one whose call, logits or target spans the offset, else the
   * nearest pair whose call (or logits) starts above it, else the first one.
   */
  pairNear(offset: number): PairAnalysis | undefined {
    const a = this.analysis;
    if (!a || a.pairs.length === 0) return undefined;
    const direct =
      this.callAt(offset) ??
      a.pairs.find((p) =>
        [p.logits.id, p.target.id].some((id) => {
          const s = a.arrays.find((x) => x.id === id);
          return s && this.contains(s, offset);
        }),
      );
    if (direct) return direct;
    const claim = this.claimAt(offset);
    if (claim && claim.pairId !== null) return a.pairs.find((p) => p.id === claim.pairId);
    const mine = this.pairs();
    let best: PairAnalysis | undefined;
    for (const p of mine) {
      const start = p.call?.start ?? a.arrays.find((x) => x.id === p.logits.id)?.start ?? 0;
      if (start <= offset) best = p;
    }
    return best ?? mine[0];
  }

  /**
   * The pair a line belongs to: one whose call, logits or target literal spans the line, or whose
   * claim is printed on it. Undefined for a line with none (an import, a blank line).
   */
  pairOnLine(line: number): PairAnalysis | undefined {
    const a = this.analysis;
    if (!a) return undefined;
    const spans = (item: Spanned & { cell?: number }) => {
      if (!this.owns(item)) return false;
      const r = this.range(item);
      return r.start.line <= line && line <= r.end.line;
    };
    const sites = new Map(a.arrays.map((s) => [s.id, s]));
    const byClaim = a.claims.find((c) => c.pairId !== null && spans(c));
    return (
      this.pairs().find(
        (p) =>
          (p.call && spans(p.call)) ||
          [p.logits.id, p.target.id].some((id) => {
            const s = sites.get(id);
            return s !== undefined && spans(s);
          }),
      ) ?? (byClaim ? a.pairs.find((p) => p.id === byClaim.pairId) : undefined)
    );
  }

  /** Pairs that use the array as logits or as target. */
  pairsOf(site: ArraySite): { logits: PairAnalysis[]; target: PairAnalysis[] } {
    const pairs = this.analysis?.pairs ?? [];
    return {
      logits: pairs.filter((p) => p.logits.id === site.id),
      target: pairs.filter((p) => p.target.id === site.id),
    };
  }

  /**
   * The pair a hover over a literal explains, and how many other pairs use the literal. Logits come
   * before target; among the pairs of that role, one whose call takes the literal itself (no
   * `argName`, as in `criterion(x, y)`) comes before one that takes something derived from it
   * (`NLLLoss(x_log, y)` with `x_log = log_softmax(x)`), then document order.
   */
  literalUse(site: ArraySite): { pair: PairAnalysis; role: 'logits' | 'target'; others: number } | undefined {
    const { logits, target } = this.pairsOf(site);
    const direct = (ref: PairAnalysis['logits']) =>
      ref.argName === undefined || ref.argName === null || ref.argName === ref.name;
    const pick = (pairs: PairAnalysis[], role: 'logits' | 'target') =>
      pairs.find((p) => direct(role === 'logits' ? p.logits : p.target)) ?? pairs[0];
    const using = new Set([...logits, ...target].map((p) => p.id)).size;
    const pair = pick(logits, 'logits');
    if (pair) return { pair, role: 'logits', others: using - 1 };
    const t = pick(target, 'target');
    return t ? { pair: t, role: 'target', others: using - 1 } : undefined;
  }

  /** Where a pair computes its loss: its call, else its logits literal. */
  pairLine(pair: PairAnalysis): { line: number; cell: number | undefined } {
    const anchor = pair.call ?? this.analysis?.arrays.find((a) => a.id === pair.logits.id) ?? pair.logits;
    return { line: anchor.line, cell: anchor.cell };
  }
}

/** Formulas whose number is no cross-entropy in nats: `CE` / `NLL` would misname them. */
const notNats = new Set(['formula.cross_entropy_bits', 'formula.binary_log_likelihood']);

/**
 * A formula's inline name: the function of the code it came from (`cross_entropy = 0.6365`), its
 * words when CE / NLL would misname it (bits, a log-likelihood kept positive), else none: `CE` /
 * `NLL` name a hand cross-entropy or negative log-likelihood as well as torch's.
 */
function formulaInlineName(p: PairAnalysis): { inlineName: string } | Record<string, never> {
  if (p.call?.kind === 'user_function' && p.call.callee) return { inlineName: p.call.callee };
  const words = notNats.has(p.recogniser ?? '') ? formulaWords(p.recogniser, p.formulaGuard) : null;
  return words ? { inlineName: words } : {};
}

/** The view model the pure formatters take; its title in the language of `l10n` (the editor's). */
export function pairView(p: PairAnalysis, l10n: CoreL10n = vscode.l10n): PairView {
  const identity = pairIdentity(p);
  const title = pairTitle(identity, l10n);
  const copy = torchExport(p);
  const count =
    p.losses?.length ?? (p.inputShape.length <= 1 ? 1 : p.inputShape.reduce((a, b, i) => (i === 1 ? a : a * b), 1));
  // torch's own loss of one unbatched (C) row under reduction='none' is a 0-d tensor: one number, as
  // torch prints it (`tensor(0.4644)`), not a list of one.
  const zeroD =
    identity.family === 'torch' &&
    p.options.reduction === 'none' &&
    p.inputShape.length === 1 &&
    p.losses?.length === 1;
  return {
    id: p.id,
    logitsName: p.logits.argName ?? p.logits.name,
    targetName: p.target.argName ?? p.target.name,
    shape: p.inputShape,
    targetShape: p.targetShape,
    dtype: p.dtype,
    reduction: p.options.reduction,
    loss: zeroD ? p.losses![0]! : p.loss,
    losses: p.losses ? p.losses.slice(0, 64) : null,
    count,
    numerator: p.numerator,
    denominator: p.denominator,
    labelSmoothing: p.options.labelSmoothing,
    ignoreIndex: p.options.ignoreIndex,
    hasWeight: !!p.options.weight,
    inputKind: p.options.inputKind,
    targetKind: p.targetKind,
    error: p.error ? errorText(p.error, l10n) : null,
    ...(p.library !== undefined && p.mapping !== undefined
      ? {
          library: {
            entry: p.recogniser ?? p.library,
            mapping: p.mapping,
            ...(identity.family === 'library' ? { name: identity.name, torch: identity.torch } : {}),
          },
        }
      : {}),
    ...(title !== null ? { title } : {}),
    ...(identity.family === 'library' ? { inlineName: identity.short } : {}),
    ...(identity.family === 'user' ? { inlineName: identity.name } : {}),
    ...(identity.family === 'formula' ? formulaInlineName(p) : {}),
    ...(identity.family === 'formula' && identity.library === 'torch' ? { printsTensor: true } : {}),
    ...(copy.offered ? {} : { noTorchCopy: copy.reason }),
    ...(p.unverified !== undefined ? { unverified: reasonText(p.unverified, l10n) } : {}),
    ...(p.assumedTorch ? { assumedTorch: p.assumedTorch } : {}),
  };
}

/** "Waiting for line 14 to parse: this is the result of the last version that did." ('' when not stale). */
export function staleText(entry: Pick<AnalysisEntry, 'stale'>): string {
  const w = entry.stale?.waitingFor;
  if (!w) return '';
  return vscode.l10n.t(
    'Waiting for {0} to parse: this is the result of the last version that did.',
    placeText(w.line, w.cell, vscode.l10n),
  );
}
