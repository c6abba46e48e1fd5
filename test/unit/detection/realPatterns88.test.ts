/**
 * Class-weighted binary losses and sessions copied without their prompts (docs/detection.md 3.310-3.314):
 * TensorFlow's weighted_cross_entropy_with_logits, a bare fence read as a console session, keyword
 * arguments at the margin of an open call, in snippets written for this project by
 * test/fixtures/realpatterns88/gen_realpatterns88.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns88', 'weighted sigmoid losses and prompt-less sessions', {
  least: { snippets: 10, negatives: 4, wrongClaims: 4 },
  exhaustive: true,
});

const md = (text: string) => analyzeText(text, { fileName: 'page.md' });
const seconds = (f: () => void): number => {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
};

describe('hang guards', () => {
  it('reads a bare fence of 200,000 characters of calls and values quickly', () => {
    const body = 'f(x)\n0.5\n'.repeat(22_500);
    expect(seconds(() => md('```\nimport torch\n' + body + '```\n'))).toBeLessThan(10);
  });

  it('gives up at once on a long line in a bare fence (the line patterns backtrack on it)', () => {
    for (const line of ['a' + '()'.repeat(100_000) + '!', '1'.repeat(200_000) + 'x', 'f(' + ')'.repeat(200_000) + '!'])
      expect(seconds(() => md('```\nimport torch\nf(x)\n0.5\n' + line + '\n```\n'))).toBeLessThan(5);
  });

  it('reads 200,000 characters of open brackets and margin keyword lines quickly', () => {
    const text = 'x = f(\n' + 'a=1,\n'.repeat(40_000) + ')\n';
    expect(seconds(() => analyzeText(text, { fileName: 'margin.py' }))).toBeLessThan(10);
    expect(seconds(() => md('```\n' + '('.repeat(200_000) + '\n0.5\n```\n'))).toBeLessThan(5);
  });
});
