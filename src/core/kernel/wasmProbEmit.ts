/**
 * The probability-target row functions of the kernel's module (wasmKernelModule.ts): per row the
 * statistics of rows_* (same emitters, same bits), lse = log Σ as the steps form it, then
 * Σ_c log p_c·q_c·w_c, the row's loss before its sign, so the forward with probability targets
 * reads each row (and its targets) once while it is in the cache instead of a scalar pass in
 * JavaScript.
 *
 * The sum is the JS reference's, scalarRows.ts probabilityLosses, term for term and in its order:
 * log p_c = (x_c − max) − lse, as the steps store it; with label smoothing q_c becomes
 * (q_c·(1 − ε)) + ε/C; term = log p_c·q_c (times w_c when weighted), each operation in the dtype
 * (f32x4 / f64x2 lanes), and the terms added in class order in float64 — a vector's lanes
 * extracted one by one, float32 lanes promoted — so the total has the reference's bits exactly.
 * The vector lanes pay for the arithmetic; the float64 additions are serial, as the reference's.
 */
import { Func, Op, f32, f64, i32, v128 } from './wasmAssembler';
import {
  declareLocals,
  emitRowAt,
  emitRowSum,
  emitSlotAt,
  emitStoreStats,
  pC,
  rowLoop,
  type Elem,
  type Locals,
} from './wasmKernelEmit';
import { declareMinChains, emitRowMax } from './wasmMaxEmit';
import { emitGradPassByRange, emitLseSplat, emitMinBound, emitStepsRowNorm } from './wasmGradEmit';

/** Parameters after (x, nRows, C, out, params): the targets q, the weights w (0: none), 1 − ε, ε / C. */
const [pQ, pW, pA, pB] = [5, 6, 7, 8];

/**
 * Emits: each parameter (float64: 1 − ε, ε / C, g0) splat into its v128 local in the dtype's
 * lanes (float32: rounded first), as the functions below take them once per call.
 */
function emitSplatParams(f: Func, wide: boolean, pairs: Array<[param: number, local: number]>): void {
  for (const [param, v] of pairs) {
    f.get(param);
    if (!wide) f.op(Op.f32DemoteF64);
    f.simd(wide ? Op.f64x2Splat : Op.f32x4Splat).set(v);
  }
}

/** The dtype's lane operations: vector (f32x4 / f64x2) or scalar (f32 / f64). */
function laneOps(wide: boolean, vector: boolean): { sub: number; mul: number; add: number } {
  if (vector)
    return wide
      ? { sub: Op.f64x2Sub, mul: Op.f64x2Mul, add: Op.f64x2Add }
      : { sub: Op.f32x4Sub, mul: Op.f32x4Mul, add: Op.f32x4Add };
  return wide ? { sub: Op.f64Sub, mul: Op.f64Mul, add: Op.f64Add } : { sub: Op.f32Sub, mul: Op.f32Mul, add: Op.f32Add };
}

/**
 * Emits, on the stack: q̃ at local `pq`, a vector (`smooth`: (q·(1 − ε)) + ε/C with 1 − ε, ε/C
 * splat in `va`, `vb`) or, with `scalar`, one element (1 − ε, ε/C from parameters a, b).
 */
function emitTargetQ(
  f: Func,
  wide: boolean,
  smooth: boolean,
  pq: number,
  at: { va: number; vb: number } | { a: number; b: number; scalar: true },
): void {
  if ('scalar' in at) {
    const { mul, add } = laneOps(wide, false);
    f.get(pq).mem(wide ? Op.f64Load : Op.f32Load, wide ? 3 : 2);
    if (!smooth) return;
    for (const [param, op] of [
      [at.a, mul],
      [at.b, add],
    ]) {
      f.get(param);
      if (!wide) f.op(Op.f32DemoteF64);
      f.op(op);
    }
    return;
  }
  const { mul, add } = laneOps(wide, true);
  f.get(pq).v128Load(0);
  if (smooth) f.get(at.va).simd(mul).get(at.vb).simd(add);
}

/**
 * Emits, on the stack: local `v` times the weights at local `pw` (a vector, or with `scalar` one
 * element), or `v` itself when pw is 0 (unweighted).
 */
function emitTimesW(f: Func, wide: boolean, v: number, pw: number, scalar = false): void {
  f.get(v).get(pw);
  if (scalar)
    f.mem(wide ? Op.f64Load : Op.f32Load, wide ? 3 : 2)
      .get(v)
      .op(laneOps(wide, false).mul);
  else f.v128Load(0).get(v).simd(laneOps(wide, true).mul);
  f.get(pw).op(Op.i32Eqz).op(Op.select);
}

/** Emits: the weights' pointer `pw` advanced by `bytes`, unless it is 0 (unweighted). */
function emitAdvanceW(f: Func, pw: number, bytes: number): void {
  f.get(pw).get(pw).i32(bytes).op(Op.i32Add).get(pw).op(Op.i32Eqz).op(Op.select).set(pw);
}

/** Emits: lane `l` of vector `v` added to the float64 `sum` (float32 lanes promoted). */
function emitAddLane(f: Func, wide: boolean, v: number, l: number, sum: number): void {
  f.get(sum)
    .get(v)
    .simd(wide ? Op.f64x2ExtractLane : Op.f32x4ExtractLane, l);
  if (!wide) f.op(Op.f64PromoteF32);
  f.op(Op.f64Add).set(sum);
}

/** Emits: the float32 or float64 on the stack added to the float64 `sum` (float32 promoted). */
function emitAddScalar(f: Func, wide: boolean, sum: number): void {
  if (!wide) f.op(Op.f64PromoteF32);
  f.get(sum).op(Op.f64Add).set(sum);
}

/**
 * prob_{f32,f64s,f64} (smooth false) and probSmooth_* (smooth true): (x, nRows, C, out, params,
 * q, w, a, b). q: the rows' targets, C per row, in the dtype (float32 for f32 and f64s); w: the
 * weights in the dtype, or 0; a = 1 − ε and b = ε / C as float64, rounded to float32 for the
 * float32 dtype (used by probSmooth_* only). Per row the statistics at out + 32n as rows_* (the
 * params' target slot holds −1), and at out + 32n + 24 the sum Σ_c log p_c·q_c·w_c (float64).
 */
export function probFunc(elem: Elem, smooth: boolean): Func {
  const wide = elem === 'f64';
  const f = new Func([i32, i32, i32, i32, i32, i32, i32, f64, f64], []);
  const L = declareLocals(f);
  const pq = f.local(i32);
  const pw = f.local(i32);
  const vlse = f.local(v128);
  const va = f.local(v128);
  const vb = f.local(v128);
  const t = f.local(v128);
  const tot = f.local(f64);
  const { sub, mul } = laneOps(wide, true);
  // 1 − ε and ε / C as vectors of the dtype.
  emitSplatParams(f, wide, [
    [pA, va],
    [pB, vb],
  ]);
  f.get(pQ).set(pq);
  f.get(pW).set(pw);
  rowLoop(f, L, elem, (n) => {
    emitRowMax(f, L, elem);
    emitRowSum(f, L, elem, false);
    emitStoreStats(f, L, elem, n);
    emitLseSplat(f, L, wide, vlse);
    f.get(L.start).set(L.p);
    f.f64(0).set(tot);
    const lanes = wide ? 2 : 4;
    const inStep = elem === 'f64s' ? 32 : 16;
    // Whole vectors: p + inStep ≤ rowEnd.
    f.block().loop();
    f.get(L.p).i32(inStep).op(Op.i32Add).get(L.rowEnd).op(Op.i32GtU).brIf(1);
    emitLoadX(f, L, elem);
    f.get(L.vm).simd(sub).get(vlse).simd(sub);
    emitTargetQ(f, wide, smooth, pq, { va, vb });
    f.simd(mul).set(t);
    // Weighted: t·w; unweighted (pw = 0): t.
    emitTimesW(f, wide, t, pw);
    f.set(t);
    for (let l = 0; l < lanes; l++) emitAddLane(f, wide, t, l, tot);
    f.get(L.p).i32(inStep).op(Op.i32Add).set(L.p);
    f.get(pq).i32(16).op(Op.i32Add).set(pq);
    emitAdvanceW(f, pw, 16);
    f.br(0).end().end();
    emitTail(f, L, elem, smooth, { pq, pw, tot });
    emitSlotAt(f, 'out', n);
    f.get(tot).mem(Op.f64Store, 3, 24);
    // The weights start over for the next row.
    f.get(pW).set(pw);
  });
  return f;
}

/** Emits: the vector of x at L.p in the dtype's lanes (f64s: four float64 rounded to float32). */
function emitLoadX(f: Func, L: Locals, elem: Elem): void {
  if (elem === 'f64s') {
    f.get(L.p).v128Load(0).simd(Op.f32x4DemoteF64x2Zero);
    f.get(L.p).v128Load(16).simd(Op.f32x4DemoteF64x2Zero);
    f.simd(Op.i8x16Shuffle, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  } else f.get(L.p).v128Load(0);
}

/** Emits: the elements after the last whole vector, one at a time, as the vector lanes do them. */
function emitTail(f: Func, L: Locals, elem: Elem, smooth: boolean, v: { pq: number; pw: number; tot: number }): void {
  const wide = elem === 'f64';
  const { sub, mul } = laneOps(wide, false);
  const [load, align, sz] = wide ? [Op.f64Load, 3, 8] : [Op.f32Load, 2, 4];
  const term = f.local(wide ? f64 : f32);
  f.block().loop();
  f.get(L.p).get(L.rowEnd).op(Op.i32GeU).brIf(1);
  f.get(L.p);
  if (elem === 'f64s') f.mem(Op.f64Load, 3).op(Op.f32DemoteF64);
  else f.mem(load, align);
  f.get(wide ? L.m64 : L.m)
    .op(sub)
    .get(wide ? L.s64 : L.s)
    .op(sub);
  emitTargetQ(f, wide, smooth, v.pq, { a: pA, b: pB, scalar: true });
  f.op(mul).set(term);
  emitTimesW(f, wide, term, v.pw, true);
  emitAddScalar(f, wide, v.tot);
  f.get(L.p)
    .i32(elem === 'f64s' ? 8 : sz)
    .op(Op.i32Add)
    .set(L.p);
  f.get(v.pq).i32(sz).op(Op.i32Add).set(v.pq);
  emitAdvanceW(f, v.pw, sz);
  f.br(0).end().end();
}

/** Parameters of probGrad_* after those of prob_*: the gradient rows g, the upstream scale g0. */
const [pG, pG0] = [9, 10];

/**
 * probGrad_{f32,f64} (smooth false) and probGradSmooth_* (smooth true): (x, nRows, C, out,
 * params, q, w, a, b, g, g0), the forward of prob_* and the gradient in one call, each row read
 * while it is in the cache: its statistics and Σ_c log p_c·q_c·w_c as prob_* stores them (the same
 * emitters and order, so the same bits), and in the same pass over the row the upstream gradients
 * gout_c = (q̃_c·w_c)·g0 (q̃ the smoothed target, w_c omitted when unweighted, each product
 * rounded to the dtype) stored at the row's gradient and added in class order in float64 into
 * Σ_c gout_c, rounded to the dtype — crossEntropy.ts sampleGradient's upstream row and sum, the
 * two serial float64 sums running side by side; then {@link emitGradPass} overwrites the row with
 * g_c = gout_c − exp(log p_c)·Σ (each vector of gout read before its gradient is written there),
 * its exps shorter where the row's range allows (emitGradPassByRange; the max pass takes the min).
 * Σ is known only after the row's last gout, so this pass cannot join the loss pass.
 * Rows: float32 (f32) or float64 (f64) in the dtype (no f64s: the gradient reads the dtype copy).
 * g0 is the dtype's value as float64; the row of gradients is C elements at g + n·C·size.
 */
export function probGradFunc(wide: boolean, smooth: boolean): Func {
  const elem: Elem = wide ? 'f64' : 'f32';
  const sz = wide ? 8 : 4;
  const f = new Func([i32, i32, i32, i32, i32, i32, i32, f64, f64, i32, f64], []);
  const L = declareLocals(f);
  const pq = f.local(i32);
  const pw = f.local(i32);
  const pg = f.local(i32);
  const rowG = f.local(i32);
  const va = f.local(v128);
  const vb = f.local(v128);
  const vg0 = f.local(v128);
  const vs = f.local(v128);
  const qt = f.local(v128);
  const t = f.local(v128);
  const u = f.local(v128);
  const tot = f.local(f64);
  const up = f.local(f64);
  // The row's min, for the shorter exps where the row's range allows them (emitGradPassByRange).
  const mn = declareMinChains(f, elem);
  const normal = f.local(i32);
  const { sub, mul } = laneOps(wide, true);
  const splat = wide ? Op.f64x2Splat : Op.f32x4Splat;
  emitSplatParams(f, wide, [
    [pA, va],
    [pB, vb],
    [pG0, vg0],
  ]);
  f.get(pQ).set(pq);
  rowLoop(f, L, elem, (n) => {
    emitRowMax(f, L, elem, mn);
    emitMinBound(f, L, wide, mn, normal);
    emitRowSum(f, L, elem, false, normal);
    emitStoreStats(f, L, elem, n);
    // lse as prob_* forms it, in L.s64 / L.s and splat in L.vm1 (where emitGradPass reads it).
    emitLseSplat(f, L, wide, L.vm1);
    f.get(pW).set(pw);
    emitRowAt(f, pG, n, Math.log2(sz));
    f.tee(rowG).set(pg);
    f.get(L.start).set(L.p);
    f.f64(0).tee(tot).set(up);
    const lanes = wide ? 2 : 4;
    // Whole vectors: p + 16 ≤ rowEnd.
    f.block().loop();
    f.get(L.p).i32(16).op(Op.i32Add).get(L.rowEnd).op(Op.i32GtU).brIf(1);
    emitTargetQ(f, wide, smooth, pq, { va, vb });
    f.set(qt);
    // The loss term ((x − max) − lse)·q̃, times w when weighted (prob_*'s operations).
    f.get(L.p).v128Load(0).get(L.vm).simd(sub).get(L.vm1).simd(sub).get(qt).simd(mul).set(t);
    emitTimesW(f, wide, t, pw);
    f.set(t);
    // The upstream gradient (q̃·w)·g0, or q̃·g0 unweighted, stored where the row's gradient goes.
    emitTimesW(f, wide, qt, pw);
    f.get(vg0).simd(mul).set(u);
    f.get(pg).get(u).v128Store(0);
    for (let l = 0; l < lanes; l++) {
      emitAddLane(f, wide, t, l, tot);
      emitAddLane(f, wide, u, l, up);
    }
    f.get(L.p).i32(16).op(Op.i32Add).set(L.p);
    f.get(pq).i32(16).op(Op.i32Add).set(pq);
    f.get(pg).i32(16).op(Op.i32Add).set(pg);
    emitAdvanceW(f, pw, 16);
    f.br(0).end().end();
    emitGradTail(f, L, wide, smooth, { pq, pw, pg, tot, up });
    emitSlotAt(f, 'out', n);
    f.get(tot).mem(Op.f64Store, 3, 24);
    // Σ gout rounded to the dtype, splat; then the gradient over the row, in place of gout.
    f.get(up);
    if (!wide) f.op(Op.f32DemoteF64);
    f.simd(splat).set(vs);
    f.get(L.start).set(L.p);
    f.get(rowG).tee(L.pd).set(pg);
    emitGradPassByRange(f, L, wide, mn, vs, pg);
  });
  return f;
}

/** Emits {@link probGradFunc}'s elements after the last whole vector, one at a time, as its lanes do them. */
function emitGradTail(
  f: Func,
  L: Locals,
  wide: boolean,
  smooth: boolean,
  v: { pq: number; pw: number; pg: number; tot: number; up: number },
): void {
  const { sub, mul } = laneOps(wide, false);
  const [load, store, align, sz] = wide ? [Op.f64Load, Op.f64Store, 3, 8] : [Op.f32Load, Op.f32Store, 2, 4];
  const qt = f.local(wide ? f64 : f32);
  const term = f.local(wide ? f64 : f32);
  f.block().loop();
  f.get(L.p).get(L.rowEnd).op(Op.i32GeU).brIf(1);
  emitTargetQ(f, wide, smooth, v.pq, { a: pA, b: pB, scalar: true });
  f.set(qt);
  f.get(L.p).mem(load, align);
  f.get(wide ? L.m64 : L.m)
    .op(sub)
    .get(wide ? L.s64 : L.s)
    .op(sub)
    .get(qt)
    .op(mul)
    .set(term);
  emitTimesW(f, wide, term, v.pw, true);
  emitAddScalar(f, wide, v.tot);
  emitTimesW(f, wide, qt, v.pw, true);
  f.get(pG0);
  if (!wide) f.op(Op.f32DemoteF64);
  f.op(mul).set(term);
  f.get(v.pg).get(term).mem(store, align);
  f.get(term);
  emitAddScalar(f, wide, v.up);
  for (const p of [L.p, v.pq, v.pg]) f.get(p).i32(sz).op(Op.i32Add).set(p);
  emitAdvanceW(f, v.pw, sz);
  f.br(0).end().end();
}

/** Parameters of stepsProb_* after (x, nRows, C, out, params): log_softmax d, softmax e, then prob_*'s q, w, a, b. */
const [sD, sE, sQ, sW, sA, sB] = [5, 6, 7, 8, 9, 10];

/**
 * stepsProb_{f32,f64} (smooth false) and stepsProbSmooth_* (smooth true): (x, nRows, C, out,
 * params, d, e, q, w, a, b), the steps of steps_* (wasmKernelModule.ts: the statistics, x − max
 * and exp stored on the way, lse, then log_softmax at d and softmax at e) with the loss sum of
 * prob_* taken in the normalising pass: each vector of log_softmax, as it is stored, times q̃
 * (q, or q·(1 − ε) + ε/C) and w when weighted, its lanes added in class order in float64 — the
 * terms and order of scalarRows.ts probabilityLosses over the stored log_softmax, so the same bits
 * as prob_* and the reference. The sum at params + 24n + 8 (f64), as stepsSmooth_* stores its
 * part; lse at out + 32n + 24 as steps_*. One pass over the row fewer than steps_* then the
 * reference's pass over the materialised log_softmax, and the row still in the cache.
 */
export function stepsProbFunc(wide: boolean, smooth: boolean): Func {
  const elem: Elem = wide ? 'f64' : 'f32';
  const sz = wide ? 8 : 4;
  const lg = Math.log2(sz);
  const f = new Func([i32, i32, i32, i32, i32, i32, i32, i32, i32, f64, f64], []);
  const L = declareLocals(f);
  const rowD = f.local(i32);
  const rowE = f.local(i32);
  const pq = f.local(i32);
  const pw = f.local(i32);
  const va = f.local(v128);
  const vb = f.local(v128);
  const dv = f.local(v128);
  const t = f.local(v128);
  const tot = f.local(f64);
  const { sub, mul } = laneOps(wide, true);
  emitSplatParams(f, wide, [
    [sA, va],
    [sB, vb],
  ]);
  rowLoop(f, L, elem, (n) => {
    const rowOf = (param: number, into: number): void => {
      emitRowAt(f, param, n, lg);
      f.set(into);
    };
    rowOf(sD, rowD);
    rowOf(sE, rowE);
    rowOf(sQ, pq);
    f.get(rowD).set(L.pd);
    f.get(rowE).set(L.pe);
    emitRowMax(f, L, elem);
    emitRowSum(f, L, elem, true);
    emitStoreStats(f, L, elem, n);
    // As steps_*: float64 Σ in L.sd, lse in L.s64; float32 Σ in L.s, lse in L.m; splat in vm, vm1.
    emitStepsRowNorm(f, L, wide, n);
    f.get(sW).set(pw);
    f.f64(0).set(tot);
    f.get(rowD).tee(L.pd).get(pC).i32(lg).op(Op.i32Shl).op(Op.i32Add).set(L.end);
    f.get(rowE).set(L.pe);
    const lanes = wide ? 2 : 4;
    // Whole vectors: pd + 16 ≤ end.
    f.block().loop();
    f.get(L.pd).i32(16).op(Op.i32Add).get(L.end).op(Op.i32GtU).brIf(1);
    f.get(L.pe).get(L.pe).v128Load(0).get(L.vm).simd(mul).v128Store(0);
    f.get(L.pd).get(L.pd).v128Load(0).get(L.vm1).simd(sub).tee(dv).v128Store(0);
    emitTargetQ(f, wide, smooth, pq, { va, vb });
    f.get(dv).simd(mul).set(t);
    emitTimesW(f, wide, t, pw);
    f.set(t);
    for (let l = 0; l < lanes; l++) emitAddLane(f, wide, t, l, tot);
    for (const ptr of [L.pd, L.pe, pq]) f.get(ptr).i32(16).op(Op.i32Add).set(ptr);
    emitAdvanceW(f, pw, 16);
    f.br(0).end().end();
    emitStepsProbTail(f, L, wide, smooth, { pq, pw, tot });
    emitSlotAt(f, 'params', n);
    f.get(tot).mem(Op.f64Store, 3, 8);
  });
  return f;
}

/** Emits {@link stepsProbFunc}'s elements after the last whole vector, one at a time, as its lanes do them. */
function emitStepsProbTail(
  f: Func,
  L: Locals,
  wide: boolean,
  smooth: boolean,
  v: { pq: number; pw: number; tot: number },
): void {
  const { sub, mul } = laneOps(wide, false);
  const [load, store, align, sz] = wide ? [Op.f64Load, Op.f64Store, 3, 8] : [Op.f32Load, Op.f32Store, 2, 4];
  const lp = f.local(wide ? f64 : f32);
  const term = f.local(wide ? f64 : f32);
  f.block().loop();
  f.get(L.pd).get(L.end).op(Op.i32GeU).brIf(1);
  f.get(L.pe)
    .get(L.pe)
    .mem(load, align)
    .get(L.vm)
    .simd(wide ? Op.f64x2ExtractLane : Op.f32x4ExtractLane, 0)
    .op(mul)
    .mem(store, align);
  f.get(L.pd)
    .get(L.pd)
    .mem(load, align)
    .get(wide ? L.s64 : L.m)
    .op(sub)
    .tee(lp)
    .mem(store, align);
  emitTargetQ(f, wide, smooth, v.pq, { a: sA, b: sB, scalar: true });
  f.get(lp).op(mul).set(term);
  emitTimesW(f, wide, term, v.pw, true);
  emitAddScalar(f, wide, v.tot);
  for (const p of [L.pd, L.pe, v.pq]) f.get(p).i32(sz).op(Op.i32Add).set(p);
  emitAdvanceW(f, v.pw, sz);
  f.br(0).end().end();
}
