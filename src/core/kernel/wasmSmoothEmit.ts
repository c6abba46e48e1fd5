/**
 * The label-smoothing row function of the kernel's module (wasmKernelModule.ts): per row the
 * statistics of rows_* (same emitters, same bits), lse = log Σ as the steps form it, then the
 * smoothing part −Σ_c log p_c·w_c with the Σ in torch 1.13's own order, so the forward with label
 * smoothing reads each row once from the scratch workspace while it is in the cache, instead of a
 * second pass over it in JavaScript.
 *
 * The order is smoothing.ts's `torchSumOf` for a contiguous row of C ≥ lanes elements (lanes = 8
 * float32 or 4 float64, the AVX2 build's vector): the row's ⌊C/lanes⌋ vectors go through torch's
 * `row_sum` (four interleaved vector accumulators, `multi_row_sum`'s cascade of four levels carried
 * every 2^levelPower groups of four vectors, the levels folded, the left-over vectors added to the
 * first accumulator, the four accumulators folded), then a scalar starting at 0 adds the
 * elements after the last whole vector in order, then the lanes in order. One lane vector of
 * torch is two v128 here in both dtypes (8 float32 or 4 float64), and every addition is the
 * dtype's, lane by lane, so each lane gets the same sequence of roundings as the JS reference.
 * A row of fewer than `lanes` elements is summed differently by torch (one scalar lane): the JS
 * side keeps those rows (wasmSmooth.ts).
 *
 * The terms, as smoothing.ts's smoothingOfRow: float32 fround(fround(x − max) − lse)·w rounded
 * (f32x4 sub, sub, mul; the f64s rows rounded to float32 on load), float64 (x − max − lse)·w.
 */
import { Func, Op, f32, f64, i32, v128 } from './wasmAssembler';
import {
  declareLocals,
  emitRowAt,
  emitRowSum,
  emitSlotAt,
  emitStoreStats,
  rowLoop,
  type Elem,
  type ExpRange,
  type Locals,
} from './wasmKernelEmit';
import { declareMinChains, emitRowMax, type MinChains } from './wasmMaxEmit';
import {
  emitGradPass,
  emitGradVectors,
  emitLogPNormal,
  emitMinBound,
  emitTargetGradG,
  emitLseSplat,
} from './wasmGradEmit';

/** Cascade levels and interleaved accumulators of torch's `multi_row_sum` (smoothing.ts). */
const levels = 4;
/** v128 registers per accumulator row: four interleaved lane vectors of two v128 each. */
const perLevel = 8;
/** The function's sixth parameter: the weights (C elements; float32 for f32/f64s), or 0. */
const pW = 5;
/** smoothGrad_*'s sixth and seventh: the gradient rows, the weights (or 0). */
const [gradG, gradW] = [5, 6];

/**
 * smooth_{f32,f64s,f64}: (x, nRows, C, out, params, w). Per row the statistics at out + 32n as
 * rows_* writes them (max, Σexp, x_t), and at out + 32n + 24 the row's smoothing part −Σ_c log
 * p_c·w_c (float64; the dtype's value). `w` = 0: unweighted. Needs C ≥ 8 (float32) or ≥ 4
 * (float64); reads up to 16 bytes past a row's end only where rows_* does.
 */
export function smoothFunc(elem: Elem): Func {
  const f = new Func([i32, i32, i32, i32, i32, i32], []);
  const L = declareLocals(f);
  const c = declareCascade(f);
  rowLoop(f, L, elem, (n) => emitSmoothRow(f, L, elem, c, n, pW));
  return f;
}

/**
 * One row of smooth_*: the statistics at out + 32n, lse, and at out + 32n + 24 the row's smoothing
 * part; `weights` is the parameter holding the weights' pointer. Shared with smoothGrad_* so both
 * give the same bits. Leaves lse splat in `c.vlse`. With `min` (smoothGrad_*), the max pass also
 * takes the row's min, left as the bound min − max in min.mn.into (emitMinBound), and a row whose
 * every x − max has a normal exp sums its exps without the clamp: the same bits.
 */
function emitSmoothRow(
  f: Func,
  L: Locals,
  elem: Elem,
  c: CascadeLocals,
  n: number,
  weights: number,
  min?: { mn: MinChains; normal: number },
): void {
  const wide = elem === 'f64';
  emitRowMax(f, L, elem, min?.mn);
  if (min) emitMinBound(f, L, wide, min.mn, min.normal);
  emitRowSum(f, L, elem, false, min?.normal);
  emitStoreStats(f, L, elem, n);
  emitLseSplat(f, L, wide, c.vlse);
  f.get(L.start).set(L.p);
  f.get(weights).set(c.pw);
  if (min) return; // smoothGrad_* sums the row with its gradient pass
  emitCascade(f, L, elem, c);
  emitStoreSmoothing(f, wide, c, n);
}

/** Emits: out + 32n + 24 ← −(the cascade's total), the row's smoothing part. */
function emitStoreSmoothing(f: Func, wide: boolean, c: CascadeLocals, n: number): void {
  emitSlotAt(f, 'out', n);
  emitNegatedTotal(f, wide, c);
  f.mem(Op.f64Store, 3, 24);
}

/**
 * smoothGrad_{f32,f64}: (x, nRows, C, out, params, g, w), smooth_* (the same code, the same bits
 * at out + 32n) and the gradient in one call, each row read while it is in the cache: in the
 * smoothing sum's pass (emitCascade's `grad`: each group's log p used for its terms and its
 * exps), g_c = G_c − exp(log p_c)·s over the row, then at its target t ≥ 0 g_t = gout_t −
 * exp(log p_t)·s, as gradG_* (wasmKernelModule.ts) computes them from the same max and lse. The
 * max pass takes the row's min too; where every x − max, and every log p, has a normal exp, the
 * Σexp and the gradient's exps leave out what that range does not need (the same bits) —
 * params + 24n holds t (−1: ignored), at + 4 the address of the row's upstream gradients G (the
 * dtype, C elements and 16 bytes of room), at + 8 s = Σ_c gout_c and at + 16 gout_t (f64). The
 * gradient's row is C elements at g + n·C·size. Rows in the dtype (f32 or f64); C as smooth_*.
 */
export function smoothGradFunc(wide: boolean): Func {
  const elem: Elem = wide ? 'f64' : 'f32';
  const sz = wide ? 8 : 4;
  const f = new Func([i32, i32, i32, i32, i32, i32, i32], []);
  const L = declareLocals(f);
  const c = declareCascade(f);
  const rowG = f.local(i32);
  const prm = f.local(i32);
  const pg = f.local(i32);
  const vs = f.local(v128);
  const min = { mn: declareMinChains(f, elem), normal: f.local(i32) };
  rowLoop(f, L, elem, (n) => {
    emitSmoothRow(f, L, elem, c, n, gradW, min);
    // The gradient: lse in L.vm1, s in vs, the row of G from the parameters.
    f.get(c.vlse).set(L.vm1);
    emitSlotAt(f, 'params', n);
    f.tee(prm).mem(Op.f64Load, 3, 8);
    if (wide) f.simd(Op.f64x2Splat);
    else f.op(Op.f32DemoteF64).simd(Op.f32x4Splat);
    f.set(vs);
    f.get(prm).mem(Op.i32Load, 2, 4).set(pg);
    emitRowAt(f, gradG, n, Math.log2(sz));
    f.tee(rowG).set(L.pd);
    // The smoothing sum and the gradient in one pass over the row (emitCascade's `grad`): the
    // row's exps 'finite' where every log p has a normal exp (emitLogPNormal), else the general.
    emitLogPNormal(f, L, wide, min.mn);
    f.if();
    emitCascade(f, L, elem, c, { vs, pg, range: 'finite' });
    f.else();
    emitCascade(f, L, elem, c, { vs, pg, range: 'any' });
    f.end();
    emitStoreSmoothing(f, wide, c, n);
    emitTargetGradG(f, L, wide, prm, rowG, vs);
  });
  return f;
}

/** Locals of the smoothing sum (declared once per function by {@link declareCascade}). */
export interface CascadeLocals {
  acc: number[][];
  vlse: number;
  t: number;
  /** The weights' pointer (advanced with the terms), 0: unweighted. */
  pw: number;
  groups: number;
  vectors: number;
  lp: number;
  mask: number;
  i: number;
  k: number;
  /** The scalar total and term: float64, float32. */
  tot: number;
  term: number;
  tot32: number;
  term32: number;
}

export function declareCascade(f: Func): CascadeLocals {
  const acc: number[][] = [];
  for (let j = 0; j < levels; j++) acc.push(Array.from({ length: perLevel }, () => f.local(v128)));
  return {
    acc,
    vlse: f.local(v128),
    t: f.local(v128),
    pw: f.local(i32),
    groups: f.local(i32),
    vectors: f.local(i32),
    lp: f.local(i32),
    mask: f.local(i32),
    i: f.local(i32),
    k: f.local(i32),
    tot: f.local(f64),
    term: f.local(f64),
    tot32: f.local(f32),
    term32: f.local(f32),
  };
}

/**
 * Where the terms come from: a row of the input (an {@link Elem}; each term formed as
 * (x − max) − lse), or a row of log p already formed and stored in the dtype ('lp32', 'lp64':
 * the steps' log_softmax, the same values — the steps form them with the same operations).
 */
export type TermSource = Elem | 'lp32' | 'lp64';

const isWide = (src: TermSource): boolean => src === 'f64' || src === 'lp64';
const isStored = (src: TermSource): boolean => src === 'lp32' || src === 'lp64';
/** Bytes of one element of the source. */
const sizeOf = (src: TermSource): number => (src === 'f32' || src === 'lp32' ? 4 : 8);

/** Emits: −(the cascade's total) as float64 on the stack. */
export function emitNegatedTotal(f: Func, wide: boolean, c: CascadeLocals): void {
  if (wide) f.get(c.tot).op(Op.f64Neg);
  else f.get(c.tot32).op(Op.f32Neg).op(Op.f64PromoteF32);
}

/** Bytes of input per v128 of terms: f64s 32 (four float64 rounded to float32), else 16. */
function inBytes(src: TermSource): number {
  return src === 'f64s' ? 32 : 16;
}

/**
 * Emits: the v128 of terms of the input at L.p + off·inBytes (and the weights at pw + 16·off) on
 * the stack: (x − max) − lse (or the stored log p), times w when `pw` ≠ 0.
 */
function emitTerm(f: Func, L: Locals, elem: TermSource, c: CascadeLocals, off: number): void {
  const [sub, mul] = isWide(elem) ? [Op.f64x2Sub, Op.f64x2Mul] : [Op.f32x4Sub, Op.f32x4Mul];
  if (isStored(elem))
    f.get(L.p)
      .v128Load(16 * off)
      .set(c.t);
  else if (elem === 'f64s') {
    f.get(L.p)
      .v128Load(32 * off)
      .simd(Op.f32x4DemoteF64x2Zero);
    f.get(L.p)
      .v128Load(32 * off + 16)
      .simd(Op.f32x4DemoteF64x2Zero);
    f.simd(Op.i8x16Shuffle, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  } else f.get(L.p).v128Load(16 * off);
  if (!isStored(elem)) f.get(L.vm).simd(sub).get(c.vlse).simd(sub).set(c.t);
  // Weighted: t·w (the weight vector of the same classes); unweighted: t.
  f.get(c.t)
    .get(c.pw)
    .v128Load(16 * off)
    .get(c.t)
    .simd(mul)
    .get(c.pw)
    .op(Op.i32Eqz)
    .op(Op.select);
}

/**
 * The gradient a cascade over the input computes with its terms (smoothGrad_*): g = G − exp(log p)·s
 * for each vector of log p, with s splat in `vs`, the row of G at local `pg` and g at L.pd (both
 * advanced with L.p), the exps in `range` (emitGradVectors).
 */
export interface CascadeGrad {
  vs: number;
  pg: number;
  range: ExpRange;
}

/**
 * Emits: acc[level][q] += the term vectors q = 0 … count−1 of L.p; advances L.p and pw. With
 * `grad`, each vector's log p (before its weight) is kept in L.ys[q] and their gradient written
 * after the additions.
 */
function emitAddTerms(f: Func, L: Locals, elem: TermSource, c: CascadeLocals, count: number, grad?: CascadeGrad): void {
  const add = isWide(elem) ? Op.f64x2Add : Op.f32x4Add;
  for (let q = 0; q < count; q++) {
    f.get(c.acc[0][q]);
    emitTerm(f, L, elem, c, q);
    f.simd(add).set(c.acc[0][q]);
    if (grad) f.get(c.t).set(L.ys[q]);
  }
  if (grad) emitGradVectors(f, L, isWide(elem), grad.vs, grad.pg, count, grad.range);
  f.get(L.p)
    .i32(count * inBytes(elem))
    .op(Op.i32Add)
    .set(L.p);
  f.get(c.pw)
    .get(c.pw)
    .i32(count * 16)
    .op(Op.i32Add)
    .get(c.pw)
    .op(Op.i32Eqz)
    .op(Op.select)
    .set(c.pw);
}

/** Emits: acc[to][q] += acc[from][q]; acc[from][q] = 0 when `clear`. */
function emitFold(
  f: Func,
  elem: TermSource,
  c: CascadeLocals,
  to: number,
  from: number,
  qs: number[],
  clear: boolean,
): void {
  const add = isWide(elem) ? Op.f64x2Add : Op.f32x4Add;
  for (const q of qs) {
    f.get(c.acc[to][q]).get(c.acc[from][q]).simd(add).set(c.acc[to][q]);
    if (clear) f.f64x2(0).set(c.acc[from][q]);
  }
}

const all = Array.from({ length: perLevel }, (_, q) => q);

/**
 * Emits torch's sum of the row's terms from L.p (the row's start) to L.rowEnd: see the file
 * comment. Leaves the total in c.tot (float64) or c.tot32 (float32).
 */
export function emitCascade(f: Func, L: Locals, elem: TermSource, c: CascadeLocals, grad?: CascadeGrad): void {
  if (grad && isStored(elem)) throw new Error('emitCascade: a gradient needs the input row');
  const wide = isWide(elem);
  const logLanes = wide ? 2 : 3;
  const sz = sizeOf(elem);
  // vectors = C / lanes, groups (multi_row_sum's rows) = vectors / 4
  f.get(L.rowEnd)
    .get(L.p)
    .op(Op.i32Sub)
    .i32(Math.log2(sz) + logLanes)
    .op(Op.i32ShrU)
    .tee(c.vectors);
  f.i32(2).op(Op.i32ShrU).set(c.groups);
  // levelPower = max(4, ⌊ceilLog2(groups) / 4⌋), ceilLog2 = groups ≤ 1 ? 0 : 32 − clz(groups − 1)
  f.i32(32).get(c.groups).i32(1).op(Op.i32Sub).op(Op.i32Clz).op(Op.i32Sub);
  f.i32(0).get(c.groups).i32(1).op(Op.i32GtU).op(Op.select);
  f.i32(2).op(Op.i32ShrU).tee(c.lp);
  f.i32(4).get(c.lp).i32(4).op(Op.i32GtU).op(Op.select).set(c.lp);
  f.i32(1).get(c.lp).op(Op.i32Shl).i32(1).op(Op.i32Sub).set(c.mask);
  for (const row of c.acc) for (const a of row) f.f64x2(0).set(a);
  f.i32(0).set(c.i);
  // Whole steps of 2^levelPower groups, each followed by the carries its count calls for.
  f.block().loop();
  f.get(c.i).get(c.mask).op(Op.i32Add).get(c.groups).op(Op.i32GeU).brIf(1); // i + step > groups
  f.get(c.mask).i32(1).op(Op.i32Add).set(c.k);
  f.loop();
  emitAddTerms(f, L, elem, c, perLevel, grad);
  f.get(c.k).i32(1).op(Op.i32Sub).tee(c.k).brIf(0);
  f.end();
  f.get(c.i).get(c.mask).op(Op.i32Add).i32(1).op(Op.i32Add).set(c.i);
  f.block();
  for (let j = 1; j < levels; j++) {
    emitFold(f, elem, c, j, j - 1, all, true);
    if (j < levels - 1) {
      f.get(c.i).get(c.mask).get(c.lp).i32(j).op(Op.i32Mul).op(Op.i32Shl).op(Op.i32And).brIf(0);
    }
  }
  f.end();
  f.br(0).end().end();
  // The groups left, then the levels folded into level 0.
  f.block().loop();
  f.get(c.i).get(c.groups).op(Op.i32GeU).brIf(1);
  emitAddTerms(f, L, elem, c, perLevel, grad);
  f.get(c.i).i32(1).op(Op.i32Add).set(c.i);
  f.br(0).end().end();
  for (let j = 1; j < levels; j++) emitFold(f, elem, c, 0, j, all, false);
  // row_sum: the vectors after the last whole group into the first accumulator, then the four
  // accumulators (v128 pairs 2k, 2k + 1) into it.
  f.get(c.groups).i32(2).op(Op.i32Shl).set(c.i);
  f.block().loop();
  f.get(c.i).get(c.vectors).op(Op.i32GeU).brIf(1);
  emitAddTerms(f, L, elem, c, 2, grad);
  f.get(c.i).i32(1).op(Op.i32Add).set(c.i);
  f.br(0).end().end();
  for (let a = 1; a < 4; a++) {
    const add = wide ? Op.f64x2Add : Op.f32x4Add;
    for (const q of [0, 1])
      f.get(c.acc[0][q])
        .get(c.acc[0][2 * a + q])
        .simd(add)
        .set(c.acc[0][q]);
  }
  if (grad) {
    // The elements after the last whole lane vector: their gradient as emitGradPass's last
    // vectors (a partial one stored lane by lane), then L.p back for the scalar sum.
    f.get(L.p).set(c.i);
    emitGradPass(f, L, wide, grad.vs, grad.pg, grad.range);
    f.get(c.i).set(L.p);
  }
  emitTotal(f, L, elem, c);
}

/**
 * Emits: a scalar from 0 plus the elements after the last whole vector in order, then plus the
 * lanes of acc[0][0], acc[0][1] in order, each addition in the dtype; into c.tot (float64) or
 * c.tot32 (float32).
 */
function emitTotal(f: Func, L: Locals, elem: TermSource, c: CascadeLocals): void {
  const wide = isWide(elem);
  const sz = sizeOf(elem);
  const [tot, term, add, sub, mul] = wide
    ? [c.tot, c.term, Op.f64Add, Op.f64Sub, Op.f64Mul]
    : [c.tot32, c.term32, Op.f32Add, Op.f32Sub, Op.f32Mul];
  if (wide) f.f64(0).set(tot);
  else f.f32(0).set(tot);
  f.block().loop();
  f.get(L.p).get(L.rowEnd).op(Op.i32GeU).brIf(1);
  f.get(L.p);
  if (wide) f.mem(Op.f64Load, 3);
  else if (elem === 'f64s') f.mem(Op.f64Load, 3).op(Op.f32DemoteF64);
  else f.mem(Op.f32Load, 2);
  // (x − max) − lse: max in L.m64 / L.m, lse in L.s64 / L.s; a stored log p as it is.
  if (!isStored(elem))
    f.get(wide ? L.m64 : L.m)
      .op(sub)
      .get(wide ? L.s64 : L.s)
      .op(sub);
  f.set(term);
  f.get(tot).get(term).get(c.pw);
  f.mem(wide ? Op.f64Load : Op.f32Load, wide ? 3 : 2)
    .get(term)
    .op(mul);
  f.get(c.pw).op(Op.i32Eqz).op(Op.select).op(add).set(tot);
  f.get(L.p).i32(sz).op(Op.i32Add).set(L.p);
  f.get(c.pw)
    .get(c.pw)
    .i32(wide ? 8 : 4)
    .op(Op.i32Add)
    .get(c.pw)
    .op(Op.i32Eqz)
    .op(Op.select)
    .set(c.pw);
  f.br(0).end().end();
  const lanes = wide ? 2 : 4;
  const extract = wide ? Op.f64x2ExtractLane : Op.f32x4ExtractLane;
  for (const q of [0, 1]) {
    for (let l = 0; l < lanes; l++) f.get(tot).get(c.acc[0][q]).simd(extract, l).op(add).set(tot);
  }
}
