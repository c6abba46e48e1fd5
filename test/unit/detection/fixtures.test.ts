/**
 * Every fixture under test/fixtures/detection against expected.json, whose numbers come from
 * running the code with real PyTorch (test/fixtures/detection/gen_expected.py): the pairs found
 * (names, lines, cells, shapes, dtype, options, loss), the claims and their verdicts, the
 * findings that must be reported, and no pairs where there are none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { type ClaimAnalysis, type DocumentAnalysis, type PairAnalysis } from '../../../src/core/detection';

const dir = join(__dirname, '../../fixtures/detection');

type Num = number | string | null;
interface ExpectedPair {
  logits_name: string;
  logits_line: number;
  logits_cell?: number;
  target_name: string;
  target_line: number;
  target_cell?: number;
  call_line: number | null;
  call_cell?: number;
  call_kind: string | null;
  shape?: number[];
  target_shape?: number[];
  target_kind?: string;
  dtype: string;
  reduction?: string;
  weight?: number[] | null;
  ignore_index?: number;
  label_smoothing?: number;
  input_kind?: string;
  loss?: Num;
  losses?: Num[];
  error?: { code: string; torch_message: string } | null;
  optional?: boolean;
  loss_may_be_null?: boolean;
  via?: string;
}
interface ExpectedClaim {
  line: number;
  cell?: number;
  text: string;
  value: Num;
  pair: number | null;
  expression?: string | null;
  holds: boolean | null;
  alt_holds?: (boolean | null)[];
  optional?: boolean;
}
interface ExpectedFile {
  language: string;
  pairs: ExpectedPair[];
  claims: ExpectedClaim[];
  findings: { code: string; line: number; cell?: number; alt_lines?: number[] }[];
  no_pairs: boolean;
}

const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
  files: Record<string, ExpectedFile>;
};

function num(v: Num): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v);
}

/** float32 losses to 1e-5 relative, float64 to 1e-10 relative; NaN equals NaN. */
function close(actual: number | null, want: number | null, dtype: string): boolean {
  if (want === null || actual === null) return want === actual;
  if (Number.isNaN(want)) return Number.isNaN(actual);
  if (!Number.isFinite(want)) return actual === want;
  const tol = (dtype === 'float64' ? 1e-10 : 1e-5) * Math.max(Math.abs(want), 1e-30);
  return Math.abs(actual - want) <= tol;
}

const nonTorchKinds = new Set(['inferred', 'user_function', 'tf_softmax_cross_entropy']);

/** Does the detected pair sit where the expected one does (names, lines, cells, call)? */
function samePlace(p: PairAnalysis, e: ExpectedPair): boolean {
  if (p.logits.name !== e.logits_name || p.logits.line !== e.logits_line) return false;
  if (p.target.name !== e.target_name || p.target.line !== e.target_line) return false;
  if (e.logits_cell !== undefined && p.logits.cell !== e.logits_cell) return false;
  if (e.target_cell !== undefined && p.target.cell !== e.target_cell) return false;
  if (e.call_line === null) return p.call === null || nonTorchKinds.has(p.call.kind);
  if (!p.call || p.call.line !== e.call_line) return false;
  return e.call_cell === undefined || p.call.cell === e.call_cell;
}

function describePair(p: PairAnalysis): string {
  return `${p.logits.name}@${p.logits.cell ?? ''}:${p.logits.line} / ${p.target.name}@${p.target.cell ?? ''}:${p.target.line} call ${p.call ? `${p.call.kind}@${p.call.cell ?? ''}:${p.call.line}` : 'none'}`;
}

function checkPair(p: PairAnalysis, e: ExpectedPair): void {
  const label = `pair ${describePair(p)}`;
  if (e.shape) expect([p.logits.shape, p.inputShape], label).toContainEqual(e.shape);
  if (e.target_shape) expect([p.target.shape, p.targetShape], label).toContainEqual(e.target_shape);
  expect(p.dtype, label).toBe(e.dtype);
  if (e.reduction) expect(p.options.reduction, label).toBe(e.reduction);
  if (e.ignore_index !== undefined) expect(p.options.ignoreIndex, label).toBe(e.ignore_index);
  if (e.label_smoothing !== undefined) expect(p.options.labelSmoothing, label).toBeCloseTo(e.label_smoothing, 12);
  if (e.input_kind) expect(p.options.inputKind, label).toBe(e.input_kind);
  if (e.weight !== undefined) {
    if (e.weight === null) expect(p.options.weight, label).toBeNull();
    else
      expect(
        p.options.weight?.map((w) => Math.fround(w)),
        label,
      ).toEqual(e.weight.map((w) => Math.fround(w)));
  }
  if (e.error) {
    expect(p.loss, label).toBeNull();
    if (p.error) expect(p.error.message, label).toBe(e.error.torch_message);
    return;
  }
  if (e.losses) {
    expect(p.losses, label).not.toBeNull();
    const got = p.losses as number[];
    expect(got.length, label).toBe(e.losses.length);
    e.losses.forEach((v, i) =>
      expect(close(got[i], num(v), e.dtype), `${label} losses[${i}] = ${got[i]}, torch ${v}`).toBe(true),
    );
    return;
  }
  if (e.loss === undefined) return;
  if (p.loss === null && e.loss_may_be_null) return;
  expect(close(p.loss, num(e.loss), e.dtype), `${label}: loss ${p.loss}, torch ${e.loss}`).toBe(true);
}

const statusOf = (h: boolean | null): ClaimAnalysis['status'] =>
  h === true ? 'holds' : h === false ? 'wrong' : 'unverified';

function check(file: string, e: ExpectedFile, doc: DocumentAnalysis): void {
  if (e.no_pairs) expect(doc.pairs.map(describePair), `${file}: no pairs`).toEqual([]);
  // Every expected pair is found, in the expected place, with torch's numbers.
  const matched: (PairAnalysis | undefined)[] = e.pairs.map((ep) => doc.pairs.find((p) => samePlace(p, ep)));
  e.pairs.forEach((ep, i) => {
    if (ep.optional && !matched[i]) return;
    expect(
      matched[i],
      `${file}: pair ${i} ${ep.logits_name}:${ep.logits_line}/${ep.target_name}:${ep.target_line} call ${ep.call_line}; found ${doc.pairs.map(describePair).join('; ')}`,
    ).toBeDefined();
    checkPair(matched[i] as PairAnalysis, ep);
  });
  // And nothing else.
  for (const p of doc.pairs) {
    expect(
      e.pairs.some((ep) => samePlace(p, ep)),
      `${file}: unexpected pair ${describePair(p)}`,
    ).toBe(true);
  }
  // Claims: found at their line with the expected verdict and attribution.
  for (const ec of e.claims) {
    const c = doc.claims.find(
      (x) => x.line === ec.line && (ec.cell === undefined || x.cell === ec.cell) && x.text === ec.text,
    );
    if (!c) {
      if (ec.optional) continue;
      throw new Error(
        `${file}: claim ${ec.text} at ${ec.cell ?? ''}:${ec.line} not found; found ${doc.claims.map((x) => `${x.text}@${x.cell ?? ''}:${x.line}`).join(', ')}`,
      );
    }
    const ok = [ec.holds, ...(ec.alt_holds ?? [])].map(statusOf);
    expect(ok, `${file}: claim ${ec.text} at ${ec.line} is ${c.status} (${c.reason ?? c.computed})`).toContain(
      c.status,
    );
    if (ec.pair !== null && c.status !== 'unverified') {
      const pair = matched[ec.pair];
      if (pair) expect(c.pairId, `${file}: claim at ${ec.line} belongs to pair ${ec.pair}`).toBe(pair.id);
    }
    if (ec.pair === null && ec.expression)
      expect(c.pairId, `${file}: claim at ${ec.line} is about an expression`).toBeNull();
  }
  // Findings that must be reported.
  for (const ef of e.findings) {
    const lines = [ef.line, ...(ef.alt_lines ?? [])];
    const f = doc.findings.find(
      (x) => x.code === ef.code && lines.includes(x.line) && (ef.cell === undefined || x.cell === ef.cell),
    );
    expect(
      f,
      `${file}: finding ${ef.code} at ${lines.join('/')}; found ${doc.findings.map((x) => `${x.code}@${x.cell ?? ''}:${x.line}`).join(', ')}`,
    ).toBeDefined();
  }
}

describe('detection fixtures (expected values from real PyTorch)', () => {
  for (const [file, e] of Object.entries(expected.files)) {
    it(file, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const doc = analyzeText(text, { fileName: file });
      expect(doc.language).toBe(e.language);
      check(file, e, doc);
    });
  }
});
