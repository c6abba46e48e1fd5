import { describe, expect, it } from 'vitest';
import { firstArgument, outOfRangeTargets, softmaxArgument } from '../../../src/editor/sourceText';

describe('outOfRangeTargets', () => {
  it('finds the offending elements with their offsets in the literal', () => {
    const literal = '[1, 10, 3, -1]';
    const bad = outOfRangeTargets(literal, 10, -100, 20);
    expect(bad.map((b) => b.text)).toEqual(['10', '-1']);
    for (const b of bad) expect(literal.slice(b.start, b.end)).toBe(b.text);
  });

  it('skips ignore_index, reads nested rows in order, and stops at the limit', () => {
    expect(outOfRangeTargets('[[0, -100], [12, 13]]', 10, -100, 20).map((b) => b.text)).toEqual(['12', '13']);
    expect(outOfRangeTargets('[[0, -100], [12, 13]]', 10, -100, 1).map((b) => b.text)).toEqual(['12']);
  });

  it('does not read digits glued to a name or an exponent as elements', () => {
    expect(outOfRangeTargets('[x1, 2e1]', 10, -100, 20).map((b) => b.text)).toEqual(['2e1']);
  });
});

describe('softmaxArgument', () => {
  it('finds what each spelling of softmax applies to', () => {
    expect(softmaxArgument('F.softmax(logits, dim=1)')).toEqual({ text: 'logits' });
    expect(softmaxArgument('torch.softmax(x, 1)')).toEqual({ text: 'x' });
    expect(softmaxArgument('torch.nn.functional.softmax(input=x, dim=-1)')).toEqual({ text: 'x' });
    expect(softmaxArgument('nn.Softmax(dim=1)(out)')).toEqual({ text: 'out' });
    expect(softmaxArgument('out.softmax(dim=1)')).toEqual({ text: 'out' });
    expect(softmaxArgument('F.softmax(model(x[0]), dim=1)')).toEqual({ text: 'model(x[0])' });
  });

  it('offers nothing when the softmax is not in the text itself', () => {
    expect(softmaxArgument('probs')).toBeNull();
    expect(softmaxArgument('F.softmax(a, dim=1) + b')).toBeNull();
    expect(softmaxArgument('F.log_softmax(a, dim=1)')).toBeNull();
  });
});

describe('firstArgument', () => {
  it('stops at the first comma outside brackets and strings', () => {
    expect(firstArgument('f(a, b), dim=1')).toBe('f(a, b)');
    expect(firstArgument('"a,b", 1')).toBe('"a,b"');
    expect(firstArgument('dim=1')).toBeNull();
  });
});
