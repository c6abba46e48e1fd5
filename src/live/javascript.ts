/**
 * Live inspection of a paused JavaScript program (VS Code's js-debug): logits as Float32Array,
 * Float64Array, number[] / number[][] or tfjs tensors (`dataSync()`), targets as Int32Array,
 * number[], a number, or (tfjs `softmaxCrossEntropy`) one-hot labels.
 *
 * One function (javascriptHelper.ts) is installed once per program, as a non-enumerable property
 * of `globalThis` under a registry symbol; every request calls it with thunks of the user's plain
 * expressions, rebuilt from their parsed form (identifiers and JSON literals only). It keeps no
 * state in the program between requests, so each chunk re-reads its value; while the program is
 * paused that value cannot change. Requests use the `clipboard`
 * context, which js-debug never truncates (`repl` stops at 100 000 characters).
 */
import type { InputArray, LossRequest, NdArray } from '../core/types';
import { jsSource, type ArgExpr, type CallFlavor, type PlainExpr } from './lossCall';
import {
  EvalChannel,
  firstPaintAboveBytes,
  firstPaintWaitMs,
  mib,
  pullBuffer,
  reducedInfo,
  settledWithin,
  toNumber,
  type ProgressiveOptions,
  type ReadOptions,
  type ReductionReply,
} from './channel';
import { jsCall, jsHelperMissing } from './javascriptHelper';
import {
  LiveError,
  firstRowsLabel,
  request,
  type DebugSessionLike,
  type LiveFrame,
  type LiveNote,
  type SessionState,
} from './session';
import {
  defaultBudgetBytes,
  defaultInlineBytes,
  openEnvelope,
  unpack,
  unpackFloat32,
  wireSize,
  type LayoutEntry,
  type TransferInfo,
  type Wire,
} from './transfer';
import type { LiveReadResult, LiveTensorInfo, ProgramLoss, ReducedInfo, TensorLocal } from './types';

/**
 * Raw bytes per chunk of a JavaScript pull: 512 KiB (0.7 MB of base64). Inside code-server, command
 * to panel for (64, 50 257) Float32Array logits, variants interleaved in one window (6 December):
 * at load 7-11, 256 KiB 1.26 s, 512 KiB 1.36 s, 1 MiB 1.85 s, 2 MiB 2.29 s; at load 11-13, 6 in
 * flight, 256 KiB 1.35 s, 512 KiB 1.00 s, 1 MiB 1.49 s. At load 4, 1 MiB was quicker (0.66 s
 * against 0.73 s): big replies cost more the busier the editor is.
 */
export const jsChunkBytes = 512 << 10;

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

/** A value as the in-program function describes it: shape and element type as the kernel reads it. */
interface Described {
  kind: string;
  dtype: string;
  shape: number[];
  count: number;
  wire: Wire;
}

/** A value the prepare reply did not carry inline: pulled in chunks, checked by its CRC-32. */
interface PulledEntry {
  name: 'input' | 'target' | 'weight';
  wire: Wire;
  shape: number[];
  bytes: number;
  crc32: number;
}

/** The one reply of a read (see javascriptHelper.ts). */
interface PrepareReply {
  input: Described;
  target: Described;
  weight: Described | null;
  /** The logits were one-dimensional and are read as (N, C). */
  flat: boolean;
  programLoss: number | string | null;
  inline: TransferInfo | null;
  pull: PulledEntry[];
  first: (ReductionReply & { transfer: TransferInfo }) | null;
}

/** Readers whose program has the in-program function installed (see jsCall). */
const jsInstalled = new WeakMap<DebugSessionLike, true>();

/** A clipboard-context string without its JSON quotes (unparsed text stays as it is). */
function unquoted(result: string): string {
  return result.startsWith('"') && result.endsWith('"') ? result.slice(1, -1) : result;
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
    const args = `${JSON.stringify(op)}, () => (${jsSource(e)}), ${a}, ${b}, ${JSON.stringify(wire)}, ${more ?? 'null'}`;
    // Installed once per program (per reader, as Python's helper); sent again when it is missing.
    const install = !jsInstalled.has(this.session);
    let result = await this.evaluate(jsCall(args, install), 'clipboard');
    if (!install && unquoted(result) === jsHelperMissing) result = await this.evaluate(jsCall(args, true), 'clipboard');
    jsInstalled.set(this.session, true);
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

/** One read of a paused call (the same shape for both languages). */
export type JsResult = LiveReadResult;

function tensorInfo(d: Described, expression: string): LiveTensorInfo {
  return {
    expression,
    kind: d.kind,
    shape: d.shape,
    dtype: d.dtype,
    device: 'js',
    requiresGrad: false,
    contiguous: true,
  };
}

function literalNumber(a: ArgExpr | undefined, name: string): number | undefined {
  if (!a) return undefined;
  if (a.kind === 'literal' && typeof a.value === 'number') return a.value;
  if (a.kind === 'literal' && a.value === null) return undefined;
  throw new LiveError('not_plain', `The option ${name}=${a.text} is not a number literal, so it is not read.`, {
    id: 'not_number_option',
    name,
    text: a.text,
  });
}

export async function readJavaScript(
  session: DebugSessionLike,
  state: SessionState,
  frame: LiveFrame,
  plan: JsPlan,
  options: JsReadOptions = {},
): Promise<JsResult> {
  const ch = new JsChannel(session, state, frame);
  const probabilities = plan.flavor === 'tfjsSoftmax';
  const opts = callOptions(plan);
  const budget = options.budgetBytes ?? defaultBudgetBytes;
  const progressive = options.onFirstPaint !== undefined;
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const labelSmoothing = opts.labelSmoothing ?? 0;
  // One request: the three values described, the program's loss, and what fits inline (as
  // Python's prepare); only logits too big for one reply are pulled in chunks after it.
  const reply = await ch.run<PrepareReply>(
    'prepare',
    plan.input,
    0,
    0,
    null,
    moreOf(plan.target, {
      w: opts.weight ? `() => (${jsSource(opts.weight)})` : 'null',
      p: plan.programLoss ? `() => (${jsSource(plan.programLoss)})` : 'null',
      prob: String(probabilities),
      xt: JSON.stringify(plan.input.text),
      yt: JSON.stringify(plan.target.text),
      budget: String(budget),
      inline: String(
        Math.min(
          options.inlineBytes ?? defaultInlineBytes,
          options.chunkBytes ?? jsChunkBytes,
          progressive ? (options.firstPaintAboveBytes ?? firstPaintAboveBytes) : Infinity,
        ),
      ),
      first: progressive
        ? JSON.stringify({
            k: Math.max(1, options.firstRows ?? 1),
            ii: ignoreIndex,
            eps: labelSmoothing,
            red: opts.reduction,
          })
        : 'null',
    }),
  );
  const dx = reply.input;
  const notes: LiveNote[] = [];
  if (reply.flat) notes.push({ id: 'flat', name: plan.input.text, shape: dx.shape.join(', ') });
  const xBytes = dx.count * wireSize(dx.wire);
  if (xBytes > budget) {
    const xMib = mib(xBytes);
    const budgetMib = mib(budget);
    throw new LiveError(
      'evaluation_failed',
      `${plan.input.text} is ${xMib} MiB, over the ${budgetMib} MiB ` +
        `transfer budget; JavaScript values are not reduced in the program. Raise lossInspector.live.budgetMiB to read it.`,
      { id: 'over_budget', name: plan.input.text, mib: xMib, budgetMib },
    );
  }
  const programLoss: ProgramLoss | null =
    plan.programLoss && reply.programLoss !== null && reply.programLoss !== undefined
      ? { expression: plan.programLoss.text, value: toNumber(reply.programLoss), dtype: 'number', device: 'js' }
      : null;
  const base = {
    ignoreIndex,
    reduction: opts.reduction,
    labelSmoothing,
    dtype: dx.wire === 'f4' ? 'float32' : 'float64',
    inputKind: 'logits',
  } as const;
  const weightInfo = reply.weight && opts.weight ? tensorInfo(reply.weight, opts.weight.text) : null;
  const result = (request: LossRequest, reduced: ReducedInfo | null, extra: LiveNote[]): JsResult => ({
    request,
    input: tensorInfo(dx, plan.input.text),
    target: tensorInfo(reply.target, plan.target.text),
    weight: weightInfo,
    criterion: probabilities ? 'softmaxCrossEntropy' : 'crossEntropy',
    optionSources: opts.sources,
    programLoss,
    reduced,
    notes: [...notes, ...extra],
    bytes: ch.bytes,
    requests: ch.requests,
  });
  // A float32 input stays float32 (exact; the kernel reads it as it is): no widening, no copy.
  const input32 = base.dtype === 'float32' ? 'input' : null;
  const inline = reply.inline
    ? unpackFloat32(reply.inline, await pullBuffer(reply.inline, noChunks, options, { id: 'values' }), input32)
    : null;
  const f = reply.first;
  if (f && options.onFirstPaint) {
    const parts = unpack(f.transfer, await pullBuffer(f.transfer, noChunks, options, firstRowsLabel));
    const losses = parts.get('losses');
    const x = parts.get('input');
    const y = parts.get('target');
    if (!losses || !x || !y) throw new LiveError('bad_envelope', 'The first paint has no losses, rows or targets.');
    const w = parts.get('weight') ?? inline?.parts.get('weight');
    const first = result(
      {
        ...base,
        input: nd64(x),
        target: { ...nd64(y), integral: true },
        weight: w ? nd64(w) : null,
      },
      reducedInfo(f, losses.data),
      [{ id: 'first_rows', count: f.top.length, rows: f.top.join(', '), positions: f.positions, by: 'own_function' }],
    );
    const shown = options.onFirstPaint(first);
    if (shown instanceof Promise) await settledWithin(shown, options.firstPaintWaitMs ?? firstPaintWaitMs);
  }
  const pulled = new Map<string, InputArray>();
  for (const e of reply.pull) {
    const expr = e.name === 'input' ? plan.input : e.name === 'target' ? plan.target : opts.weight;
    if (!expr) throw new LiveError('bad_envelope', `Nothing to pull for ${e.name}.`);
    pulled.set(e.name, await pullValue(ch, expr, e, options, e.name === 'input' ? input32 : null));
  }
  const part = (name: string): InputArray | null => {
    const p = inline?.float32?.entry.name === name ? inline.float32 : inline?.parts.get(name);
    return p ? nd(p) : (pulled.get(name) ?? null);
  };
  const x = part('input');
  const y = part('target');
  const w = part('weight');
  if (!x || !y) throw new LiveError('bad_envelope', 'The read has no input or target.');
  return result(
    { ...base, input: x, target: { ...doubles(y), integral: !probabilities }, weight: w ? doubles(w) : null },
    null,
    [],
  );
}

/** A target or weight, which are always decoded to doubles (only the input may stay float32). */
function doubles(a: InputArray): NdArray {
  if (!(a.data instanceof Float64Array))
    throw new LiveError('bad_envelope', 'A target or weight was not decoded to doubles.');
  return { ...a, data: a.data };
}

/** The first paint's transfer comes inline: nothing is asked for in chunks. */
const noChunks = (): Promise<string> =>
  Promise.reject(new LiveError('bad_envelope', 'The first paint was not inline.'));

/** The `more` argument of the in-program function: the targets' thunk and `extra` fields (JavaScript source). */
function moreOf(target: PlainExpr, extra: Record<string, string>): string {
  const fields = [`y: () => (${jsSource(target)})`];
  for (const [k, v] of Object.entries(extra)) fields.push(`${k}: ${v}`);
  return `{ ${fields.join(', ')} }`;
}

/** A decoded part of a transfer as the kernel's array. */
function nd(p: { data: Float64Array | Float32Array; entry: LayoutEntry }): InputArray {
  return { data: p.data, shape: p.entry.shape, integral: false };
}

/** A part that was decoded to doubles, as the kernel's array (targets, weights, rows). */
function nd64(p: { data: Float64Array; entry: LayoutEntry }): NdArray {
  return { data: p.data, shape: p.entry.shape, integral: false };
}

/** Pulls one value the prepare reply described in chunks (whole elements), checked by its CRC-32. */
async function pullValue(
  ch: JsChannel,
  e: PlainExpr,
  entry: PulledEntry,
  options: ReadOptions,
  float32: string | null,
): Promise<InputArray> {
  const info: TransferInfo = {
    layout: [{ name: entry.name, wire: entry.wire, shape: entry.shape, offset: 0, bytes: entry.bytes }],
    bytes: entry.bytes,
    crc32: entry.crc32,
  };
  const bytes = await pullBuffer(
    info,
    async (offset, n) => (await ch.run<{ data: string }>('chunk', e, offset, offset + n, entry.wire)).data,
    { ...options, chunkBytes: options.chunkBytes ?? jsChunkBytes },
    { id: 'tensor', name: e.text, shape: entry.shape, dtype: null },
    8,
    float32 === null ? undefined : { offset: 0, bytes: entry.bytes },
  );
  const { parts, float32: f32 } = unpackFloat32(info, bytes, float32);
  const got = f32 ?? parts.get(entry.name);
  if (!got) throw new LiveError('bad_envelope', 'Nothing was read.');
  return nd(got);
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
    if (wArg.kind !== 'plain')
      throw new LiveError('not_plain', `The weight ${wArg.text} is not a plain name.`, {
        id: 'not_plain_weight',
        text: wArg.text,
      });
    weight = wArg.expr;
    sources.weight = 'call';
  }
  const ignoreIndex = literalNumber(plan.keywords.ignore_index, 'ignoreIndex');
  const labelSmoothing = literalNumber(plan.keywords.label_smoothing, 'labelSmoothing');
  const red = plan.keywords.reduction;
  let reduction: 'mean' | 'sum' | 'none' = 'mean';
  if (red) {
    if (red.kind !== 'literal' || !['mean', 'sum', 'none'].includes(String(red.value))) {
      throw new LiveError('not_plain', `The reduction ${red.text} is not 'mean', 'sum' or 'none'.`, {
        id: 'bad_reduction',
        text: red.text,
      });
    }
    reduction = red.value as 'mean' | 'sum' | 'none';
    sources.reduction = 'call';
  }
  if (ignoreIndex !== undefined) sources.ignore_index = 'call';
  if (labelSmoothing !== undefined) sources.label_smoothing = 'call';
  return { weight, ignoreIndex, labelSmoothing, reduction, sources };
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
    moreOf(plan.target, { n: String(shape[0]), c: String(shape[1]), positions: JSON.stringify(positions) }),
  );
  const parts = unpack(r.transfer, await pullBuffer(r.transfer, noChunks, options, firstRowsLabel));
  const x = parts.get('input');
  const y = parts.get('target');
  if (!x || !y) throw new LiveError('bad_envelope', 'The row transfer has no input or target.');
  return { input: nd64(x), target: { ...nd64(y), integral: true } };
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
