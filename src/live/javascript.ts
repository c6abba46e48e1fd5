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
import { EvalChannel, pullBuffer, type ReadOptions } from './channel';
import { LiveError, request, type DebugSessionLike, type LiveFrame, type SessionState } from './session';
import { openEnvelope, unpack, type TransferInfo, type Wire } from './transfer';
import type { LiveTensorInfo, OptionSource, ProgramLoss, TensorLocal } from './types';

export interface JsPlan {
  input: PlainExpr;
  target: PlainExpr;
  flavor: CallFlavor;
  keywords: Record<string, ArgExpr>;
  programLoss: PlainExpr | null;
}

/**
 * The in-program side. `op` is "describe" or "chunk"; `get` is a thunk of the user's value.
 * describe → {kind, dtype, shape, count, wire, crc32}; chunk (byte range) → {data: base64}.
 * Only globals are used besides the arguments (`globalThis`, its JSON, Buffer or btoa).
 */
const jsHelper = String.raw`(function (op, get, a, b, wire) {
  var G = globalThis;
  function fail(m) { throw new G.Error(m); }
  function info(v) {
    if (v === null || v === undefined) fail("the value is " + v);
    if (typeof v === "number") return { kind: "number", dtype: "number", shape: [], count: 1, wire: "f8", at: function () { return v; } };
    if (G.ArrayBuffer.isView(v) && !(v instanceof G.DataView)) {
      var name = v.constructor && v.constructor.name || "TypedArray";
      if (name === "BigInt64Array" || name === "BigUint64Array") fail(name + " is not supported");
      var w = name === "Float32Array" ? "f4" : name === "Float64Array" ? "f8" : name === "Int32Array" ? "i4" : (/Int|Uint/.test(name) ? "i4" : "f8");
      return { kind: name, dtype: name, shape: [v.length], count: v.length, wire: w, flat: v };
    }
    if (v && typeof v.dataSync === "function" && G.Array.isArray(v.shape)) {
      if (v.isDisposed) fail("the tfjs tensor is disposed");
      var d = v.dataSync();
      var tw = v.dtype === "float32" ? "f4" : v.dtype === "int32" || v.dtype === "bool" ? "i4" : "f8";
      return { kind: "tfjs", dtype: v.dtype, shape: v.shape.slice(), count: d.length, wire: tw, flat: d };
    }
    if (G.Array.isArray(v)) {
      var shape = [];
      var cur = v;
      while (G.Array.isArray(cur)) { shape.push(cur.length); cur = cur[0]; }
      if (shape.length > 2) fail("arrays of more than two dimensions are not read; use a typed array");
      var count = 1;
      for (var k = 0; k < shape.length; k++) count *= shape[k];
      var cols = shape.length === 2 ? shape[1] : 1;
      if (shape.length === 2) for (var r = 0; r < v.length; r++) if (!G.Array.isArray(v[r]) || v[r].length !== cols) fail("row " + r + " has " + (G.Array.isArray(v[r]) ? v[r].length : "no") + " elements, expected " + cols);
      var at = shape.length === 2 ? function (i) { return v[(i / cols) | 0][i % cols]; } : function (i) { return v[i]; };
      return { kind: "Array", dtype: "number", shape: shape, count: count, wire: "f8", at: at };
    }
    fail("a " + (v && v.constructor && v.constructor.name || typeof v) + " is not an array or tensor");
  }
  function bytesOf(t, w, from, to) {
    var n = to - from;
    var Arr = w === "f4" ? G.Float32Array : w === "f8" ? G.Float64Array : G.Int32Array;
    var out;
    if (t.flat) {
      var sub = t.flat.subarray(from, to);
      out = sub instanceof Arr ? sub : new Arr(sub);
    } else {
      out = new Arr(n);
      for (var i = 0; i < n; i++) {
        var x = t.at(from + i);
        if (typeof x !== "number") fail("element " + (from + i) + " is not a number");
        out[i] = x;
      }
    }
    return new G.Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  function crc(u8, c) {
    var T = new G.Int32Array(256);
    for (var n = 0; n < 256; n++) { var q = n; for (var k = 0; k < 8; k++) q = q & 1 ? 0xedb88320 ^ (q >>> 1) : q >>> 1; T[n] = q; }
    for (var i = 0; i < u8.length; i++) c = T[(c ^ u8[i]) & 0xff] ^ (c >>> 8);
    return c;
  }
  function b64(u8) {
    if (typeof G.Buffer === "function") return G.Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString("base64");
    var s = "";
    for (var i = 0; i < u8.length; i += 0x8000) s += G.String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    return G.btoa(s);
  }
  try {
    var v = get();
    if (op === "scalar") {
      var sv = typeof v === "number" ? v : v && typeof v.dataSync === "function" && v.size === 1 ? v.dataSync()[0] : null;
      return G.JSON.stringify({ v: 1, ok: true, value: sv === null ? null : (sv !== sv ? "nan" : sv === Infinity ? "inf" : sv === -Infinity ? "-inf" : sv) });
    }
    var t = info(v);
    if (op === "describe") {
      var w0 = wire || t.wire;
      var c = -1;
      var step = 1 << 16;
      for (var s = 0; s < t.count; s += step) c = crc(bytesOf(t, w0, s, G.Math.min(t.count, s + step)), c);
      return G.JSON.stringify({ v: 1, ok: true, kind: t.kind, dtype: t.dtype, shape: t.shape, count: t.count, wire: w0, crc32: (c ^ -1) >>> 0 });
    }
    var size = wire === "f4" || wire === "i4" ? 4 : 8;
    return G.JSON.stringify({ v: 1, ok: true, data: b64(bytesOf(t, wire, a / size, b / size)) });
  } catch (e) {
    return G.JSON.stringify({ v: 1, ok: false, error: G.String(e && e.message || e) });
  }
})`;

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
  async run<T extends object>(op: string, e: PlainExpr, a: number, b: number, wire: Wire | null): Promise<T> {
    const expression = `${jsHelper}(${JSON.stringify(op)}, () => (${jsSource(e)}), ${a}, ${b}, ${JSON.stringify(wire)})`;
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
  reduced: null;
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
  options: ReadOptions = {},
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
  let weightInfo: LiveTensorInfo | null = null;
  const wArg = plan.keywords.weight;
  const optionSources: JsResult['optionSources'] = {
    weight: 'default',
    ignore_index: 'default',
    reduction: 'default',
    label_smoothing: 'default',
  };
  if (wArg && !(wArg.kind === 'literal' && wArg.value === null)) {
    if (wArg.kind !== 'plain') throw new LiveError('not_plain', `The weight ${wArg.text} is not a plain name.`);
    const dw = await ch.run<Described>('describe', wArg.expr, 0, 0, dx.wire === 'f4' ? 'f4' : 'f8');
    weight = { data: await readValue(ch, wArg.expr, dw, options), shape: [dw.count], integral: false };
    weightInfo = tensorInfo(dw, wArg.text, [dw.count]);
    optionSources.weight = 'call';
  }
  if (plan.keywords.sample_weights) {
    notes.push(`tfjs per-sample weights (${plan.keywords.sample_weights.text}) are not applied in this breakdown.`);
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
    optionSources.reduction = 'call';
  }
  if (ignoreIndex !== undefined) optionSources.ignore_index = 'call';
  if (labelSmoothing !== undefined) optionSources.label_smoothing = 'call';
  let programLoss: ProgramLoss | null = null;
  if (plan.programLoss) {
    const r = await ch
      .run<{ value: number | string | null }>('scalar', plan.programLoss, 0, 0, null)
      .catch(() => ({ value: null }));
    if (r.value !== null) {
      const value =
        typeof r.value === 'number' ? r.value : r.value === 'nan' ? NaN : r.value === 'inf' ? Infinity : -Infinity;
      programLoss = { expression: plan.programLoss.text, value, dtype: 'number', device: 'js' };
    }
  }
  const dtype = dx.wire === 'f4' ? 'float32' : 'float64';
  return {
    request: {
      input: { data: x, shape: xShape, integral: false },
      target: { data: y, shape: yShape, integral: !probabilities },
      weight,
      ignoreIndex: ignoreIndex ?? -100,
      reduction,
      labelSmoothing: labelSmoothing ?? 0,
      dtype,
      inputKind: 'logits',
    },
    input: tensorInfo(dx, plan.input.text, xShape),
    target: tensorInfo(dy, plan.target.text, yShape),
    weight: weightInfo,
    criterion: probabilities ? 'softmaxCrossEntropy' : 'crossEntropy',
    optionSources,
    programLoss,
    reduced: null,
    notes,
    bytes: ch.bytes,
    requests: ch.requests,
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
