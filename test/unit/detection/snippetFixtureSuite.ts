/**
 * The checks every snippet fixture folder gets (test/fixtures/realpatterns*, written by their
 * generators through test/fixtures/snippet_fixtures.py): each expected pair is found on its line
 * with its number (or, listed as unverified, without one), each claim is judged as expected, and
 * a negative gives no pair with a number and no judged claim.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

export interface ExpectedFile {
  file: string;
  negative: boolean;
  pairs: { line: number; name: string; loss?: number; losses?: number[]; unverified?: boolean }[];
  /** `none`: nothing may be judged on that line (a print that shows no loss). */
  claims: { line: number; text: string; status: 'holds' | 'wrong' | 'none' }[];
}

export interface SuiteOptions {
  /** Fewest snippets, negatives and wrong claims the folder must hold. */
  least: { snippets: number; negatives: number; wrongClaims: number };
  /** A snippet reports no pair on a line the fixture does not list. */
  exhaustive: boolean;
  /** Whether a computed number is the truth (default: within 1e-6 + 1e-5 relative). */
  close?: (actual: number, truth: number) => boolean;
}

/** The truth is torch's float32 (or numpy's float64); the detector's own arithmetic may differ in the last bits. */
function near(actual: number, truth: number): boolean {
  return Math.abs(actual - truth) <= 1e-6 + 1e-5 * Math.abs(truth);
}

export function snippetFixtureSuite(folder: string, title: string, options: SuiteOptions): void {
  const dir = path.resolve(__dirname, '../../fixtures', folder);
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { files: ExpectedFile[] };
  const close = options.close ?? near;

  describe(title, () => {
    it('has the snippets, negatives and wrong claims', () => {
      expect(expected.files.filter((f) => !f.negative).length).toBeGreaterThanOrEqual(options.least.snippets);
      expect(expected.files.filter((f) => f.negative).length).toBeGreaterThanOrEqual(options.least.negatives);
      const wrong = expected.files.flatMap((f) => f.claims.filter((c) => c.status === 'wrong'));
      expect(wrong.length).toBeGreaterThanOrEqual(options.least.wrongClaims);
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
            // Several pairs on one line (a parametrized test's cases): in the order they are listed.
            const same = f.pairs.filter((x) => x.line === e.line && !x.unverified);
            expect(found, JSON.stringify(doc.pairs.map((p) => p.call?.line))).toHaveLength(same.length);
            const p = found[same.indexOf(e)];
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

        if (options.exhaustive && !f.negative)
          it('reports no pair the fixture does not list', () => {
            const lines = new Set(f.pairs.map((p) => p.line));
            expect(doc.pairs.filter((p) => !lines.has(p.call?.line ?? -1)).map((p) => p.call?.line)).toEqual([]);
          });
      });
    }
  });
}
