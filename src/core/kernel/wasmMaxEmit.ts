/**
 * The row's max, emitted for every row function of the kernel's module (wasmKernelModule.ts):
 * the first pass over a row, before its Σexp (wasmKernelEmit.ts).
 */
import { Op, f32, f64, v128, type Func } from './wasmAssembler';
import type { Elem, Locals } from './wasmKernelEmit';

/** Emits one element at L.p on the stack: f32 (f32, f64s) or f64 (f64). */
function emitLoad1(f: Func, L: Locals, elem: Elem): void {
  if (elem === 'f32') f.get(L.p).mem(Op.f32Load, 2);
  else if (elem === 'f64s') f.get(L.p).mem(Op.f64Load, 3).op(Op.f32DemoteF64);
  else f.get(L.p).mem(Op.f64Load, 3);
}

/**
 * Emits: the max of [L.p, L.end) (at least one element) into L.m (f32, f64s) or L.m64 (f64),
 * leaving L.p unchanged. float64 elements of f64s are compared as float64 and the max rounded
 * once (rounding is monotonic, so that equals the max of the rounded elements).
 *
 * Semantics: NaN if the first element is NaN, else the largest non-NaN element; when that is
 * zero, its sign is the one {@link emitMaxLoops}' two-chain order gives (the sign shows in x − max
 * and so in log_softmax and the loss). The max is taken with four chains first (eight vectors per
 * iteration: two chains left the max latency-bound, ~8% of the forward at (256, 1000)); the
 * order changes nothing but which zero is kept, so a row whose max is ±0 is taken again with two.
 */
export function emitMax(f: Func, L: Locals, elem: Elem, min?: MinChains): void {
  emitMaxLoops(f, L, elem, true, min);
  f.get(elem === 'f64' ? L.m64 : L.m);
  if (elem === 'f64') f.f64(0).op(Op.f64Eq);
  else f.f32(0).op(Op.f32Eq);
  f.if();
  emitMaxLoops(f, L, elem, false);
  f.end();
}

/**
 * Where {@link emitMax} also takes the row's min, for a lower bound of x − max (gradFunc): four
 * v128 chains, one v128 temporary, and the result (f32 local for f32, f64 for f64). The min skips
 * NaN elements as the max does (NaN if the first element is NaN); ±0 order does not matter to a
 * bound. The max's operations and order are unchanged, so it keeps its bits.
 */
export interface MinChains {
  chains: [number, number, number, number];
  tmp: number;
  into: number;
}

/** Declares the locals of {@link MinChains} in `f` (f32 or f64 result after `elem`). */
export function declareMinChains(f: Func, elem: Elem): MinChains {
  const v = (): number => f.local(v128);
  return { chains: [v(), v(), v(), v()], tmp: v(), into: f.local(elem === 'f64' ? f64 : f32) };
}

/**
 * The loops of {@link emitMax}: the first element splat into every chain, blocks of four vectors
 * into two chains (vm: vectors 0, 2; vm1: 1, 3), then vectors one by one into vm, then scalars;
 * with `fast`, blocks of eight into four chains before that (vm2, vm3 folded into vm, vm1 after).
 * With `min` (only with `fast`), every vector loaded goes into its min chain too.
 */
function emitMaxLoops(f: Func, L: Locals, elem: Elem, fast: boolean, min?: MinChains): void {
  const sz = elem === 'f32' ? 4 : 8;
  const pmax = elem === 'f32' ? Op.f32x4Pmax : Op.f64x2Pmax;
  const pmin = elem === 'f32' ? Op.f32x4Pmin : Op.f64x2Pmin;
  // max chain c ← pmax(c, the vector at L.p + offset); with `min`, its min chain too
  const step = (c: number, offset: number, k: number): void => {
    f.get(c).get(L.p).v128Load(offset);
    if (min) f.tee(min.tmp);
    f.simd(pmax).set(c);
    if (min) f.get(min.chains[k]).get(min.tmp).simd(pmin).set(min.chains[k]);
  };
  f.get(L.p).set(L.start); // restored at the end: the Σexp pass reads the row again
  if (elem === 'f32') f.get(L.p).mem(Op.f32Load, 2).simd(Op.f32x4Splat);
  else f.get(L.p).mem(Op.f64Load, 3).simd(Op.f64x2Splat);
  f.tee(L.vm).set(L.vm1);
  if (min) for (const c of min.chains) f.get(L.vm).set(c);
  if (fast) {
    const chains = [L.vm, L.vm1, L.vm2, L.vm3];
    f.get(L.vm).tee(L.vm2).set(L.vm3);
    f.block().loop();
    f.get(L.p).i32(128).op(Op.i32Add).get(L.end).op(Op.i32GtU).brIf(1);
    for (let u = 0; u < 8; u++) step(chains[u % 4], 16 * u, u % 4);
    f.get(L.p).i32(128).op(Op.i32Add).set(L.p);
    f.br(0).end().end();
    f.get(L.vm).get(L.vm2).simd(pmax).set(L.vm);
    f.get(L.vm1).get(L.vm3).simd(pmax).set(L.vm1);
  }
  // Blocks of four vectors into two accumulators (the max's latency, not its throughput, is the
  // limit with one), then vectors one by one, then scalars.
  f.block().loop();
  f.get(L.p).i32(64).op(Op.i32Add).get(L.end).op(Op.i32GtU).brIf(1);
  step(L.vm, 0, 0);
  step(L.vm1, 16, 1);
  step(L.vm, 32, 2);
  step(L.vm1, 48, 3);
  f.get(L.p).i32(64).op(Op.i32Add).set(L.p);
  f.br(0).end().end();
  f.block().loop();
  f.get(L.p).i32(16).op(Op.i32Add).get(L.end).op(Op.i32GtU).brIf(1);
  step(L.vm, 0, 0);
  f.get(L.p).i32(16).op(Op.i32Add).set(L.p);
  f.br(0).end().end();
  f.get(L.vm).get(L.vm1).simd(pmax).set(L.vm);
  if (min) emitFoldMin(f, elem, min);
  // Lanes hold NaN only if the first element was NaN (then all do): f32.max/f64.max suffice.
  emitFoldLanes(f, L.vm, elem === 'f32', elem === 'f32' ? Op.f32Max : Op.f64Max);
  if (elem === 'f64s') f.op(Op.f32DemoteF64);
  f.set(elem === 'f64' ? L.m64 : L.m);
  // Scalar tail: m = m < v ? v : m (a NaN v is skipped, as pmax does).
  const [m, s, lt] = elem === 'f64' ? [L.m64, L.s64, Op.f64Lt] : [L.m, L.s, Op.f32Lt];
  f.block().loop();
  f.get(L.p).get(L.end).op(Op.i32GeU).brIf(1);
  emitLoad1(f, L, elem);
  f.tee(s).get(m).get(m).get(s).op(lt).op(Op.select).set(m);
  // min: mn = v < mn ? v : mn
  if (min) f.get(s).get(min.into).get(s).get(min.into).op(lt).op(Op.select).set(min.into);
  f.get(L.p).i32(sz).op(Op.i32Add).set(L.p);
  f.br(0).end().end();
  f.get(L.start).set(L.p);
}

/** Emits: min.into ← the min over min.chains' lanes (NaN if any lane is). */
function emitFoldMin(f: Func, elem: Elem, min: MinChains): void {
  const [c0, c1, c2, c3] = min.chains;
  const pmin = elem === 'f32' ? Op.f32x4Pmin : Op.f64x2Pmin;
  f.get(c0).get(c1).simd(pmin).get(c2).get(c3).simd(pmin).simd(pmin).set(min.tmp);
  emitFoldLanes(f, min.tmp, elem === 'f32', elem === 'f32' ? Op.f32Min : Op.f64Min);
  f.set(min.into);
}

/**
 * Emits, on the stack: `op` (scalar max or min) over the lanes of v128 local `v`: float32 lanes
 * (0 op 1) op (2 op 3), or float64 lanes 0 op 1.
 */
function emitFoldLanes(f: Func, v: number, f32Lanes: boolean, op: number): void {
  const extract = f32Lanes ? Op.f32x4ExtractLane : Op.f64x2ExtractLane;
  f.get(v).simd(extract, 0).get(v).simd(extract, 1).op(op);
  if (!f32Lanes) return;
  f.get(v).simd(extract, 2).get(v).simd(extract, 3).op(op);
  f.op(op);
}

/**
 * Emits: the row's max into L.m / L.m64 and its splat into L.vm; L.end is set to the row's end.
 * With `min` ({@link MinChains}, not for f64s), the row's min into min.into as well.
 */
export function emitRowMax(f: Func, L: Locals, elem: Elem, min?: MinChains): void {
  f.get(L.rowEnd).set(L.end);
  emitMax(f, L, elem, min);
  if (elem === 'f64') f.get(L.m64).simd(Op.f64x2Splat).set(L.vm);
  else f.get(L.m).simd(Op.f32x4Splat).set(L.vm);
}
