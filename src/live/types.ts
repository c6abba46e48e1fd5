/**
 * What the live bridge hands back: a kernel request plus what the user needs to trust it (which
 * frame, which expressions, what was converted or reduced on the way). Plain data throughout.
 */
import type { LossRequest, NdArray } from '../core/types';
import type { LiveLanguage, LossCall } from './lossCall';
import type { LiveNote } from './session';

/** One tensor as the debuggee described it before transfer. */
export interface LiveTensorInfo {
  /** The expression it was read from, as written (`outputs.logits`, `batch["labels"]`). */
  expression: string;
  /** `torch`, `numpy`, `Float32Array`, `Array`, `tfjs`, … */
  kind: string;
  shape: number[];
  /** The source dtype: `float32`, `bfloat16`, `int64`, `Float32Array`, … */
  dtype: string;
  /** `cpu`, `cuda:0`, …; `js` for JavaScript values. */
  device: string;
  requiresGrad: boolean;
  contiguous: boolean;
}

/** Where each option came from. */
export type OptionSource = 'criterion' | 'call' | 'default';

/** The program's own loss, read from the variable the loss call assigns. */
export interface ProgramLoss {
  expression: string;
  value: number;
  dtype: string;
  device: string;
}

/** Over the budget: what the debuggee computed and which rows were fetched. */
export interface ReducedInfo {
  /** All positions (rows) of the input. */
  positions: number;
  /** Positions fetched into the request, in request order (top-k by loss, or the user's choice). */
  rows: number[];
  /** Per-position loss terms computed in the debuggee (float32 values), all positions. */
  positionLosses: Float64Array;
  /** The full batch's reduction, computed in the debuggee: numerator / denominator. */
  numerator: number;
  denominator: number;
  loss: number;
  /**
   * A progressive read's first paint over the budget: the batch's loss is still being computed in
   * the program (numerator, denominator and loss are NaN; `positionLosses` holds only `rows`).
   */
  pending?: boolean | undefined;
}

/** What one read of a paused loss call gives, from either language's reader (python.ts, javascript.ts). */
export interface LiveReadResult {
  request: LossRequest;
  input: LiveTensorInfo;
  target: LiveTensorInfo;
  weight: LiveTensorInfo | null;
  criterion: string;
  optionSources: Partial<Record<'weight' | 'ignore_index' | 'reduction' | 'label_smoothing', OptionSource>>;
  programLoss: ProgramLoss | null;
  /** Set on a progressive read's first paint only (the per-row losses computed in the program). */
  reduced: ReducedInfo | null;
  notes: LiveNote[];
  bytes: number;
  requests: number;
}
export interface LiveMeta {
  language: LiveLanguage;
  sessionType: string;
  frame: { name: string; line: number; path?: string | undefined };
  /** The loss call read (0-based line), or null when the user picked both tensors. */
  call: { calleeText: string; line: number; criterion: string } | null;
  /** How the input is read: logits (cross-entropy) or log-probabilities (NLL). */
  input: LiveTensorInfo;
  target: LiveTensorInfo;
  weight: LiveTensorInfo | null;
  optionSources: Partial<Record<'weight' | 'ignore_index' | 'reduction' | 'label_smoothing', OptionSource>>;
  programLoss: ProgramLoss | null;
  reduced: ReducedInfo | null;
  /**
   * What the panel says under the badge (bf16 rounding, CUDA, paused before the line, …), worded
   * by the host in the user's language (src/live/liveNoteText.ts).
   */
  notes: LiveNote[];
  /**
   * A progressive read: `first` is the early outcome (the program's per-row losses and batch loss,
   * and its rows with the highest loss) while the full pull streams; `full` is the read that
   * replaces it, with the time its first paint took.
   */
  progressive?:
    | { phase: 'first'; positions: number; reducing?: boolean | undefined }
    | { phase: 'full'; firstPaintMs: number }
    | undefined;
  /** Bytes that crossed the debug adapter and how many requests carried them. */
  bytes: number;
  requests: number;
  elapsedMs: number;
}

/** A tensor-valued local offered to the user when an argument is not plain. */
export interface TensorLocal {
  /** What would be evaluated when picked, e.g. `logits` or `batch["labels"]`. */
  expression: string;
  kind: string;
  shape: number[];
  dtype: string;
  device: string;
}

export type LiveOutcome =
  | {
      kind: 'ok';
      request: LossRequest;
      meta: LiveMeta;
      /**
       * Over the budget: reads more rows (positions) of the same input from the same stop, for the
       * user's selection; rejects with `stale_frame` once the program moved on.
       */
      fetchRows?: ((positions: number[]) => Promise<{ input: NdArray; target: NdArray }>) | undefined;
    }
  | {
      kind: 'choose';
      /** Which arguments need a pick, and why (their text as written). */
      missing: { role: 'input' | 'target'; text: string }[];
      candidates: TensorLocal[];
      call: LossCall | null;
      frame: { name: string; line: number };
    };
