/**
 * Losses of other libraries, detected in Python snippets and computed by each library's own rule:
 * Keras, tf.nn, optax, MLX and scikit-learn. The snippets and their numbers come from
 * test/fixtures/libraries/gen_libraries.py (scikit-learn's numbers from scikit-learn itself, the
 * others from torch reproducing each library's documented steps).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

interface ExpectedFile {
  file: string;
  pairs: { line: number; name: string; loss?: number; losses?: number[] }[];
  claims: { line: number; text: string; status: 'holds' | 'wrong' }[];
  refusals: { line: number; name: string; expect: 'unverified' | 'none' }[];
}

const dir = path.resolve(__dirname, '../../fixtures/libraries');
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { files: ExpectedFile[] };

/** float32 rules step by step in a different order than torch's kernels: a few ulps apart at most. */
function close(actual: number, truth: number): boolean {
  return Math.abs(actual - truth) <= 1e-7 + 1e-6 * Math.abs(truth);
}

describe('library losses on the generated snippets', () => {
  it('has every file the generator writes', () => {
    expect(expected.files.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of expected.files) {
    describe(f.file, () => {
      const text = readFileSync(path.join(dir, f.file), 'utf8');
      const doc = analyzeText(text, { fileName: path.basename(f.file) });
      const atLine = (line: number) => doc.pairs.filter((p) => p.call?.line === line);

      for (const e of f.pairs)
        it(`computes ${e.name} (line ${e.line}) by its library's rule`, () => {
          const [p, ...more] = atLine(e.line);
          expect(p, 'a pair at the loss call').toBeDefined();
          expect(more).toEqual([]);
          expect(p.unverified).toBeUndefined();
          expect(p.error).toBeNull();
          expect(p.library, 'the pair names its library').toBeTruthy();
          expect(p.mapping, 'and how it maps to torch').toBeTruthy();
          if (e.loss !== undefined) {
            expect(p.loss).not.toBeNull();
            expect(close(p.loss!, e.loss), `${p.loss} vs ${e.loss}`).toBe(true);
          } else {
            expect(p.loss).toBeNull();
            expect(p.losses?.length).toBe(e.losses!.length);
            p.losses!.forEach((v, i) => expect(close(v, e.losses![i]), `${i}: ${v} vs ${e.losses![i]}`).toBe(true));
          }
        });

      for (const c of f.claims)
        it(`judges the claim ${c.text} on line ${c.line} as ${c.status}`, () => {
          const claim = doc.claims.find((x) => x.line === c.line && x.text === c.text);
          expect(claim, JSON.stringify(doc.claims.filter((x) => x.line === c.line))).toBeDefined();
          expect(claim?.status).toBe(c.status);
        });

      for (const r of f.refusals)
        it(`gives no number for ${r.name} (line ${r.line}): ${r.expect === 'none' ? 'no pair' : 'unverified'}`, () => {
          const found = atLine(r.line);
          if (r.expect === 'none') expect(found).toEqual([]);
          else {
            expect(found).toHaveLength(1);
            expect(found[0].loss).toBeNull();
            expect(found[0].losses).toBeNull();
            expect(found[0].unverified).toMatch(/\w/);
          }
        });

      it('reports no pair the fixture does not list', () => {
        const lines = new Set([...f.pairs.map((p) => p.line), ...f.refusals.map((r) => r.line)]);
        expect(doc.pairs.filter((p) => !lines.has(p.call?.line ?? -1)).map((p) => p.call?.line)).toEqual([]);
      });
    });
  }
});
