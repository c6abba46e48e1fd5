/**
 * Live inspection of a paused Python program (debugpy): installs the helper once per process,
 * asks it to prepare the loss's tensors, pulls them in chunks, and builds the kernel request.
 */
import { topIndices } from '../core/kernel/topK';
import { catRows } from '../core/rows';
import type { LossRequest, NdArray, Reduction } from '../core/types';
import type { ArgExpr, PlainExpr } from './lossCall';
import { callExpression, helperModuleName, installExpression } from './pythonHelper';
import {
  EvalChannel,
  firstPaintAboveBytes,
  firstPaintWaitMs,
  pullBuffer,
  reducedInfo,
  settledWithin,
  toNumber,
  type ProgressiveOptions,
  type ReductionReply,
  type ReadOptions,
} from './channel';
import { LiveError, type DebugSessionLike, type LiveFrame, type SessionState } from './session';
import {
  defaultBudgetBytes,
  defaultChunkBytes,
  defaultInlineBytes,
  openEnvelope,
  unpack,
  unpackFloat32,
  type TransferInfo,
} from './transfer';
import type { LiveTensorInfo, OptionSource, ProgramLoss, ReducedInfo, TensorLocal } from './types';

/** Sessions whose debuggee already has the helper (a new process means a new session). */
const installed = new WeakMap<DebugSessionLike, true>();

/** The read options of the Python reader: a progressive read's first paint is computed by torch. */
export type PythonReadOptions = ReadOptions & ProgressiveOptions<PythonResult>;

/** What the Python side reads for one inspection. */
export interface PythonPlan {
  callee: PlainExpr | null;
  construct: PlainExpr | null;
  input: PlainExpr;
  target: PlainExpr;
  keywords: Record<string, ArgExpr>;
  /** The variable the program stores its loss in, read only when the loss line already ran. */
  programLoss: PlainExpr | null;
}

interface HelperTensor {
  kind: string;
  shape: number[];
  dtype: string;
  device: string;
  requiresGrad: boolean;
  contiguous: boolean;
  numel: number;
}

interface PrepareReply {
  criterion: { kind: 'logits' | 'log_probs'; source: string; name?: string };
  input: HelperTensor;
  target: HelperTensor;
  weight: HelperTensor | null;
  options: { ignore_index: number; reduction: Reduction; label_smoothing: number };
  optionSources: Record<string, 'criterion' | 'call'>;
  programLoss: { value: number | string; dtype: string; device: string; text?: string } | null;
  mode: 'full' | 'reduced';
  transfer?: TransferInfo;
  reduced?: ReducedReply;
  /** A progressive read's first paint: the reduction, with its top rows inline. */
  first?: ReducedReply & { rows: TransferInfo };
  /** A progressive read over the budget: the rows looked at, and the reduction's steps to come. */
  steps?: StepsReply;
}

interface StepsReply {
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
}

interface ReducedReply extends ReductionReply {
  perPosition: TransferInfo;
}

export interface PythonResult {
  request: LossRequest;
  input: LiveTensorInfo;
  target: LiveTensorInfo;
  weight: LiveTensorInfo | null;
  criterion: string;
  optionSources: Partial<Record<'weight' | 'ignore_index' | 'reduction' | 'label_smoothing', OptionSource>>;
  programLoss: ProgramLoss | null;
  reduced: ReducedInfo | null;
  notes: string[];
  bytes: number;
  requests: number;
}

/** The helper's side of a channel: installs it once per process, calls it, pulls its buffers. */
class HelperChannel extends EvalChannel {
  private evaluatePy(expression: string): Promise<string> {
    return this.evaluate(expression, 'watch', { rawString: true });
  }

  async install(): Promise<void> {
    if (installed.has(this.session)) return;
    const answer = await this.evaluatePy(installExpression());
    if (answer !== 'installed' && answer !== 'present') {
      throw new LiveError('evaluation_failed', `Installing the helper failed: ${answer.slice(0, 300)}`);
    }
    installed.set(this.session, true);
  }

  /** One helper call; reinstalls once if the process lost the helper (a restarted debuggee). */
  async call<T extends object>(req: object, what: string): Promise<T> {
    await this.install();
    try {
      return openEnvelope<T>(await this.evaluatePy(callExpression(req)), what);
    } catch (err) {
      const missing =
        err instanceof LiveError && err.code === 'evaluation_failed' && err.message.includes(helperModuleName);
      if (!missing) throw err;
      installed.delete(this.session);
      await this.install();
      return openEnvelope<T>(await this.evaluatePy(callExpression(req)), what);
    }
  }

  async pull(info: TransferInfo, options: ReadOptions, label: string): Promise<Uint8Array> {
    let released = false;
    try {
      return await pullBuffer(
        info,
        async (offset, size) => {
          // The last chunk releases the debuggee's copy (the helper serves requests in order).
          const last = offset + size >= info.bytes;
          const r = await this.call<{ data: string; offset: number }>(
            { op: 'chunk', id: info.id, offset, size, ...(last ? { release: true } : {}) },
            'chunk',
          );
          if (last) released = true;
          if (r.offset !== offset) throw new LiveError('bad_envelope', `Chunk offset ${r.offset} ≠ ${offset}.`);
          return r.data;
        },
        options,
        label,
      );
    } finally {
      if (info.id !== undefined && !released) {
        // Free the debuggee's copy; a failure here (program moved on) changes nothing for the user.
        await this.call({ op: 'release', id: info.id }, 'release').catch(() => undefined);
      }
    }
  }
}

const wireJson = (e: PlainExpr) => ({
  root: e.root,
  steps: e.steps,
  ops: e.ops.map(([n, a]) => [n, a.map(argJson)]),
  text: e.text,
});
const argJson = (a: number | PlainExpr): unknown => (typeof a === 'number' ? a : wireJson(a));

function keywordJson(keywords: Record<string, ArgExpr>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(keywords)) {
    if (a.kind === 'literal') out[name] = { literal: a.value };
    else if (a.kind === 'plain') out[name] = wireJson(a.expr);
    else {
      throw new LiveError(
        'not_plain',
        `The option ${name}=${a.text} is not a plain name or literal; it is not evaluated (it could run the program's code).`,
      );
    }
  }
  return out;
}

function info(t: HelperTensor, expression: string): LiveTensorInfo {
  return {
    expression,
    kind: t.kind,
    shape: t.shape,
    dtype: t.dtype,
    device: t.device,
    requiresGrad: t.requiresGrad,
    contiguous: t.contiguous,
  };
}

function nd(data: Float64Array, shape: number[], integral: boolean): NdArray {
  return { data, shape, integral };
}

function mib(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

/** Reads the loss's tensors from the paused frame (see the module comment). */
export async function readPython(
  session: DebugSessionLike,
  state: SessionState,
  frame: LiveFrame,
  plan: PythonPlan,
  options: PythonReadOptions = {},
): Promise<PythonResult> {
  const ch = new HelperChannel(session, state, frame);
  const budget = options.budgetBytes ?? defaultBudgetBytes;
  const progressive = options.onFirstPaint !== undefined;
  const inline = Math.min(
    options.inlineBytes ?? defaultInlineBytes,
    options.chunkBytes ?? defaultChunkBytes,
    progressive ? (options.firstPaintAboveBytes ?? firstPaintAboveBytes) : Infinity,
  );
  const callee = plan.construct
    ? { constructor: wireJson(plan.construct), text: plan.construct.text }
    : plan.callee
      ? wireJson(plan.callee)
      : null;
  const pair = {
    callee,
    input: wireJson(plan.input),
    target: wireJson(plan.target),
    keywords: keywordJson(plan.keywords),
  };
  const reply = await ch.call<PrepareReply>(
    {
      op: 'prepare',
      ...pair,
      programLoss: plan.programLoss ? wireJson(plan.programLoss) : null,
      half: options.halfWire ?? true,
      budget,
      inline,
      topK: options.topK ?? 8,
      first: progressive ? Math.max(1, options.firstRows ?? 1) : 0,
      ...(progressive ? { look: options.lookAt ?? [0] } : {}),
      ...(options.reduceBlockRows ? { block: options.reduceBlockRows } : {}),
    },
    'prepare',
  );
  const input = info(reply.input, plan.input.text);
  const target = info(reply.target, plan.target.text);
  const weightInfo = reply.weight ? info(reply.weight, 'weight') : null;
  const notes = conversionNotes(input, target);
  const dtype = reply.input.dtype === 'float64' ? 'float64' : 'float32';
  const base = {
    ignoreIndex: reply.options.ignore_index,
    reduction: reply.options.reduction,
    labelSmoothing: reply.options.label_smoothing,
    dtype,
    inputKind: reply.criterion.kind,
  } as const;
  const label = `${plan.input.text} (${input.shape.join(', ')}) ${input.dtype}`;
  const programLoss = reply.programLoss
    ? {
        expression: reply.programLoss.text ?? plan.programLoss?.text ?? 'loss',
        value: toNumber(reply.programLoss.value),
        dtype: reply.programLoss.dtype,
        device: reply.programLoss.device,
      }
    : null;
  const optionSources: PythonResult['optionSources'] = {};
  for (const k of ['weight', 'ignore_index', 'reduction', 'label_smoothing'] as const) {
    optionSources[k] = reply.optionSources[k] ?? 'default';
  }
  const result = (request: LossRequest, reduced: ReducedInfo | null, extra: string[]): PythonResult => ({
    request,
    input,
    target,
    weight: weightInfo,
    criterion: reply.criterion.name ?? 'cross_entropy',
    optionSources,
    programLoss,
    reduced,
    notes: [...notes, ...extra],
    bytes: ch.bytes,
    requests: ch.requests,
  });
  let req: LossRequest;
  let reduced: ReducedInfo | null = null;
  if (reply.mode === 'full' && reply.transfer) {
    if (reply.first && options.onFirstPaint) {
      // Everything of the first paint came inline: nothing here waits for the adapter.
      const f = reply.first;
      const first = await reducedParts(ch, f, options);
      const rows = rowsOf(unpack(f.rows, await ch.pull(f.rows, options, 'rows')));
      const shown = options.onFirstPaint(
        result({ ...base, ...rows, weight: first.weight }, reducedInfo(f, first.losses), [
          `The first ${f.top.length === 1 ? 'row' : `${f.top.length} rows`} read ` +
            `(${f.top.join(', ')}, the highest loss) and the loss of every row, computed in the program by torch; ` +
            `all ${f.positions} rows follow.`,
        ]),
      );
      if (shown instanceof Promise) await settledWithin(shown, firstPaintWaitMs);
    }
    const bytes = await ch.pull(reply.transfer, options, label);
    // A float32 (or bfloat16, float16) input stays float32: exact, and the kernel reads it as it is.
    const { parts, float32 } = unpackFloat32(reply.transfer, bytes, dtype === 'float32' ? 'input' : null);
    const x = float32 ?? parts.get('input');
    const y = parts.get('target');
    const w = parts.get('weight');
    if (!x || !y) throw new LiveError('bad_envelope', 'The transfer has no input or target.');
    req = {
      ...base,
      input: { data: x.data, shape: x.entry.shape, integral: false },
      target: nd(y.data, y.entry.shape, y.entry.wire === 'i8' || y.entry.wire === 'i4'),
      weight: w ? nd(w.data, w.entry.shape, false) : null,
    };
  } else if (reply.mode === 'reduced' && reply.steps && options.onFirstPaint) {
    const stepped = await reduceInSteps(
      ch,
      plan,
      pair,
      reply.steps,
      reply.input.numel,
      options,
      (rows, reduced, weight) =>
        options.onFirstPaint?.(
          result({ ...base, ...rows, weight }, reduced, [
            `${overBudget(plan, xBytes(input, dtype), budget)} The ${rows.target.shape[0] === 1 ? 'row' : 'rows'} you look at ` +
              `came first; the loss of every row is being computed in the program by torch, in steps.`,
          ]),
        ),
    );
    req = { ...base, ...stepped.rows, weight: stepped.weight };
    reduced = stepped.reduced;
    notes.push(
      `${overBudget(plan, xBytes(input, dtype), budget)} The loss of every row was computed in the program by ` +
        `torch, and only the rows you looked at and the ${stepped.top} with the highest loss were fetched.`,
    );
  } else if (reply.mode === 'reduced' && reply.reduced) {
    const r = reply.reduced;
    const { losses, weight: w } = await reducedParts(ch, r, options);
    // topK 0 (the hover): the per-row losses only, no row crosses the adapter.
    const rows =
      r.top.length > 0
        ? await fetchRowsWith(ch, plan, r.top, options, rowsInline(options))
        : {
            input: nd(new Float64Array(0), [0, input.shape[1] ?? 0], false),
            target: nd(new Float64Array(0), [0], true),
          };
    req = { ...base, input: rows.input, target: rows.target, weight: w };
    reduced = reducedInfo(r, losses);
    notes.push(
      `${plan.input.text} is ${mib(xBytes(input, dtype))}, over the ${mib(budget)} transfer budget: the loss of every row was ` +
        `computed in the program, and only the ${r.top.length} rows with the highest loss were fetched.`,
    );
  } else {
    throw new LiveError('bad_envelope', `Unknown transfer mode ${String(reply.mode)}.`);
  }
  return result(req, reduced, []);
}

function xBytes(input: LiveTensorInfo, dtype: 'float32' | 'float64'): number {
  return input.shape.reduce((a, b) => a * b, 1) * (dtype === 'float64' ? 8 : 4);
}

function overBudget(plan: PythonPlan, bytes: number, budget: number): string {
  return `${plan.input.text} is ${mib(bytes)}, over the ${mib(budget)} transfer budget.`;
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
function rowsInline(options: ReadOptions): number {
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
async function reduceInSteps(
  ch: HelperChannel,
  plan: PythonPlan,
  pair: object,
  s: StepsReply,
  numel: number,
  options: PythonReadOptions,
  paint: (rows: { input: NdArray; target: NdArray }, reduced: ReducedInfo, weight: NdArray | null) => unknown,
): Promise<{ rows: { input: NdArray; target: NdArray }; weight: NdArray | null; reduced: ReducedInfo; top: number }> {
  const terms = unpack(s.terms, await ch.pull(s.terms, options, 'row losses'));
  const looked = terms.get('losses');
  if (!looked || looked.data.length !== s.look.length) {
    throw new LiveError('bad_envelope', 'The first rows came without their loss terms.');
  }
  const w = terms.get('weight');
  const weight = w ? nd(w.data, w.entry.shape, false) : null;
  const first = rowsOf(unpack(s.rows, await ch.pull(s.rows, options, 'rows')));
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
  paint(first, pending(s.look), weight);
  const perSample = s.positions / Math.max(1, s.samples);
  const elements = numel / Math.max(1, s.samples);
  const block = Math.max(1, s.block);
  const fixed = options.reduceStepElements !== undefined && options.reduceStepMs === undefined;
  let blocks = Math.max(1, Math.floor((options.reduceStepElements ?? reduceStepElements) / (block * elements)));
  let num: number | string = 0;
  let den: number | string = 0;
  let loss: number | string | undefined;
  for (let from = 0, to = 0; from < s.samples; from = to) {
    if (options.token?.isCancellationRequested) throw new LiveError('cancelled', 'Cancelled.');
    to = Math.min(s.samples, from + blocks * block);
    const t0 = performance.now();
    const r: ReduceStepReply = await ch.call<ReduceStepReply>(
      { op: 'reduce', ...pair, from, to, num, den, block },
      'reduce',
    );
    if (!fixed) blocks = nextStepBlocks(blocks, performance.now() - t0, options.reduceStepMs);
    if (r.from !== from || r.to !== to)
      throw new LiveError('bad_envelope', `Reduced samples ${r.from}–${r.to}, not ${from}–${to}.`);
    const part = unpack(r.losses, await ch.pull(r.losses, options, 'row losses')).get('losses');
    if (!part || part.data.length !== (to - from) * perSample) {
      throw new LiveError('bad_envelope', `Step ${from}–${to} sent ${part?.data.length ?? 0} row losses.`);
    }
    positionLosses.set(part.data, from * perSample);
    num = r.numerator;
    den = r.denominator;
    loss = r.loss;
    options.progress?.({
      done: to,
      total: s.samples,
      message: `the loss of every row, computed in the program: ${to} of ${s.samples} samples`,
    });
  }
  if (loss === undefined) throw new LiveError('bad_envelope', 'The last step of the reduction sent no loss.');
  if (options.token?.isCancellationRequested) throw new LiveError('cancelled', 'Cancelled.');
  const seen = new Set(s.look);
  const top = topIndices(positionLosses, options.topK ?? 8).filter((p) => !seen.has(p));
  const more = top.length > 0 ? await fetchRowsWith(ch, plan, top, options, rowsInline(options)) : null;
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

/** The per-row losses (and the weight) a reduction in the program sent. */
async function reducedParts(
  ch: HelperChannel,
  r: ReducedReply,
  options: ReadOptions,
): Promise<{ losses: Float64Array; weight: NdArray | null }> {
  const per = unpack(r.perPosition, await ch.pull(r.perPosition, options, 'per-row losses'));
  const losses = per.get('losses');
  if (!losses) throw new LiveError('bad_envelope', 'The reduction sent no per-row losses.');
  const w = per.get('weight');
  return { losses: losses.data, weight: w ? nd(w.data, w.entry.shape, false) : null };
}

function rowsOf(parts: ReturnType<typeof unpack>): { input: NdArray; target: NdArray } {
  const x = parts.get('input');
  const y = parts.get('target');
  if (!x || !y) throw new LiveError('bad_envelope', 'The row transfer has no input or target.');
  return { input: nd(x.data, x.entry.shape, false), target: nd(y.data, y.entry.shape, true) };
}

async function fetchRowsWith(
  ch: HelperChannel,
  plan: PythonPlan,
  positions: number[],
  options: PythonReadOptions,
  inline: number,
): Promise<{ input: NdArray; target: NdArray }> {
  const reply = await ch.call<{ transfer: TransferInfo }>(
    {
      op: 'rows',
      input: wireJson(plan.input),
      target: wireJson(plan.target),
      positions,
      inline,
      half: options.halfWire ?? true,
    },
    'rows',
  );
  const bytes = await ch.pull(reply.transfer, options, `${positions.length} rows of ${plan.input.text}`);
  return rowsOf(unpack(reply.transfer, bytes));
}

/** Rows (positions) of an input that was over the budget, fetched on demand (e.g. the selected row). */
export async function readPythonRows(
  session: DebugSessionLike,
  state: SessionState,
  frame: LiveFrame,
  plan: PythonPlan,
  positions: number[],
  options: PythonReadOptions = {},
): Promise<{ input: NdArray; target: NdArray }> {
  const ch = new HelperChannel(session, state, frame);
  const inline = Math.min(options.inlineBytes ?? defaultInlineBytes, options.chunkBytes ?? defaultChunkBytes);
  return fetchRowsWith(ch, plan, positions, options, inline);
}

/** Tensor-valued locals of the frame (and tensors inside dict locals), for the user to pick from. */
export async function pythonTensorLocals(
  session: DebugSessionLike,
  state: SessionState,
  frame: LiveFrame,
): Promise<TensorLocal[]> {
  const ch = new HelperChannel(session, state, frame);
  const r = await ch.call<{ locals: (HelperTensor & { expression: string })[] }>({ op: 'locals' }, 'locals');
  return r.locals.map((l) => ({
    expression: l.expression,
    kind: l.kind,
    shape: l.shape,
    dtype: l.dtype,
    device: l.device,
  }));
}

function conversionNotes(input: LiveTensorInfo, target: LiveTensorInfo): string[] {
  const notes: string[] = [];
  if (input.dtype === 'bfloat16' || input.dtype === 'float16') {
    notes.push(
      `${input.expression} is ${input.dtype}: its values were widened exactly to float32 for this breakdown, ` +
        `while torch computed the program's loss in ${input.dtype}, so that number was rounded to ${input.dtype}.`,
    );
  }
  for (const t of [input, target]) {
    if (t.device !== 'cpu' && t.device !== 'js') {
      notes.push(`${t.expression} lives on ${t.device}: it was converted there, then copied to the CPU.`);
    }
    if (t.requiresGrad) {
      notes.push(`${t.expression} requires grad: it was read detached, so the program's autograd graph is untouched.`);
    }
    if (!t.contiguous) notes.push(`${t.expression} is not contiguous (a view): a contiguous copy was read.`);
  }
  return notes;
}
