/**
 * The emitters the kernel's WebAssembly functions are built from (wasmKernelModule.ts assembles
 * them into the module): the locals every row function declares, exp in float32x4 and float64x2
 * lanes, loads, the row's Σexp in spans (its max: wasmMaxEmit.ts), and the per-row statistics. The semantics
 * (NaN, ±Inf, rounding, span order) are stated in wasmKernelModule.ts's file comment.
 */
import { Func, Op, f32, f64, i32, v128 } from './wasmAssembler';

/**
 * Rows are summed in spans of this many elements (256 KiB of float32): the unit the JS side
 * copies a long row in, and the unit the module adds Σexp over, so both give the same bits.
 */
export const spanElems = 65536;

export type Elem = 'f32' | 'f64s' | 'f64';
const elemSize: Record<Elem, number> = { f32: 4, f64s: 8, f64: 8 };
export const log2Size: Record<Elem, number> = { f32: 2, f64s: 3, f64: 3 };

/** Scratch registers of one exp evaluation. */
export interface ExpTemps {
  c: number;
  kb: number;
  k: number;
  r: number;
}

/** Locals shared by the emitters of one function. */
export interface Locals {
  p: number;
  end: number;
  rowEnd: number;
  start: number;
  /** The row's max: float32 semantics in m, float64 in m64. */
  m: number;
  m64: number;
  s: number;
  s64: number;
  /** A span's Σ and the row's. */
  sd: number;
  total: number;
  /** Output pointers (log_softmax or gradient, softmax). */
  pd: number;
  pe: number;
  rem: number;
  vm: number;
  vm1: number;
  /** The max's third and fourth chains. */
  vm2: number;
  vm3: number;
  acc0: number;
  acc1: number;
  ys: number[];
  es: number[];
  ts: ExpTemps[];
  ex: number;
}

export function declareLocals(f: Func): Locals {
  const v = (): number => f.local(v128);
  return {
    p: f.local(i32),
    end: f.local(i32),
    rowEnd: f.local(i32),
    start: f.local(i32),
    pd: f.local(i32),
    pe: f.local(i32),
    rem: f.local(i32),
    m: f.local(f32),
    s: f.local(f32),
    m64: f.local(f64),
    s64: f.local(f64),
    sd: f.local(f64),
    total: f.local(f64),
    vm: v(),
    vm1: v(),
    vm2: v(),
    vm3: v(),
    acc0: v(),
    acc1: v(),
    ys: Array.from({ length: 8 }, v),
    es: Array.from({ length: 8 }, v),
    ts: Array.from({ length: 8 }, () => ({ c: v(), kb: v(), k: v(), r: v() })),
    ex: v(),
  };
}

/** exp(y) < 2^−126 (float32's smallest normal) below this float32 (ln 2^−126 = −87.33654475…). */
export const expNormalMinF32 = Math.fround(-87.33654);

/**
 * What the caller of an exp emitter knows of its argument y: 'any' (the emitters' domain, y ≤ 0
 * or NaN), or 'normal', every y ≥ {@link expNormalMinF32} (float32) or ≥ {@link expNormalMinF64}
 * (float64) or NaN, so exp(y) is a normal number. Then the clamp (float32: and the flush after it)
 * changes nothing and float64's 2^k needs one factor, not two: 'normal' leaves them out and gives
 * the same bits with fewer operations (the gradient's rows whose range allows it: gradFunc).
 * 'finite' is 'normal' without NaN: exp(r)·2^k, exact, is then formed by adding k to exp(r)'s
 * exponent field (an integer addition of k·2^23 or k·2^52 to its bits) instead of a multiply,
 * which would make a NaN's bits something else.
 */
export type ExpRange = 'any' | 'normal' | 'finite';

/**
 * Emits exp of the float32x4 in local `y`, leaving it on the stack (Cephes `expf`'s method, vectorised,
 * with a polynomial one degree shorter).
 *
 * Method: k = round(y·log2 e) with the 1.5·2^23 "magic number" (adding it rounds to an integer
 * and leaves k in the low mantissa bits, so no float→int conversion is needed); r = y − k·ln 2 in
 * two steps (Cody–Waite: ln 2 = 0.693359375 − 2.12194440e−4, the first with 9 significant bits so
 * k·0.693359375 is exact), |r| ≤ ~ln2/2; exp(r) = 1 + r + r²·P(r) with the degree-4 P of
 * {@link expPolyF32}; then exp(y) = exp(r)·2^k, 2^k built in the exponent field.
 *
 * Domain: y ≤ 0 (max-shifted logits); NaN stays NaN (pmax keeps a NaN first operand, and NaN
 * times 2^k is NaN). y is clamped to −87.3365 first, so results below 2^−126 come out as
 * ≈ 1.18e−38 instead of their tiny value or 0: harmless in Σexp (≥ 1, the max's own term is
 * exp(0) = 1, and C·1.2e−38 is far below its float64 ulp); {@link emitFlushF32} makes them 0
 * where the exps are stored. Computing them as subnormals would cost a microcode assist per
 * vector on x86 (a multiply with a tiny result, ~100+ cycles). The error bound is measured
 * exhaustively, see EXP_F32X4_MAX_ULP in wasmForward.ts.
 */
/**
 * P(r), highest degree first, of exp(r) ≈ 1 + r + r²·P(r) on |r| ≤ 0.3467 (a little more than
 * ln2/2, for k rounded from a float32 y·log2 e): the minimax polynomial of the relative error,
 * computed with the Remez exchange in 50-digit arithmetic (mpmath), relative error 3.07e−9, far
 * below float32's half ulp (2^−25 ≈ 3e−8) — what the float32 roundings of the evaluation cost is
 * in EXP_F32X4_MAX_ULP (wasmForward.ts). Cephes' expf has one more degree (error 1e−10 that the
 * roundings swamp); the degree saved is a multiply and an add of ~22 operations per vector.
 */
export const expPolyF32 = [
  0.0013814559950586743, 0.00836873556207826, 0.04166838985726117, 0.1666652047774904, 0.4999999343743058,
];

export function emitExpF32(f: Func, y: number, t: ExpTemps, range: ExpRange = 'any'): void {
  const magic = 12582912; // 1.5·2^23
  // c = y < min ? min : y (NaN kept); in the 'normal' range that is y itself.
  if (range === 'any') f.get(y).f32x4(expNormalMinF32).simd(Op.f32x4Pmax).tee(t.c);
  else f.get(y);
  const c = range === 'any' ? t.c : y;
  f.f32x4(1.44269504088896341).simd(Op.f32x4Mul).f32x4(magic).simd(Op.f32x4Add).tee(t.kb);
  f.f32x4(magic).simd(Op.f32x4Sub).set(t.k); // k, as a float
  f.get(c).get(t.k).f32x4(0.693359375).simd(Op.f32x4Mul).simd(Op.f32x4Sub);
  f.get(t.k).f32x4(-2.1219444e-4).simd(Op.f32x4Mul).simd(Op.f32x4Sub).set(t.r);
  f.f32x4(expPolyF32[0]);
  for (let i = 1; i < expPolyF32.length; i++) f.get(t.r).simd(Op.f32x4Mul).f32x4(expPolyF32[i]).simd(Op.f32x4Add);
  f.get(t.r).get(t.r).simd(Op.f32x4Mul).simd(Op.f32x4Mul).get(t.r).simd(Op.f32x4Add).f32x4(1).simd(Op.f32x4Add);
  // 2^k: kb's bit pattern is 0x4B400000 + k; adding 127 and shifting left by 23 moves k + 127
  // (in [1, 127]) into the exponent field and shifts the magic's own bits out.
  if (range === 'finite') {
    // kb << 23 is k·2^23 (mod 2^32); exp(r) ≥ 1 where k = −126 (r ≥ 0 there), so the sum is normal.
    f.get(t.kb).i32(23).simd(Op.i32x4Shl).simd(Op.i32x4Add);
    return;
  }
  f.get(t.kb).i32x4(127, 127, 127, 127).simd(Op.i32x4Add).i32(23).simd(Op.i32x4Shl);
  f.simd(Op.f32x4Mul);
}

/** Emits: the exp on the stack with lanes whose y (local) is below −87.3365 set to 0 (NaN kept). */
export function emitFlushF32(f: Func, y: number): void {
  f.get(y).f32x4(expNormalMinF32).simd(Op.f32x4Lt).simd(Op.v128Andnot);
}

/** exp(y) rounds to 0 below this (e^−745.14 is half the smallest subnormal). */
const expZeroF64 = -746;

/**
 * At and above this y, exp(y) and 2^k (k = round(y·log2 e) ≥ −1020) are normal float64 numbers:
 * the 'normal' {@link ExpRange} of {@link emitExpF64} (ln 2^−1021 = −707.703…).
 */
export const expNormalMinF64 = -707;

/**
 * exp on [−ln2/2, ln2/2]: the degree-11 polynomial through the Chebyshev nodes of that interval
 * (coefficients computed in 50-digit arithmetic, then rounded to float64), relative error
 * 1.6e−17 before rounding, below float64's half ulp (1.1e−16).
 */
const expPolyF64 = [
  1.0, 1.0, 0.5000000000000019, 0.1666666666666668, 0.04166666666648795, 0.008333333333319589, 0.0013888888952352863,
  0.00019841269890076403, 2.4801485441561313e-5, 2.755724088722987e-6, 2.763265472252779e-7, 2.5110049204818658e-8,
];

/**
 * Emits exp of the float64x2 in local `y`, leaving it on the stack: k = round(y·log2 e) with the
 * 1.5·2^52 magic number, r = y − k·ln2 with ln2 split as fdlibm does (ln2_hi has 32 trailing
 * zero bits, so k·ln2_hi is exact for |k| < 2^21), exp(r) by {@link expPolyF64} in Horner form,
 * times 2^k built in the exponent field — as two factors 2^k1·2^k2, both normal, so results below
 * 2^−1022 are the correctly rounded subnormals (one rounding, in the last multiply). Within 2
 * ulps of Math.exp (wasmPaths.test.ts). NaN stays NaN (NaN times anything); y below −746 (−Inf
 * included) gives 0. The same code in the forward, the steps and the gradient, so Σexp has the
 * same bits in all three; a single 2^k factor would be ~10% faster but not subnormal-exact.
 */
export function emitExpF64(f: Func, y: number, t: ExpTemps, range: ExpRange = 'any'): void {
  const magic = 6755399441055744; // 1.5·2^52
  if (range === 'any') f.get(y).f64x2(expZeroF64).simd(Op.f64x2Pmax).tee(t.c);
  else f.get(y);
  const c = range === 'any' ? t.c : y;
  f.f64x2(1.4426950408889634).simd(Op.f64x2Mul).f64x2(magic).simd(Op.f64x2Add).tee(t.kb);
  f.f64x2(magic).simd(Op.f64x2Sub).set(t.k);
  f.get(c).get(t.k).f64x2(6.9314718036912381649e-1).simd(Op.f64x2Mul).simd(Op.f64x2Sub);
  f.get(t.k).f64x2(1.90821492927058770002e-10).simd(Op.f64x2Mul).simd(Op.f64x2Sub).set(t.r);
  f.f64x2(expPolyF64[expPolyF64.length - 1]);
  for (let i = expPolyF64.length - 2; i >= 0; i--) {
    f.get(t.r).simd(Op.f64x2Mul).f64x2(expPolyF64[i]).simd(Op.f64x2Add);
  }
  // kb's bit pattern is 0x4338000000000000 + k (k ≥ −1076 here).
  if (range === 'finite') {
    // kb << 52 is k·2^52 (mod 2^64): k added to the exponent of exp(r) ∈ [0.7, 1.5), still normal.
    f.get(t.kb).i32(52).simd(Op.i64x2Shl).simd(Op.i64x2Add);
    return;
  }
  if (range === 'normal') {
    // k ≥ −1020: 2^k is normal and so is p·2^k, exact as the two factors' product is.
    f.get(t.kb)
      .i64x2(1023n - 0x4338000000000000n)
      .simd(Op.i64x2Add)
      .i32(52)
      .simd(Op.i64x2Shl);
    f.simd(Op.f64x2Mul);
    return;
  }
  // k1 = k >> 1, k2 = k − k1, both ≥ −538: 2^k1 and 2^k2 are normal, p·2^k1 is exact.
  f.get(t.kb).i64x2(-0x4338000000000000n).simd(Op.i64x2Add).tee(t.k); // k as int64
  f.i32(1).simd(Op.i64x2ShrS).tee(t.r); // k1
  f.i64x2(1023).simd(Op.i64x2Add).i32(52).simd(Op.i64x2Shl).simd(Op.f64x2Mul);
  f.get(t.k).get(t.r).simd(Op.i64x2Sub).i64x2(1023).simd(Op.i64x2Add).i32(52).simd(Op.i64x2Shl);
  f.simd(Op.f64x2Mul);
}

/** Emits: the vector of `elem` elements at L.p + offset, as float32x4 or float64x2. */
function emitLoad(f: Func, L: Locals, elem: Elem, offset: number): void {
  if (elem !== 'f64s') {
    f.get(L.p).v128Load(offset);
    return;
  }
  // Two f64x2 loads, each demoted to [a, b, 0, 0], then lanes 0, 1 of each combined.
  f.get(L.p).v128Load(offset).simd(Op.f32x4DemoteF64x2Zero);
  f.get(L.p)
    .v128Load(offset + 16)
    .simd(Op.f32x4DemoteF64x2Zero);
  f.simd(Op.i8x16Shuffle, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/** Emits: `v` (local) with its lanes at index ≥ L.rem replaced by `fill`. */
function emitMaskTail(f: Func, L: Locals, elem: Elem, v: number): void {
  if (elem === 'f64') {
    f.get(v).f64x2(-Infinity).i64x2Lanes(0, 1);
    f.get(L.rem).op(Op.i64ExtendI32U).simd(Op.i64x2Splat);
    f.simd(Op.i64x2LtS).simd(Op.v128Bitselect).set(v);
    return;
  }
  f.get(v).f32x4(-Infinity).i32x4(0, 1, 2, 3);
  f.get(L.rem).simd(Op.i32x4Splat);
  f.simd(Op.i32x4LtS).simd(Op.v128Bitselect).set(v); // lane < remaining ? v : −Inf
}

/**
 * Emits: stores of the first L.rem (1…lanes − 1) lanes of vector `v` at `ptr` (local), as
 * float32 or float64: the last, partial vector of a row, which must not write into the next row
 * (another thread may own it).
 */
export function emitStorePartial(f: Func, L: Locals, v: number, ptr: number, wide: boolean): void {
  if (wide) {
    f.get(ptr).get(v).simd(Op.f64x2ExtractLane, 0).mem(Op.f64Store, 3);
    return; // rem is 1 for float64x2
  }
  f.get(ptr).get(v).simd(Op.f32x4ExtractLane, 0).mem(Op.f32Store, 2);
  f.get(L.rem).i32(2).op(Op.i32GeU).if();
  f.get(ptr).get(v).simd(Op.f32x4ExtractLane, 1).mem(Op.f32Store, 2, 4);
  f.end();
  f.get(L.rem).i32(3).op(Op.i32GeU).if();
  f.get(ptr).get(v).simd(Op.f32x4ExtractLane, 2).mem(Op.f32Store, 2, 8);
  f.end();
}

/** Emits: L.pd and L.pe (the steps' two output pointers) advanced by `bytes`. */
function emitAdvanceOutputs(f: Func, L: Locals, bytes: number): void {
  f.get(L.pd).i32(bytes).op(Op.i32Add).set(L.pd);
  f.get(L.pe).i32(bytes).op(Op.i32Add).set(L.pe);
}

/** Emits: L.sd = (acc0[0] + acc0[1]) + (acc1[0] + acc1[1]), a span's Σ from its two accumulators. */
function emitFoldAccumulators(f: Func, L: Locals): void {
  f.get(L.acc0).simd(Op.f64x2ExtractLane, 0).get(L.acc0).simd(Op.f64x2ExtractLane, 1).op(Op.f64Add);
  f.get(L.acc1).simd(Op.f64x2ExtractLane, 0).get(L.acc1).simd(Op.f64x2ExtractLane, 1).op(Op.f64Add);
  f.op(Op.f64Add).set(L.sd);
}

/** Emits: acc0 += float64 of lanes 0, 1 of float32x4 `v`, acc1 += lanes 2, 3. */
function emitAccumulateF32(f: Func, L: Locals, v: number): void {
  f.get(v).simd(Op.f64x2PromoteLowF32x4).get(L.acc0).simd(Op.f64x2Add).set(L.acc0);
  f.get(v).get(v).simd(Op.i8x16Shuffle, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  f.simd(Op.f64x2PromoteLowF32x4).get(L.acc1).simd(Op.f64x2Add).set(L.acc1);
}

/**
 * Emits one block of `count` (4 or 8) whole vectors of {@link emitSpanSumF32} at L.p, advancing
 * L.p (and with `store` L.pd, L.pe): the exps of pairs e0 + e1, e2 + e3, … in float32 lanes, each
 * pair sum into acc0 / acc1 in that order — so a block of 8 adds exactly what two blocks of 4 add.
 */
function emitSumBlockF32(f: Func, L: Locals, elem: Elem, store: boolean, count: number, range: ExpRange): void {
  const step = 4 * elemSize[elem];
  for (let u = 0; u < count; u++) {
    emitLoad(f, L, elem, u * step);
    f.get(L.vm).simd(Op.f32x4Sub).set(L.ys[u]);
  }
  for (let u = 0; u < count; u++) {
    emitExpF32(f, L.ys[u], L.ts[u], range);
    f.set(L.es[u]);
  }
  if (store) {
    for (let u = 0; u < count; u++) {
      f.get(L.pd)
        .get(L.ys[u])
        .v128Store(16 * u);
      f.get(L.pe).get(L.es[u]);
      emitFlushF32(f, L.ys[u]);
      f.v128Store(16 * u);
    }
    emitAdvanceOutputs(f, L, 16 * count);
  }
  for (let u = 0; u < count; u += 2) {
    f.get(L.es[u])
      .get(L.es[u + 1])
      .simd(Op.f32x4Add)
      .set(L.es[u]);
    emitAccumulateF32(f, L, L.es[u]);
  }
  f.get(L.p)
    .i32(count * step)
    .op(Op.i32Add)
    .set(L.p);
}

/**
 * Emits: L.sd = Σ exp(fround(x − m)) over [L.p, L.end) with m splat in L.vm, float32 semantics,
 * accumulated in float64 (unrounded); advances L.p to L.end.
 *
 * Order (the same in every function, so the forward, the steps and the gradient get the same
 * bits): blocks of four vectors e0..e3 add e0 + e1 and e2 + e3 in float32 lanes, then each pair
 * sum's lanes 0, 1 into the float64 accumulator acc0 and lanes 2, 3 into acc1; the remaining
 * vectors one at a time into acc0 / acc1 likewise, the last one with its lanes past the row's end
 * set to −Inf; Σ = (acc0[0] + acc0[1]) + (acc1[0] + acc1[1]). The pair sums round once to float32
 * (relative error ≤ 2^−24 of the pair), so Σ is within 2^−24 relative of the float64 sum of the
 * float32 exps, well inside float32's half ulp before Σ itself is rounded to float32; in exchange
 * the block costs 4 instead of 8 conversions and float64 adds.
 *
 * The loop takes eight vectors at a time (then one block of four if at least four remain), which
 * adds in the order above: with four, the eight independent exps did not fill the pipeline (each
 * exp is a chain of ~20 dependent operations) and the loop was 17% slower per element at (256,
 * 1000); twelve or sixteen were slower again (the registers spill). See docs/architecture.md.
 *
 * With `store` (steps), also writes fround(x − m) at L.pd and the exp (flushed below 2^−126) at
 * L.pe, float32, advancing both; the sum is computed from the same values either way.
 */
export function emitSpanSumF32(f: Func, L: Locals, elem: Elem, store: boolean, range: ExpRange = 'any'): void {
  const step = 4 * elemSize[elem];
  f.f64x2(0).tee(L.acc0).set(L.acc1);
  f.block().loop();
  f.get(L.p)
    .i32(8 * step)
    .op(Op.i32Add)
    .get(L.end)
    .op(Op.i32GtU)
    .brIf(1);
  emitSumBlockF32(f, L, elem, store, 8, range);
  f.br(0).end().end();
  f.get(L.p)
    .i32(4 * step)
    .op(Op.i32Add)
    .get(L.end)
    .op(Op.i32LeU)
    .if();
  emitSumBlockF32(f, L, elem, store, 4, range);
  f.end();
  // The rest, a vector at a time; the last one may be partial.
  const y = L.ys[0];
  const e = L.es[0];
  f.block().loop();
  f.get(L.p).get(L.end).op(Op.i32GeU).brIf(1);
  emitLoad(f, L, elem, 0);
  f.get(L.vm).simd(Op.f32x4Sub).set(y);
  f.get(L.end).get(L.p).op(Op.i32Sub).i32(log2Size[elem]).op(Op.i32ShrU).set(L.rem);
  f.get(L.rem).i32(4).op(Op.i32LtU).if();
  emitMaskTail(f, L, elem, y);
  f.end();
  emitExpF32(f, y, L.ts[0]);
  f.set(e);
  emitAccumulateF32(f, L, e);
  if (store) {
    f.get(e);
    emitFlushF32(f, y);
    f.set(L.ex);
    f.get(L.rem).i32(4).op(Op.i32GeU).if();
    f.get(L.pd).get(y).v128Store(0);
    f.get(L.pe).get(L.ex).v128Store(0);
    f.else();
    emitStorePartial(f, L, y, L.pd, false);
    emitStorePartial(f, L, L.ex, L.pe, false);
    f.end();
    emitAdvanceOutputs(f, L, 16);
  }
  f.get(L.p).i32(step).op(Op.i32Add).set(L.p);
  f.br(0).end().end();
  f.get(L.end).set(L.p);
  emitFoldAccumulators(f, L);
}

/**
 * Emits one block of `count` (4 or 8) whole vectors of {@link emitSpanSumF64} at L.p, advancing
 * L.p (and with `store` L.pd, L.pe): e0, e2, … into acc0 and e1, e3, … into acc1, in order — so a
 * block of 8 adds exactly what two blocks of 4 add (eight exps in flight fill the pipeline better).
 */
function emitSumBlockF64(f: Func, L: Locals, store: boolean, count: number, range: ExpRange): void {
  for (let u = 0; u < count; u++) {
    f.get(L.p)
      .v128Load(16 * u)
      .get(L.vm)
      .simd(Op.f64x2Sub)
      .set(L.ys[u]);
  }
  for (let u = 0; u < count; u++) {
    emitExpF64(f, L.ys[u], L.ts[u], range);
    f.set(L.es[u]);
  }
  if (store) {
    for (let u = 0; u < count; u++) {
      f.get(L.pd)
        .get(L.ys[u])
        .v128Store(16 * u);
      f.get(L.pe)
        .get(L.es[u])
        .v128Store(16 * u);
    }
    emitAdvanceOutputs(f, L, 16 * count);
  }
  for (let u = 0; u < count; u += 2) {
    f.get(L.acc0).get(L.es[u]).simd(Op.f64x2Add).set(L.acc0);
    f.get(L.acc1)
      .get(L.es[u + 1])
      .simd(Op.f64x2Add)
      .set(L.acc1);
  }
  f.get(L.p)
    .i32(16 * count)
    .op(Op.i32Add)
    .set(L.p);
}

/**
 * Emits: L.sd = Σ exp(x − m) over [L.p, L.end), float64 lanes, m splat in L.vm; advances L.p.
 * Blocks of four vectors into two accumulators (e0, e2 → acc0; e1, e3 → acc1; the loop takes
 * eight at a time, in the same order, then one block of four if four remain), then vectors one
 * at a time into acc0, the last one padded with −Inf; Σ = (acc0[0] + acc0[1]) + (acc1[0] +
 * acc1[1]). With `store`, also writes x − m at L.pd and the exp (subnormal-exact) at L.pe.
 */
export function emitSpanSumF64(f: Func, L: Locals, store: boolean, range: ExpRange = 'any'): void {
  f.f64x2(0).tee(L.acc0).set(L.acc1);
  f.block().loop();
  f.get(L.p).i32(128).op(Op.i32Add).get(L.end).op(Op.i32GtU).brIf(1);
  emitSumBlockF64(f, L, store, 8, range);
  f.br(0).end().end();
  f.get(L.p).i32(64).op(Op.i32Add).get(L.end).op(Op.i32LeU).if();
  emitSumBlockF64(f, L, store, 4, range);
  f.end();
  const y = L.ys[0];
  const e = L.es[0];
  f.block().loop();
  f.get(L.p).get(L.end).op(Op.i32GeU).brIf(1);
  f.get(L.p).v128Load(0).get(L.vm).simd(Op.f64x2Sub).set(y);
  f.get(L.end).get(L.p).op(Op.i32Sub).i32(3).op(Op.i32ShrU).set(L.rem);
  f.get(L.rem).i32(2).op(Op.i32LtU).if();
  emitMaskTail(f, L, 'f64', y);
  f.end();
  emitExpF64(f, y, L.ts[0]);
  f.tee(e).get(L.acc0).simd(Op.f64x2Add).set(L.acc0);
  if (store) {
    f.get(L.rem).i32(2).op(Op.i32GeU).if();
    f.get(L.pd).get(y).v128Store(0);
    f.get(L.pe).get(e).v128Store(0);
    f.else();
    emitStorePartial(f, L, y, L.pd, true);
    emitStorePartial(f, L, e, L.pe, true);
    f.end();
    emitAdvanceOutputs(f, L, 16);
  }
  f.get(L.p).i32(16).op(Op.i32Add).set(L.p);
  f.br(0).end().end();
  f.get(L.end).set(L.p);
  emitFoldAccumulators(f, L);
}

/**
 * Emits: L.total = Σexp of the row [L.p, L.rowEnd), span by span ({@link spanElems}), each span's
 * Σ added in order; max splat in L.vm. Leaves L.p at the row's end. With `normal` (an i32 local:
 * non-zero when every x − max of the row is in the 'normal' {@link ExpRange}, NaN aside), the
 * whole vectors' exps leave out what that range does not need: the same bits, fewer operations
 * (the last vectors, padded with −Inf, keep the clamp).
 */
export function emitRowSum(f: Func, L: Locals, elem: Elem, store: boolean, normal?: number): void {
  const spanBytes = spanElems * elemSize[elem];
  f.f64(0).set(L.total);
  f.block().loop();
  f.get(L.p).get(L.rowEnd).op(Op.i32GeU).brIf(1);
  // end = min(p + span, rowEnd)
  f.get(L.p).i32(spanBytes).op(Op.i32Add).tee(L.end).get(L.rowEnd).get(L.end).get(L.rowEnd).op(Op.i32LtU);
  f.op(Op.select).set(L.end);
  const span = (range: ExpRange): void => {
    if (elem === 'f64') emitSpanSumF64(f, L, store, range);
    else emitSpanSumF32(f, L, elem, store, range);
  };
  if (normal === undefined) span('any');
  else {
    f.get(normal).if();
    span('normal');
    f.else();
    span('any');
    f.end();
  }
  f.get(L.total).get(L.sd).op(Op.f64Add).set(L.total);
  f.br(0).end().end();
}

/** Parameters every row function starts with. */
export const [pX, pRows, pC, pOut, pParams] = [0, 1, 2, 3, 4];

/** Emits, on the stack: row `n`'s start in the rows of C elements of 2^lg bytes at parameter `base`. */
export function emitRowAt(f: Func, base: number, n: number, lg: number): void {
  f.get(base).get(n).get(pC).op(Op.i32Mul).i32(lg).op(Op.i32Shl).op(Op.i32Add);
}

/** Emits, on the stack: row `n`'s statistics (out + 32n) or parameters (params + 24n). */
export function emitSlotAt(f: Func, which: 'out' | 'params', n: number): void {
  if (which === 'out') f.get(pOut).get(n).i32(5).op(Op.i32Shl).op(Op.i32Add);
  else f.get(pParams).get(n).i32(24).op(Op.i32Mul).op(Op.i32Add);
}

/**
 * Emits: out + 32·n ← (max, Σ, x_t) as float64, x_t the row's element at its target class (as
 * the dtype rounds it; 0 without a target): the JS side needs it for the loss, and reading it
 * here, while the row is in the cache, spares a cache miss per row there. L.start is the row's
 * start.
 */
export function emitStoreStats(f: Func, L: Locals, elem: Elem, n: number): void {
  emitSlotAt(f, 'out', n);
  f.tee(L.pd);
  if (elem === 'f64') f.get(L.m64);
  else f.get(L.m).op(Op.f64PromoteF32);
  f.mem(Op.f64Store, 3, 0);
  f.get(L.pd).get(L.total).mem(Op.f64Store, 3, 8);
  f.get(L.pd);
  emitSlotAt(f, 'params', n);
  f.mem(Op.i32Load, 2, 0).tee(L.rem);
  f.i32(0).op(Op.i32GeS).if();
  f.get(L.start).get(L.rem).i32(log2Size[elem]).op(Op.i32Shl).op(Op.i32Add).set(L.pe);
  if (elem === 'f32') f.get(L.pe).mem(Op.f32Load, 2).op(Op.f64PromoteF32).set(L.sd);
  else if (elem === 'f64s') f.get(L.pe).mem(Op.f64Load, 3).op(Op.f32DemoteF64).op(Op.f64PromoteF32).set(L.sd);
  else f.get(L.pe).mem(Op.f64Load, 3).set(L.sd);
  f.else();
  f.f64(0).set(L.sd);
  f.end();
  f.get(L.sd).mem(Op.f64Store, 3, 16);
}

/**
 * Emits the frame of a function over rows: params (x, nRows, C, …), a loop over n with L.p at
 * row n's start and L.rowEnd at its end; `body` emits the row's work and must leave L.p at the
 * row's end.
 */
export function rowLoop(f: Func, L: Locals, elem: Elem, body: (n: number) => void): void {
  const n = f.local(i32);
  f.get(pX).set(L.p);
  f.block().loop();
  f.get(n).get(pRows).op(Op.i32GeU).brIf(1);
  f.get(L.p).get(pC).i32(log2Size[elem]).op(Op.i32Shl).op(Op.i32Add).set(L.rowEnd);
  body(n);
  f.get(L.rowEnd).set(L.p);
  f.get(n).i32(1).op(Op.i32Add).set(n);
  f.br(0).end().end();
}
