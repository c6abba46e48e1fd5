/**
 * The emitters of the row functions' lse and their gradient pass (log_softmax's backward over an
 * upstream row, and the target's fix-up): shared by gradG_* (wasmKernelModule.ts), probGrad_*
 * (wasmProbEmit.ts) and smoothGrad_* (wasmSmoothEmit.ts). Split from wasmKernelEmit.ts, which
 * holds the locals, exp, loads and the row statistics these build on.
 */
import { Func, Op } from './wasmAssembler';
import {
  emitSlotAt,
  emitStorePartial,
  emitExpF32,
  emitExpF64,
  emitFlushF32,
  expNormalMinF32,
  expNormalMinF64,
  type ExpRange,
  type ExpTemps,
  type Locals,
} from './wasmKernelEmit';
import type { MinChains } from './wasmMaxEmit';

/** Index of the module's imported `env.log` (Math.log; wasmKernelModule.ts). */
export const logImport = 0;

/**
 * lse = log Σ as the steps form it, splat into `into`: float64 log Σ (kept in L.s64), float32
 * fround(log(fround(Σ))) (kept in L.s). Σ is L.total.
 */
export function emitLseSplat(f: Func, L: Locals, wide: boolean, into: number): void {
  if (wide) f.get(L.total).call(logImport).tee(L.s64).simd(Op.f64x2Splat).set(into);
  else {
    f.get(L.total).op(Op.f32DemoteF64).op(Op.f64PromoteF32).call(logImport).op(Op.f32DemoteF64);
    f.tee(L.s).simd(Op.f32x4Splat).set(into);
  }
}

/** Emits: out + 32·n + 24 ← lse (float64; `value` pushes it), for the steps and the gradient. */
export function emitStoreLse(f: Func, n: number, value: () => void): void {
  emitSlotAt(f, 'out', n);
  value();
  f.mem(Op.f64Store, 3, 24);
}

/**
 * Emits the steps' row normaliser after the row's Σexp (L.total): float64 Σ in L.sd and lse in L.s64,
 * float32 Σ in L.s and lse in L.m; 1/Σ splat in L.vm, lse splat in L.vm1; lse stored for row `n`.
 * Shared by the index-target steps (steps_*) and the probability-target steps (stepsProb_*).
 */
export function emitStepsRowNorm(f: Func, L: Locals, wide: boolean, n: number): void {
  if (wide) {
    f.get(L.total).tee(L.sd).call(logImport).set(L.s64);
    f.f64(1).get(L.sd).op(Op.f64Div).simd(Op.f64x2Splat).set(L.vm);
    f.get(L.s64).simd(Op.f64x2Splat).set(L.vm1);
    emitStoreLse(f, n, () => f.get(L.s64));
  } else {
    f.get(L.total).op(Op.f32DemoteF64).tee(L.s).op(Op.f64PromoteF32).call(logImport).op(Op.f32DemoteF64).set(L.m);
    f.f32(1).get(L.s).op(Op.f32Div).simd(Op.f32x4Splat).set(L.vm);
    f.get(L.m).simd(Op.f32x4Splat).set(L.vm1);
    emitStoreLse(f, n, () => f.get(L.m).op(Op.f64PromoteF32));
  }
}

/**
 * Emits, after emitRowMax with `mn` (the row's min in mn.into): mn.into ← min − max, rounded as
 * every x − max is (so it bounds them all from below), and `normal` (i32) ← whether that bound has
 * a normal exp (float32 ≥ −87.3365, float64 ≥ −707): then every x − max has, and the row's Σexp may
 * take the 'normal' {@link ExpRange} (emitRowSum's `normal`). False for a NaN bound or max.
 */
export function emitMinBound(f: Func, L: Locals, wide: boolean, mn: MinChains, normal: number): void {
  if (wide) f.get(mn.into).get(L.m64).op(Op.f64Sub).tee(mn.into).f64(expNormalMinF64).op(Op.f64Ge);
  else f.get(mn.into).get(L.m).op(Op.f32Sub).tee(mn.into).f32(expNormalMinF32).op(Op.f32Ge);
  f.set(normal);
}

/**
 * Emits, on the stack (i32): whether every log p = (x − max) − lse of the row has a normal exp,
 * from the bound {@link emitMinBound} left in mn.into and lse in L.s64 / L.s (log p ≥ (min − max)
 * − lse, each step rounded monotonically). No log p is NaN then: a NaN element makes Σ and lse
 * NaN and the test false, as a −Inf element (min − max = −Inf) or a +Inf one (max +Inf) does.
 */
export function emitLogPNormal(f: Func, L: Locals, wide: boolean, mn: MinChains): void {
  if (wide) f.get(mn.into).get(L.s64).op(Op.f64Sub).f64(expNormalMinF64).op(Op.f64Ge);
  else f.get(mn.into).get(L.s).op(Op.f32Sub).f32(expNormalMinF32).op(Op.f32Ge);
}

/**
 * Emits {@link emitGradPass} with a row of upstream gradients at `pg` (g = G − p·s), its exps in the
 * 'finite' {@link ExpRange} where {@link emitLogPNormal} holds for the row and in the general one
 * elsewhere: the same bits either way (the clamp, the float32 flush and the float64 second 2^k
 * factor change nothing in that range, and the integer scaling is exact there), fewer operations.
 * Used by smoothGrad_* and probGrad_*, whose rows carry G (label smoothing, probability targets).
 */
export function emitGradPassByRange(f: Func, L: Locals, wide: boolean, mn: MinChains, vs: number, pg: number): void {
  emitLogPNormal(f, L, wide, mn);
  f.if();
  emitGradPass(f, L, wide, vs, pg, 'finite');
  f.else();
  emitGradPass(f, L, wide, vs, pg);
  f.end();
}

/**
 * Emits the gradient pass over the row [L.p, L.rowEnd) into L.pd: g = G − exp((x − max) − lse)·s
 * with max in L.vm, lse in L.vm1, s in `vs`, G the row at local `pg` (advanced), or 0 when `pg`
 * is −1; eight vectors at a time (then four if four remain), then one at a time, the last partial
 * vector stored lane by lane. Elementwise, so the blocking changes no bits.
 *
 * `range` 'normal' or 'finite': the caller knows every (x − max) − lse of the row is in that
 * {@link ExpRange}, so the exp leaves out its clamp and (float32) the flush, which would change nothing.
 * `negated` (only with `pg` −1): `vs` holds −s, whose sign bit the caller saw set, and g = p·(−s):
 * the same value as 0 − p·s, zeros included (0 − (−0) and +0·(+|s|) are both +0), one operation fewer.
 */
export function emitGradPass(
  f: Func,
  L: Locals,
  wide: boolean,
  vs: number,
  pg: number,
  range: ExpRange = 'any',
  negated = false,
): void {
  if (negated && pg >= 0) throw new Error('emitGradPass: negated needs no upstream row');
  const [sub, mul] = wide ? [Op.f64x2Sub, Op.f64x2Mul] : [Op.f32x4Sub, Op.f32x4Mul];
  const sz = wide ? 8 : 4;
  const n = wide ? 2 : 4;
  const upstream = (u: number): void => {
    if (negated) return;
    if (pg >= 0) f.get(pg).v128Load(16 * u);
    else if (wide) f.f64x2(0);
    else f.f32x4(0);
  };
  /** upstream (if any) − exp·s, or exp·(−s): the exp on the stack, after `upstream`. */
  const combine = (): void => {
    f.get(vs).simd(mul);
    if (!negated) f.simd(sub);
  };
  const advanceG = (bytes: number): void => {
    if (pg >= 0) f.get(pg).i32(bytes).op(Op.i32Add).set(pg);
  };
  const exp = (y: number, t: ExpTemps): void => {
    if (wide) emitExpF64(f, y, t, range);
    else {
      emitExpF32(f, y, t, range);
      if (range === 'any') emitFlushF32(f, y);
    }
  };
  // A block of `count` vectors: the loads and subtractions first, then each exp and its store,
  // so `count` independent exps are in flight (each is a chain of ~20 dependent operations).
  const block = (count: number): void => {
    for (let u = 0; u < count; u++) {
      f.get(L.p)
        .v128Load(16 * u)
        .get(L.vm)
        .simd(sub)
        .get(L.vm1)
        .simd(sub)
        .set(L.ys[u]);
    }
    for (let u = 0; u < count; u++) {
      f.get(L.pd);
      upstream(u);
      exp(L.ys[u], L.ts[u]);
      combine();
      f.v128Store(16 * u);
    }
    f.get(L.p)
      .i32(16 * count)
      .op(Op.i32Add)
      .set(L.p);
    f.get(L.pd)
      .i32(16 * count)
      .op(Op.i32Add)
      .set(L.pd);
    advanceG(16 * count);
  };
  f.block().loop();
  f.get(L.p)
    .i32(8 * 16)
    .op(Op.i32Add)
    .get(L.rowEnd)
    .op(Op.i32GtU)
    .brIf(1);
  block(8);
  f.br(0).end().end();
  f.get(L.p)
    .i32(4 * 16)
    .op(Op.i32Add)
    .get(L.rowEnd)
    .op(Op.i32LeU)
    .if();
  block(4);
  f.end();
  const y = L.ys[0];
  f.block().loop();
  f.get(L.p).get(L.rowEnd).op(Op.i32GeU).brIf(1);
  f.get(L.p).v128Load(0).get(L.vm).simd(sub).get(L.vm1).simd(sub).set(y);
  upstream(0);
  exp(y, L.ts[0]);
  combine();
  f.set(L.ex);
  f.get(L.rowEnd).get(L.p).op(Op.i32Sub).i32(Math.log2(sz)).op(Op.i32ShrU).tee(L.rem).i32(n).op(Op.i32GeU).if();
  f.get(L.pd).get(L.ex).v128Store(0);
  f.else();
  emitStorePartial(f, L, L.ex, L.pd, wide);
  f.end();
  f.get(L.p).i32(16).op(Op.i32Add).set(L.p);
  f.get(L.pd).i32(16).op(Op.i32Add).set(L.pd);
  advanceG(16);
  f.br(0).end().end();
}

/**
 * Emits, for `count` vectors of log p already in L.ys[0 … count): g = G − exp(log p)·s at L.pd, G the
 * vectors at local `pg`, s splat in `vs`, the exps in `range` as {@link emitGradPass} takes them
 * (the same operations, so the same bits); advances L.pd and pg. For a pass that forms log p
 * itself (smoothGrad_*'s smoothing sum, wasmSmoothEmit.ts).
 */
export function emitGradVectors(
  f: Func,
  L: Locals,
  wide: boolean,
  vs: number,
  pg: number,
  count: number,
  range: ExpRange,
): void {
  const [sub, mul] = wide ? [Op.f64x2Sub, Op.f64x2Mul] : [Op.f32x4Sub, Op.f32x4Mul];
  for (let u = 0; u < count; u++) {
    f.get(L.pd)
      .get(pg)
      .v128Load(16 * u);
    if (wide) emitExpF64(f, L.ys[u], L.ts[u], range);
    else {
      emitExpF32(f, L.ys[u], L.ts[u], range);
      if (range === 'any') emitFlushF32(f, L.ys[u]);
    }
    f.get(vs)
      .simd(mul)
      .simd(sub)
      .v128Store(16 * u);
  }
  for (const ptr of [L.pd, pg])
    f.get(ptr)
      .i32(16 * count)
      .op(Op.i32Add)
      .set(ptr);
}

/**
 * Emits, after {@link emitGradPass} with a row of upstream gradients: at the row's target t ≥ 0
 * (i32 at local `prm`, the row's parameters) g_t = gout_t − exp((x_t − max) − lse)·s, gout_t (the
 * upstream gradient there, which the row G already holds) at prm + 16 (f64), in the lanes of a
 * splat so the exp is the pass's; the row's gradient starts at local `rowG`, its input at
 * L.start; max and lse splat in L.vm, L.vm1, s in `vs`.
 */
export function emitTargetGradG(f: Func, L: Locals, wide: boolean, prm: number, rowG: number, vs: number): void {
  const [sub, mul] = wide ? [Op.f64x2Sub, Op.f64x2Mul] : [Op.f32x4Sub, Op.f32x4Mul];
  const log2 = wide ? 3 : 2;
  const y = L.ys[0];
  f.get(prm).mem(Op.i32Load, 2, 0).tee(L.rem).i32(0).op(Op.i32GeS).if();
  f.get(rowG).get(L.rem).i32(log2).op(Op.i32Shl).op(Op.i32Add);
  f.get(L.start).get(L.rem).i32(log2).op(Op.i32Shl).op(Op.i32Add);
  if (wide) f.mem(Op.f64Load, 3).simd(Op.f64x2Splat);
  else f.mem(Op.f32Load, 2).simd(Op.f32x4Splat);
  f.get(L.vm).simd(sub).get(L.vm1).simd(sub).set(y);
  f.get(prm).mem(Op.f64Load, 3, 16);
  if (wide) f.simd(Op.f64x2Splat);
  else f.op(Op.f32DemoteF64).simd(Op.f32x4Splat);
  if (wide) emitExpF64(f, y, L.ts[0]);
  else {
    emitExpF32(f, y, L.ts[0]);
    emitFlushF32(f, y);
  }
  f.get(vs).simd(mul).simd(sub);
  if (wide) f.simd(Op.f64x2ExtractLane, 0).mem(Op.f64Store, 3);
  else f.simd(Op.f32x4ExtractLane, 0).mem(Op.f32Store, 2);
  f.end();
}
