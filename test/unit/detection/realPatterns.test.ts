/**
 * Spellings met in real tutorials and tests (docs/detection.md, section 3), each in a snippet
 * written for this project by test/fixtures/realpatterns/gen_realpatterns.py, whose numbers come
 * from running the same arithmetic with torch: arrays kept in `self.` by setUp, loss calls inside
 * assert statements and allclose, f-strings, console sessions continued without prompts, examples
 * in docstrings and block comments, unlabelled Markdown fences and output blocks, a hand-written
 * log-sum-exp shifted by the row max, notebooks rendered as page text (`In [2]:`), reprs under a
 * bare expression, labelled prints against an expected-output block, printed tuples, a TensorFlow
 * 1.x session's run, and tfjs 0.x tests. Every right claim holds, every wrong claim is caught, the
 * negatives give no pair with a number, and arrays shown beside a call are no pair of their own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

interface ExpectedFile {
  file: string;
  negative: boolean;
  pairs: { line: number; name: string; loss?: number; losses?: number[] }[];
  claims: { line: number; text: string; status: 'holds' | 'wrong' }[];
}

const dir = path.resolve(__dirname, '../../fixtures/realpatterns');
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { files: ExpectedFile[] };

/** The truth is torch's float32 (or numpy's float64); the detector's own arithmetic may differ in the last bits. */
function close(actual: number, truth: number): boolean {
  return Math.abs(actual - truth) <= 1e-6 + 1e-5 * Math.abs(truth);
}

describe('real-code spellings on the generated snippets', () => {
  it('has the snippets and at least 20 negatives', () => {
    expect(expected.files.filter((f) => !f.negative).length).toBeGreaterThanOrEqual(8);
    expect(expected.files.filter((f) => f.negative).length).toBeGreaterThanOrEqual(20);
    const wrong = expected.files.flatMap((f) => f.claims.filter((c) => c.status === 'wrong'));
    expect(wrong.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of expected.files) {
    describe(f.file, () => {
      const text = readFileSync(path.join(dir, f.file), 'utf8');
      const doc = analyzeText(text, { fileName: path.basename(f.file) });

      if (f.negative)
        it('gives no pair with a number', () => {
          const numbered = doc.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0);
          expect(numbered.map((p) => `${p.call?.line ?? p.logits.line}: ${p.loss}`)).toEqual([]);
          expect(doc.claims.filter((c) => c.status === 'wrong' || c.status === 'holds')).toEqual([]);
        });

      for (const e of f.pairs)
        it(`computes the loss on line ${e.line} (${e.name})`, () => {
          const found = doc.pairs.filter((p) => p.call?.line === e.line);
          expect(found, JSON.stringify(doc.pairs.map((p) => p.call?.line))).toHaveLength(1);
          const p = found[0];
          expect(p.unverified).toBeUndefined();
          expect(p.error).toBeNull();
          if (e.loss !== undefined) {
            expect(p.loss).not.toBeNull();
            expect(close(p.loss!, e.loss), `${p.loss} vs ${e.loss}`).toBe(true);
          } else {
            expect(p.losses?.length).toBe(e.losses!.length);
            p.losses!.forEach((v, i) => expect(close(v, e.losses![i]), `${i}: ${v} vs ${e.losses![i]}`).toBe(true));
          }
        });

      for (const c of f.claims)
        it(`judges ${c.text} on line ${c.line}: ${c.status}`, () => {
          const claim = doc.claims.find((x) => x.line === c.line && x.text.includes(c.text));
          expect(claim, JSON.stringify(doc.claims.map((x) => [x.line, x.text, x.status]))).toBeDefined();
          expect(claim?.status).toBe(c.status);
        });

      if (!f.negative)
        it('reports no pair the fixture does not list', () => {
          const lines = new Set(f.pairs.map((p) => p.line));
          expect(doc.pairs.filter((p) => !lines.has(p.call?.line ?? -1)).map((p) => p.call?.line)).toEqual([]);
        });
    });
  }
});
