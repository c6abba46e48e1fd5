/**
 * Spellings the thirtieth unseen set (libraries other than torch and Keras) showed missing or
 * misjudged (docs/detection.md 3.110-3.113), in snippets written for this project by
 * test/fixtures/realpatterns48/gen_realpatterns48.py: OneFlow's `sparse_softmax_cross_entropy`,
 * DeZero's `softmax_cross_entropy_simple`, MindSpore's sparse primitive and its unbound `nn.` /
 * `Tensor`, a float32 residue printed beside a zero, and JavaScript as plain lines in a page.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns48', 'OneFlow, DeZero and MindSpore spellings, residues, loose JavaScript', {
  least: { snippets: 7, negatives: 5, wrongClaims: 4 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });
const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });

describe('an unbound nn. in a page of another library', () => {
  const lines = (named: string) => [
    `# ${named} example`,
    'loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="sum")',
    'out = loss_fn(Tensor(np.array([[0.0, 2.0]])), Tensor(np.array([1])))',
  ];

  it('is the one library the document names that has the loss', () => {
    const doc = py(lines('mindspore'));
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(Math.log(1 + Math.exp(-2)), 6);
  });

  it('is nobody when the document names no such library', () => {
    expect(py(lines('an')).pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it("stays torch's when torch has the name", () => {
    const doc = py([
      '# mindspore and torch side by side',
      'loss = nn.CrossEntropyLoss()(torch.tensor([[0.0, 2.0]]), torch.tensor([1]))',
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].recogniser).toBe('torch.nn.CrossEntropyLoss');
  });
});

describe('claims next to zero', () => {
  const doc = (printed: string) =>
    py([
      '>>> import oneflow as flow',
      '>>> x = flow.tensor([[-90.0, 90.0, -90.0]], dtype=flow.float32)',
      '>>> y = flow.tensor([1], dtype=flow.int32)',
      '>>> flow.nn.functional.sparse_softmax_cross_entropy(labels=y, logits=x)',
      `tensor([${printed}], dtype=oneflow.float32)`,
    ]).claims.map((c) => c.status);

  it('leaves a float32 residue unjudged and judges a number that is not one', () => {
    expect(doc('-9.5367e-07')).toEqual(['unverified']);
    expect(doc('0.')).toEqual(['holds']);
    expect(doc('3.0000e-03')).toEqual(['wrong']);
  });
});

describe('JavaScript as plain lines in a page', () => {
  it('is read when a declaration opens the run, not when a sentence does', () => {
    const page = (declare: string) =>
      md([
        'A loss in TensorFlow.js',
        '',
        `${declare}labels = tf.tensor2d([[1, 0], [0, 1]]);`,
        `${declare}logits = tf.tensor2d([[2.0, 0.0], [0.5, 1.5]]);`,
        `${declare}loss = tf.losses.softmaxCrossEntropy(labels, logits);`,
        'loss.print();',
      ]);
    const numbered = (doc: ReturnType<typeof md>) => doc.pairs.filter((p) => p.loss !== null);
    expect(numbered(page('const '))).toHaveLength(1);
    // A sentence that begins with `const` is prose: it opens no run.
    expect(numbered(page('const correctness aside, '))).toHaveLength(0);
  });
});
