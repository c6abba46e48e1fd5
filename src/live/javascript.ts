/**
 * Live inspection of a paused JavaScript program (VS Code's js-debug): logits as Float32Array,
 * Float64Array, number[] / number[][] or tfjs tensors (`dataSync()`), targets as Int32Array,
 * number[], a number, or (tfjs `softmaxCrossEntropy`) one-hot labels.
 *
 * Nothing is installed: every request is one self-contained function expression whose arguments
 * are thunks of the user's plain expressions, rebuilt from their parsed form (identifiers and JSON
 * literals only). It keeps no state in the program between requests, so each chunk re-reads its
 * value; while the program is paused that value cannot change. Requests use the `clipboard`
 * context, which js-debug never truncates (`repl` stops at 100 000 characters).
 */
import type { LossRequest, NdArray } from '../core/types';
import { jsSource, type ArgExpr, type CallFlavor, type PlainExpr } from './lossCall';
import {
  EvalChannel,
  firstPaintAboveBytes,
  firstPaintWaitMs,
  pullBuffer,
  reducedInfo,
  settledWithin,
  toNumber,
  type ProgressiveOptions,
  type ReadOptions,
  type ReductionReply,
} from './channel';
import { jsHelper } from './javascriptHelper';
import { LiveError, request, type DebugSessionLike, type LiveFrame, type SessionState } from './session';
import { openEnvelope, unpack, type TransferInfo, type Wire } from './transfer';
import type { LiveTensorInfo, OptionSource, ProgramLoss, ReducedInfo, TensorLocal } from './types';

export interface JsPlan {
  input: PlainExpr;
  target: PlainExpr;
  flavor: CallFlavor;
  keywords: Record<string, ArgExpr>;
  programLoss: PlainExpr | null;
}

/**
 * The read options of the JavaScript reader. A progressive read's first paint (class-index targets
 * only) is computed in the program by the in-program function, in float64 (see javascriptHelper.ts).
 */
export type JsReadOptions = ReadOptions & ProgressiveOptions<JsResult>;

/** The first paint's reply: the reduction, and one inline transfer of its losses, rows and weight. */
interface FirstReply extends ReductionReply {
  transfer: TransferInfo;
}

interface Described {
  kind: string;
  dtype: string;
  shape: number[];
  count: number;
  wire: Wire;
  crc32: number;
}

/** Runs the in-program function on one of the user's plain expressions. */
class JsChannel extends EvalChannel {
  /** `more` is the text of a JavaScript object literal (see javascriptHelper.ts), or null. */
  async run<T extends object>(
    op: string,
    e: PlainExpr,
    a: number,
    b: number,
    wire: Wire | null,
    more: string | null = null,
  ): Promise<T> {
    const expression = `${jsHelper}(${JSON.stringify(op)}, () => (${jsSource(e)}), ${a}, ${b}, ${JSON.stringify(wire)}, ${more ?? 'null'})`;
    let result = await this.evaluate(expression, 'clipboard');
    // The clipboard context writes strings as JSON string literals.
    if (result.startsWith('"')) {
      try {
        result = JSON.parse(result) as string;
      } catch {
        throw new LiveError('bad_envelope', 'The debugger returned a malformed string.');
      }
    }
    return openEnvelope<T>(result, `${op} of ${e.text}`);
  }
}

export interface JsResult {
  request: LossRequest;
  input: LiveTensorInfo;
  target: LiveTensorInfo;
  weight: LiveTensorInfo | null;
  criterion: string;
  optionSources: Partial<Record<'weight' | 'ignore_index' | 'reduction' | 'label_smoothing', OptionSource>>;
  programLoss: ProgramLoss | null;
  /** Set on a progressive read's first paint only (the per-row losses computed in the program). */
  reduced: ReducedInfo | null;
  notes: string[];
  bytes: number;
  requests: number;
}

function tensorInfo(d: Described, expression: string, shape: number[]): LiveTensorInfo {
  return {
    expression,
    kind: d.kind,
    shape,
    dtype: d.dtype,
    device: 'js',
    requiresGrad: false,
    contiguous: true,
  };
}

async function readValue(ch: JsChannel, e: PlainExpr, d: Described, options: ReadOptions): Promise<Float64Array> {
  const size = d.wire === 'f4' || d.wire === 'i4' ? 4 : 8;
  const info: TransferInfo = {
    layout: [{ name: e.text, wire: d.wire, shape: [d.count], offset: 0, bytes: d.count * size }],
    bytes: d.count * size,
    crc32: d.crc32,
  };
  // Chunk boundaries on whole elements of either size.
  const bytes = await pullBuffer(
    info,
    async (offset, n) => (await ch.run<{ data: string }>('chunk', e, offset, offset + n, d.wire)).data,
    options,
    `${e.text} (${d.shape.join(', ')})`,
    8,
  );
  const got = unpack(info, bytes).get(e.text);
  if (!got) throw new LiveError('bad_envelope', 'Nothing was read.');
  return got.data;
}

function literalNumber(a: ArgExpr | undefined, name: string): number | undefined {
  if (!a) return undefined;
  if (a.kind === 'literal' && typeof a.value === 'number') return a.value;
  if (a.kind === 'literal' && a.value === null) return undefined;
  throw new LiveError('not_plain', `The option ${name}=${a.text} is not a number literal, so it is not read.`);
}

export async function readJavaScript(
  session: DebugSessionLike,
  state: SessionState,
  frame: LiveFrame,
  plan: JsPlan,
  options: JsReadOptions = {},
): Promise<JsResult> {
  const ch = new JsChannel(session, state, frame);
  const dx = await ch.run<Described>('describe', plan.input, 0, 0, null);
  const dy = await ch.run<Described>('describe', plan.target, 0, 0, null);
  const probabilities = plan.flavor === 'tfjsSoftmax';
  const notes: string[] = [];
  // Shapes: a flat logits array is (N, C) with N the number of targets.
  let xShape = dx.shape;
  let yShape = dy.shape;
  if (!probabilities && xShape.length === 1 && dy.count > 1 && dy.shape.length === 1) {
    if (dx.count % dy.count !== 0) {
      throw new LiveError(
        'evaluation_failed',
        `${plan.input.text} has ${dx.count} values, not a multiple of the ${dy.count} targets in ${plan.target.text}.`,
      );
    }
    xShape = [dy.count, dx.count / dy.count];
    notes.push(`${plan.input.text} is flat: read as (${xShape.join(', ')}), one row per target.`);
  }
  if (probabilities && xShape.length === 1 && yShape.length === 1 && dx.count === dy.count) {
    // Unbatched one-hot labels and logits stay (C).
  } else if (
    probabilities &&
    dy.shape.length === 1 &&
    xShape.length === 2 &&
    dy.count === xShape.reduce((a, b) => a * b, 1)
  ) {
    yShape = xShape.slice();
  }
  const budget = options.budgetBytes ?? 16 << 20;
  const xBytes = dx.count * (dx.wire === 'f4' ? 4 : 8);
  if (xBytes > budget) {
    throw new LiveError(
      'evaluation_failed',
      `${plan.input.text} is ${(xBytes / (1 << 20)).toFixed(1)} MiB, over the ${(budget / (1 << 20)).toFixed(1)} MiB ` +
        `transfer budget; JavaScript values are not reduced in the program. Raise lossInspector.live.budgetMiB to read it.`,
    );
  }
  const opts = callOptions(plan);
  const programLoss = plan.programLoss ? await readProgramLoss(ch, plan.programLoss) : null;
  const dtype = dx.wire === 'f4' ? 'float32' : 'float64';
  const base = {
    ignoreIndex: opts.ignoreIndex ?? -100,
    reduction: opts.reduction,
    labelSmoothing: opts.labelSmoothing ?? 0,
    dtype,
    inputKind: 'logits',
  } as const;
  let weightInfo: LiveTensorInfo | null = null;
  const result = (request: LossRequest, reduced: ReducedInfo | null, extra: string[]): JsResult => ({
    request,
    input: tensorInfo(dx, plan.input.text, xShape),
    target: tensorInfo(dy, plan.target.text, yShape),
    weight: weightInfo,
    criterion: probabilities ? 'softmaxCrossEntropy' : 'crossEntropy',
    optionSources: opts.sources,
    programLoss,
    reduced,
    notes: [...notes, ...extra],
    bytes: ch.bytes,
    requests: ch.requests,
  });
  const rows = xShape.length === 2 ? (xShape[0] ?? 0) : 0;
  if (
    options.onFirstPaint &&
    !probabilities &&
    rows > 0 &&
    dy.count === rows &&
    xBytes > (options.firstPaintAboveBytes ?? firstPaintAboveBytes)
  ) {
    // One small reply for the first paint; the full pull below reads every row.
    const k = Math.max(1, options.firstRows ?? 1);
    const f = await ch.run<FirstReply>(
      'first',
      plan.input,
      0,
      0,
      null,
      moreOf(plan.target, xShape, {
        w: opts.weight ? `() => (${jsSource(opts.weight)})` : 'null',
        k: String(k),
        ii: String(base.ignoreIndex),
        eps: String(base.labelSmoothing),
        red: JSON.stringify(base.reduction),
      }),
    );
    const parts = unpack(f.transfer, await pullBuffer(f.transfer, noChunks, options, 'first rows'));
    const losses = parts.get('losses');
    const x = parts.get('input');
    const y = parts.get('target');
    if (!losses || !x || !y) throw new LiveError('bad_envelope', 'The first paint has no losses, rows or targets.');
    const w = parts.get('weight');
    const first = result(
      {
        ...base,
        input: { data: x.data, shape: x.entry.shape, integral: false },
        target: { data: y.data, shape: y.entry.shape, integral: true },
        weight: w ? { data: w.data, shape: w.entry.shape, integral: false } : null,
      },
      reducedInfo(f, losses.data),
      [
        `The first ${f.top.length === 1 ? 'row' : `${f.top.length} rows`} read (${f.top.join(', ')}, the highest ` +
          `loss) and the loss of every row, computed in the program in float64 by Loss Inspector's own ` +
          `function (not the program's code); all ${f.positions} rows follow.`,
      ],
    );
    const shown = options.onFirstPaint(first);
    if (shown instanceof Promise) await settledWithin(shown, firstPaintWaitMs);
  }
  const x = await readValue(ch, plan.input, dx, options);
  const yWire: Wire = probabilities ? (dx.wire === 'f4' ? 'f4' : 'f8') : 'i4';
  const dyWire = dy.wire === yWire ? dy : await ch.run<Described>('describe', plan.target, 0, 0, yWire);
  const y = await readValue(ch, plan.target, dyWire, options);
  if (!probabilities) {
    for (let i = 0; i < y.length; i++) {
      if (!Number.isInteger(y[i])) {
        throw new LiveError('evaluation_failed', `${plan.target.text}[${i}] = ${y[i]} is not a class index.`);
      }
    }
  }
  let weight: NdArray | null = null;
  if (opts.weight) {
    const dw = await ch.run<Described>('describe', opts.weight, 0, 0, dx.wire === 'f4' ? 'f4' : 'f8');
    weight = { data: await readValue(ch, opts.weight, dw, options), shape: [dw.count], integral: false };
    weightInfo = tensorInfo(dw, opts.weight.text, [dw.count]);
  }
  return result(
    {
      ...base,
      input: { data: x, shape: xShape, integral: false },
      target: { data: y, shape: yShape, integral: !probabilities },
      weight,
    },
    null,
    [],
  );
}

/** The first paint's transfer comes inline: nothing is asked for in chunks. */
const noChunks = (): Promise<string> =>
  Promise.reject(new LiveError('bad_envelope', 'The first paint was not inline.'));

/** The `more` argument of the in-program function: the targets' thunk, the shape, and `extra` fields. */
function moreOf(target: PlainExpr, shape: number[], extra: Record<string, string>): string {
  const fields = [`y: () => (${jsSource(target)})`, `n: ${shape[0]}`, `c: ${shape[1]}`];
  for (const [k, v] of Object.entries(extra)) fields.push(`${k}: ${v}`);
  return `{ ${fields.join(', ')} }`;
}

/** The call's options, from its literal arguments (JavaScript options are never read from the program). */
function callOptions(plan: JsPlan): {
  weight: PlainExpr | null;
  ignoreIndex: number | undefined;
  labelSmoothing: number | undefined;
  reduction: 'mean' | 'sum' | 'none';
  sources: JsResult['optionSources'];
} {
  const sources: JsResult['optionSources'] = {
    weight: 'default',
    ignore_index: 'default',
    reduction: 'default',
    label_smoothing: 'default',
  };
  let weight: PlainExpr | null = null;
  const wArg = plan.keywords.weight;
  if (wArg && !(wArg.kind === 'literal' && wArg.value === null)) {
    if (wArg.kind !== 'plain') throw new LiveError('not_plain', `The weight ${wArg.text} is not a plain name.`);
    weight = wArg.expr;
    sources.weight = 'call';
  }
  const ignoreIndex = literalNumber(plan.keywords.ignore_index, 'ignoreIndex');
  const labelSmoothing = literalNumber(plan.keywords.label_smoothing, 'labelSmoothing');
  const red = plan.keywords.reduction;
  let reduction: 'mean' | 'sum' | 'none' = 'mean';
  if (red) {
    if (red.kind !== 'literal' || !['mean', 'sum', 'none'].includes(String(red.value))) {
      throw new LiveError('not_plain', `The reduction ${red.text} is not 'mean', 'sum' or 'none'.`);
    }
    reduction = red.value as 'mean' | 'sum' | 'none';
    sources.reduction = 'call';
  }
  if (ignoreIndex !== undefined) sources.ignore_index = 'call';
  if (labelSmoothing !== undefined) sources.label_smoothing = 'call';
  return { weight, ignoreIndex, labelSmoothing, reduction, sources };
}

async function readProgramLoss(ch: JsChannel, e: PlainExpr): Promise<ProgramLoss | null> {
  const r = await ch.run<{ value: number | string | null }>('scalar', e, 0, 0, null).catch(() => ({ value: null }));
  if (r.value === null) return null;
  return { expression: e.text, value: toNumber(r.value), dtype: 'number', device: 'js' };
}

/** Rows of (n, c) logits and their class-index targets, read on demand during a progressive read. */
export async function readJavaScriptRows(
  session: DebugSessionLike,
  state: SessionState,
  frame: LiveFrame,
  plan: JsPlan,
  shape: number[],
  positions: number[],
  options: ReadOptions = {},
): Promise<{ input: NdArray; target: NdArray }> {
  const ch = new JsChannel(session, state, frame);
  const r = await ch.run<{ transfer: TransferInfo }>(
    'rows',
    plan.input,
    0,
    0,
    null,
    moreOf(plan.target, shape, { positions: JSON.stringify(positions) }),
  );
  const parts = unpack(r.transfer, await pullBuffer(r.transfer, noChunks, options, 'rows'));
  const x = parts.get('input');
  const y = parts.get('target');
  if (!x || !y) throw new LiveError('bad_envelope', 'The row transfer has no input or target.');
  return {
    input: { data: x.data, shape: x.entry.shape, integral: false },
    target: { data: y.data, shape: y.entry.shape, integral: true },
  };
}

const arrayPreview =
  /^(?:(Float32Array|Float64Array|Int32Array|Int16Array|Int8Array|Uint8Array|Uint16Array|Uint32Array)\(\d+\)|\(\d+\) \[|Array\(\d+\)|Tensor\b)/;

interface ScopesBody {
  scopes?: { name: string; variablesReference: number; expensive?: boolean }[];
}
interface VariablesBody {
  variables?: { name: string; value: string; type?: string }[];
}

/** Array- and tensor-valued locals of the frame, described by the same in-program function. */
export async function javascriptTensorLocals(
  session: DebugSessionLike,
  state: SessionState,
  frame: LiveFrame,
): Promise<TensorLocal[]> {
  const scopes = (await request(session, state, frame.epoch, 'scopes', { frameId: frame.frameId })) as ScopesBody;
  const names: string[] = [];
  for (const s of scopes.scopes ?? []) {
    if (/global/i.test(s.name) || s.expensive) continue;
    const vars = (await request(session, state, frame.epoch, 'variables', {
      variablesReference: s.variablesReference,
    })) as VariablesBody;
    for (const v of vars.variables ?? []) {
      if (/^[A-Za-z_$][\w$]*$/.test(v.name) && arrayPreview.test(v.value) && !names.includes(v.name))
        names.push(v.name);
    }
  }
  const ch = new JsChannel(session, state, frame);
  const out: TensorLocal[] = [];
  for (const name of names.slice(0, 40)) {
    try {
      const d = await ch.run<Described>('describe', { root: name, steps: [], ops: [], text: name }, 0, 0, null);
      out.push({ expression: name, kind: d.kind, shape: d.shape, dtype: d.dtype, device: 'js' });
    } catch {
      // Not readable as numbers (e.g. an array of strings): not offered.
    }
  }
  return out;
}
