/**
 * The cross-entropy kernel: pure TypeScript on typed arrays, no Node or editor imports, so the
 * same code runs in vitest, worker_threads, the CLI and (later) a browser Web Worker.
 */
import { toErrorInfo } from '../errors';
import type { ErrorInfo, LossRequest } from '../types';
import { crossEntropy, type LossResult } from './crossEntropy';
import { defaultMaxElements, prepare, type Prepared } from './prepare';

export {
  crossEntropy,
  crossEntropySteps,
  gradient,
  gradientRow,
  reReduce,
  type CrossEntropyOptions,
  type LossResult,
  type StepsResult,
} from './crossEntropy';
export { prepare, defaultMaxElements, type Prepared, type Floats } from './prepare';
export { inputOf, preparedBytes } from './input';
export { setRowRunner, getRowRunner, type RowRunner, type RowJob } from './wasmKernel';
export {
  sampleBreakdown,
  sampleLists,
  sampleRow,
  SampleRowBuilder,
  type SampleLists,
  type SampleRow,
  reductionBreakdown,
  positionOf,
  type SampleBreakdown,
  type ReductionBreakdown,
} from './breakdown';
export { fastExpNonPositive } from './fastExp';
export { binnedSoftmax } from './binnedSoftmax';
export { allRowStatistics, crossEntropyFromRowStats, RowStatisticsPass } from './rowStats';

export interface ComputeOptions {
  /** Also compute d loss / d input. */
  grad?: boolean;
  /** Largest input accepted, in elements. Default 50 million. */
  maxElements?: number;
}

export type ComputeOutcome = { ok: true; prepared: Prepared; result: LossResult } | { ok: false; error: ErrorInfo };

/**
 * Validates and evaluates one request; errors are returned as values, never thrown. The input is
 * assumed to be used once: a large float32 input's forward reads the request's float64 array
 * directly instead of making a float32 copy (see input.ts).
 */
export function computeLoss(req: LossRequest, options: ComputeOptions = {}): ComputeOutcome {
  try {
    const prepared = prepare(req, options.maxElements ?? defaultMaxElements);
    return { ok: true, prepared, result: crossEntropy(prepared, !!options.grad, { oneShot: true }) };
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  }
}
export { topKClasses } from './topK';
