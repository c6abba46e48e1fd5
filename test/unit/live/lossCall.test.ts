import { filePath } from '../../../src/live/bridge';
import { describe, expect, it } from 'vitest';
import {
  findLossCall,
  findLossCallNear,
  jsSource,
  parsePlainExpression,
  type ArgExpr,
} from '../../../src/live/lossCall';

const text = (a: ArgExpr) => (a.kind === 'plain' ? a.expr.text : a.kind === 'literal' ? a.value : `other:${a.text}`);

describe('reading the loss call of a Python line', () => {
  it('finds criterion(logits, labels) and the variable it assigns', () => {
    const c = findLossCall('loss = criterion(logits, labels)\n', 0, 'python')!;
    expect(c.calleeText).toBe('criterion');
    expect(text(c.input)).toBe('logits');
    expect(text(c.target)).toBe('labels');
    expect(c.assignedTo?.text).toBe('loss');
  });

  it('maps F.cross_entropy positional and keyword options to torch names', () => {
    const c = findLossCall(
      'l = F.cross_entropy(out, y, w, None, -1, label_smoothing=0.1, reduction="sum")',
      0,
      'python',
    )!;
    expect(text(c.keywords.weight)).toBe('w');
    expect(text(c.keywords.size_average)).toBeNull();
    expect(text(c.keywords.ignore_index)).toBe(-1);
    expect(text(c.keywords.label_smoothing)).toBe(0.1);
    expect(text(c.keywords.reduction)).toBe('sum');
  });

  it('reads attribute, subscript and whitelisted tensor-method arguments as plain', () => {
    const c = findLossCall(
      'loss = loss_fct(outputs.logits.view(-1, outputs.logits.size(-1)), batch["labels"].view(-1))',
      0,
      'python',
    )!;
    expect(c.input.kind).toBe('plain');
    if (c.input.kind !== 'plain') return;
    expect(c.input.expr.steps).toEqual([['attr', 'logits']]);
    expect(c.input.expr.ops[0][0]).toBe('view');
    expect(c.input.expr.ops[0][1][0]).toBe(-1);
    expect(c.target.kind).toBe('plain');
    if (c.target.kind === 'plain') expect(c.target.expr.steps).toEqual([['item', 'labels']]);
  });

  it('marks calls and arithmetic as not plain, so they are never evaluated', () => {
    for (const src of [
      'loss = criterion(model(x), y)',
      'loss = criterion(a + b, y)',
      'loss = criterion(x.cuda(), y)',
      'loss = criterion(x[mask], y)',
      'loss = criterion(x.view(n - 1), y)',
    ]) {
      const c = findLossCall(src, 0, 'python')!;
      expect(c.input.kind, src).toBe('other');
    }
  });

  it('spans statements over several lines and skips strings and comments', () => {
    const src = [
      '# criterion(fake, call) in a comment',
      's = "criterion(a, b)"',
      'loss = criterion(',
      '    logits,  # the model output',
      '    labels,',
      ')',
    ].join('\n');
    expect(findLossCall(src, 0, 'python')).toBeNull();
    expect(findLossCall(src, 1, 'python')).toBeNull();
    const c = findLossCall(src, 4, 'python')!;
    expect([c.line, c.endLine]).toEqual([2, 5]);
    expect(text(c.input)).toBe('logits');
  });

  it('takes options from nn.CrossEntropyLoss(...)(a, b) without evaluating the constructor', () => {
    const c = findLossCall('loss = nn.CrossEntropyLoss(weight=w, label_smoothing=0.2)(a, b)', 0, 'python')!;
    expect(c.construct?.expr.text).toBe('nn.CrossEntropyLoss');
    expect(c.callee).toBeNull();
    expect(text(c.keywords.label_smoothing)).toBe(0.2);
    expect(text(c.input)).toBe('a');
  });

  it('ignores calls that are not losses', () => {
    expect(findLossCall('loss.backward()', 0, 'python')).toBeNull();
    expect(findLossCall('losses.append(loss.item())', 0, 'python')).toBeNull();
    expect(findLossCall('print(x, y)', 0, 'python')).toBeNull();
  });

  it('near the paused line, looks only inside the same function', () => {
    const src = [
      'def a(x, y):',
      '    loss = criterion(x, y)',
      '    return loss',
      '',
      'def b(p, q):',
      '    z = p * 2',
      '    w = z + 1  # paused here',
      '    return w',
    ].join('\n');
    expect(findLossCallNear(src, 6, 'python')).toBeNull();
    expect(findLossCallNear(src, 2, 'python')?.line).toBe(1);
  });
});

describe('reading the loss call of a JavaScript line', () => {
  it('reads crossEntropy(logits, targets, { … }) options', () => {
    const c = findLossCall(
      'const loss = crossEntropy(logits, batch.targets, { labelSmoothing: 0.1, reduction: "sum", weight });',
      0,
      'javascript',
    )!;
    expect(c.assignedTo?.text).toBe('loss');
    expect(text(c.target)).toBe('batch.targets');
    expect(text(c.keywords.label_smoothing)).toBe(0.1);
    expect(text(c.keywords.reduction)).toBe('sum');
    expect(text(c.keywords.weight)).toBe('weight');
  });

  it('swaps the arguments of tfjs softmaxCrossEntropy(labels, logits)', () => {
    const c = findLossCall(
      'const l = tf.losses.softmaxCrossEntropy(onehot, logits, undefined, 0.1);',
      0,
      'javascript',
    )!;
    expect(c.flavor).toBe('tfjsSoftmax');
    expect(text(c.input)).toBe('logits');
    expect(text(c.target)).toBe('onehot');
    expect(text(c.keywords.label_smoothing)).toBe(0.1);
  });

  it('does not cross into another function when searching near a line', () => {
    const src = [
      'function a(x, y) {',
      '  const loss = crossEntropy(x, y);',
      '  return loss;',
      '}',
      'function b(p) {',
      '  const q = p + 1;',
      '  debugger;',
      '}',
    ].join('\n');
    expect(findLossCallNear(src, 6, 'javascript')).toBeNull();
    expect(findLossCallNear(src, 2, 'javascript')?.line).toBe(1);
  });
});

describe('plain expressions typed or picked by the user', () => {
  it('accepts names, attributes and literal subscripts only', () => {
    expect(parsePlainExpression('batch["labels"]', 'python')?.steps).toEqual([['item', 'labels']]);
    expect(parsePlainExpression('xs[0].logits', 'python')?.steps).toEqual([
      ['item', 0],
      ['attr', 'logits'],
    ]);
    expect(parsePlainExpression('model(x)', 'python')).toBeNull();
    expect(parsePlainExpression('__import__("os").system("x")', 'python')).toBeNull();
    expect(parsePlainExpression('a; b', 'javascript')).toBeNull();
    expect(parsePlainExpression('x.dataSync()', 'javascript')).toBeNull();
  });

  it('writes JavaScript back from the parsed form, with keys as JSON literals', () => {
    const e = parsePlainExpression('batch["we\\"ird"].logits[2]', 'javascript')!;
    expect(jsSource(e)).toBe('batch["we\\"ird"].logits[2]');
  });
});

describe('comparing a frame path with a document path', () => {
  it('reads file paths and the URIs VS Code gives for remote frames alike', () => {
    expect(filePath('vscode-remote://127.0.0.1:38469/work/a%20b/train.py')).toBe(filePath('/work/a b/train.py'));
    expect(filePath('file:///c%3A/Users/x/train.py')).toBe(filePath('C:\\Users\\x\\train.py'));
    expect(filePath('/work/train.py')).not.toBe(filePath('/work/eval.py'));
  });
});
