/**
 * Analysis: detection composed with the kernel. Detection (src/core/detection) reads the text and
 * returns each pair as the kernel request the code's loss is, with claims bound to what they
 * claim; this module runs the kernel on each request, judges the claims against the results,
 * and returns the DocumentAnalysis the editor, the worker and the CLI show. Pure and
 * synchronous. Throws only DetectionCancelled (when `isCancelled` says so); everything else in
 * the text becomes a finding.
 */
import { detectNotebook, detectText } from '../detection';
import {
  defaultMaxLiteralElements,
  type AnalyzeOptions,
  type Detection,
  type DocumentAnalysis,
  type Finding,
  type NotebookCellInput,
  type PairAnalysis,
} from '../detection/types';
import { DetectionCancelled } from '../detection';
import { computePair } from './computePairs';
import { judgeClaims } from './judgeClaims';

export { DetectionCancelled } from '../detection';

/**
 * Runs the kernel on every detected pair and judges every claim. `isCancelled` is asked before
 * each pair's kernel run too (a document of many large literals stops between them).
 */
export function analyzeDetection(
  detection: Detection,
  opts: Pick<AnalyzeOptions, 'maxElements' | 'isCancelled'> = {},
): DocumentAnalysis {
  const maxElements = opts.maxElements ?? defaultMaxLiteralElements;
  const pairs: PairAnalysis[] = [];
  const byId = new Map<number, PairAnalysis>();
  const findings: Finding[] = detection.findings.slice();
  for (const pair of detection.pairs) {
    if (opts.isCancelled?.()) throw new DetectionCancelled();
    const computed = computePair(pair, maxElements, (id) => byId.get(id));
    byId.set(pair.id, computed.analysis);
    pairs.push(computed.analysis);
    findings.push(...computed.findings);
  }
  const judged = judgeClaims(detection.claims, pairs);
  findings.push(...judged.findings);
  findings.sort((a, b) => (a.cell ?? 0) - (b.cell ?? 0) || a.start - b.start);
  return { language: detection.language, arrays: detection.arrays, pairs, claims: judged.claims, findings };
}

/**
 * Analyses one document: finds arrays, pairs them (loss calls first, then names), computes each
 * pair's loss with the kernel, and judges the claims the text makes. Notebook (.ipynb) positions
 * are relative to each cell's source, with `cell` set.
 */
export function analyzeText(text: string, opts: AnalyzeOptions = {}): DocumentAnalysis {
  return analyzeDetection(detectText(text, opts), opts);
}

/** Analyses notebook cells in order as one program (see {@link detectNotebook}). */
export function analyzeNotebook(
  cells: NotebookCellInput[],
  opts: Omit<AnalyzeOptions, 'fileName' | 'languageId'> & { language?: 'python' | 'javascript' } = {},
): DocumentAnalysis {
  return analyzeDetection(detectNotebook(cells, opts), opts);
}
