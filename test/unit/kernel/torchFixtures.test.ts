/**
 * The kernel against real PyTorch: every case in test/fixtures/kernel/cases.json was computed by
 * torch 1.13 (test/fixtures/kernel/gen_kernel_cases.py). Loss and gradient must agree within
 * float32 1e-5 relative (1e-6 absolute) or float64 1e-10 relative; NaN must be NaN; errors must
 * match code and message.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeLoss, gradient, gradientRow, prepare, sampleBreakdown } from '../../../src/core/kernel';
import { setKernelBackend, wasmKernelStats } from '../../../src/core/kernel/wasmForward';
import { toNested } from '../../../src/core/ndBuilder';
import { decodeRequest } from '../../../src/core/request';
import type { JsonValue } from '../../../src/core/json/jsonValue';
import { parseJson } from '../../../src/core/json/parseJson';
import { toErrorInfo } from '../../../src/core/errors';

interface Case {
  id: string;
  request: Record<string, unknown>;
  expect: { loss?: unknown; grad?: unknown; error?: { code: string; message: string } };
}

const text = readFileSync(join(__dirname, '../../fixtures/kernel/cases.json'), 'utf8');
const file = JSON.parse(text) as { cases: Case[] };
// JSON.parse turns `1.0` into 1; our own parser keeps integer and float literals apart, which is
// how an index target (LongTensor) differs from a probability target. Requests are read with it.
const rawCases = (parseJson(text, { wrapScalars: true }) as { [k: string]: JsonValue }).cases as {
  [k: string]: JsonValue;
}[];

function decode(v: unknown): unknown {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Array.isArray(v) ? v.map(decode) : v;
}

function flatten(v: unknown, out: number[] = []): number[] {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else out.push(v as number);
  return out;
}

function close(actual: number, expected: number, dtype: string): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  const diff = Math.abs(actual - expected);
  return dtype === 'float64'
    ? diff <= 1e-10 * Math.abs(expected) || diff <= 1e-13
    : diff <= 1e-5 * Math.abs(expected) || diff <= 1e-6;
}

function mismatch(actual: ArrayLike<number>, expected: number[], dtype: string): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} ≠ ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i], expected[i], dtype)) return `element ${i}: got ${actual[i]}, torch ${expected[i]}`;
  }
  return null;
}

describe('kernel vs PyTorch fixtures', () => {
  it('has at least 300 cases covering every family', () => {
    expect(file.cases.length).toBeGreaterThanOrEqual(300);
    const families = new Set(file.cases.map((c) => c.id.split('/')[0]));
    for (const f of ['idx', 'prob', 'nll', 'extreme', 'nonfinite', 'seed', 'err']) expect(families).toContain(f);
  });

  file.cases.forEach((c, index) => {
    it(c.id, () => {
      const request = () => decodeRequest(rawCases[index].request);
      let outcome;
      try {
        outcome = computeLoss(request(), { grad: true });
      } catch (err) {
        outcome = { ok: false as const, error: toErrorInfo(err) };
      }
      const dtype = (c.request.dtype as string) ?? 'float32';
      if (c.expect.error) {
        expect(outcome.ok).toBe(false);
        // The code and message as the fixture holds them (the CLI's fields); a `detail` for the
        // editor's translations may come beside them (test/unit/core/errorText.test.ts).
        if (!outcome.ok) expect({ code: outcome.error.code, message: outcome.error.message }).toEqual(c.expect.error);
        return;
      }
      if (!outcome.ok) throw new Error(`unexpected error ${outcome.error.code}: ${outcome.error.message}`);
      const { prepared, result } = outcome;
      const expectedLoss = flatten(decode(c.expect.loss));
      const actualLoss =
        prepared.reduction === 'none' ? flatten(toNested(result.losses, prepared.lossShape)) : [result.loss];
      expect(mismatch(actualLoss, expectedLoss, dtype), 'loss').toBeNull();
      // The forward-only fast path must agree with the general path that computes gradients.
      const fwd = computeLoss(request());
      if (fwd.ok)
        expect(
          mismatch(prepared.reduction === 'none' ? fwd.result.losses : [fwd.result.loss], expectedLoss, dtype),
          'forward-only loss',
        ).toBeNull();
      if (c.expect.grad !== undefined) {
        const torchGrad = flatten(decode(c.expect.grad));
        expect(mismatch(result.grad as Float64Array, torchGrad, dtype), 'grad').toBeNull();
        // The panel's one-sample gradient (gradientRow): each row torch's, and the full gradient's to the bit.
        const { C, S } = prepared;
        const whole = gradient(prepared, result);
        for (let e = 0; e < prepared.N * S; e++) {
          const base = Math.floor(e / S) * C * S + (e % S);
          const at = Array.from({ length: C }, (_, k) => base + k * S);
          const row = gradientRow(prepared, result, e);
          expect(
            mismatch(
              row,
              at.map((i) => torchGrad[i]!),
              dtype,
            ),
            `grad row ${e}`,
          ).toBeNull();
          expect(Array.from(row), `grad row ${e}`).toEqual(at.map((i) => whole[i]));
        }
      }
    });
  });
});

// The float32 forward in WebAssembly SIMD (wasmForward.ts), forced for every size: the same torch
// references must hold, and each case the wasm path can take must actually have run in wasm.
describe('kernel vs PyTorch fixtures, float32 forward in WebAssembly', () => {
  const eligible = file.cases
    .map((c, index) => ({ c, index }))
    .filter(({ c, index }) => {
      if (c.expect.error || (c.request.dtype ?? 'float32') !== 'float32') return false;
      try {
        const p = prepare(decodeRequest(rawCases[index].request));
        return p.targetKind === 'indices' && p.labelSmoothing === 0 && p.inputKind === 'logits' && p.S === 1;
      } catch {
        return false;
      }
    });

  it('covers the float32 index-target forward cases', () => {
    expect(wasmKernelStats().available ?? true).toBe(true);
    expect(eligible.length).toBeGreaterThanOrEqual(90); // 94 in cases.json today
  });

  eligible.forEach(({ c, index }) => {
    it(c.id, () => {
      setKernelBackend('wasm');
      try {
        const before = wasmKernelStats().wasmCalls;
        const outcome = computeLoss(decodeRequest(rawCases[index].request));
        expect(wasmKernelStats().available).toBe(true);
        expect(wasmKernelStats().wasmCalls, 'ran in wasm').toBe(before + 1);
        if (!outcome.ok) throw new Error(`unexpected error ${outcome.error.code}: ${outcome.error.message}`);
        const { prepared, result } = outcome;
        const expectedLoss = flatten(decode(c.expect.loss));
        const actualLoss =
          prepared.reduction === 'none' ? flatten(toNested(result.losses, prepared.lossShape)) : [result.loss];
        expect(mismatch(actualLoss, expectedLoss, 'float32'), 'loss').toBeNull();
      } finally {
        setKernelBackend('auto');
      }
    });
  });
});

// A float32 request may carry its input as a Float32Array (a live read of a program's float32
// tensor, not widened): every float32 case must give the same loss, per-element losses, gradient
// and sample breakdown, to the bit, as the same values given in float64, on every backend.
describe('kernel vs PyTorch fixtures, float32 input given as a Float32Array', () => {
  const float32 = file.cases
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => !c.expect.error && (c.request.dtype ?? 'float32') === 'float32');

  it('covers the float32 cases', () => {
    expect(float32.length).toBeGreaterThanOrEqual(150);
  });

  for (const backend of ['scalar', 'wasm', 'auto'] as const) {
    float32.forEach(({ c, index }) => {
      it(`${backend}: ${c.id}`, () => {
        setKernelBackend(backend);
        try {
          const wide = decodeRequest(rawCases[index].request);
          const narrow = decodeRequest(rawCases[index].request);
          narrow.input = { ...narrow.input, data: Float32Array.from(narrow.input.data) };
          for (const grad of [false, true]) {
            const a = computeLoss(wide, { grad });
            const b = computeLoss(narrow, { grad });
            if (!a.ok || !b.ok) throw new Error(`unexpected error in ${c.id}`);
            expect(b.prepared.source, 'kept as given').toBe(narrow.input.data);
            expect(Object.is(b.result.loss, a.result.loss), `loss ${b.result.loss} ≠ ${a.result.loss}`).toBe(true);
            expect(Array.from(b.result.losses)).toEqual(Array.from(a.result.losses));
            if (grad) expect(Array.from(b.result.grad!)).toEqual(Array.from(a.result.grad!));
            const e = a.prepared.N * a.prepared.S - 1;
            expect(sampleBreakdown(b.prepared, b.result, e)).toEqual(sampleBreakdown(a.prepared, a.result, e));
          }
          // And torch's own numbers.
          const b = computeLoss(narrow, { grad: true });
          if (!b.ok) throw new Error(`unexpected error in ${c.id}`);
          const expectedLoss = flatten(decode(c.expect.loss));
          const actualLoss =
            b.prepared.reduction === 'none'
              ? flatten(toNested(b.result.losses, b.prepared.lossShape))
              : [b.result.loss];
          expect(mismatch(actualLoss, expectedLoss, 'float32'), 'loss').toBeNull();
        } finally {
          setKernelBackend('auto');
        }
      });
    });
  }
});
