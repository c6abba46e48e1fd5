// What a learner sees over another library's loss, in the real VS Code: the CodeLens and the hover
// name the call the code makes and its library, and say how it maps to torch (torch's call that
// gives the same number, or the library's own rule). A PaddlePaddle loss, whose number torch's
// kernel computes, was shown as torch's own CrossEntropyLoss / NLLLoss; a Keras loss computed as
// torch does said it was computed by the library's own rule. "Copy as PyTorch" on the paddle pair
// writes torch's code under a comment naming paddle's call. The numbers come from the fixtures'
// expected.json / reference.json (their generators run torch).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  dec4,
  hoverUntil,
  inside,
  libraryLoss,
  openFile,
  openLibraryFixture,
  ourLenses,
  repoRoot,
  waitFor,
} from '../helpers';

/** The lens on a 1-based line, once the analysis has given it its number. */
async function lensOn(document: vscode.TextDocument, line: number, shown: string) {
  return waitFor(`the lens on line ${line} of ${path.basename(document.fileName)} showing ${shown}`, async () =>
    (await ourLenses(document)).find((l) => l.line === line - 1 && l.title.includes(shown)),
  );
}

const unescaped = (md: string) => md.replace(/\\(.)/g, '$1');

suite('library names on the editor surfaces', () => {
  suiteSetup(closeAllEditors);

  test('PaddlePaddle: the lens, the hover and Copy as PyTorch name paddle’s call and its torch equivalent', async function () {
    this.timeout(120_000);
    const fixture = path.join(repoRoot, 'test', 'fixtures', 'realpatterns10');
    const expected = JSON.parse(readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as {
      files: { file: string; pairs: { line: number; loss?: number }[] }[];
    };
    const file = expected.files.find((f) => f.file === 'snippets/paddle_nll_layer.py');
    const pair = file?.pairs.find((p) => p.line === 8);
    assert.ok(pair && typeof pair.loss === 'number', 'paddle_nll_layer.py line 8 in expected.json');
    const shown = dec4(pair.loss);
    const { document } = await openFile(path.join(fixture, 'snippets', 'paddle_nll_layer.py'));

    // `out = nll(logp, y)` with `nll = paddle.nn.NLLLoss()`: paddle's call, not torch's NLLLoss.
    const lens = await lensOn(document, 8, shown);
    assert.ok(lens.title.startsWith(`paddle.nn.NLLLoss = ${shown}`), lens.title);
    assert.match(lens.command?.tooltip ?? '', /^paddle\.nn\.NLLLoss, computed as torch’s NLLLoss\(\)/);

    const hover = unescaped(await hoverUntil(document, inside(document, 'nll(logp'), shown));
    assert.match(hover, /^\*\*paddle\.nn\.NLLLoss\*\*: /);
    assert.match(hover, /Computed as torch’s NLLLoss\(\), the same number: PaddlePaddle computes it as torch does/);
    assert.ok(!/^\*\*NLLLoss\*\*/m.test(hover), hover);

    // The copy is torch's code for the same number, under a comment that names paddle's call; the
    // kernel reads NLLLoss of log_softmax(x) as torch's cross_entropy of x, and so does the snippet.
    const args = lens.command?.arguments?.[0] as { uri: string; pairId: number };
    const copied = await vscode.commands.executeCommand<string | undefined>('lossInspector.copyAsPyTorch', args);
    assert.ok(copied, 'Copy as PyTorch copied nothing');
    assert.equal(copied.split('\n')[0], '# The same number as paddle.nn.NLLLoss, written with torch');
    assert.match(copied, /criterion = nn\.CrossEntropyLoss\(\)/);
    assert.match(copied, new RegExp(`print\\(loss\\)  # tensor\\(${shown}\\)`));
  });

  test('Keras: the lens tooltip and the hover say which call torch computes the same, and which it does not', async function () {
    this.timeout(120_000);
    const document = await openLibraryFixture('keras_pairs.py');
    const logits = dec4(libraryLoss('keras_pairs.py', 'from_scores'));
    const probabilities = dec4(libraryLoss('keras_pairs.py', 'from_probs'));

    const exact = await lensOn(document, 7, logits);
    assert.ok(
      exact.title.startsWith(`keras.losses.SparseCategoricalCrossentropy(from_logits=True) = ${logits}`),
      exact.title,
    );
    assert.match(
      exact.command?.tooltip ?? '',
      /^keras\.losses\.SparseCategoricalCrossentropy\(from_logits=True\), computed as torch’s CrossEntropyLoss\(\)/,
    );
    const exactHover = unescaped(await hoverUntil(document, inside(document, 'scce(class_ids'), logits));
    assert.match(exactHover, /^\*\*keras\.losses\.SparseCategoricalCrossentropy\(from_logits=True\)\*\*: /);
    assert.match(exactHover, /Computed as torch’s CrossEntropyLoss\(\), the same number: /);

    const clipped = await lensOn(document, 12, probabilities);
    assert.ok(clipped.title.startsWith(`keras.losses.CategoricalCrossentropy = ${probabilities}`), clipped.title);
    assert.match(
      clipped.command?.tooltip ?? '',
      /^keras\.losses\.CategoricalCrossentropy, computed by the rule of Keras/,
    );
    const clippedHover = unescaped(await hoverUntil(document, inside(document, 'cce(one_hot'), probabilities));
    assert.match(clippedHover, /^\*\*keras\.losses\.CategoricalCrossentropy\*\*: /);
    assert.match(clippedHover, /Computed by the library's own rule: /);
    assert.ok(!clippedHover.includes('Computed as torch’s'), clippedHover);
  });
  test('mlx-node and MindSpore’s primitive: the lens and the hover name the call and the library’s rule', async function () {
    this.timeout(120_000);
    const fixture = path.join(repoRoot, 'test', 'fixtures', 'realpatterns30');
    const expected = JSON.parse(readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as {
      files: { file: string; pairs: { line: number; loss?: number; losses?: number[] }[] }[];
    };
    const truth = (file: string) => expected.files.find((f) => f.file === file)?.pairs[0];

    const mlx = truth('snippets/mlx_node_from_float32_ignore_index.ts');
    assert.ok(mlx && typeof mlx.loss === 'number', 'mlx_node_from_float32_ignore_index.ts in expected.json');
    const shown = dec4(mlx.loss);
    const { document } = await openFile(path.join(fixture, 'snippets', 'mlx_node_from_float32_ignore_index.ts'));
    const lens = await lensOn(document, mlx.line, shown);
    assert.ok(lens.title.startsWith(`Losses.crossEntropy = ${shown}`), lens.title);
    const hover = unescaped(await hoverUntil(document, inside(document, 'Losses.crossEntropy(logits'), shown));
    assert.match(hover, /^\*\*Losses\.crossEntropy\*\*: /);
    assert.match(hover, /numClasses \(not used\), the fourth the ignore index/);
    assert.ok(!/^\*\*CrossEntropyLoss\*\*/m.test(hover), hover);

    // One loss per row: the hover names the primitive and says what it returns (the values are the panel's).
    const ms = truth('snippets/mindspore_primitive_tuple.py');
    assert.ok(ms && ms.losses, 'mindspore_primitive_tuple.py in expected.json');
    const doc = (await openFile(path.join(fixture, 'snippets', 'mindspore_primitive_tuple.py'))).document;
    const msHover = unescaped(await hoverUntil(doc, inside(doc, 'softmax_cross(logits'), `${ms.losses.length} values`));
    assert.match(msHover, /^\*\*mindspore\.ops\.SoftmaxCrossEntropyWithLogits\*\*: /);
    assert.match(msHover, /MindSpore/);
    assert.match(msHover, /returns \(loss, dlogits\)/);
  });
});
