/**
 * Over the budget, progressively: the reduction of every row in the program, in steps the bridge
 * can stop between, computed by a job in a thread of the helper's (pythonHelperJob.ts) so that a
 * cancel stops the program's work too, not only the requests.
 */
import { topIndices } from '../core/kernel/topK';
import { catRows } from '../core/rows';
import type { NdArray } from '../core/types';
import { toNumber, type ReadOptions } from './channel';
import { fetchRowsWith, nd, rowsOf, type HelperChannel, type PythonPlan } from './pythonChannel';
import { LiveError, cancelledError, firstRowsLabel } from './session';
import { defaultChunkBytes, unpack, type TransferInfo } from './transfer';
import type { ReducedInfo } from './types';

export interface StepsReply {
  positions: number;
  /** Samples of the input (positions are samples × the K-dimensional positions of each). */
  samples: number;
  /** Samples a block of the reduction holds; a step is a whole number of blocks. */
  block: number;
  look: number[];
  /** The looked-at rows' loss terms computed in the program (and the weight). */
  terms: TransferInfo;
  rows: TransferInfo;
}

interface ReduceStepReply {
  from: number;
  to: number;
  numerator: number | string;
  denominator: number | string;
  losses: TransferInfo;
  /** The batch's loss, on the last step. */
  loss?: number | string;
  /** On the last step of a job: the positions with the highest loss not read yet, highest first. */
  top?: number[];
  /** Their rows, packaged as a `rows` request's are. */
  rows?: TransferInfo;
}

/**
 * How long one step waits in the program for the job to reach the samples it asks for before it
 * answers with what is done: a cancel queues behind at most this (debugpy's adapter forwards one
 * request at a time), and the job stops at the block it is in when the cancel arrives.
 */
export const stepWaitMs = 250;

/** Jobs started by this bridge, for a key no other read has. */
let jobs = 0;

/** A key for a new job in the program: its thread computes ahead of the steps, which wait on it. */
export function newJobKey(): string {
  return `${Date.now().toString(36)}.${(jobs++).toString(36)}`;
}

/**
 * Runs `read` (the prepare request that starts job `job`, then its steps) and, when it fails —
 * cancelled, the program moved on, a bad reply — stops the job in the program at once, without
 * waiting (a job nobody asks for stops by itself within its lease, should this not get through).
 */
export async function withJob<T>(ch: HelperChannel, job: string | undefined, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (job !== undefined) ch.cleanup({ op: 'cancel', job });
    throw err;
  }
}

/**
 * Elements of the input the first step of a reduction in the program covers. Later steps are sized
 * from the time the previous one took (see {@link nextStepBlocks}), unless the read fixes the size.
 */
export const reduceStepElements = 48 << 20;

/** The time one step of a reduction aims at: cancel acts within about this, and each step costs a round trip. */
export const reduceStepMs = 500;

/**
 * Blocks the next step of a reduction covers, from the `blocks` of the step that took `ms`: about
 * {@link reduceStepMs} at the pace measured, at most four times the last step. Each step costs a
 * request (40–100 ms of fixed cost through debugpy here, whatever its size), and since the
 * reduction became ten times faster, steps of a fixed 48 M elements took 45–60 ms of torch each:
 * 9 steps for 411 M bfloat16 logits spent about half their time on requests.
 */
export function nextStepBlocks(blocks: number, ms: number, target = reduceStepMs): number {
  return Math.max(1, Math.min(blocks * 4, Math.floor((blocks * target) / Math.max(1e-3, ms))));
}

/**
 * The rows fetched after a reduction come inline up to one chunk (what one chunk reply would
 * carry anyway): the top 8 rows of 50 257 bfloat16 classes (804 KB) were a reply describing them,
 * then one chunk, two requests instead of one.
 */
export function rowsInline(options: ReadOptions): number {
  return options.inlineBytes ?? options.chunkBytes ?? defaultChunkBytes;
}

/**
 * Over the budget, progressively: the rows the user looks at are painted at once (with their
 * loss terms computed in the program), then the loss of every row is computed in the program in
 * steps of whole blocks, one request each, with progress and a cancel check between them; the
 * float64 sums travel from step to step, so the batch's loss is the one-shot reduction's to the
 * bit. Steps after the first are sized from the pace measured ({@link nextStepBlocks}). Last, the
 * rows with the highest loss are fetched.
 */
export async function reduceInSteps(
  ch: HelperChannel,
  plan: PythonPlan,
  pair: object,
  s: StepsReply,
  numel: number,
  options: ReadOptions,
  paint:
    ((rows: { input: NdArray; target: NdArray }, reduced: ReducedInfo, weight: NdArray | null) => unknown) | undefined,
  job: string,
): Promise<{ rows: { input: NdArray; target: NdArray }; weight: NdArray | null; reduced: ReducedInfo; top: number }> {
  const terms = unpack(s.terms, await ch.pull(s.terms, options, { id: 'row_losses' }));
  const looked = terms.get('losses');
  if (!looked || looked.data.length !== s.look.length) {
    throw new LiveError('bad_envelope', 'The first rows came without their loss terms.');
  }
  const w = terms.get('weight');
  const weight = w ? nd(w.data, w.entry.shape, false) : null;
  const first = rowsOf(unpack(s.rows, await ch.pull(s.rows, options, firstRowsLabel)));
  const positionLosses = new Float64Array(s.positions).fill(NaN);
  s.look.forEach((p, i) => (positionLosses[p] = looked.data[i]!));
  const pending = (rows: number[]): ReducedInfo => ({
    positions: s.positions,
    rows,
    positionLosses: positionLosses.slice(),
    numerator: NaN,
    denominator: NaN,
    loss: NaN,
    pending: true,
  });
  paint?.(first, pending(s.look), weight);
  const perSample = s.positions / Math.max(1, s.samples);
  const elements = numel / Math.max(1, s.samples);
  const block = Math.max(1, s.block);
  const fixed = options.reduceStepElements !== undefined && options.reduceStepMs === undefined;
  let blocks = Math.max(1, Math.floor((options.reduceStepElements ?? reduceStepElements) / (block * elements)));
  let num: number | string = 0;
  let den: number | string = 0;
  let loss: number | string | undefined;
  let last: ReduceStepReply | undefined;
  const topK = options.topK ?? 8;
  // The last step answers the rows with the highest loss too (see rowsAfterSteps).
  const rowsAsk = { topK, seen: s.look, half: options.halfWire ?? true, inline: rowsInline(options) };
  for (let from = 0, to = 0; from < s.samples; from = to) {
    if (options.token?.isCancellationRequested) throw cancelledError();
    const ask = Math.min(s.samples, from + blocks * block);
    const t0 = performance.now();
    const r: ReduceStepReply = await ch.call<ReduceStepReply>(
      { op: 'reduce', ...pair, from, to: ask, num, den, block, job, wait: stepWaitMs / 1000, ...rowsAsk },
      'reduce',
    );
    // A step the job had not finished within its wait answers what is done: the next one goes on from there.
    if (r.from !== from || r.to < from || r.to > ask)
      throw new LiveError('bad_envelope', `Reduced samples ${r.from}–${r.to}, not ${from}–${ask}.`);
    to = r.to;
    if (!fixed && to === ask) blocks = nextStepBlocks(blocks, performance.now() - t0, options.reduceStepMs);
    const part = unpack(r.losses, await ch.pull(r.losses, options, { id: 'row_losses' })).get('losses');
    if (!part || part.data.length !== (to - from) * perSample) {
      throw new LiveError('bad_envelope', `Step ${from}–${to} sent ${part?.data.length ?? 0} row losses.`);
    }
    positionLosses.set(part.data, from * perSample);
    num = r.numerator;
    den = r.denominator;
    loss = r.loss;
    last = r;
    options.progress?.({ done: to, total: s.samples, reducing: true });
  }
  if (loss === undefined) throw new LiveError('bad_envelope', 'The last step of the reduction sent no loss.');
  if (options.token?.isCancellationRequested) throw cancelledError();
  const seen = new Set(s.look);
  const top = topIndices(positionLosses, topK).filter((p) => !seen.has(p));
  const more = top.length > 0 ? await rowsAfterSteps(ch, plan, top, last, options) : null;
  return {
    rows: more ? { input: catRows(first.input, more.input), target: catRows(first.target, more.target) } : first,
    weight,
    reduced: {
      positions: s.positions,
      rows: [...s.look, ...top],
      positionLosses,
      numerator: toNumber(num),
      denominator: toNumber(den),
      loss: toNumber(loss),
    },
    top: top.length,
  };
}

/**
 * The rows with the highest loss after the last step: those the step carried when they are the
 * ones chosen here from every row's loss (the helper picks them by the same rule from the same
 * float32 terms), else a `rows` request. The step's rows save a request and a second resolution of
 * the input in the program; any difference (a job resumed mid-way has not every term) costs only
 * that request, never a wrong row.
 */
async function rowsAfterSteps(
  ch: HelperChannel,
  plan: PythonPlan,
  top: number[],
  last: ReduceStepReply | undefined,
  options: ReadOptions,
): Promise<{ input: NdArray; target: NdArray }> {
  const carried = last?.top && last.rows && sameList(last.top, top) ? last.rows : null;
  if (!carried) return fetchRowsWith(ch, plan, top, options, rowsInline(options));
  const rows = rowsOf(
    unpack(carried, await ch.pull(carried, options, { id: 'rows', count: top.length, name: plan.input.text })),
  );
  if (rows.target.shape[0] !== top.length) {
    throw new LiveError('bad_envelope', `The last step sent ${rows.target.shape[0] ?? 0} rows, not ${top.length}.`);
  }
  return rows;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
