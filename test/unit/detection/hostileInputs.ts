/**
 * Hostile inputs for the growth-ratio test: each family builds a text of size ~n that stresses
 * one text-facing part of detection (a tokenizer, the literal parser, a claim pattern, the
 * Markdown and notebook readers) and says how to run it. Shared with the before/after figures
 * script, so the numbers quoted in the notes come from the same inputs the test checks.
 */
import { analyzeNotebook, analyzeText } from '../../../src/core/analysis';
import { claimInComment, claimInOutput } from '../../../src/core/detection/claims';
import { Lang, LiteralParser } from '../../../src/core/detection/literals';
import { markdownBlocks } from '../../../src/core/detection/markdown';

export interface HostileFamily {
  /** What is stressed and how. */
  name: string;
  /** The hostile text at size parameter n (roughly n characters). */
  make: (n: number) => string;
  /** Runs the part under test on the text. */
  run: (text: string) => void;
}

const analyse = (fileName: string) => (text: string) => {
  analyzeText(text, { fileName });
};

const digits = (n: number): string => '1'.repeat(n);

/** A notebook (nbformat 4) whose one code cell prints a loss, with `outputs` as its stored output. */
function notebook(source: string, outputs: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { language: 'python' } },
    cells: [
      {
        cell_type: 'code',
        source,
        outputs: outputs.map((text) => ({ output_type: 'stream', name: 'stdout', text })),
      },
    ],
  });
}

const pair =
  'import torch\nlogits = torch.tensor([[1.0, 2.0, 0.5]])\nlabels = torch.tensor([0])\nloss = torch.nn.functional.cross_entropy(logits, labels)\n';

export const hostileFamilies: HostileFamily[] = [
  // Python tokenizer and statement readers.
  { name: 'python: `# tensor(` + digits', make: (n) => `print(loss)  # tensor(${digits(n)}`, run: analyse('a.py') },
  { name: 'python: `# ` + digits (plain claim)', make: (n) => `print(loss)\n# ${digits(n)}`, run: analyse('a.py') },
  {
    name: 'python: `# loss: ` + `1.` run',
    make: (n) => `print(loss)  # loss: ${'1.'.repeat(n / 2)}`,
    run: analyse('a.py'),
  },
  {
    // Each statement joins a list to the one before: copied whole, it would be quadratic.
    name: 'python: `a = a + [1.0, 2.0]` over and over',
    make: (n) => `import torch\na = [0.0]\n${'a = a + [1.0, 2.0]\n'.repeat(n / 19)}torch.tensor([a])\n`,
    run: analyse('a.py'),
  },
  {
    // A sum kept in a name and added to over and over (docs §3.178): each step must not copy the terms so far.
    name: 'python: `total += -np.log(p[0, t[0]])` over and over',
    make: (n) =>
      `import numpy as np\np = np.array([[0.5, 0.5]])\nt = np.array([1])\ntotal = 0\n${'total += -np.log(p[0, t[0]])\n'.repeat(n / 30)}print(total)\n`,
    run: analyse('a.py'),
  },
  {
    // Many module-level loops, each summing into a name: each reads only its own body's lines.
    name: 'python: loops summing into a name, one after another',
    make: (n) =>
      `import numpy as np\np = np.array([0.5, 0.25])\ny = np.array([1, 0])\n${'s = 0\nfor i in range(2):\n    s += -y[i] * np.log(p[i]) - (1 - y[i]) * np.log(1 - p[i])\n'.repeat(n / 82)}print(s)\n`,
    run: analyse('a.py'),
  },
  {
    // One statement of many lambdas, each with parameters the expression reader must not split.
    name: 'python: one list of `lambda x, y=1: x + y` items',
    make: (n) => `fs = [${'lambda x, y=1: x + y, '.repeat(n / 23)}]\n`,
    run: analyse('a.py'),
  },
  {
    // Lambdas nested in each other's defaults, never closed: each scan must stop at the next one.
    name: 'python: `lambda a=lambda a=…` unclosed',
    make: (n) => `f = ${'lambda a='.repeat(n / 9)}0\n`,
    run: analyse('a.py'),
  },
  {
    name: 'python: `[0.5] * 1000` over and over (past the list budget)',
    make: (n) => `import torch\n${'r = torch.tensor([[0.5] * 1000])\n'.repeat(n / 34)}`,
    run: analyse('a.py'),
  },
  { name: 'python: a digit run', make: (n) => `x = ${digits(n)}\n`, run: analyse('a.py') },
  { name: 'python: unclosed `[`', make: (n) => `x = ${'['.repeat(n)}\n`, run: analyse('a.py') },
  {
    name: 'python: nested `[…1…]`',
    make: (n) => `x = ${'['.repeat(n / 2)}1${']'.repeat(n / 2)}\n`,
    run: analyse('a.py'),
  },
  { name: 'python: unclosed `[1,` rows', make: (n) => `x = ${'[1, '.repeat(n / 4)}\n`, run: analyse('a.py') },
  { name: 'python: `[a, ` rows', make: (n) => `x = ${'[a, '.repeat(n / 4)}\n`, run: analyse('a.py') },
  { name: 'python: call parens', make: (n) => `f${'('.repeat(n / 2)}a${')'.repeat(n / 2)}\n`, run: analyse('a.py') },
  { name: 'python: attribute chain', make: (n) => `y = torch${'.a'.repeat(n / 2)}\n`, run: analyse('a.py') },
  { name: 'python: subscript chain', make: (n) => `y = x${'[0]'.repeat(n / 3)}\n`, run: analyse('a.py') },
  { name: 'python: statements on one line', make: (n) => `${'x=[1];'.repeat(n / 6)}\n`, run: analyse('a.py') },
  { name: 'python: unterminated strings', make: (n) => `${'"a\n'.repeat(n / 3)}`, run: analyse('a.py') },
  { name: 'python: backslashes in `"""`', make: (n) => `s = """${'\\'.repeat(n)}"""\n`, run: analyse('a.py') },
  {
    name: 'python: printed losses with claims',
    make: (n) => pair + 'print(loss)  # tensor(1.4640)\n'.repeat(n / 30),
    run: analyse('a.py'),
  },
  {
    // Each parametrized test is run once per case (at most 64): the cost grows with the tests, not faster.
    name: 'python: parametrized tests',
    make: (n) =>
      'import pytest, torch\nimport torch.nn.functional as F\n' +
      `@pytest.mark.parametrize("x, k", [${'([[1.0, 0.0]], [0]), ([[0.5, 2.0]], [1]), '.repeat(30)}])\ndef test_a(x, k):\n    l = F.cross_entropy(torch.tensor(x), torch.tensor(k))\n`.repeat(
        Math.max(1, Math.floor(n / 1300)),
      ),
    run: analyse('a.py'),
  },
  {
    // Each module-level loop over literal cases is run item by item (at most 64 items, 2,000 per text).
    name: 'python: module-level loops over cases',
    make: (n) =>
      'import torch\nimport torch.nn.functional as F\n' +
      'for z, y in [([1.0, 0.5], 0), ([0.2, 2.0], 1)]:\n    l = F.cross_entropy(torch.tensor([z]), torch.tensor([y]))\n'.repeat(
        Math.max(1, Math.floor(n / 110)),
      ),
    run: analyse('a.py'),
  },
  {
    // A module-level loop with loops nested inside it, one level deeper each (√n levels: n characters
    // of indentation): kept, never run.
    name: 'python: nested module-level loops',
    make: (n) => {
      const depth = Math.max(1, Math.floor(Math.sqrt(n)));
      const lines = Array.from({ length: depth }, (_, k) => `${' '.repeat(k)}for v${k} in [1.0, 2.0]:\n`);
      return lines.join('') + `${' '.repeat(depth)}x = v0\n`;
    },
    run: analyse('a.py'),
  },
  {
    // Each change in place looks at every name bound in scope for the object's other names
    // (changes.ts): many names, each changed, until the per-text budget makes later pairs unverified.
    name: 'python: names holding data changed in place',
    make: (n) =>
      'import torch\nimport torch.nn.functional as F\n' +
      Array.from(
        { length: Math.max(1, Math.floor(n / 60)) },
        (_, k) => `d${k} = {"w": [1.0, ${k}.0]}\nd${k}.update(w=[0.0])\nalias${k} = d${k}\n`,
      ).join(''),
    run: analyse('a.py'),
  },
  {
    name: 'python: lambdas in lambdas',
    make: (n) => `f = ${'lambda: '.repeat(n / 8)}F.cross_entropy(x, y)\n`,
    run: analyse('a.py'),
  },
  { name: 'python: f-string braces', make: (n) => `print(f"${'{'.repeat(n)}")\n`, run: analyse('a.py') },
  // JavaScript / TypeScript tokenizer.
  { name: 'js: `// tensor(` + digits', make: (n) => `console.log(loss) // tensor(${digits(n)}`, run: analyse('a.js') },
  { name: 'js: regex classes never closed', make: (n) => `x = /[${' /['.repeat(n / 3)}\n`, run: analyse('a.js') },
  { name: 'js: nested templates', make: (n) => `x = ${'`${'.repeat(n / 3)}\n`, run: analyse('a.ts') },
  { name: 'js: nested blocks', make: (n) => `${'{'.repeat(n)}\n`, run: analyse('a.js') },
  { name: 'js: unclosed `[`', make: (n) => `x = ${'['.repeat(n)}\n`, run: analyse('a.ts') },
  { name: 'js: attribute chain', make: (n) => `y = tf${'.a'.repeat(n / 2)}\n`, run: analyse('a.js') },
  // JSON.
  { name: 'json: unclosed `[`', make: (n) => '['.repeat(n), run: analyse('a.json') },
  {
    name: 'json: nested objects',
    make: (n) => '{"a":'.repeat(n / 5) + '1' + '}'.repeat(n / 5),
    run: analyse('a.json'),
  },
  { name: 'json: backslashes in a string', make: (n) => `{"a": "${'\\'.repeat(n)}"}`, run: analyse('a.json') },
  {
    name: 'json: records',
    make: (n) => `[${Array.from({ length: n / 40 }, () => '{"logits": [1.5, 0.5], "label": 1}').join(',')}]`,
    run: analyse('a.json'),
  },
  // Markdown.
  {
    name: 'markdown: code blocks with outputs',
    make: (n) => '```python\nprint(loss)\n```\n```\ntensor(1.0)\n```\n'.repeat(n / 48),
    run: analyse('a.md'),
  },
  {
    // A printed repr closing each fence under its print (fenceOutputs.ts reprTail, docs/detection.md 3.268).
    name: 'markdown: fences closing on a printed repr',
    make: (n) => '```python\nprint(loss)\ntensor([1.0, 2.0], dtype=float32)\n```\n'.repeat(n / 58),
    run: analyse('a.md'),
  },
  {
    name: 'markdown: one fence ending in a repr of very many lines',
    make: (n) => '```python\nloss\narray([' + '0.5,\n'.repeat(n / 5) + '])\n```\n',
    run: analyse('a.md'),
  },
  {
    name: 'markdown: one console transcript',
    make: (n) => '```pycon\n' + '>>> print(loss)\ntensor(1.0)\n'.repeat(n / 28) + '```\n',
    run: analyse('a.md'),
  },
  {
    name: 'markdown: exercise page examples',
    make: (n) =>
      '# Binary cross-entropy\nMean loss of probabilities.\n' +
      'Input: y_true = [1, 0], y_pred = [0.8, 0.3]\nOutput: 0.2899\n'.repeat(n / 60),
    run: analyse('a.md'),
  },
  {
    name: 'markdown: exercise outputs without inputs',
    make: (n) => '# Cross-entropy\n' + 'Expected: 1.5 [0.1, '.repeat(n / 20),
    run: analyse('a.md'),
  },
  {
    name: 'markdown: worked negative logs and their means',
    make: (n) =>
      '# Cross-entropy loss\n' +
      'a: -log(0.5) = 0.693\nb: -log(0.5) = 0.693\nm: (0.693 + 0.693) / 2 = 0.693\n'.repeat(n / 72),
    run: analyse('a.md'),
  },
  {
    name: 'markdown: sums of a worked loss and zeros, chained along long lines',
    make: (n) => '# loss\na: -log(0.5) = 0.693\n' + ('s = ' + '0.693 + 0 = '.repeat(300) + '(\n').repeat(n / 3605),
    run: analyse('a.md'),
  },
  {
    name: 'markdown: open brackets of weighted logs, `-(0.4 log(0.5) + ` runs',
    make: (n) => '# loss\n' + ('= -(' + '0.4 log(0.5) + '.repeat(240) + '\n').repeat(n / 3605),
    run: analyse('a.md'),
  },
  {
    name: 'markdown: lines of `= -(0·log` openings',
    make: (n) => '# loss\n' + ('= -(0·log'.repeat(400) + '\n').repeat(n / 3601),
    run: analyse('a.md'),
  },
  {
    name: 'javascript: template literals as element children',
    make: (n) => '<Code>{`x = -log(0.5) = 0.693`}</Code>\n'.repeat(n / 36),
    run: analyse('a.jsx'),
  },
  { name: 'javascript: `>{` and a backtick, unclosed', make: (n) => '>{`'.repeat(n / 3), run: analyse('a.jsx') },
  {
    name: 'javascript: a child far from its tag',
    make: (n) => '>' + ' '.repeat(n) + '{`-log(0.5) = 0.69`}</a>',
    run: analyse('a.jsx'),
  },
  { name: 'markdown: unclosed fences', make: (n) => '```\n'.repeat(n / 4), run: (t) => markdownBlocks(t) },
  { name: 'markdown: spaces before a fence', make: (n) => ' '.repeat(n) + 'x\n', run: analyse('a.md') },
  {
    // Each table under a printed loss counts the losses above it (proseClaims.ts): once, not per table.
    name: 'markdown: Loss tables under printed losses',
    make: (n) =>
      ('```python\n' + pair + 'print(loss)\n```\n\n| a | Loss |\n|---|---|\n| 1 | 1.464 |\n\n').repeat(n / 210),
    run: analyse('a.md'),
  },
  {
    name: 'markdown: sentences naming the loss with no number',
    make: (n) =>
      '```python\n' + pair + 'print(loss)\n```\n' + 'So the loss is low, a cross-entropy loss.\n'.repeat(n / 42),
    run: analyse('a.md'),
  },
  {
    // Lines of a flattened fence (flattenedFences.ts), each with many brackets, each bracket a possible statement end.
    name: 'markdown: flattened fences of `()` runs',
    make: (n) => ('* x : ```pythona = f()b = g()' + '()'.repeat(1000) + '```\n').repeat(n / 2030),
    run: analyse('a.md'),
  },
  {
    name: 'python: words before the number of a claim comment',
    make: (n) => pair + `print(loss)  # ${'good '.repeat(n / 5)}1.464\n`,
    run: analyse('a.py'),
  },
  // Notebooks.
  {
    name: 'notebook: many output lines',
    make: (n) => notebook(pair + 'print(loss)\n', ['tensor(1.4640)\n'.repeat(n / 16)]),
    run: analyse('a.ipynb'),
  },
  {
    name: 'notebook: `# tensor(` + digits in a cell',
    make: (n) => notebook(`print(loss)  # tensor(${digits(n)}`, []),
    run: analyse('a.ipynb'),
  },
  {
    name: 'notebook cells: many cells',
    make: (n) => 'x'.repeat(n),
    run: (t) => {
      analyzeNotebook(Array.from({ length: t.length / 16 }, () => ({ kind: 'code', source: 'print(loss)\n' })));
    },
  },
  // The literal parser on its own.
  {
    name: 'literal: nested brackets',
    make: (n) => '['.repeat(n / 2) + '1' + ']'.repeat(n / 2),
    run: (t) => new LiteralParser(t, Lang.Python, 1e7).parse(0),
  },
  {
    name: 'literal: one long row',
    make: (n) => `[${'1.5, '.repeat(n / 5)}]`,
    run: (t) => new LiteralParser(t, Lang.Python, 1e7).parse(0),
  },
  {
    name: 'literal: a digit run',
    make: (n) => `[${digits(n)}]`,
    run: (t) => new LiteralParser(t, Lang.Js, 1e7).parse(0),
  },
  // Claim patterns on their own.
  {
    name: 'claim: comment `tensor(` + digits',
    make: (n) => `# tensor(${digits(n)}`,
    run: (t) => claimInComment(t, 0, t.length),
  },
  {
    name: 'claim: comment `tensor(1, ` + parens',
    make: (n) => `# tensor(1, ${'(a'.repeat(n / 2)}`,
    run: (t) => claimInComment(t, 0, t.length),
  },
  { name: 'claim: output `tensor(` + digits', make: (n) => `tensor(${digits(n)}`, run: (t) => claimInOutput(t, 0) },
  { name: 'claim: output digits and points', make: (n) => '1.'.repeat(n / 2), run: (t) => claimInOutput(t, 0) },
  { name: 'claim: output `1e` runs', make: (n) => '1.1e'.repeat(n / 4), run: (t) => claimInOutput(t, 0) },
  {
    name: 'claim: comment lead words',
    make: (n) => `# ${'loss: '.repeat(n / 6)}x`,
    run: (t) => claimInComment(t, 0, t.length),
  },
  { name: 'claim: comment `=` run', make: (n) => `# ${'='.repeat(n)}x`, run: (t) => claimInComment(t, 0, t.length) },
];
