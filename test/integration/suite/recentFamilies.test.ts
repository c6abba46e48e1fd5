// The detection families added for real code (docs/detection.md 3.21–3.27, 3.34, 3.37), one test each in the
// real VS Code: TensorFlow 1's weighted losses, PaddlePaddle, Chainer, MegEngine, the one-hot pick of numpy formulas, a
// reduction of reduction='none' losses, code written as plain page text, a number printed alone
// after a page's code, and a call in a sentence's inline code with the value stated after it. Each
// opens its fixture, finds the CodeLens on the loss's line (the call as the surfaces name it, and
// the number), hovers over the call (the library or torch loss it is priced as, and the number),
// and where the fixture prints a wrong value, finds the claim_mismatch diagnostic on that line
// naming the right number. The numbers come from the fixtures' expected.json, written by their
// generators (gen_realpatternsN.py) with torch or numpy.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  dec4,
  hoverUntil,
  openFile,
  ourLenses,
  repoRoot,
  waitFor,
  waitForDiagnostic,
} from '../helpers';

interface Expected {
  files: {
    file: string;
    pairs: { line: number; name: string; loss?: number; losses?: number[] }[];
    claims: { line: number; text: string; status: string }[];
  }[];
}

interface Case {
  family: string;
  fixture: string;
  file: string;
  /** The expected.json pair the test looks at, by its name. */
  pair: string;
  /** The lens title before ` = <number> · Inspect`: the call as the surfaces name it. */
  title: RegExp;
  /** Words the hover over the pair's line must hold (the library and its mapping to torch). */
  hover: RegExp;
  /** Whether the fixture prints a wrong value for this pair (expected.json's next claim, status wrong). */
  wrong?: boolean;
  /** The code calls torch's loss through a name it never imports (`F` in prose): the lens marks it. */
  assumed?: boolean;
}

const cases: Case[] = [
  {
    family: "TensorFlow 1's weighted losses",
    fixture: 'realpatterns9',
    file: 'snippets/test_sparse_and_sigmoid.py',
    pair: 'sparse (N, 1) labels',
    title: /sparse_softmax_cross_entropy/,
    hover: /SUM_BY_NONZERO_WEIGHTS/,
  },
  {
    family: 'PaddlePaddle',
    fixture: 'realpatterns10',
    file: 'snippets/paddle_cross_entropy.py',
    pair: 'sum',
    // torch's kernel computes paddle's loss: the surfaces name paddle's call and the torch call it is.
    title: /^paddle\.nn\.functional\.cross_entropy = /,
    hover: /Computed as torch’s CrossEntropyLoss\(reduction='sum'\), the same number/,
    wrong: true,
  },
  {
    family: 'Chainer',
    fixture: 'realpatterns15',
    file: 'snippets/chainer_functions.py',
    pair: 'label -1 ignored: the mean of two',
    // Chainer, DeZero, MindSpore and MegEngine compute torch's loss: named as paddle's pairs are, by
    // the library's own call, with the torch call that gives the same number.
    title: /^chainer\.functions\.softmax_cross_entropy = /,
    hover: /Computed as torch’s CrossEntropyLoss\(ignore_index=-1\), the same number: Chainer computes/,
    wrong: true,
  },
  {
    family: 'MegEngine',
    fixture: 'realpatterns15',
    file: 'snippets/megengine_cross_entropy.py',
    pair: 'logits, the mean',
    title: /^megengine\.functional\.nn\.cross_entropy = /,
    hover: /Computed as torch’s CrossEntropyLoss\(\), the same number: MegEngine computes/,
    wrong: true,
  },
  {
    family: 'the one-hot pick of a numpy formula (NNFS)',
    fixture: 'realpatterns11',
    file: 'snippets/numpy_onehot_first_keepdims.py',
    pair: 'one-hot first, keepdims, mean',
    title: /^numpy formula/,
    hover: /numpy/,
    wrong: true,
  },
  {
    family: "a reduction of reduction='none' losses",
    fixture: 'realpatterns11',
    file: 'snippets/torch_none_then_reduce.py',
    pair: 'torch.sum of them',
    title: /^cross-entropy /,
    hover: /CrossEntropyLoss/,
    wrong: true,
  },
  {
    family: 'code as plain page text',
    fixture: 'realpatterns11',
    file: 'snippets/page_plain_torch.md',
    pair: 'a call of the module bound above, after a comment',
    title: /^cross-entropy /,
    hover: /CrossEntropyLoss/,
  },
  {
    family: 'a number printed alone after the code of a page',
    fixture: 'realpatterns13',
    file: 'snippets/page_number_after_code.md',
    pair: 'the same function on other scores',
    title: /^numpy formula/,
    hover: /numpy/,
    wrong: true,
  },
  {
    family: "a call in a sentence's inline code, its value stated after it",
    fixture: 'realpatterns13',
    file: 'snippets/prose_inline_call.md',
    pair: 'the same in a Korean sentence',
    title: /^cross-entropy /,
    hover: /CrossEntropyLoss/,
    wrong: true,
    // The sentence's `F.cross_entropy(…)` has no import beside it.
    assumed: true,
  },
  {
    family: 'one print of two losses, a value each in its comment',
    fixture: 'realpatterns14',
    file: 'snippets/print_two_losses.py',
    pair: 'the sum',
    title: /^cross-entropy /,
    hover: /CrossEntropyLoss/,
    wrong: true,
  },
  {
    family: "scikit-learn's log_loss as ported by MaxFrame (eps 1e-15)",
    fixture: 'realpatterns14',
    file: 'snippets/maxframe_log_loss.py',
    pair: 'string labels, the mean',
    title: /log_loss/,
    hover: /maxframe\.learn\.metrics\.log_loss[\s\S]*clipped to \[1e-15, 1 − 1e-15\]/,
    wrong: true,
  },
  {
    family: 'a softmax loop over list rows, the exps summed by a comprehension (3.34)',
    fixture: 'realpatterns22',
    file: 'snippets/softmax_lists_loop.py',
    pair: 'lists over zip, list comprehension sum',
    title: /formula/,
    hover: /Python/,
    wrong: true,
  },
  {
    family: 'options chosen by conditional expressions on constants (3.36)',
    fixture: 'realpatterns24',
    file: 'snippets/conditional_options.py',
    pair: 'options chosen by conditional expressions',
    title: /^cross-entropy /,
    hover: /reduction='sum' · float32 · weight · label_smoothing=0\.05/,
  },
  {
    family: "numpy's masked log filled with 0 (3.34)",
    fixture: 'realpatterns22',
    file: 'snippets/masked_log_estimates.py',
    pair: 'masked zeros under a target of 0',
    title: /formula/,
    hover: /numpy/,
  },
  {
    family: 'a row built by joining and repeating Python lists (3.37)',
    fixture: 'realpatterns25',
    file: 'snippets/row_joined_and_repeated_wrong.py',
    pair: 'joined row',
    title: /^cross-entropy /,
    hover: /CrossEntropyLoss/,
    wrong: true,
  },
  {
    family: "one row expanded over a batch by torch's expand (3.37)",
    fixture: 'realpatterns25',
    file: 'snippets/expanded_row.py',
    pair: 'expand(4, 3)',
    title: /^cross-entropy /,
    hover: /CrossEntropyLoss/,
  },
  {
    family: 'a commented output under a heading comment after a blank line (3.38)',
    fixture: 'realpatterns26',
    file: 'snippets/comment_heading_zh_wrong.py',
    pair: 'criterion inline',
    title: /^cross-entropy /,
    hover: /CrossEntropyLoss/,
    wrong: true,
  },
  {
    family: "OneFlow's CrossEntropyLoss, computed as torch's (3.41)",
    fixture: 'realpatterns29',
    file: 'snippets/oneflow_functional_positional.py',
    pair: 'CrossEntropyLoss with label smoothing',
    title: /oneflow/,
    hover: /oneflow/i,
  },
  {
    family: 'a prompt-free code-block in a docstring, its result in a comment (3.41)',
    fixture: 'realpatterns29',
    file: 'snippets/codeblock_docstring.py',
    pair: 'criterion in a code-block, reduction sum',
    title: /^cross-entropy /,
    hover: /CrossEntropyLoss/,
    wrong: true,
  },
];

function expectedPair(c: Case): { line: number; value: number; wrongLine: number | null } {
  const json = JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', c.fixture, 'expected.json'), 'utf8'));
  const file = (json as Expected).files.find((f) => f.file === c.file);
  assert.ok(file, `${c.file} is not in ${c.fixture}/expected.json`);
  const pair = file.pairs.find((p) => p.name === c.pair);
  assert.ok(pair && typeof pair.loss === 'number', `${c.pair}: no scalar pair in ${c.fixture}/expected.json`);
  // The claim about this pair: the first one on its line or below it, before the next pair.
  const nextPair = Math.min(...file.pairs.filter((p) => p.line > pair.line).map((p) => p.line), Infinity);
  const claim = file.claims.find((x) => x.line >= pair.line && x.line < nextPair);
  return { line: pair.line, value: pair.loss, wrongLine: claim?.status === 'wrong' ? claim.line : null };
}

suite('recent detection families', () => {
  suiteSetup(closeAllEditors);

  for (const c of cases)
    test(`${c.family}: the lens and the hover name the call and show its number${c.wrong ? '; the wrong print is a claim_mismatch' : ''}`, async function () {
      this.timeout(120_000);
      const { line, value, wrongLine } = expectedPair(c);
      const { document } = await openFile(path.join(repoRoot, 'test', 'fixtures', c.fixture, c.file));
      const shown = dec4(value);

      // CodeLens on the loss's line: the call as the surfaces name it, then its number.
      const lens = await waitFor(`the lens on line ${line} of ${c.file}`, async () =>
        (await ourLenses(document)).find((l) => l.line === line - 1),
      );
      const mark = c.assumed ? ' (assumed torch)' : '';
      assert.ok(lens.title.endsWith(` ${shown}${mark} · Inspect`), `${lens.title} (expected ${shown}${mark})`);
      assert.match(lens.title, c.title);

      // Hover over the loss's code: the number and the library's mapping.
      // Inside the first name of the loss's expression (after `name = ` when the line assigns it).
      const text = document.lineAt(line - 1).text;
      const assigned = /^\s*[A-Za-z_]\w*\s*=\s*/.exec(text);
      const from = assigned ? assigned[0].length : 0;
      const name = /[A-Za-z_]\w*/.exec(text.slice(from));
      assert.ok(name, `no name on line ${line} of ${c.file}`);
      const column = from + name.index + 1;
      const hover = await hoverUntil(document, new vscode.Position(line - 1, column), shown);
      assert.match(hover.replace(/\\/g, ''), c.hover);

      // A wrong printed value: a claim_mismatch on its own line naming the right number.
      if (c.wrong) {
        assert.ok(wrongLine !== null, `${c.file}: no wrong claim about "${c.pair}" in expected.json`);
        const d = await waitForDiagnostic(
          document.uri,
          'claim_mismatch',
          (x) => codeOf(x) === 'claim_mismatch' && x.range.start.line === wrongLine - 1,
        );
        assert.ok(d.message.includes(shown), d.message);
      }
    });
});
