/**
 * The input of a prepared request in the working dtype, made when first needed.
 *
 * prepare() keeps the request's float64 array as `Prepared.source` and makes no copy: a float64
 * input is used as it is (`x` = `source`), and a float32 input's rounded copy is made here, by
 * {@link inputOf}, the first time something needs it. A one-shot forward (computeLoss) never
 * does: the wasm kernel reads the float64 source and rounds as it goes, so it holds one copy of
 * a large input instead of two.
 *
 * Large (N, C) inputs get an input workspace (wasmKernel.ts): a wasm memory holding the input in
 * the working dtype — for float32 it *is* `Prepared.x`, a view into that memory — together with
 * the per-row statistics, the gradient's per-row parameters and the materialised outputs
 * (log_softmax, softmax, gradient). The kernel then runs on it in place, and — the memory being
 * shared where the runtime allows — a row runner splits its rows across threads. The outputs are
 * reused: a gradient or steps result is a view into the workspace, valid until the next gradient
 * or steps computation on the same Prepared.
 */
import type { Floats, Prepared } from './prepare';
import { Workspace, wasmForwardEligible } from './wasmKernel';
import { spanElems } from './wasmKernelModule';

/**
 * From this many elements on, an (N, C) input gets its own workspace the first time it is used
 * by something other than a one-shot forward: its set-up (a wasm memory and an instance, 20–300
 * µs) is paid once, and then every forward, steps and gradient runs in place — for the steps and
 * the gradient that spares copying their outputs out, which costs them ~50% at (64, 1000).
 * Smaller inputs are copied through the thread's scratch workspace.
 */
export const inputWorkspaceMinElements = 1 << 14;

/** Regions of an input workspace (byte offsets). */
export interface InputSpace {
  ws: Workspace;
  /** Bytes per element in the working dtype (4 or 8). */
  size: number;
  /** The input, N·C elements. */
  x: number;
  /** Per row (max, Σexp, x_t) as float64, 32 bytes (see wasmKernelModule.ts). */
  stats: number;
  /** Per row the target class and the gradient's parameters: 24 bytes (wasmKernelModule.ts). */
  params: number;
  /** log_softmax, softmax (steps) and the gradient, N·C elements each. */
  d: number;
  e: number;
  g: number;
  /** The class weights in the working dtype (C elements; label smoothing's weighted sum), or 0. */
  w: number;
  /** Probability targets: the targets in the working dtype (N·C elements, copied in once); else 0. */
  q: number;
  /**
   * Label smoothing: two rows of C upstream gradients in the working dtype for its gradient
   * (wasmSmooth.ts wasmSmoothGradient: the rows' shared one, then zeros for ignored rows); else 0.
   */
  G: number;
  /**
   * Whether the stats region holds every row's max and Σexp: set once a job has run over all the
   * rows (any row function writes them, with the same bits), after which a row's statistics are
   * read from it (wasmForward.ts wasmRowStats) instead of computed again.
   */
  statsReady: boolean;
}

const spaces = new WeakMap<Prepared, InputSpace>();
/** Prepared inputs whose workspace could not be had (out of memory): not asked again. */
const refused = new WeakSet<Prepared>();

/** The input in the working dtype, made on first call (see the file comment). */
export function inputOf(p: Prepared): Floats {
  if (p.x) return p.x;
  const space = inputSpace(p, true);
  if (space && p.x) return p.x;
  const x = new Float32Array(p.source.length);
  x.set(p.source); // rounds to nearest even, as Math.fround (and faster than the constructor)
  p.x = x;
  return x;
}

/**
 * Output arrays of inputs without a workspace (small ones, K-dim ones, the scalar path), one set
 * per Prepared, reused by later steps and gradients on it as a workspace's regions are (the same
 * contract: copy to keep). On small inputs allocating these typed arrays, not the arithmetic, was
 * most of a call's cost.
 */
const outputs = new WeakMap<Prepared, Partial<Record<'logSoftmax' | 'softmax' | 'grad', Floats>>>();

/**
 * Sample `e`'s C logits (0 ≤ e < N·S) read from the float64 source and rounded to the working dtype,
 * as the dtype copy would hold them: one sample does not need the copy of the whole input made.
 */
export function sampleLogits(p: Prepared, e: number): Float64Array {
  const { C, S, source } = p;
  const base = Math.floor(e / S) * C * S + (e % S);
  const out = new Float64Array(C);
  // A loop per case rather than a rounding function called through a variable C times (2–3 ms of
  // the worker's CPU per sample change on a 50 257-class row, under load): same values.
  if (S === 1) {
    // Float32 → float64 is exact, so a float32 source needs no rounding for either dtype.
    out.set(source.subarray(base, base + C));
    if (p.dtype === 'float32' && !(source instanceof Float32Array))
      for (let c = 0; c < C; c++) out[c] = Math.fround(out[c]);
  } else if (p.dtype === 'float32') for (let c = 0; c < C; c++) out[c] = Math.fround(source[base + c * S]);
  else for (let c = 0; c < C; c++) out[c] = source[base + c * S];
  return out;
}

/** `p`'s reused output array `which`: N·C·d1·…·dK elements in the working dtype. */
export function outputArray(p: Prepared, which: 'logSoftmax' | 'softmax' | 'grad'): Floats {
  let o = outputs.get(p);
  if (!o) outputs.set(p, (o = {}));
  const len = p.source.length;
  return (o[which] ??= p.dtype === 'float32' ? new Float32Array(len) : new Float64Array(len));
}

/** Per-sample arrays of a steps result: see {@link rowOutputArrays}. */
export interface RowOutputs {
  max: Float64Array;
  logSumExp: Float64Array;
  losses: Float64Array;
  /** Label smoothing's per-sample parts (wasmOutputs.ts). */
  parts: Float64Array;
}

const rowOutputs = new WeakMap<Prepared, RowOutputs>();

/**
 * `p`'s reused per-sample arrays of the materialised steps (max, logSumExp, losses, smoothing
 * parts: N·d1·…·dK each), one allocation made on first call — the same contract as {@link outputArray}: the next
 * steps computation on `p` overwrites them. A fresh typed array of a few hundred bytes lives
 * outside V8's heap and costs more than the whole arithmetic of a (64, 10) row set.
 */
export function rowOutputArrays(p: Prepared): RowOutputs {
  let o = rowOutputs.get(p);
  if (!o) {
    const E = p.N * p.S;
    const a = new Float64Array(4 * E);
    o = {
      max: a.subarray(0, E),
      logSumExp: a.subarray(E, 2 * E),
      losses: a.subarray(2 * E, 3 * E),
      parts: a.subarray(3 * E),
    };
    rowOutputs.set(p, o);
  }
  return o;
}

/** {@link outputArray}'s softmax and logSoftmax with {@link rowOutputArrays}' arrays. */
export interface StepsOutputs extends RowOutputs {
  softmax: Floats;
  logSoftmax: Floats;
}

const stepsOutputSets = new WeakMap<Prepared, StepsOutputs>();

/** All of `p`'s reused steps arrays in one look-up (small inputs: each look-up shows). */
export function stepsOutputs(p: Prepared): StepsOutputs {
  let o = stepsOutputSets.get(p);
  if (!o) {
    o = { softmax: outputArray(p, 'softmax'), logSoftmax: outputArray(p, 'logSoftmax'), ...rowOutputArrays(p) };
    stepsOutputSets.set(p, o);
  }
  return o;
}

/**
 * Makes `p`'s input workspace forget that its stats region holds every row's statistics, so the
 * next gradient computes them again as from a fresh request (the bench's cold gradient, tests).
 */
export function forgetRowStats(p: Prepared): void {
  const space = spaces.get(p);
  if (space) space.statsReady = false;
}

/** The input workspace of `p` if it has one (never makes it). */
export function existingInputSpace(p: Prepared): InputSpace | null {
  return spaces.get(p) ?? null;
}

/**
 * Whether `p` is of the kind that gets an input workspace: (N, C) or (C), large enough, rows the
 * wasm kernel runs (logits, index targets, wasm available and chosen), with or without label
 * smoothing (its forward and steps run in place too: wasmSmooth.ts), or probability targets on
 * rows of up to a span (wasmProb.ts: their targets live in the workspace too).
 */
function wantsInputSpace(p: Prepared): boolean {
  return (
    p.S === 1 &&
    p.N * p.C >= inputWorkspaceMinElements &&
    (p.targetKind === 'indices' || p.C <= spanElems) &&
    p.inputKind === 'logits' &&
    wasmForwardEligible(p.N, p.C)
  );
}

/**
 * The input workspace of `p`, made on first call when `create` and {@link wantsInputSpace}
 * (and wasm is available); null otherwise. Making it copies the input in (float32: rounded) and,
 * for float32, sets `p.x` to the view of that copy.
 */
export function inputSpace(p: Prepared, create: boolean): InputSpace | null {
  const have = spaces.get(p);
  if (have || !create || refused.has(p) || !wantsInputSpace(p)) return have ?? null;
  const space = makeSpace(p);
  if (space) spaces.set(p, space);
  else refused.add(p);
  return space;
}

const align = (v: number): number => (v + 63) & ~63;

function makeSpace(p: Prepared): InputSpace | null {
  const { N, C } = p;
  const size = p.dtype === 'float32' ? 4 : 8;
  const dataBytes = align(N * C * size + 64);
  const statsBytes = align(N * 32 + 64);
  const paramsBytes = align(N * 24 + 64);
  // Room to stage float64 chunks while rounding them to float32.
  const stageBytes = p.dtype === 'float32' ? align(Math.min(N * C, spanElems) * 8 + 64) : 0;
  const weightBytes = p.weight ? align(C * size + 64) : 0;
  const gRowsBytes = p.labelSmoothing > 0 ? 2 * align(C * size + 64) + 128 : 0;
  const qBytes = p.probs ? dataBytes : 0;
  const total = 64 + 4 * dataBytes + statsBytes + paramsBytes + stageBytes + weightBytes + gRowsBytes + qBytes;
  const ws = Workspace.create(total);
  if (!ws) return null;
  const x = ws.alloc(N * C * size);
  const stats = ws.alloc(N * 32);
  const params = ws.alloc(N * 24);
  const d = ws.alloc(N * C * size);
  const e = ws.alloc(N * C * size);
  const g = ws.alloc(N * C * size);
  const stage = stageBytes ? ws.alloc(stageBytes - 64) : 0;
  const w = weightBytes ? ws.alloc(C * size) : 0;
  const G = gRowsBytes ? ws.alloc(gRowsBytes - 128) : 0;
  const q = p.probs ? ws.alloc(N * C * size) : 0;
  if (x < 0 || stats < 0 || params < 0 || d < 0 || e < 0 || g < 0 || stage < 0 || w < 0 || G < 0 || q < 0) return null;
  if (p.probs) {
    if (size === 8) ws.f64.set(p.probs, q >> 3);
    else ws.f32.set(p.probs, q >> 2);
  }
  if (p.weight) {
    if (size === 8) ws.f64.set(p.weight, w >> 3);
    else ws.f32.set(p.weight, w >> 2);
  }
  const src = p.source;
  const len = N * C;
  if (size === 8) ws.f64.set(src, x >> 3);
  else if (p.x) ws.f32.set(p.x, x >> 2);
  else {
    // float64 → float32 in wasm, a span at a time through the staging area.
    for (let a = 0; a < len; a += spanElems) {
      const b = Math.min(len, a + spanElems);
      ws.f64.set(src.subarray(a, b), stage >> 3);
      ws.fn.demote(stage, x + 4 * a, b - a);
    }
  }
  if (size === 4) p.x = new Float32Array(ws.memory.buffer, x, len);
  writeTargets(p, ws, params, 0, N);
  return { ws, size, x, stats, params, d, e, g, w, G, q, statsReady: false };
}

/**
 * Writes rows [r0, r1)'s target classes (−1 where ignored) into the params region at `params`
 * (24 bytes per row, the region starting at row r0).
 */
export function writeTargets(p: Prepared, ws: Workspace, params: number, r0: number, r1: number): void {
  const t = p.indices;
  const i32 = ws.i32;
  const at = params >> 2;
  // Probability targets: no target class.
  if (!t) for (let n = r0; n < r1; n++) i32[at + 6 * (n - r0)] = -1;
  else for (let n = r0; n < r1; n++) i32[at + 6 * (n - r0)] = t[n] === p.ignoreIndex ? -1 : t[n];
}

/**
 * Bytes of typed arrays a Prepared keeps alive beyond its request's own: the input's dtype copy
 * and its workspace (sized for the outputs, though only the pages written are resident).
 */
export function preparedBytes(p: Prepared): number {
  const space = spaces.get(p);
  if (space) return space.ws.byteLength;
  return (p.x && p.x !== p.source ? p.x.byteLength : 0) + (p.probs?.byteLength ?? 0) + (p.weight?.byteLength ?? 0);
}
