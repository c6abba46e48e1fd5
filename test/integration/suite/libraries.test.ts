// Losses of other libraries in the real VS Code, one family at a time (Keras, tfjs, optax, MLX,
// scikit-learn, tf.nn, a TensorFlow and a numpy formula): the hover, the CodeLens and the panel's header name the library's
// call, the inline value names it by its short name, the number is the library's (reference.json, from test/fixtures/integration/gen_reference.py),
// and "Copy as PyTorch" is there exactly when torch's loss gives that number.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { PanelState } from '../../../src/protocol/webview';
import { escapeMarkdown } from '../../../src/editor/format';
import {
  closeAllEditors,
  dec4,
  getExtension,
  hoverUntil,
  inlayHints,
  inside,
  ourLenses,
  libraryTruth,
  openLibraryFixture,
  waitFor,
} from '../helpers';

interface Case {
  family: string;
  file: string;
  /** The reference entry (the variable the loss is assigned to). */
  name: string;
  /** Text inside the loss call, where the hover is asked for. */
  call: string;
  /** The call as the surfaces name it. */
  title: string;
  /** The name the inline value gives it (short: the full call is on the same line). */
  inline: string;
  /** Words the panel's explanation must contain (how the library maps to torch). */
  explains: RegExp;
  /** Words the hover must contain (the library's rule), when the case checks them. */
  hover?: RegExp;
  copy: boolean;
}

const cases: Case[] = [
  {
    family: 'Keras (logits)',
    file: 'keras_pairs.py',
    name: 'from_scores',
    call: 'scce(class_ids',
    title: 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)',
    inline: 'SparseCategoricalCrossentropy',
    explains: /Keras takes logits here, as torch does/,
    copy: true,
  },
  {
    family: 'Keras (probabilities)',
    file: 'keras_pairs.py',
    name: 'from_probs',
    call: 'cce(one_hot',
    title: 'keras.losses.CategoricalCrossentropy',
    inline: 'CategoricalCrossentropy',
    explains: /Keras takes probabilities unless from_logits=True: .*clips p to \[1e-7, 1 − 1e-7\]/,
    copy: false,
  },
  {
    family: 'Keras binary cross-entropy (probabilities)',
    file: 'keras_binary.py',
    name: 'binary',
    call: 'bce(y_true',
    title: 'keras.losses.BinaryCrossentropy',
    inline: 'BinaryCrossentropy',
    explains: /Keras clips p to \[1e-7, 1 − 1e-7\] and takes −\(y·log\(p \+ 1e-7\)/,
    hover: /Keras clips p to \[1e-7, 1 − 1e-7\].*\(tf\.keras 2\)/,
    copy: false,
  },
  {
    family: 'tfjs-core',
    file: 'tfjs_pairs.ts',
    name: 'coreLoss',
    call: 'softmaxCrossEntropy(onehot',
    title: 'tf.losses.softmaxCrossEntropy',
    inline: 'softmaxCrossEntropy',
    explains: /TensorFlow\.js takes logits here/,
    copy: true,
  },
  {
    family: 'tfjs-layers',
    file: 'tfjs_pairs.ts',
    name: 'perRow',
    call: 'categoricalCrossentropy(onehot',
    // tfjs-layers' function as TensorFlow.js spells it (the entry is `tfjs-layers.metrics.…`).
    title: 'tf.metrics.categoricalCrossentropy',
    inline: 'categoricalCrossentropy',
    explains: /tfjs-layers takes probabilities unless fromLogits is true/,
    copy: false,
  },
  {
    family: 'optax',
    file: 'optax_pair.py',
    name: 'per_example',
    call: 'with_integer_labels(logits',
    title: 'optax.softmax_cross_entropy_with_integer_labels',
    inline: 'softmax_cross_entropy_with_integer_labels',
    explains: /optax takes logits here.*No reduction: one loss per example/,
    copy: true,
  },
  {
    family: 'MLX',
    file: 'mlx_pair.py',
    name: 'loss',
    call: 'cross_entropy(logits',
    title: "mlx.nn.losses.cross_entropy(reduction='mean')",
    inline: 'cross_entropy',
    explains: /MLX takes logits here/,
    copy: true,
  },
  {
    family: 'scikit-learn',
    file: 'sklearn_pair.py',
    name: 'score',
    call: 'log_loss(truth',
    title: 'sklearn.metrics.log_loss',
    inline: 'log_loss',
    explains:
      /log_loss takes probabilities: it clips them to \[2\.22e-16, 1 − 2\.22e-16\], divides each row by its sum/,
    copy: false,
  },
  {
    family: 'tf.nn',
    file: 'tf_nn_pair.py',
    name: 'per_example',
    call: 'with_logits(labels',
    title: 'tf.nn.sparse_softmax_cross_entropy_with_logits',
    inline: 'sparse_softmax_cross_entropy_with_logits',
    explains: /TensorFlow takes logits here, as torch does.*No reduction: one loss per example/,
    copy: true,
  },
  {
    family: 'TensorFlow formula',
    file: 'tf_formula.py',
    name: 'xent',
    call: 'tf.reduce_mean(-tf',
    title: 'TensorFlow formula −Σ y·log p',
    // The formula reads probabilities: torch's NLLLoss of their log.
    inline: 'NLL',
    explains:
      /A formula written with TensorFlow: −Σ y·log p\. The number is its own arithmetic in float32, not a torch loss\. For comparison, the steps below are torch’s NLLLoss/,
    copy: true,
  },
  {
    family: 'numpy formula',
    file: 'numpy_formula.py',
    name: 'nll',
    call: 'np.mean(np.log',
    title: 'numpy formula −log_softmax(x)[y]',
    inline: 'CE',
    explains:
      /A formula written with numpy: −log_softmax\(x\)\[y\]\. The number is its own arithmetic in float64, not a torch loss\. For comparison, the steps below are torch’s CrossEntropyLoss/,
    copy: true,
  },
  {
    // Written with torch ops, and still a formula: torch's CrossEntropyLoss is only its comparison.
    family: 'torch formula',
    file: 'torch_formula.py',
    name: 'by_hand',
    call: '-torch.log(torch.softmax',
    title: 'torch formula −log_softmax(x)[y]',
    inline: 'CE',
    explains:
      /A formula written with torch: −log_softmax\(x\)\[y\]\. The number is its own arithmetic in float32, not a torch loss\. For comparison, the steps below are torch’s CrossEntropyLoss/,
    copy: true,
  },
  {
    family: 'clipped numpy formula',
    file: 'guarded_formula.py',
    name: 'clip_nll',
    call: 'np.mean(np.log(clipped',
    title: 'numpy formula −log clip(p, 1e-7, 1 − 1e-7)[y]',
    inline: 'NLL',
    explains: /A formula written with numpy: −log clip\(p, 1e-7, 1 − 1e-7\)\[y\]\./,
    copy: true,
  },
  {
    family: 'numpy ε formula',
    file: 'guarded_formula.py',
    name: 'shifted_nll',
    call: 'np.mean(np.log(probs',
    title: 'numpy formula −log(p[y] + 1e-9)',
    inline: 'NLL',
    explains: /A formula written with numpy: −log\(p\[y\] \+ 1e-9\)\./,
    copy: true,
  },
];

function panelState(): PanelState {
  const { panel } = (getExtension().exports as { services: { panel: { getState(): PanelState } } }).services;
  return panel.getState();
}

suite('other libraries', () => {
  suiteSetup(closeAllEditors);

  test('a snippet without its imports: lens, hover and panel say the loss is assumed to be torch’s, and why', async () => {
    const file = 'unimported_torch.py';
    const document = await openLibraryFixture(file);
    for (const [name, call, reason] of [
      ['loss', 'F.cross_entropy(', 'F is not imported in this file: read as torch.nn.functional.cross_entropy.'],
      ['summed', 'criterion(torch', 'nn is not imported in this file: read as torch.nn.CrossEntropyLoss.'],
    ] as const) {
      const t = libraryTruth[file][name];
      const line = inside(document, call, 0, 0).line;
      const lens = await waitFor(`the lens of ${name}`, async () =>
        (await ourLenses(document)).find((l) => l.line === line),
      );
      assert.equal(lens.title, `cross-entropy ${dec4(t.loss as number)} (assumed torch) · Inspect`);
      const hover = await hoverUntil(document, inside(document, call, 0, 2), 'assumed torch');
      assert.ok(hover.startsWith(`**CrossEntropyLoss** \\(assumed torch\\): \`tensor(`), hover);
      assert.ok(hover.replace(/\\/g, '').includes(reason), hover);
      await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
      const state = await waitFor(`the panel on ${name}`, async () => {
        const s = panelState();
        return s.pair?.assumedTorch?.reason === reason && s.status === 'ready' ? s : undefined;
      });
      assert.equal(state.pair!.assumedTorch!.mark, 'assumed torch');
      assert.equal(state.pair!.origin ?? null, null);
    }
  });

  test('a formula of torch ops without `import torch`: lens, hover and panel say the assumption', async () => {
    const file = 'unimported_formula.py';
    const document = await openLibraryFixture(file);
    const loss = libraryTruth[file].by_hand.loss as number;
    const reason = 'torch is not imported in this file: read as torch.tensor.';
    const lens = await waitFor('the formula’s lens', async () => (await ourLenses(document))[0]);
    assert.equal(lens.title, `torch formula −log_softmax(x)[y] (assumed torch) = ${dec4(loss)} · Inspect`);
    const hover = await hoverUntil(document, inside(document, 'torch.softmax(', 0, 8), 'assumed torch');
    assert.ok(
      hover.replace(/\\/g, '').startsWith('**torch formula −log_softmax(x)[y]** (assumed torch): `tensor('),
      hover,
    );
    assert.ok(hover.replace(/\\/g, '').includes(reason), hover);
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const state = await waitFor('the panel on the formula', async () => {
      const s = panelState();
      return s.pair?.assumedTorch?.reason === reason && s.status === 'ready' ? s : undefined;
    });
    assert.equal(state.pair!.assumedTorch!.mark, 'assumed torch');
    assert.equal(state.pair!.origin?.title, 'torch formula −log_softmax(x)[y]');
  });

  for (const c of cases)
    test(`${c.family}: hover, lens and panel name ${c.title}, the inline value ${c.inline}; Copy as PyTorch ${c.copy ? 'offered' : 'absent'}`, async () => {
      const t = libraryTruth[c.file][c.name];
      const document = await openLibraryFixture(c.file);
      const callLine = inside(document, c.call, 0, 0).line;
      const scalar = t.loss !== undefined;
      const value = scalar ? dec4(t.loss as number) : `${(t.losses as number[]).length} values`;

      // CodeLens: the call and its value.
      const lens = await waitFor(`the lens of ${c.title}`, async () =>
        (await ourLenses(document)).find((l) => l.line === callLine && l.title.startsWith(c.title)),
      );
      assert.equal(lens.title, `${c.title} = ${value} · Inspect`);

      // The inline value at the end of the call's line: the short name and the library's number.
      const inlineValue = scalar ? dec4(t.loss as number) : `[${(t.losses as number[]).map(dec4).join(', ')}]`;
      const hint = await waitFor(`the inline value of ${c.title}`, async () =>
        (await inlayHints(document)).find((h) => h.line === callLine),
      );
      assert.equal(hint.label, `${c.inline} = ${inlineValue}`);

      // Hover over the call: titled with the call, the number, the Copy link only when offered.
      const hover = await hoverUntil(document, inside(document, c.call, 0, 2), `**${escapeMarkdown(c.title)}**`);
      if (scalar) assert.ok(hover.includes(dec4(t.loss as number)), `${dec4(t.loss as number)} missing:\n${hover}`);
      else assert.ok(hover.includes(value), `"${value}" missing:\n${hover}`);
      assert.equal(hover.includes('command:lossInspector.copyAsPyTorch?'), c.copy, hover);
      if (!c.copy) assert.ok(hover.includes('No "Copy as PyTorch"'), hover);
      if (c.hover) assert.match(hover.replace(/\\/g, ''), c.hover);

      // The panel, opened from the lens: its header names the call and explains the mapping.
      await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
      const state = await waitFor(`the panel on ${c.title}`, async () => {
        const s = panelState();
        return s.pair?.origin?.title === c.title && s.status === 'ready' ? s : undefined;
      });
      const origin = state.pair!.origin!;
      if (scalar)
        assert.ok(Math.abs((origin.loss as number) - (t.loss as number)) < 1e-6, `${origin.loss} vs ${t.loss}`);
      else {
        assert.equal(origin.loss, null);
        (t.losses as number[]).forEach((v, i) =>
          assert.ok(Math.abs(origin.losses[i] - v) < 1e-6, `${i}: ${origin.losses[i]} vs ${v}`),
        );
      }
      assert.match(origin.notes.join(' '), c.explains);
      assert.equal(origin.pytorch, c.copy);

      // Copy as PyTorch through its command: a snippet that names the library call, or nothing.
      const [args] = lens.command!.arguments ?? [];
      const copied = await vscode.commands.executeCommand<string | undefined>('lossInspector.copyAsPyTorch', args);
      if (!c.copy) assert.equal(copied, undefined);
      else {
        assert.ok(copied?.includes('print(loss)'), String(copied));
        if (!c.family.endsWith(' formula'))
          assert.ok(copied?.startsWith(`# The same number as ${c.title}`), String(copied));
        assert.equal(await vscode.env.clipboard.readText(), copied);
      }
    });
});
