/**
 * The checks shared by the generated-snippet suites (test/fixtures/realpatterns3, realpatterns4):
 * each snippet's losses are computed (or given no number when the generator says `unverified`),
 * each claim is judged as the generator says (`none`: nothing judged on that line), and the
 * negatives give no pair with a number and judge no claim. The numbers come from the generators.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

interface ExpectedFile {
  file: string;
  negative: boolean;
  pairs: { line: number; name: string; loss?: number; losses?: number[]; unverified?: boolean }[];
  claims: { line: number; text: string; status: 'holds' | 'wrong' | 'none' }[];
}

/** The truth is torch's float32 (or numpy's float64); the detector's own arithmetic may differ in the last bits. */
function close(actual: number, truth: number): boolean {
  return Math.abs(actual - truth) <= 1e-6 + 1e-5 * Math.abs(truth);
}

export function describeGeneratedSnippets(
  folder: string,
  title: string,
  least: { snippets: number; negatives: number; wrong: number },
): void {
  const dir = path.resolve(__dirname, '../../fixtures', folder);
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { files: ExpectedFile[] };

  describe(title, () => {
    it('has snippets, negatives and wrong claims', () => {
      expect(expected.files.filter((f) => !f.negative).length).toBeGreaterThanOrEqual(least.snippets);
      expect(expected.files.filter((f) => f.negative).length).toBeGreaterThanOrEqual(least.negatives);
      const wrong = expected.files.flatMap((f) => f.claims.filter((c) => c.status === 'wrong'));
      expect(wrong.length).toBeGreaterThanOrEqual(least.wrong);
    });

    for (const f of expected.files) {
      describe(f.file, () => {
        const text = readFileSync(path.join(dir, f.file), 'utf8');
        const doc = analyzeText(text, { fileName: path.basename(f.file) });

        if (f.negative)
          it('gives no pair with a number and judges no claim', () => {
            const numbered = doc.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0);
            expect(numbered.map((p) => `${p.call?.line ?? p.logits.line}: ${p.loss}`)).toEqual([]);
            expect(doc.claims.filter((c) => c.status === 'wrong' || c.status === 'holds')).toEqual([]);
          });

        for (const e of f.pairs)
          it(`${e.unverified ? 'gives no number for' : 'computes'} the loss on line ${e.line} (${e.name})`, () => {
            const found = doc.pairs.filter((p) => p.call?.line === e.line);
            if (e.unverified) {
              expect(found.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)).toEqual([]);
              return;
            }
            expect(found, JSON.stringify(doc.pairs.map((p) => p.call?.line))).toHaveLength(1);
            const p = found[0];
            expect(p.unverified).toBeUndefined();
            if (e.loss !== undefined) expect(close(p.loss!, e.loss), `${p.loss} vs ${e.loss}`).toBe(true);
            else p.losses!.forEach((v, i) => expect(close(v, e.losses![i])).toBe(true));
          });

        for (const c of f.claims)
          it(`judges ${c.text} on line ${c.line}: ${c.status}`, () => {
            if (c.status === 'none') {
              const judged = doc.claims.filter(
                (x) => x.line === c.line && (x.status === 'holds' || x.status === 'wrong'),
              );
              expect(judged.map((x) => [x.text, x.status])).toEqual([]);
              return;
            }
            const claim = doc.claims.find((x) => x.line === c.line && x.text.includes(c.text));
            expect(claim, JSON.stringify(doc.claims.map((x) => [x.line, x.text, x.status]))).toBeDefined();
            expect(claim?.status).toBe(c.status);
          });
      });
    }
  });
}
