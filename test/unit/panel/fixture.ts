/**
 * Test helpers: the torch reference numbers of panelFixture.json (written by
 * gen_panel_fixture.py) and worker-shaped payloads for the same cases, computed by the core
 * kernel the way the worker does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeLoss, sampleBreakdown } from '../../../src/core/kernel';
import type { DType, Reduction } from '../../../src/core/types';
import type { SampleBreakdown } from '../../../src/core/types';
import type { LossPayload } from '../../../src/protocol/worker';

type Num = number | 'NaN' | 'Infinity' | '-Infinity';

/** One torch case of the fixture. */
export interface TorchCase {
  dtype: DType;
  reduction: Reduction;
  input: Num[];
  shape: number[];
  target: number[];
  weight: number[] | null;
  labelSmoothing: number;
  ignoreIndex: number;
  max: Num[];
  shifted: Num[];
  exp: Num[];
  sumExp: Num[];
  softmax: Num[];
  logSoftmax: Num[];
  losses: Num[];
  loss: Num;
  grad: Num[];
  print: string;
}

export interface StabilityCase {
  shift: number;
  shiftedLogits: Num[];
  naiveExp: Num[];
  naiveSum: Num;
  naiveSoftmax: Num[];
  stableSoftmax: Num[];
}

export interface PrintCase {
  values: Num[];
  shape: number[];
  dtype: DType;
  text: string;
}

export interface PanelFixture {
  torch: string;
  seedSingle: Record<'float32' | 'float64', TorchCase>;
  seedBatch: Record<'float32' | 'float64' | 'sum32' | 'none32' | 'weightedSmoothed32' | 'ignored32', TorchCase>;
  stability: StabilityCase[];
  wide: TorchCase;
  prints: PrintCase[];
}

export const fixture = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/panel/panelFixture.json'), 'utf8'),
) as PanelFixture;

/** A fixture number as a JS number. */
export function n(v: Num): number {
  return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;
}

/** A list of fixture numbers. */
export function ns(v: Num[]): number[] {
  return v.map(n);
}

/** The worker's payloads for a torch case: the loss result and the breakdown of one element. */
export function payloads(c: TorchCase, element = 0): { result: LossPayload; breakdown: SampleBreakdown } {
  const outcome = computeLoss(
    {
      input: { data: Float64Array.from(ns(c.input)), shape: c.shape, integral: false },
      target: { data: Float64Array.from(c.target), shape: [c.target.length], integral: true },
      weight: c.weight ? { data: Float64Array.from(c.weight), shape: [c.weight.length], integral: false } : null,
      ignoreIndex: c.ignoreIndex,
      reduction: c.reduction,
      labelSmoothing: c.labelSmoothing,
      dtype: c.dtype,
      inputKind: 'logits',
    },
    { grad: true },
  );
  if (!outcome.ok) throw new Error(outcome.error.message);
  const { prepared: p, result: r } = outcome;
  const result: LossPayload = {
    resultId: 1,
    loss: r.loss,
    losses: r.losses,
    numerator: r.numerator,
    denominator: r.denominator,
    ignored: r.ignored,
    ...(r.grad ? { grad: Float64Array.from(r.grad) } : {}),
    dtype: p.dtype,
    reduction: p.reduction,
    targetKind: p.targetKind,
    inputShape: p.inputShape,
    lossShape: p.lossShape,
    N: p.N,
    C: p.C,
    S: p.S,
    kernelMs: 0,
  };
  return { result, breakdown: sampleBreakdown(p, r, element) };
}

/** Relative closeness for float32 results (a few ulps). */
export function close(actual: number, expected: number, rel = 4e-7): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-30);
}
