// Hovers through the real API (vscode.executeHoverProvider) on the seed and its batch version.
// Every number comes from reference.json (real PyTorch).
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  dec4,
  getExtension,
  hoverText,
  hoverUntil as ourHover,
  inside,
  openFixture,
  reference,
  repoRoot,
  shown4,
} from '../helpers';

suite('hover', () => {
  suiteSetup(closeAllEditors);

  test('over the seed logits: the row with its softmax and log-softmax, the target marked, the row loss', async () => {
    const ref = reference['seed.py'];
    const { document } = await openFixture('seed.py');
    const text = await ourHover(document, inside(document, '0.9983'), 'softmax');
    for (let c = 0; c < ref.softmax[0].length; c++) {
      assert.ok(
        text.includes(dec4(ref.softmax[0][c])),
        `softmax of class ${c} (${dec4(ref.softmax[0][c])}) missing from:\n${text}`,
      );
      assert.ok(text.includes(shown4(ref.logSoftmax[0][c])), `log-softmax of class ${c} missing from:\n${text}`);
      assert.ok(!text.includes(dec4(ref.logSoftmax[0][c])), `ASCII minus mixed with U+2212:\n${text}`);
    }
    // The target class is marked, and the row's loss is −log p[target].
    assert.ok(text.includes(`▶ ${ref.target[0]}`), `target ${ref.target[0]} not marked:\n${text}`);
    assert.ok(text.includes(`= ${dec4(ref.losses[0])}`), `row loss ${dec4(ref.losses[0])} missing:\n${text}`);
    assert.ok(text.includes('command:lossInspector.openPair?'), `no "Open in Loss Inspector" link:\n${text}`);
  });

  test('over the seed target: p(class) and −log p of each target', async () => {
    const ref = reference['seed.py'];
    const { document } = await openFixture('seed.py');
    const text = await ourHover(document, inside(document, 'LongTensor([1])', 0, 'LongTensor(['.length), '−log p');
    assert.ok(text.includes(dec4(ref.pTarget[0])), `p(target) ${dec4(ref.pTarget[0])} missing:\n${text}`);
    assert.ok(text.includes(dec4(ref.losses[0])), `−log p ${dec4(ref.losses[0])} missing:\n${text}`);
    assert.match(
      text,
      new RegExp(`\\| 0 \\| ${ref.target[0]} \\| ${dec4(ref.pTarget[0])} \\| ${dec4(ref.losses[0])} \\|`),
    );
  });

  test('over the seed loss call and over the printed claim: the total, the formula, command links', async () => {
    const ref = reference['seed.py'];
    const { document } = await openFixture('seed.py');
    for (const [what, position] of [
      ['call', inside(document, 'criterion(output, target)', 0, 3)],
      ['claim', inside(document, 'tensor(2.1438)', 0, 3)],
    ] as const) {
      const text = await ourHover(document, position, 'CrossEntropyLoss');
      assert.ok(text.includes(`\`${ref.printed}\``), `${what}: total ${ref.printed} missing:\n${text}`);
      assert.ok(
        text.includes(`mean = (${dec4(ref.losses[0])}) / 1 = ${dec4(ref.loss)}`),
        `${what}: formula missing:\n${text}`,
      );
      assert.ok(text.includes('float32'), `${what}: dtype missing:\n${text}`);
      assert.ok(text.includes('command:lossInspector.openPair?'), `${what}: no Open link:\n${text}`);
      assert.ok(text.includes('command:lossInspector.copyAsPyTorch?'), `${what}: no Copy as PyTorch link:\n${text}`);
    }
    const claim = await ourHover(document, inside(document, 'tensor(2.1438)', 0, 3), 'CrossEntropyLoss');
    assert.ok(
      claim.includes('✓'),
      `the claim holds (torch printed ${ref.printed}), the hover should say so:\n${claim}`,
    );
  });

  test('batch example: the reduction formula mean = (l0 + l1) / 2 with its numbers', async () => {
    const ref = reference['seed_batch.py'];
    const formula = `mean = (${ref.losses.map(dec4).join(' + ')}) / ${ref.losses.length} = ${dec4(ref.loss)}`;
    const { document } = await openFixture('seed_batch.py');
    for (const position of [
      inside(document, 'criterion(output, target)', 0, 3),
      inside(document, `# ${ref.printed}`, 0, 4),
    ]) {
      const text = await ourHover(document, position, 'CrossEntropyLoss');
      assert.ok(text.includes(formula), `"${formula}" missing from:\n${text}`);
      assert.ok(text.includes(`\`${ref.printed}\``), text);
    }
    // The second row of the literal is sample 1: its own loss.
    const row1 = await ourHover(document, inside(document, '0.9457'), 'softmax');
    assert.ok(row1.includes(`▶ ${ref.target[1]}`), row1);
    assert.ok(row1.includes(`= ${dec4(ref.losses[1])}`), `sample 1 loss ${dec4(ref.losses[1])} missing:\n${row1}`);
    assert.ok(row1.includes(dec4(ref.loss)), `batch loss missing:\n${row1}`);
  });

  test('a second hover anywhere in an inspected row is answered without asking the worker', async () => {
    const { document } = await openFixture('seed_batch.py');
    const worker = (
      getExtension().exports as {
        services: { worker: { request: (method: string, ...rest: unknown[]) => Promise<unknown> } };
      }
    ).services.worker;
    const first = await ourHover(document, inside(document, '0.9457'), 'softmax');
    const asked: string[] = [];
    const request = worker.request;
    worker.request = (method, ...rest) => {
      // The panel, open from an earlier test, follows the editor shown above with panelData
      // requests of its own, which may land in this window (seen once in CI): they are not the hover's.
      if (method !== 'panelData') asked.push(method);
      return request.call(worker, method, ...rest);
    };
    try {
      // Another number of the same row, and the first again: the same sample's hover.
      const again = await ourHover(document, inside(document, '0.7276'), 'softmax');
      assert.equal(again, first);
      assert.deepEqual(asked, [], 'the worker was asked again');
      // The other row is another sample: that one goes to the worker.
      const other = await ourHover(document, inside(document, '0.8404'), 'softmax');
      assert.notEqual(other, first);
      assert.deepEqual(asked, ['inspect']);
    } finally {
      worker.request = request;
    }
  });

  test('no hover of ours away from any literal, call or claim', async () => {
    const { document } = await openFixture('seed.py');
    await ourHover(document, inside(document, '0.9983'), 'softmax'); // analysed
    const text = await hoverText(document, inside(document, 'import torch', 0, 2));
    assert.ok(
      !text.includes('CrossEntropyLoss') && !text.includes('softmax'),
      `unexpected hover on an import:\n${text}`,
    );
  });

  test("over a literal several pairs use: titled with the literal's own name, its direct pair, and how many more use it", async () => {
    // examples/seed_blog.py: `x` feeds cross_entropy_loss(x, y) directly and two NLLLoss pairs through x_log.
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.file(path.join(repoRoot, 'examples', 'seed_blog.py')),
    );
    await vscode.window.showTextDocument(document);
    const ref = reference['seed.py']; // the same sample
    const logits = await ourHover(
      document,
      inside(document, 'x = torch.Tensor([[0.8982', 0, 'x = torch.Tensor([['.length + 1),
      'softmax',
    );
    assert.match(logits, /^\*\*x\*\* \(1, 10\)/, `the hover is titled with the literal's name:\n${logits}`);
    assert.ok(!logits.includes('x\\_log') && !logits.includes('x_log'), `x_log is another variable:\n${logits}`);
    const direct = inside(document, 'print(cross_entropy_loss(x, y))', 0, 0).line + 1;
    assert.ok(
      logits.includes(`pair on line ${direct}`),
      `the direct CrossEntropyLoss pair (line ${direct}):\n${logits}`,
    );
    assert.ok(logits.includes('also used by 2 more pairs'), logits);
    assert.ok(logits.includes(`= ${dec4(ref.losses[0])}`), logits);

    const target = await ourHover(
      document,
      inside(document, 'y = torch.LongTensor([1])', 0, 'y = torch.LongTensor(['.length),
      'log p',
    );
    assert.match(target, /^\*\*y\*\* \(1,\)/, target);
    assert.ok(target.includes('also used by 2 more pairs'), target);
  });

  test('over a float64 claim written as a bare number: the verdict and the number computed for it', async () => {
    const ref = reference['float64_claim.py'];
    const { document } = await openFixture('float64_claim.py');
    const text = await ourHover(document, inside(document, `# ${ref.printed}`, 0, 4), 'Computed');
    assert.ok(text.includes('✓'), text);
    assert.ok(text.includes(`${ref.printed} (float64)`), `the computed float64 value:\n${text}`);
  });

  test('over a wrong claim: the number once, at float32 precision; the sentence is left to the diagnostic', async () => {
    const ref = reference['wrong_claim.py'];
    const { document } = await openFixture('wrong_claim.py');
    const text = await ourHover(document, inside(document, 'tensor(2.5000)', 0, 3), '✗');
    assert.equal(text.split('✗').length - 1, 1, `one verdict:\n${text}`);
    assert.ok(!text.includes('Claimed'), `the diagnostic's sentence is not repeated:\n${text}`);
    assert.ok(!text.includes(String(ref.loss)), `no 16-digit float32 value:\n${text}`);
    assert.ok(text.includes(dec4(ref.loss)), text);
  });
});
