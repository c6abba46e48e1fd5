/**
 * Which sample a hover's document offset names: the logits row that contains it, found by binary
 * search over the literal's row starts (walked once, then kept on the analysis).
 */
import { indexPathAt, topLevelStarts } from '../core/detection/rowAt';
import type { ArraySite, DocumentAnalysis, NotebookCellInput, PairAnalysis } from '../core/detection';
import type { Prepared } from '../core/kernel';

/** The kept analysis a row is looked up in, with the row starts found so far. */
export interface RowSource {
  analysis: DocumentAnalysis;
  text: string | undefined;
  cells: NotebookCellInput[] | undefined;
  language: string;
  /** Per logits literal (site id): where each top-level element starts, built on the first hover. */
  rowStarts?: Map<number, Int32Array>;
}

/**
 * The flat sample index of the logits row that contains `offset`, when the literal is the pair's
 * input as written, and for (N, C) and (C) literals the span of offsets that all name that sample.
 */
export function elementAt(
  entry: RowSource,
  pair: PairAnalysis,
  p: Prepared,
  offset: number,
  grew: () => void,
): { element: number; span: { start: number; end: number } | null } | null {
  const site: ArraySite | undefined = entry.analysis.arrays.find((a) => a.id === pair.logits.id);
  if (!site) return null;
  const text = site.cell !== undefined ? entry.cells?.[site.cell]?.source : entry.text;
  if (text === undefined || offset < site.literalStart || offset > site.literalEnd) return null;
  const lang =
    entry.language === 'python' ||
    entry.language === 'ipynb' ||
    entry.language === 'jupyter' ||
    entry.language === 'markdown'
      ? 'python'
      : entry.language === 'json'
        ? 'json'
        : 'js';
  if (site.shape.length <= 1) return { element: 0, span: { start: site.literalStart, end: site.literalEnd + 1 } };
  // A hover far down a (1000 × 1000) literal would walk 10 MB from its start on every hover: find
  // the row by binary search over the row starts (one walk, on the first hover), then walk only
  // inside that row.
  let starts = entry.rowStarts?.get(site.id);
  if (!starts) {
    starts = topLevelStarts(text, site.literalStart, site.literalEnd, lang);
    (entry.rowStarts ??= new Map()).set(site.id, starts);
    grew();
  }
  const first = starts[0];
  if (first === undefined || offset < first) return { element: 0, span: null };
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  const path = indexPathAt(text, starts[lo]!, offset, lang);
  const n = lo;
  if (site.shape.length === 2 || p.S === 1) {
    // Every offset from this row's start to the next row's (or past the literal's end) finds this row.
    const span = site.shape.length === 2 ? { start: starts[lo]!, end: starts[lo + 1] ?? site.literalEnd + 1 } : null;
    return { element: Math.min(n, p.N - 1), span };
  }
  // (N, C, d1, …): the spatial index is below the class index; path[0] is the class.
  let s = 0;
  for (let d = 2; d < site.shape.length; d++) s = s * site.shape[d]! + (path[d - 1] ?? 0);
  return { element: Math.min(n * p.S + s, p.N * p.S - 1), span: null };
}
