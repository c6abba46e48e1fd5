/**
 * The WebAssembly SIMD module behind the kernel's hot paths, emitted with {@link assembleModule}
 * at run time; wasmKernel.ts instantiates it, wasmForward.ts is the JS side.
 *
 * Element kinds of the rows it reads:
 *   f32    float32 rows, float32 semantics (the float32 dtype, input materialised in wasm memory)
 *   f64s   float64 rows rounded to float32 on load (f32x4.demote_f64x2_zero rounds to nearest even,
 *          as Math.fround): the float32 dtype read straight from the request's float64 source
 *   f64    float64 rows, float64 semantics (the float64 dtype)
 *
 * Exports (pointers are byte offsets into the imported memory; rows are contiguous, row n of
 * length C at x + n·C·size; reads may run up to 24 bytes past a row's end, so the caller leaves
 * room after the data; writes never leave their row, so threads may work on neighbouring rows):
 *   rows_{f32,f64s,f64}(x, nRows, C, out, params)
 *                                              per row at out + 32n: max, Σexp, x_t (f64), x_t
 *                                              the element at the row's target class, which
 *                                              params + 24n holds (i32; −1: none); the steps and
 *                                              the gradient also write lse at out + 32n + 24
 *   maxSpan_{f32,f64s}(x, len) → f32, maxSpan_f64 → f64, sumSpan_*(x, len, m) → f64
 *                                              one span of a row too long to copy in one piece
 *   steps_{f32,f64}(x, nRows, C, out, params, d, e)
 *                                              also log_softmax at d and softmax at e (the
 *                                              input's layout and dtype), lse from env.log
 *   stepsSmooth_{f32,f64}(x, nRows, C, out, params, d, e, w)
 *                                              steps_* and the row's label-smoothing part
 *                                              (as smooth_*) at params + 24n + 8 (f64)
 *   grad_{f32,f64}(x, nRows, C, out, params, g) also d loss / d x at g; params (24 bytes per
 *                                              row) also hold the row's Σ of upstream gradients
 *                                              (f64) at 8 and the upstream gradient at the
 *                                              target (f64) at 16, and at 4 (i32) whether
 *                                              out + 32n holds the row's statistics already
 *                                              (then they are read, not computed)
 *   gradG_{f32,f64}(x, nRows, C, out, params, g) grad_* with a row of upstream gradients
 *                                              (label smoothing), its address at params + 4,
 *                                              and the row's max, Σexp read from out + 32n
 *   prob_{f32,f64s,f64}, probSmooth_*(x, nRows, C, out, params, q, w, a, b)
 *                                              rows_* and Σ_c log p_c·q_c·w_c at out + 32n + 24
 *                                              (probability targets q; wasmProbEmit.ts)
 *   probGrad_{f32,f64}, probGradSmooth_*(x, nRows, C, out, params, q, w, a, b, g, g0)
 *                                              prob_* and d loss / d x at g in the same call
 *                                              (g0: the upstream scale −1/N or −1)
 *   stepsProb_{f32,f64}, stepsProbSmooth_*(x, nRows, C, out, params, d, e, q, w, a, b)
 *                                              steps_* and prob_*'s Σ_c log p_c·q_c·w_c, taken
 *                                              in the normalising pass, at params + 24n + 8
 *   exp_f32(x, len), exp_f64(x, len)           exp in place (len a multiple of 4 / 2): the
 *                                              breakdown's exps and the error measurements
 *   demote(src, dst, len)                      float64 → float32 (round to nearest even)
 *   smooth_{f32,f64s,f64}(x, nRows, C, out, params, w)
 *                                              rows_* and the row's label-smoothing part
 *                                              −Σ_c log p_c·w_c (w = 0: unweighted) at
 *                                              out + 32n + 24, Σ in torch's order
 *                                              (wasmSmoothEmit.ts)
 *   smoothGrad_{f32,f64}(x, nRows, C, out, params, g, w)
 *                                              smooth_* and gradG_*'s gradient at g in the same
 *                                              call (wasmSmoothEmit.ts)
 *
 * Semantics, the scalar path's (crossEntropy.ts), per row:
 * - max: NaN elements are skipped unless the first element is NaN (pmax keeps its first operand
 *   when the comparison is false); a NaN anywhere still makes the row NaN through its x − max.
 *   +Inf gives Inf − Inf = NaN, an all −Inf row −Inf − (−Inf) = NaN: torch's results.
 * - float32: y = x − max rounded to float32 (f32x4.sub), exp(y) in float32 lanes
 *   ({@link emitExpF32}), the exps added in float64 as described at {@link emitSpanSumF32}; the
 *   caller rounds Σ to float32 once. float64: the same in f64x2 lanes with {@link emitExpF64}.
 * - A row is summed in spans of {@link spanElems} elements, each span's Σ added to the row's in
 *   order (f64): the JS side streams longer rows span by span and adds the spans' sums the same
 *   way, so Σexp has the same bits whichever path computed it.
 * - steps: log_softmax = (x − max) − lse, softmax = exp(x − max)·(1/Σ) (torch's softmax over the
 *   last dimension: the reciprocal rounded to the dtype first; scalarRows.ts softmaxScale), with
 *   Σ rounded to the dtype and lse = log Σ (float32: rounded, as the scalar path's
 *   fround(Math.log(fround(Σ)))).
 * - grad: g_c = 0 − p_c·s with p_c = exp((x_c − max) − lse) and s the row's Σ of upstream
 *   gradients, then g_t += the upstream gradient at the target: log_softmax's backward as torch
 *   computes it, each operation rounded to the dtype.
 */
import { Func, Op, assembleModule, f32, f64, i32, v128, type ExportedFunc } from './wasmAssembler';
import {
  declareLocals,
  emitExpF32,
  emitExpF64,
  emitFlushF32,
  emitRowSum,
  emitSpanSumF32,
  emitSpanSumF64,
  emitRowAt,
  emitSlotAt,
  emitStoreStats,
  log2Size,
  pC,
  rowLoop,
  type Elem,
  type Locals,
} from './wasmKernelEmit';
import { declareMinChains, emitMax, emitRowMax } from './wasmMaxEmit';
import {
  emitStoreLse,
  emitGradPass,
  emitTargetGradG,
  emitLseSplat,
  emitStepsRowNorm,
  emitMinBound,
  emitLogPNormal,
} from './wasmGradEmit';

import { declareCascade, emitCascade, emitNegatedTotal, smoothFunc, smoothGradFunc } from './wasmSmoothEmit';
import { probFunc, probGradFunc, stepsProbFunc } from './wasmProbEmit';

export { spanElems } from './wasmKernelEmit';

/** rows_*: (x, nRows, C, out, params): per row the statistics (emitStoreStats). */
function rowsFunc(elem: Elem): Func {
  const f = new Func([i32, i32, i32, i32, i32], []);
  const L = declareLocals(f);
  rowLoop(f, L, elem, (n) => {
    emitRowMax(f, L, elem);
    emitRowSum(f, L, elem, false);
    emitStoreStats(f, L, elem, n);
  });
  return f;
}

/** maxSpan_*: (x, len) → max (f32, or f64 for f64). */
function maxSpanFunc(elem: Elem): Func {
  const f = new Func([i32, i32], [elem === 'f64' ? f64 : f32]);
  const L = declareLocals(f);
  f.get(0).set(L.p);
  f.get(0).get(1).i32(log2Size[elem]).op(Op.i32Shl).op(Op.i32Add).set(L.end);
  emitMax(f, L, elem);
  f.get(elem === 'f64' ? L.m64 : L.m);
  return f;
}

/** sumSpan_*: (x, len, m) → Σexp of the span (f64), exactly as one span of rows_*. */
function sumSpanFunc(elem: Elem): Func {
  const f = new Func([i32, i32, elem === 'f64' ? f64 : f32], [f64]);
  const L = declareLocals(f);
  f.get(0).set(L.p);
  f.get(0).get(1).i32(log2Size[elem]).op(Op.i32Shl).op(Op.i32Add).set(L.end);
  f.get(2)
    .simd(elem === 'f64' ? Op.f64x2Splat : Op.f32x4Splat)
    .set(L.vm);
  if (elem === 'f64') emitSpanSumF64(f, L, false);
  else emitSpanSumF32(f, L, elem, false);
  f.get(L.sd);
  return f;
}

/**
 * Emits: for the `count` elements at `d` and `e` (locals, advanced), d ← d − lse and e ← e / sum
 * with lse, sum splat in L.vm1, L.vm (float32 or float64 lanes), a vector at a time and the last
 * partial vector element by element (division and subtraction round once, as the scalar path's).
 */
function emitNormalize(f: Func, L: Locals, wide: boolean, count: number): void {
  const [sub, mul, sz] = wide ? [Op.f64x2Sub, Op.f64x2Mul, 8] : [Op.f32x4Sub, Op.f32x4Mul, 4];
  f.get(L.pd)
    .get(count)
    .i32(wide ? 3 : 2)
    .op(Op.i32Shl)
    .op(Op.i32Add)
    .set(L.end);
  f.block().loop();
  f.get(L.pd).i32(16).op(Op.i32Add).get(L.end).op(Op.i32GtU).brIf(1);
  f.get(L.pe).get(L.pe).v128Load(0).get(L.vm).simd(mul).v128Store(0);
  f.get(L.pd).get(L.pd).v128Load(0).get(L.vm1).simd(sub).v128Store(0);
  f.get(L.pd).i32(16).op(Op.i32Add).set(L.pd);
  f.get(L.pe).i32(16).op(Op.i32Add).set(L.pe);
  f.br(0).end().end();
  f.block().loop();
  f.get(L.pd).get(L.end).op(Op.i32GeU).brIf(1);
  if (wide) {
    f.get(L.pe).get(L.pe).mem(Op.f64Load, 3).get(L.vm).simd(Op.f64x2ExtractLane, 0).op(Op.f64Mul).mem(Op.f64Store, 3);
    f.get(L.pd).get(L.pd).mem(Op.f64Load, 3).get(L.s64).op(Op.f64Sub).mem(Op.f64Store, 3);
  } else {
    f.get(L.pe).get(L.pe).mem(Op.f32Load, 2).get(L.vm).simd(Op.f32x4ExtractLane, 0).op(Op.f32Mul).mem(Op.f32Store, 2);
    f.get(L.pd).get(L.pd).mem(Op.f32Load, 2).get(L.m).op(Op.f32Sub).mem(Op.f32Store, 2);
  }
  f.get(L.pd).i32(sz).op(Op.i32Add).set(L.pd);
  f.get(L.pe).i32(sz).op(Op.i32Add).set(L.pe);
  f.br(0).end().end();
}

/**
 * steps_f32 / steps_f64: (x, nRows, C, out, params, d, e). Per row the statistics as rows_*
 * (same code, same bits) storing x − max at d and exp at e, then lse = log Σ and the normalising
 * pass: d = log_softmax, e = softmax, both in the dtype, rows packed (C elements each).
 * With `smooth` (stepsSmooth_*: one more parameter, w, the weights in the dtype or 0), then the
 * row's label-smoothing part −Σ_c log p_c·w_c over the log_softmax just stored (still in the
 * cache), in torch's order (wasmSmoothEmit.ts), at params + 24n + 8 (f64). Needs C ≥ 8 (float32)
 * or ≥ 4 (float64) for that order.
 */
function stepsFunc(wide: boolean, smooth = false): Func {
  const elem: Elem = wide ? 'f64' : 'f32';
  const sz = wide ? 8 : 4;
  const f = new Func(smooth ? [i32, i32, i32, i32, i32, i32, i32, i32] : [i32, i32, i32, i32, i32, i32, i32], []);
  const L = declareLocals(f);
  const rowD = f.local(i32);
  const rowE = f.local(i32);
  const c = smooth ? declareCascade(f) : null;
  rowLoop(f, L, elem, (n) => {
    emitRowAt(f, 5, n, Math.log2(sz));
    f.tee(rowD).set(L.pd);
    emitRowAt(f, 6, n, Math.log2(sz));
    f.tee(rowE).set(L.pe);
    emitRowMax(f, L, elem);
    emitRowSum(f, L, elem, true);
    emitStoreStats(f, L, elem, n);
    emitStepsRowNorm(f, L, wide, n);
    f.get(rowD).set(L.pd);
    f.get(rowE).set(L.pe);
    emitNormalize(f, L, wide, 2);
    if (c) {
      // The log_softmax row [rowD, rowD + C·sz) summed; then L.rowEnd back to the input row's end.
      f.get(rowD).tee(L.p).get(pC).i32(Math.log2(sz)).op(Op.i32Shl).op(Op.i32Add).set(L.rowEnd);
      f.get(7).set(c.pw);
      emitCascade(f, L, wide ? 'lp64' : 'lp32', c);
      emitSlotAt(f, 'params', n);
      emitNegatedTotal(f, wide, c);
      f.mem(Op.f64Store, 3, 8);
      f.get(L.start).get(pC).i32(Math.log2(sz)).op(Op.i32Shl).op(Op.i32Add).set(L.rowEnd);
    }
  });
  return f;
}

/**
 * grad_f32 / grad_f64: (x, nRows, C, out, params, g). Per row the statistics as rows_*, lse =
 * log Σ, then g_c = 0 − exp((x_c − max) − lse)·s for every class (float32: each
 * step rounded, the exp flushed below 2^−126 — absolute error < 1.2e−38·|s|), and g_t += the
 * upstream gradient at the target t when t ≥ 0. Rows packed at g (C elements each, the dtype).
 * The max pass also takes the row's min; a row whose every x − max has a normal exp sums its
 * exps without the clamp (float64: with one 2^k factor), and one whose every log p does too, with
 * s's sign bit set, writes g = p·(−s) with exps that are neither clamped nor flushed and scaled
 * by an integer addition to the exponent: the same bits, about a tenth (float32) or a quarter
 * (float64) fewer operations (emitGradPass's `range` and `negated`; gradFastPath.test.ts).
 * A row whose params + 24n + 4 (i32) is non-zero has its statistics at out + 32n already (an
 * earlier job over the same input wrote them: wasmOutputs.ts wasmGradient), and is read once,
 * by the general gradient pass, instead of three times: the same bits again.
 *
 * gradG_f32 / gradG_f64 (`withG`, label smoothing): the same with a row of upstream gradients
 * G_c in place of the 0 — its address (i32, the dtype, C elements and 16 bytes of room after
 * them) at params + 24n + 4, so rows may share one — g_c = G_c − exp(log p_c)·s, and at the
 * target t ≥ 0 g_t = gout_t − exp(log p_t)·s with gout_t (the upstream gradient there, which
 * already holds G_t) at params + 24n + 16. The row's max and Σexp are not computed but read from
 * out + 32n, where the forward of the same request (smooth_* or rows_*, the same emitters, so
 * the same bits) left them: one pass over the row instead of three. lse is written at
 * out + 32n + 24 as grad_* does (over the forward's smoothing part there).
 */
function gradFunc(wide: boolean, withG = false): Func {
  const elem: Elem = wide ? 'f64' : 'f32';
  const sz = wide ? 8 : 4;
  const f = new Func([i32, i32, i32, i32, i32, i32], []);
  const L = declareLocals(f);
  const rowG = f.local(i32);
  const prm = f.local(i32);
  const vs = f.local(v128);
  const pg = withG ? f.local(i32) : -1;
  // grad_*: the row's min (a bound on x − max, and so on log p) and whether its exps are normal.
  const mn = withG ? null : declareMinChains(f, elem);
  const normal = withG ? -1 : f.local(i32);
  const vsNeg = withG ? -1 : f.local(v128);
  rowLoop(f, L, elem, (n) => {
    emitRowAt(f, 5, n, Math.log2(sz));
    f.set(rowG);
    emitSlotAt(f, 'params', n);
    f.set(prm);
    if (withG) {
      // The forward's max and Σexp at out + 32n (the row is not read for them again).
      emitKnownStats(f, L, wide, n);
    } else if (mn) {
      // params + 4 (i32) ≠ 0: out + 32n already holds this row's max, Σexp and x_t, from a job
      // of the same emitters over the same input (the same bits), so the row's two passes are
      // left out. Without its min the row takes the general gradient pass (the same bits too).
      f.get(prm).mem(Op.i32Load, 2, 4).if();
      emitKnownStats(f, L, wide, n);
      if (wide) f.f64(NaN).set(mn.into);
      else f.f32(NaN).set(mn.into);
      f.else();
      emitRowMax(f, L, elem, mn);
      emitMinBound(f, L, wide, mn, normal);
      emitRowSum(f, L, elem, false, normal);
      emitStoreStats(f, L, elem, n);
      f.end();
    }
    // lse splat in L.vm1, s in vs; L.p back to the row's start.
    emitLseSplat(f, L, wide, L.vm1);
    if (wide) {
      f.get(prm).mem(Op.f64Load, 3, 8).simd(Op.f64x2Splat).set(vs);
      emitStoreLse(f, n, () => f.get(L.s64));
    } else {
      f.get(prm).mem(Op.f64Load, 3, 8).op(Op.f32DemoteF64).simd(Op.f32x4Splat).set(vs);
      emitStoreLse(f, n, () => f.get(L.s).op(Op.f64PromoteF32));
    }
    if (withG) f.get(prm).mem(Op.i32Load, 2, 4).set(pg);
    f.get(L.start).set(L.p);
    f.get(rowG).set(L.pd);
    if (mn) {
      // The fast pass when every log p = (x − max) − lse ≥ (min − max) − lse has a normal exp and
      // s has its sign bit set (s = w_t·g0, g0 < 0): then g = p·(−s) (emitGradPass), the same
      // bits. No log p is NaN then (a NaN element makes Σ and lse NaN, and the test false), so
      // the exps are 'finite'.
      emitLogPNormal(f, L, wide, mn);
      f.get(vs).simd(wide ? Op.f64x2ExtractLane : Op.f32x4ExtractLane, 0);
      if (wide) f.op(Op.f32DemoteF64);
      f.op(Op.i32ReinterpretF32).i32(0).op(Op.i32LtS).op(Op.i32And).if();
      f.get(vs)
        .simd(wide ? Op.f64x2Neg : Op.f32x4Neg)
        .set(vsNeg);
      emitGradPass(f, L, wide, vsNeg, -1, 'finite', true);
      f.else();
      emitGradPass(f, L, wide, vs, -1);
      f.end();
    } else emitGradPass(f, L, wide, vs, pg);
    if (withG) emitTargetGradG(f, L, wide, prm, rowG, vs);
    else {
      // g_t += upstream gradient at t
      f.get(prm).mem(Op.i32Load, 2, 0).tee(L.rem).i32(0).op(Op.i32GeS).if();
      f.get(rowG).get(L.rem).i32(Math.log2(sz)).op(Op.i32Shl).op(Op.i32Add).tee(L.pe);
      if (wide) f.get(prm).mem(Op.f64Load, 3, 16).get(L.pe).mem(Op.f64Load, 3).op(Op.f64Add).mem(Op.f64Store, 3);
      else {
        f.get(prm).mem(Op.f64Load, 3, 16).op(Op.f32DemoteF64).get(L.pe).mem(Op.f32Load, 2).op(Op.f32Add);
        f.mem(Op.f32Store, 2);
      }
      f.end();
    }
  });
  return f;
}

/**
 * Emits: L.start ← the row's start (L.p); max (L.m or L.m64, splat in L.vm) and Σexp (L.total)
 * read from row `n`'s statistics at out + 32n, where an earlier job over the same row left them.
 */
function emitKnownStats(f: Func, L: Locals, wide: boolean, n: number): void {
  f.get(L.p).set(L.start);
  emitSlotAt(f, 'out', n);
  f.tee(L.pd).mem(Op.f64Load, 3, 0);
  if (wide) f.tee(L.m64).simd(Op.f64x2Splat).set(L.vm);
  else f.op(Op.f32DemoteF64).tee(L.m).simd(Op.f32x4Splat).set(L.vm);
  f.get(L.pd).mem(Op.f64Load, 3, 8).set(L.total);
}

/** exp_f32 / exp_f64: (x, len) in place, len a multiple of the lane count; float32 flushed. */
function expFunc(wide: boolean): Func {
  const f = new Func([i32, i32], []);
  const L = declareLocals(f);
  f.get(0).set(L.p);
  f.get(0)
    .get(1)
    .i32(wide ? 3 : 2)
    .op(Op.i32Shl)
    .op(Op.i32Add)
    .set(L.end);
  f.block().loop();
  f.get(L.p).get(L.end).op(Op.i32GeU).brIf(1);
  f.get(L.p).v128Load(0).set(L.ys[0]);
  f.get(L.p);
  if (wide) emitExpF64(f, L.ys[0], L.ts[0]);
  else {
    emitExpF32(f, L.ys[0], L.ts[0]);
    emitFlushF32(f, L.ys[0]);
  }
  f.v128Store(0);
  f.get(L.p).i32(16).op(Op.i32Add).set(L.p);
  f.br(0).end().end();
  return f;
}

/** demote: (src, dst, len) float64 at src → float32 at dst (may overlap only if dst ≤ src). */
function demoteFunc(): Func {
  const f = new Func([i32, i32, i32], []);
  const [src, dst, len] = [0, 1, 2];
  const end = f.local(i32);
  f.get(src).get(len).i32(3).op(Op.i32Shl).op(Op.i32Add).set(end);
  f.block().loop();
  f.get(src).i32(32).op(Op.i32Add).get(end).op(Op.i32GtU).brIf(1);
  f.get(dst).get(src).v128Load(0).simd(Op.f32x4DemoteF64x2Zero);
  f.get(src).v128Load(16).simd(Op.f32x4DemoteF64x2Zero);
  f.simd(Op.i8x16Shuffle, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23).v128Store(0);
  f.get(src).i32(32).op(Op.i32Add).set(src);
  f.get(dst).i32(16).op(Op.i32Add).set(dst);
  f.br(0).end().end();
  f.block().loop();
  f.get(src).get(end).op(Op.i32GeU).brIf(1);
  f.get(dst).get(src).mem(Op.f64Load, 3).op(Op.f32DemoteF64).mem(Op.f32Store, 2);
  f.get(src).i32(8).op(Op.i32Add).set(src);
  f.get(dst).i32(4).op(Op.i32Add).set(dst);
  f.br(0).end().end();
  return f;
}

/** The steps with label smoothing: the plain steps' arguments, then the smoothing sums' workspace `w`. */
type StepsSmooth = (
  x: number,
  nRows: number,
  C: number,
  out: number,
  params: number,
  d: number,
  e: number,
  w: number,
) => void;

/** The probability-target rows (wasmProbEmit.ts): the row arguments, then q, w, 1 − ε, ε / C. */
type ProbRows = (
  x: number,
  nRows: number,
  C: number,
  out: number,
  params: number,
  q: number,
  w: number,
  a: number,
  b: number,
) => void;

/** The probability-target forward and gradient (wasmProbEmit.ts): prob_*'s arguments, then g, g0. */
type ProbGradRows = (...args: [...Parameters<ProbRows>, g: number, g0: number]) => void;

/** The probability-target steps (wasmProbEmit.ts): the steps' arguments (x … d, e), then prob_*'s q, w, a, b. */
type StepsProbRows = (
  ...args: [
    x: number,
    nRows: number,
    C: number,
    out: number,
    params: number,
    d: number,
    e: number,
    q: number,
    w: number,
    a: number,
    b: number,
  ]
) => void;

/** The exported functions, typed. Names as in the module; see the file comment. */
export interface KernelExports {
  rows_f32(x: number, nRows: number, C: number, out: number, params: number): void;
  rows_f64s(x: number, nRows: number, C: number, out: number, params: number): void;
  rows_f64(x: number, nRows: number, C: number, out: number, params: number): void;
  maxSpan_f32(x: number, len: number): number;
  maxSpan_f64s(x: number, len: number): number;
  maxSpan_f64(x: number, len: number): number;
  sumSpan_f32(x: number, len: number, m: number): number;
  sumSpan_f64s(x: number, len: number, m: number): number;
  sumSpan_f64(x: number, len: number, m: number): number;
  steps_f32(x: number, nRows: number, C: number, out: number, params: number, d: number, e: number): void;
  steps_f64(x: number, nRows: number, C: number, out: number, params: number, d: number, e: number): void;
  stepsSmooth_f32: StepsSmooth;
  stepsSmooth_f64: StepsSmooth;
  grad_f32(x: number, nRows: number, C: number, out: number, params: number, g: number): void;
  grad_f64(x: number, nRows: number, C: number, out: number, params: number, g: number): void;
  gradG_f32(x: number, nRows: number, C: number, out: number, params: number, g: number): void;
  gradG_f64(x: number, nRows: number, C: number, out: number, params: number, g: number): void;
  prob_f32: ProbRows;
  prob_f64s: ProbRows;
  prob_f64: ProbRows;
  probSmooth_f32: ProbRows;
  probSmooth_f64s: ProbRows;
  probSmooth_f64: ProbRows;
  probGrad_f32: ProbGradRows;
  probGrad_f64: ProbGradRows;
  probGradSmooth_f32: ProbGradRows;
  probGradSmooth_f64: ProbGradRows;
  stepsProb_f32: StepsProbRows;
  stepsProb_f64: StepsProbRows;
  stepsProbSmooth_f32: StepsProbRows;
  stepsProbSmooth_f64: StepsProbRows;
  exp_f32(x: number, len: number): void;
  exp_f64(x: number, len: number): void;
  demote(src: number, dst: number, len: number): void;
  smooth_f32(x: number, nRows: number, C: number, out: number, params: number, w: number): void;
  smooth_f64s(x: number, nRows: number, C: number, out: number, params: number, w: number): void;
  smooth_f64(x: number, nRows: number, C: number, out: number, params: number, w: number): void;
  smoothGrad_f32(x: number, nRows: number, C: number, out: number, params: number, g: number, w: number): void;
  smoothGrad_f64(x: number, nRows: number, C: number, out: number, params: number, g: number, w: number): void;
}

/** Names of the functions a row job may run: their parameters start (x, nRows, C, out, params, …). */
export type RowFunction =
  | 'rows_f32'
  | 'rows_f64s'
  | 'rows_f64'
  | 'steps_f32'
  | 'steps_f64'
  | 'grad_f32'
  | 'grad_f64'
  | 'gradG_f32'
  | 'gradG_f64'
  | 'smooth_f32'
  | 'smooth_f64'
  | 'stepsSmooth_f32'
  | 'stepsSmooth_f64'
  | 'smoothGrad_f32'
  | 'smoothGrad_f64'
  | 'prob_f32'
  | 'prob_f64'
  | 'probSmooth_f32'
  | 'probSmooth_f64'
  | 'probGrad_f32'
  | 'probGrad_f64'
  | 'probGradSmooth_f32'
  | 'probGradSmooth_f64'
  | 'stepsProb_f32'
  | 'stepsProb_f64'
  | 'stepsProbSmooth_f32'
  | 'stepsProbSmooth_f64';

function exportsList(): ExportedFunc[] {
  return [
    { name: 'rows_f32', func: rowsFunc('f32') },
    { name: 'rows_f64s', func: rowsFunc('f64s') },
    { name: 'rows_f64', func: rowsFunc('f64') },
    { name: 'maxSpan_f32', func: maxSpanFunc('f32') },
    { name: 'maxSpan_f64s', func: maxSpanFunc('f64s') },
    { name: 'maxSpan_f64', func: maxSpanFunc('f64') },
    { name: 'sumSpan_f32', func: sumSpanFunc('f32') },
    { name: 'sumSpan_f64s', func: sumSpanFunc('f64s') },
    { name: 'sumSpan_f64', func: sumSpanFunc('f64') },
    { name: 'steps_f32', func: stepsFunc(false) },
    { name: 'steps_f64', func: stepsFunc(true) },
    { name: 'stepsSmooth_f32', func: stepsFunc(false, true) },
    { name: 'stepsSmooth_f64', func: stepsFunc(true, true) },
    { name: 'grad_f32', func: gradFunc(false) },
    { name: 'grad_f64', func: gradFunc(true) },
    { name: 'gradG_f32', func: gradFunc(false, true) },
    { name: 'gradG_f64', func: gradFunc(true, true) },
    { name: 'prob_f32', func: probFunc('f32', false) },
    { name: 'prob_f64s', func: probFunc('f64s', false) },
    { name: 'prob_f64', func: probFunc('f64', false) },
    { name: 'probSmooth_f32', func: probFunc('f32', true) },
    { name: 'probSmooth_f64s', func: probFunc('f64s', true) },
    { name: 'probSmooth_f64', func: probFunc('f64', true) },
    { name: 'probGrad_f32', func: probGradFunc(false, false) },
    { name: 'probGrad_f64', func: probGradFunc(true, false) },
    { name: 'probGradSmooth_f32', func: probGradFunc(false, true) },
    { name: 'probGradSmooth_f64', func: probGradFunc(true, true) },
    { name: 'stepsProb_f32', func: stepsProbFunc(false, false) },
    { name: 'stepsProb_f64', func: stepsProbFunc(true, false) },
    { name: 'stepsProbSmooth_f32', func: stepsProbFunc(false, true) },
    { name: 'stepsProbSmooth_f64', func: stepsProbFunc(true, true) },
    { name: 'exp_f32', func: expFunc(false) },
    { name: 'exp_f64', func: expFunc(true) },
    { name: 'demote', func: demoteFunc() },
    { name: 'smooth_f32', func: smoothFunc('f32') },
    { name: 'smooth_f64s', func: smoothFunc('f64s') },
    { name: 'smooth_f64', func: smoothFunc('f64') },
    { name: 'smoothGrad_f32', func: smoothGradFunc(false) },
    { name: 'smoothGrad_f64', func: smoothGradFunc(true) },
  ];
}

/**
 * The module's bytes. It imports `env.log` (Math.log: the one operation wasm lacks; the same
 * function the scalar path calls, so lse has the same bits) and `env.memory` (at least one page;
 * `shared`: a shared memory of at most 65536 pages, which row jobs in other threads use too).
 */
export function kernelModuleBytes(shared: boolean): Uint8Array {
  return assembleModule(exportsList(), {
    minPages: 1,
    shared,
    imports: [{ name: 'log', params: [f64], results: [f64] }],
  });
}
