/**
 * Stopping an analysis between statements: `isCancelled` is asked at every statement boundary,
 * and once it says so the analysis throws DetectionCancelled (in every language that has
 * statements, notebooks and Markdown included), instead of finishing a superseded document.
 */
import { describe, expect, it } from 'vitest';
import { analyzeNotebook, analyzeText, DetectionCancelled } from '../../../src/core/analysis';

const program = [
  'import torch',
  'logits = torch.tensor([[1.0, 2.0, 0.5]])',
  'labels = torch.tensor([0])',
  'loss = torch.nn.functional.cross_entropy(logits, labels)',
  'print(loss)  # tensor(1.4640)',
].join('\n');

/** A check that says "stop" from its `after`-th call on, counting calls. */
function stopAfter(after: number): { isCancelled: () => boolean; calls: () => number } {
  let calls = 0;
  return { isCancelled: () => ++calls > after, calls: () => calls };
}

describe('cancellation at statement boundaries', () => {
  it('asks once per statement and changes nothing when it never says stop', () => {
    const never = stopAfter(Infinity);
    const doc = analyzeText(program, { fileName: 'a.py', isCancelled: never.isCancelled });
    // Five statements, then one check before the kernel runs on the one pair.
    expect(never.calls()).toBe(6);
    expect(doc).toEqual(analyzeText(program, { fileName: 'a.py' }));
  });

  it('stops at the next statement once asked, with a typed error', () => {
    for (const after of [0, 2, 4, 5]) {
      const check = stopAfter(after);
      let thrown: unknown = null;
      try {
        analyzeText(program, { fileName: 'a.py', isCancelled: check.isCancelled });
      } catch (err) {
        thrown = err;
      }
      expect(DetectionCancelled.is(thrown), `after ${after}`).toBe(true);
      expect((thrown as DetectionCancelled).code).toBe('cancelled');
      expect(check.calls()).toBe(after + 1);
    }
  });

  it('stops JavaScript, Markdown and notebooks too', () => {
    const js = 'const logits = [[1, 2, 0.5]];\nconst labels = [0];\nconsole.log(crossEntropy(logits, labels));\n';
    const md = '```python\n' + program + '\n```\n';
    expect(() => analyzeText(js, { fileName: 'a.js', isCancelled: () => true })).toThrow(DetectionCancelled);
    expect(() => analyzeText(md, { fileName: 'a.md', isCancelled: () => true })).toThrow(DetectionCancelled);
    expect(() => analyzeNotebook([{ kind: 'code', source: program }], { isCancelled: () => true })).toThrow(
      DetectionCancelled,
    );
  });

  it('a statement that fails to read is a finding, but cancellation is never swallowed', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `x${i} = [${i}.5, 1.0]`).join('\n');
    const check = stopAfter(10);
    expect(() => analyzeText(many, { fileName: 'a.py', isCancelled: check.isCancelled })).toThrow(DetectionCancelled);
    expect(check.calls()).toBe(11);
  });

  it('also stops between the kernel runs of the pairs', () => {
    const pairs = Array.from(
      { length: 20 },
      (_, i) =>
        `l${i} = torch.tensor([[1.0, ${i}.5]])\nt${i} = torch.tensor([1])\nloss${i} = F.cross_entropy(l${i}, t${i})`,
    ).join('\n');
    const statements = 3 * 20;
    const check = stopAfter(statements + 3);
    expect(() => analyzeText(pairs, { fileName: 'a.py', isCancelled: check.isCancelled })).toThrow(DetectionCancelled);
    expect(check.calls()).toBe(statements + 4);
  });
});
