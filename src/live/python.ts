/**
 * Live inspection of a paused Python program (debugpy): installs the helper once per process,
 * asks it to prepare the loss's tensors, pulls them in chunks, and builds the kernel request.
 */
import type { LossRequest, NdArray, Reduction } from '../core/types';
import type { ArgExpr } from './lossCall';
import {
  firstPaintAboveBytes,
  firstPaintWaitMs,
  mib,
  reducedInfo,
  settledWithin,
  toNumber,
  type ProgressiveOptions,
  type ReductionReply,
  type ReadOptions,
} from './channel';
import { fetchRowsWith, HelperChannel, nd, rowsOf, wireJson, type PythonPlan } from './pythonChannel';
import { newJobKey, reduceInSteps, rowsInline, withJob, type StepsReply } from './pythonSteps';
import {
  LiveError,
  firstRowsLabel,
  type CancelToken,
  type DebugSessionLike,
  type LiveFrame,
  type LiveNote,
  type PullLabel,
  type SessionState,
} from './session';
import {
  defaultBudgetBytes,
  defaultChunkBytes,
  defaultInlineBytes,
  unpack,
  unpackFloat32,
  type TransferInfo,
} from './transfer';
import type { LiveReadResult, LiveTensorInfo, ReducedInfo, TensorLocal } from './types';

export type { PythonPlan } from './pythonChannel';

/** The read options of the Python reader: a progressive read's first paint is computed by torch. */
export type PythonReadOptions = ReadOptions & ProgressiveOptions<PythonResult>;

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

interface ReducedReply extends ReductionReply {
  perPosition: TransferInfo;
}

/** One read of a paused call (the same shape for both languages). */
export type PythonResult = LiveReadResult;

function keywordJson(keywords: Record<string, ArgExpr>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(keywords)) {
    if (a.kind === 'literal') out[name] = { literal: a.value };
    else if (a.kind === 'plain') out[name] = wireJson(a.expr);
    else {
      throw new LiveError(
        'not_plain',
        `The option ${name}=${a.text} is not a plain name or literal; it is not evaluated (it could run the program's code).`,
        { id: 'not_plain_option', name, text: a.text },
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

/** Reads the loss's tensors from the paused frame (see the module comment). */
export async function readPython(
  session: DebugSessionLike,
  state: SessionState,
  frame: LiveFrame,
  plan: PythonPlan,
  options: PythonReadOptions = {},
): Promise<PythonResult> {
  const ch = new HelperChannel(session, state, frame, options.token);
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
  // Over the budget in steps, the job in the program starts with prepare; a failed prepare stops it.
  const job = progressive || options.stepped ? newJobKey() : undefined;
  const reply = await withJob(ch, job, () =>
    ch.call<PrepareReply>(
      {
        op: 'prepare',
        ...(job === undefined ? {} : { job }),
        ...pair,
        programLoss: plan.programLoss ? wireJson(plan.programLoss) : null,
        half: options.halfWire ?? true,
        budget,
        inline,
        topK: options.topK ?? 8,
        first: progressive ? Math.max(1, options.firstRows ?? 1) : 0,
        ...(progressive ? { look: options.lookAt ?? [0] } : options.stepped ? { look: [] } : {}),
        ...(options.reduceBlockRows ? { block: options.reduceBlockRows } : {}),
      },
      'prepare',
    ),
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
  const label: PullLabel = { id: 'tensor', name: plan.input.text, shape: input.shape, dtype: input.dtype };
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
  const result = (request: LossRequest, reduced: ReducedInfo | null, extra: LiveNote[]): PythonResult => ({
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
      const rows = rowsOf(unpack(f.rows, await ch.pull(f.rows, options, firstRowsLabel)));
      const shown = options.onFirstPaint(
        result({ ...base, ...rows, weight: first.weight }, reducedInfo(f, first.losses), [
          { id: 'first_rows', count: f.top.length, rows: f.top.join(', '), positions: f.positions, by: 'torch' },
        ]),
      );
      if (shown instanceof Promise) await settledWithin(shown, options.firstPaintWaitMs ?? firstPaintWaitMs);
    }
    // A float32 (or bfloat16, float16) input stays float32: exact, and the kernel reads it as it is;
    // float32 elements are decoded straight into the array's own buffer.
    const entry = dtype === 'float32' ? reply.transfer.layout.find((e) => e.name === 'input') : undefined;
    const bytes = await ch.pull(reply.transfer, options, label, entry);
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
  } else if (reply.mode === 'reduced' && reply.steps) {
    const { onFirstPaint } = options;
    const steps = reply.steps;
    const stepped = await withJob(ch, job, () =>
      reduceInSteps(
        ch,
        plan,
        pair,
        steps,
        reply.input.numel,
        options,
        onFirstPaint &&
          ((rows, reduced, weight) =>
            onFirstPaint(
              result({ ...base, ...rows, weight }, reduced, [
                {
                  id: 'over_budget_first',
                  ...overBudget(plan, xBytes(input, dtype), budget),
                  count: rows.target.shape[0] ?? 0,
                },
              ]),
            )),
        job ?? newJobKey(),
      ),
    );
    req = { ...base, ...stepped.rows, weight: stepped.weight };
    reduced = stepped.reduced;
    notes.push({ id: 'over_budget_steps', ...overBudget(plan, xBytes(input, dtype), budget), top: stepped.top });
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
    notes.push({ id: 'over_budget_reduced', ...overBudget(plan, xBytes(input, dtype), budget), top: r.top.length });
  } else {
    throw new LiveError('bad_envelope', `Unknown transfer mode ${String(reply.mode)}.`);
  }
  return result(req, reduced, []);
}

function xBytes(input: LiveTensorInfo, dtype: 'float32' | 'float64'): number {
  return input.shape.reduce((a, b) => a * b, 1) * (dtype === 'float64' ? 8 : 4);
}

/** The values of an over-the-budget note: the input's name, its size and the budget (MiB). */
function overBudget(plan: PythonPlan, bytes: number, budget: number): { name: string; mib: string; budgetMib: string } {
  return { name: plan.input.text, mib: mib(bytes), budgetMib: mib(budget) };
}

/** The per-row losses (and the weight) a reduction in the program sent. */
async function reducedParts(
  ch: HelperChannel,
  r: ReducedReply,
  options: ReadOptions,
): Promise<{ losses: Float64Array; weight: NdArray | null }> {
  const per = unpack(r.perPosition, await ch.pull(r.perPosition, options, { id: 'row_losses' }));
  const losses = per.get('losses');
  if (!losses) throw new LiveError('bad_envelope', 'The reduction sent no per-row losses.');
  const w = per.get('weight');
  return { losses: losses.data, weight: w ? nd(w.data, w.entry.shape, false) : null };
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
  const ch = new HelperChannel(session, state, frame, options.token);
  const inline = Math.min(options.inlineBytes ?? defaultInlineBytes, options.chunkBytes ?? defaultChunkBytes);
  return fetchRowsWith(ch, plan, positions, options, inline);
}

/** Tensor-valued locals of the frame (and tensors inside dict locals), for the user to pick from. */
export async function pythonTensorLocals(
  session: DebugSessionLike,
  state: SessionState,
  frame: LiveFrame,
  token?: CancelToken,
): Promise<TensorLocal[]> {
  const ch = new HelperChannel(session, state, frame, token);
  const r = await ch.call<{ locals: (HelperTensor & { expression: string })[] }>({ op: 'locals' }, 'locals');
  return r.locals.map((l) => ({
    expression: l.expression,
    kind: l.kind,
    shape: l.shape,
    dtype: l.dtype,
    device: l.device,
  }));
}

function conversionNotes(input: LiveTensorInfo, target: LiveTensorInfo): LiveNote[] {
  const notes: LiveNote[] = [];
  if (input.dtype === 'bfloat16' || input.dtype === 'float16') {
    notes.push({ id: 'widened', name: input.expression, dtype: input.dtype });
  }
  for (const t of [input, target]) {
    if (t.device !== 'cpu' && t.device !== 'js') notes.push({ id: 'device', name: t.expression, device: t.device });
    if (t.requiresGrad) notes.push({ id: 'requires_grad', name: t.expression });
    if (!t.contiguous) notes.push({ id: 'not_contiguous', name: t.expression });
  }
  return notes;
}
