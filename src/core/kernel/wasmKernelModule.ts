/**
 * The WebAssembly SIMD module behind the float32 forward: per row of logits, the max and
 * Σ_c exp(fround(x_c − max)), four float32 lanes at a time; and behind crossEntropySteps, the same
 * plus x − max, exp, softmax and log_softmax stored for every element. Emitted with
 * {@link assembleModule} at run time (7.5 KB); wasmForward.ts is the JS side.
 *
 * Exports (pointers are byte offsets into the imported memory; rows are contiguous; the last
 * vector of a row may read up to 24 bytes past its end, so the caller leaves room after the data):
 *   rowsF32(x, nRows, C, out)   float32 rows at x; writes out[2n] = max, out[2n+1] = Σexp (f64)
 *   rowsF64(x, nRows, C, out)   the same from float64 rows, each element first rounded to float32
 *                               (f32x4.demote_f64x2_zero rounds to nearest even, as Math.fround)
 *   maxF32(x, len) → f32, maxF64(x, len) → f32        one span's max, and its Σexp given the
 *   sumF32(x, len, m) → f64, sumF64(x, len, m) → f64   row's max: rows too long for one chunk
 *   expF32(x, len)                                     exp in place, len a multiple of 4 (tests)
 *   stepsRowsF32/F64(x, nRows, C, d, e, out), stepsSpanF32/F64(x, len, m, d, e) → f64,
 *   normRows(d, e, nRows, C, stats)     crossEntropySteps: the same statistics, also storing
 *                                       x − max and exp(x − max), then softmax and log_softmax
 *
 * Semantics, the scalar forward's (crossEntropy.ts):
 * - max: NaN elements are skipped unless the first element is NaN (f32x4.pmax keeps its first
 *   operand when a comparison is false); a NaN anywhere still makes the row NaN because its
 *   x − max is NaN. A +Inf gives max +Inf and Inf − Inf = NaN; an all −Inf row gives
 *   −Inf − (−Inf) = NaN: torch's results.
 * - y = x − max is rounded to float32 (f32x4.sub), exp(y) is evaluated in float32 lanes
 *   ({@link emitExpF32x4}), and the float32 exps are added in float64 (two f64x2 accumulators,
 *   lanes 0, 1 and 2, 3, combined as (s0 + s1) + (s2 + s3) like the scalar partial sums; a tail of
 *   C mod 4 elements is one masked vector). The sum is returned unrounded; the caller
 *   rounds it to float32 once, as the scalar path does.
 */
import { Func, Op, assembleModule, f32, f64, i32, v128 } from './wasmAssembler';

/** Locals of one function, for the emitters below. */
interface Locals {
  p: number;
  end: number;
  start: number;
  m: number;
  s: number;
  sd: number;
  vm0: number;
  vm1: number;
  acc0: number;
  acc1: number;
  y: number;
  e: number;
  kb: number;
  k: number;
  r: number;
  /** The steps functions' output pointers (x − max, exp) and the stored exp. */
  pd: number;
  pe: number;
  ex: number;
}

function declareLocals(f: Func): Locals {
  return {
    p: f.local(i32),
    end: f.local(i32),
    start: f.local(i32),
    m: f.local(f32),
    s: f.local(f32),
    sd: f.local(f64),
    vm0: f.local(v128),
    vm1: f.local(v128),
    acc0: f.local(v128),
    acc1: f.local(v128),
    y: f.local(v128),
    e: f.local(v128),
    kb: f.local(v128),
    k: f.local(v128),
    r: f.local(v128),
    pd: f.local(i32),
    pe: f.local(i32),
    ex: f.local(v128),
  };
}

/** exp(y) < 2^−126 (float32's smallest normal) below this float32 (ln 2^−126 = −87.33654475…). */
const expNormalMin = Math.fround(-87.33654);

/**
 * Emits exp of the float32x4 on the stack, replacing it (Cephes `expf`, vectorised).
 *
 * Method: k = round(y·log2 e) with the 1.5·2^23 "magic number" (adding it rounds to an integer
 * and leaves k in the low mantissa bits, so no float→int conversion is needed); r = y − k·ln 2 in
 * two steps (Cody–Waite: ln 2 = 0.693359375 − 2.12194440e−4, the first with 9 significant bits so
 * k·0.693359375 is exact), |r| ≤ ~ln2/2; exp(r) = 1 + r + r²·P(r) with Cephes' degree-5 minimax P;
 * then exp(y) = exp(r)·2^k, 2^k built in the exponent field.
 *
 * Domain: y ≤ 0 (max-shifted logits); NaN stays NaN (pmax and lt keep NaN lanes); −Inf gives 0.
 * Results below 2^−126 (y < −87.3365) are flushed to 0, absolute error < 1.2e−38: the kernel only
 * adds these to a sum ≥ 1 (the max's own term is exp(0) = 1), where no float64 sum can notice them.
 * Computing them as subnormals instead would cost a microcode assist per vector on x86 (a
 * multiply with a tiny result, ~100+ cycles): measured 4× slower on (4096, 2) inputs, whose padded
 * tail lanes hit it, and it would hit rows spread by more than 87 all the time.
 * The error bound is measured exhaustively, see EXP_F32X4_MAX_ULP in wasmForward.ts.
 */
function emitExpF32x4(f: Func, L: Locals): void {
  const magic = 12582912; // 1.5·2^23
  f.tee(L.y).f32x4(expNormalMin).simd(Op.f32x4Pmax).tee(L.e); // y < min ? min : y (NaN kept)
  f.f32x4(1.44269504088896341).simd(Op.f32x4Mul).f32x4(magic).simd(Op.f32x4Add).tee(L.kb);
  f.f32x4(magic).simd(Op.f32x4Sub).set(L.k); // k, as a float
  f.get(L.e).get(L.k).f32x4(0.693359375).simd(Op.f32x4Mul).simd(Op.f32x4Sub);
  f.get(L.k).f32x4(-2.1219444e-4).simd(Op.f32x4Mul).simd(Op.f32x4Sub).set(L.r);
  f.f32x4(1.98756915e-4);
  for (const c of [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) {
    f.get(L.r).simd(Op.f32x4Mul).f32x4(c).simd(Op.f32x4Add);
  }
  f.get(L.r).get(L.r).simd(Op.f32x4Mul).simd(Op.f32x4Mul).get(L.r).simd(Op.f32x4Add).f32x4(1).simd(Op.f32x4Add);
  // 2^k: kb's bit pattern is 0x4B400000 + k; adding 127 and shifting left by 23 moves k + 127
  // (in [1, 127]) into the exponent field and shifts the magic's own bits out.
  f.get(L.kb).i32x4(127, 127, 127, 127).simd(Op.i32x4Add).i32(23).simd(Op.i32x4Shl);
  f.simd(Op.f32x4Mul);
  // 0 where y < min (y's lanes that are NaN compare false and stay NaN).
  f.get(L.y).f32x4(expNormalMin).simd(Op.f32x4Lt).simd(Op.v128Andnot);
}

const elemSize = { f32: 4, f64: 8 } as const;
type Elem = keyof typeof elemSize;

/** Emits: the 4 elements at L.p as a float32x4 on the stack (float64 ones rounded to float32). */
function emitLoad4(f: Func, L: Locals, elem: Elem): void {
  if (elem === 'f32') {
    f.get(L.p).v128Load(0);
    return;
  }
  // Two f64x2 loads, each demoted to [a, b, 0, 0], then lanes 0, 1 of each combined.
  f.get(L.p).v128Load(0).simd(Op.f32x4DemoteF64x2Zero);
  f.get(L.p).v128Load(16).simd(Op.f32x4DemoteF64x2Zero);
  f.simd(Op.i8x16Shuffle, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/** Emits one scalar element at L.p, as float32, on the stack. */
function emitLoad1(f: Func, L: Locals, elem: Elem): void {
  if (elem === 'f32') f.get(L.p).mem(Op.f32Load, 2);
  else f.get(L.p).mem(Op.f64Load, 3).op(Op.f32DemoteF64);
}

/**
 * Emits: L.m = max of the elements in [L.p, L.end) (at least one), leaving L.p unchanged.
 * float64 elements are compared as float64 and the max rounded once (rounding is monotonic, so
 * that equals the max of the rounded elements).
 */
function emitMax(f: Func, L: Locals, elem: Elem): void {
  const sz = elemSize[elem];
  const pmax = elem === 'f32' ? Op.f32x4Pmax : Op.f64x2Pmax;
  f.get(L.p).set(L.start); // restored at the end: the Σexp pass reads the row again
  if (elem === 'f32') f.get(L.p).mem(Op.f32Load, 2).simd(Op.f32x4Splat);
  else f.get(L.p).mem(Op.f64Load, 3).simd(Op.f64x2Splat);
  f.tee(L.vm0).set(L.vm1);
  // Blocks of two vectors into two accumulators (the max's latency, not its throughput, is the
  // limit with one), then one more vector if it fits, then scalars.
  f.block().loop();
  f.get(L.p).i32(32).op(Op.i32Add).get(L.end).op(Op.i32GtU).brIf(1);
  f.get(L.vm0).get(L.p).v128Load(0).simd(pmax).set(L.vm0);
  f.get(L.vm1).get(L.p).v128Load(16).simd(pmax).set(L.vm1);
  f.get(L.p).i32(32).op(Op.i32Add).set(L.p);
  f.br(0).end().end();
  f.get(L.p).i32(16).op(Op.i32Add).get(L.end).op(Op.i32LeU).if();
  f.get(L.vm0).get(L.p).v128Load(0).simd(pmax).set(L.vm0);
  f.get(L.p).i32(16).op(Op.i32Add).set(L.p);
  f.end();
  f.get(L.vm0).get(L.vm1).simd(pmax).set(L.vm0);
  // Lanes hold NaN only if the first element was NaN (then all do): f32.max/f64.max suffice.
  if (elem === 'f32') {
    f.get(L.vm0).simd(Op.f32x4ExtractLane, 0).get(L.vm0).simd(Op.f32x4ExtractLane, 1).op(Op.f32Max);
    f.get(L.vm0).simd(Op.f32x4ExtractLane, 2).get(L.vm0).simd(Op.f32x4ExtractLane, 3).op(Op.f32Max);
    f.op(Op.f32Max).set(L.m);
  } else {
    f.get(L.vm0).simd(Op.f64x2ExtractLane, 0).get(L.vm0).simd(Op.f64x2ExtractLane, 1).op(Op.f64Max);
    f.op(Op.f32DemoteF64).set(L.m);
  }
  // Scalar tail: m = m < v ? v : m (a NaN v is skipped, as pmax does).
  f.block().loop();
  f.get(L.p).get(L.end).op(Op.i32GeU).brIf(1);
  emitLoad1(f, L, elem);
  f.tee(L.s).get(L.m).get(L.m).get(L.s).op(Op.f32Lt).op(Op.select).set(L.m);
  f.get(L.p).i32(sz).op(Op.i32Add).set(L.p);
  f.br(0).end().end();
  f.get(L.start).set(L.p);
}

/** Emits: acc0 += float64 of lanes 0, 1 of the float32x4 on the stack, acc1 += lanes 2, 3. */
function emitAccumulate(f: Func, L: Locals): void {
  f.tee(L.y).simd(Op.f64x2PromoteLowF32x4).get(L.acc0).simd(Op.f64x2Add).set(L.acc0);
  f.get(L.y).get(L.y).simd(Op.i8x16Shuffle, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  f.simd(Op.f64x2PromoteLowF32x4).get(L.acc1).simd(Op.f64x2Add).set(L.acc1);
}

/**
 * Emits: L.sd = Σ exp(fround(x − m)) over [L.p, L.end) with m in L.m, in float64 (unrounded).
 * Advances L.p to L.end. The last vector of a row whose length is not a multiple of 4 has its
 * lanes past the end set to −Inf (exp → 0), inside the same loop so the exp is emitted once.
 * With `store` (the steps functions) it also stores each vector of x − max at L.pd and its exp at
 * L.pe (float32, advancing both by 16 bytes; the last vector writes up to 12 bytes past the row,
 * which the next row overwrites or the caller's padding absorbs). The sum is the same code either
 * way, so the steps' Σexp is bit-identical to the forward's.
 */
function emitSumExp(f: Func, L: Locals, elem: Elem, store = false): void {
  const sz = elemSize[elem];
  f.get(L.m).simd(Op.f32x4Splat).set(L.vm0);
  f.f64x2(0).tee(L.acc0).set(L.acc1);
  f.block().loop();
  f.get(L.p).get(L.end).op(Op.i32GeU).brIf(1);
  emitLoad4(f, L, elem);
  f.get(L.vm0).simd(Op.f32x4Sub).set(L.vm1);
  f.get(L.p)
    .i32(4 * sz)
    .op(Op.i32Add)
    .get(L.end)
    .op(Op.i32GtU)
    .if();
  f.get(L.vm1).f32x4(-Infinity).i32x4(0, 1, 2, 3);
  f.get(L.end)
    .get(L.p)
    .op(Op.i32Sub)
    .i32(sz === 4 ? 2 : 3)
    .op(Op.i32ShrU)
    .simd(Op.i32x4Splat);
  f.simd(Op.i32x4LtS).simd(Op.v128Bitselect).set(L.vm1); // lane < remaining ? y : −Inf
  f.end();
  if (store) {
    f.get(L.pd).get(L.vm1).simd(Op.v128Store, 0, 0);
    f.get(L.pe).get(L.vm1);
    emitExpF32x4(f, L);
    f.tee(L.ex).simd(Op.v128Store, 0, 0);
    f.get(L.ex);
    f.get(L.pd).i32(16).op(Op.i32Add).set(L.pd);
    f.get(L.pe).i32(16).op(Op.i32Add).set(L.pe);
  } else {
    f.get(L.vm1);
    emitExpF32x4(f, L);
  }
  emitAccumulate(f, L);
  f.get(L.p)
    .i32(4 * sz)
    .op(Op.i32Add)
    .set(L.p);
  f.br(0).end().end();
  f.get(L.end).set(L.p);
  f.get(L.acc0).simd(Op.f64x2ExtractLane, 0).get(L.acc0).simd(Op.f64x2ExtractLane, 1).op(Op.f64Add);
  f.get(L.acc1).simd(Op.f64x2ExtractLane, 0).get(L.acc1).simd(Op.f64x2ExtractLane, 1).op(Op.f64Add);
  f.op(Op.f64Add).set(L.sd);
}

/** rowsF32 / rowsF64: (x, nRows, C, out). */
function rowsFunc(elem: Elem): Func {
  const sz = elemSize[elem];
  const f = new Func([i32, i32, i32, i32], []);
  const [x, nRows, C, out] = [0, 1, 2, 3];
  const n = f.local(i32);
  const L = declareLocals(f);
  f.get(x).set(L.p);
  f.block().loop();
  f.get(n).get(nRows).op(Op.i32GeU).brIf(1);
  f.get(L.p).get(C).i32(Math.log2(sz)).op(Op.i32Shl).op(Op.i32Add).set(L.end);
  emitMax(f, L, elem);
  // out[2n] = max, out[2n+1] = Σexp
  f.get(out).get(n).i32(4).op(Op.i32Shl).op(Op.i32Add).get(L.m).op(Op.f64PromoteF32).mem(Op.f64Store, 3, 0);
  emitSumExp(f, L, elem); // leaves L.p at the row's end: the next row's start
  f.get(out).get(n).i32(4).op(Op.i32Shl).op(Op.i32Add).get(L.sd).mem(Op.f64Store, 3, 8);
  f.get(n).i32(1).op(Op.i32Add).set(n);
  f.br(0).end().end();
  return f;
}

/**
 * stepsRowsF32 / stepsRowsF64: (x, nRows, C, d, e, out). As rowsF32 / rowsF64 (out[2n] = max,
 * out[2n+1] = Σexp, float64), and also stores row n's fround(x − max) at d + 4·n·C and
 * exp(x − max) at e + 4·n·C (float32, contiguous rows). Both output areas need 12 bytes of room
 * past their last row.
 */
function stepsRowsFunc(elem: Elem): Func {
  const sz = elemSize[elem];
  const f = new Func([i32, i32, i32, i32, i32, i32], []);
  const [x, nRows, C, d, e, out] = [0, 1, 2, 3, 4, 5];
  const n = f.local(i32);
  const L = declareLocals(f);
  f.get(x).set(L.p);
  f.block().loop();
  f.get(n).get(nRows).op(Op.i32GeU).brIf(1);
  f.get(L.p).get(C).i32(Math.log2(sz)).op(Op.i32Shl).op(Op.i32Add).set(L.end);
  // Output rows are packed (C floats each), whatever the last vector of the previous row wrote.
  f.get(d).get(n).get(C).op(Op.i32Mul).i32(2).op(Op.i32Shl).op(Op.i32Add).set(L.pd);
  f.get(e).get(n).get(C).op(Op.i32Mul).i32(2).op(Op.i32Shl).op(Op.i32Add).set(L.pe);
  emitMax(f, L, elem);
  f.get(out).get(n).i32(4).op(Op.i32Shl).op(Op.i32Add).get(L.m).op(Op.f64PromoteF32).mem(Op.f64Store, 3, 0);
  emitSumExp(f, L, elem, true);
  f.get(out).get(n).i32(4).op(Op.i32Shl).op(Op.i32Add).get(L.sd).mem(Op.f64Store, 3, 8);
  f.get(n).i32(1).op(Op.i32Add).set(n);
  f.br(0).end().end();
  return f;
}

/**
 * stepsSpanF32 / stepsSpanF64: (x, len, m, d, e) → f64. One span of a row too long for one chunk:
 * sumF32 / sumF64's Σexp, also storing x − max at d and exp at e (12 bytes of room past each).
 */
function stepsSpanFunc(elem: Elem): Func {
  const f = new Func([i32, i32, f32, i32, i32], [f64]);
  const L = declareLocals(f);
  f.get(0).set(L.p);
  f.get(0).get(1).i32(Math.log2(elemSize[elem])).op(Op.i32Shl).op(Op.i32Add).set(L.end);
  f.get(2).set(L.m);
  f.get(3).set(L.pd);
  f.get(4).set(L.pe);
  emitSumExp(f, L, elem, true);
  f.get(L.sd);
  return f;
}

/**
 * normRows: (d, e, nRows, C, stats), the steps' second pass. For row n, with sum = stats[2n] and
 * lse = stats[2n+1] (float64 holding float32 values): e ← e / sum (softmax) and d ← d − lse
 * (log_softmax), in float32 (f32x4.div / f32.div round once, as Math.fround of the float64 quotient
 * does: double rounding is exact for float32 operands). Vectors while a whole one fits in the row,
 * then scalars, so no store crosses into the next row (whose values are not final yet).
 */
function normRowsFunc(): Func {
  const f = new Func([i32, i32, i32, i32, i32], []);
  const [d, e, nRows, C, stats] = [0, 1, 2, 3, 4];
  const n = f.local(i32);
  const L = declareLocals(f);
  const vs = L.vm0;
  const vl = L.vm1;
  const sum = L.m;
  const lse = L.s;
  f.get(d).set(L.pd);
  f.get(e).set(L.pe);
  f.block().loop();
  f.get(n).get(nRows).op(Op.i32GeU).brIf(1);
  f.get(L.pd).get(C).i32(2).op(Op.i32Shl).op(Op.i32Add).set(L.end);
  f.get(stats).get(n).i32(4).op(Op.i32Shl).op(Op.i32Add).tee(L.p).mem(Op.f64Load, 3, 0).op(Op.f32DemoteF64).tee(sum);
  f.simd(Op.f32x4Splat).set(vs);
  f.get(L.p).mem(Op.f64Load, 3, 8).op(Op.f32DemoteF64).tee(lse).simd(Op.f32x4Splat).set(vl);
  f.block().loop();
  f.get(L.pd).i32(16).op(Op.i32Add).get(L.end).op(Op.i32GtU).brIf(1);
  f.get(L.pe).get(L.pe).v128Load(0).get(vs).simd(Op.f32x4Div).simd(Op.v128Store, 0, 0);
  f.get(L.pd).get(L.pd).v128Load(0).get(vl).simd(Op.f32x4Sub).simd(Op.v128Store, 0, 0);
  f.get(L.pd).i32(16).op(Op.i32Add).set(L.pd);
  f.get(L.pe).i32(16).op(Op.i32Add).set(L.pe);
  f.br(0).end().end();
  f.block().loop();
  f.get(L.pd).get(L.end).op(Op.i32GeU).brIf(1);
  f.get(L.pe).get(L.pe).mem(Op.f32Load, 2).get(sum).op(Op.f32Div).mem(Op.f32Store, 2);
  f.get(L.pd).get(L.pd).mem(Op.f32Load, 2).get(lse).op(Op.f32Sub).mem(Op.f32Store, 2);
  f.get(L.pd).i32(4).op(Op.i32Add).set(L.pd);
  f.get(L.pe).i32(4).op(Op.i32Add).set(L.pe);
  f.br(0).end().end();
  f.get(n).i32(1).op(Op.i32Add).set(n);
  f.br(0).end().end();
  return f;
}

/** maxF32 / maxF64: (x, len) → f32. */
function maxFunc(elem: Elem): Func {
  const f = new Func([i32, i32], [f32]);
  const L = declareLocals(f);
  f.get(0).set(L.p);
  f.get(0).get(1).i32(Math.log2(elemSize[elem])).op(Op.i32Shl).op(Op.i32Add).set(L.end);
  emitMax(f, L, elem);
  f.get(L.m);
  return f;
}

/** sumF32 / sumF64: (x, len, m) → f64. */
function sumFunc(elem: Elem): Func {
  const f = new Func([i32, i32, f32], [f64]);
  const L = declareLocals(f);
  f.get(0).set(L.p);
  f.get(0).get(1).i32(Math.log2(elemSize[elem])).op(Op.i32Shl).op(Op.i32Add).set(L.end);
  f.get(2).set(L.m);
  emitSumExp(f, L, elem);
  f.get(L.sd);
  return f;
}

/** expF32: (x, len) in place, len a multiple of 4. */
function expFunc(): Func {
  const f = new Func([i32, i32], []);
  const L = declareLocals(f);
  f.get(0).set(L.p);
  f.get(0).get(1).i32(2).op(Op.i32Shl).op(Op.i32Add).set(L.end);
  f.block().loop();
  f.get(L.p).get(L.end).op(Op.i32GeU).brIf(1);
  f.get(L.p).get(L.p).v128Load(0);
  emitExpF32x4(f, L);
  f.simd(Op.v128Store, 0, 0);
  f.get(L.p).i32(16).op(Op.i32Add).set(L.p);
  f.br(0).end().end();
  return f;
}

/** The module's bytes; it imports `env.memory` (at least one page). */
export function kernelModuleBytes(): Uint8Array {
  return assembleModule(
    [
      { name: 'rowsF32', func: rowsFunc('f32') },
      { name: 'rowsF64', func: rowsFunc('f64') },
      { name: 'maxF32', func: maxFunc('f32') },
      { name: 'maxF64', func: maxFunc('f64') },
      { name: 'sumF32', func: sumFunc('f32') },
      { name: 'sumF64', func: sumFunc('f64') },
      { name: 'expF32', func: expFunc() },
      { name: 'stepsRowsF32', func: stepsRowsFunc('f32') },
      { name: 'stepsRowsF64', func: stepsRowsFunc('f64') },
      { name: 'stepsSpanF32', func: stepsSpanFunc('f32') },
      { name: 'stepsSpanF64', func: stepsSpanFunc('f64') },
      { name: 'normRows', func: normRowsFunc() },
    ],
    1,
  );
}

/** The exported functions, typed. */
export interface KernelExports {
  rowsF32(x: number, nRows: number, C: number, out: number): void;
  rowsF64(x: number, nRows: number, C: number, out: number): void;
  maxF32(x: number, len: number): number;
  maxF64(x: number, len: number): number;
  sumF32(x: number, len: number, m: number): number;
  sumF64(x: number, len: number, m: number): number;
  expF32(x: number, len: number): void;
  stepsRowsF32(x: number, nRows: number, C: number, d: number, e: number, out: number): void;
  stepsRowsF64(x: number, nRows: number, C: number, d: number, e: number, out: number): void;
  stepsSpanF32(x: number, len: number, m: number, d: number, e: number): number;
  stepsSpanF64(x: number, len: number, m: number, d: number, e: number): number;
  normRows(d: number, e: number, nRows: number, C: number, stats: number): void;
}
