/**
 * JavaScript/TypeScript (docs/detection.md 3.395-3.397): Python programs kept in one-line string literals (a
 * sandbox's case table, a runner's argument), each read as its own program with the output string beside it,
 * and array callbacks whose element is destructured (`([p, y]) =>`, `({ logits, label }) =>`), in snippets
 * written for this project by test/fixtures/realpatterns105/gen_realpatterns105.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { pythonStrings } from '../../../src/core/detection/jsPythonStrings';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns105', 'Python programs in JavaScript strings, destructured callbacks', {
  least: { snippets: 8, negatives: 7, wrongClaims: 3 },
  exhaustive: true,
});

const analyse = (lines: string[], fileName = 'check.ts') => analyzeText(lines.join('\n') + '\n', { fileName });
const losses = (lines: string[], fileName = 'check.ts') =>
  analyse(lines, fileName).pairs.map((p) => (p.loss === null ? null : Number(p.loss.toFixed(4))));
const claims = (lines: string[]) => analyse(lines).claims.map((c) => `${c.line}:${c.status}`);

/** A case table's entry whose program is `code` (joined with `\n` escapes), printed as `stdout`. */
const entry = (code: string[], stdout?: string) =>
  `  { code: "${code.join('\\n')}"${stdout === undefined ? '' : `, stdout: "${stdout}\\n"`} },`;
const head = ['import torch', 'import torch.nn.functional as F'];
const ce = 'print(F.cross_entropy(torch.tensor([[1.0, 0.0]]), torch.tensor([1])))';

describe('Python programs in string literals', () => {
  it('reads each program on its own line, and binds the output string beside it', () => {
    expect(losses(['export const C = [', entry([...head, ce], 'tensor(1.3133)'), '];'])).toEqual([1.3133]);
    expect(claims(['export const C = [', entry([...head, ce], 'tensor(1.3133)'), '];'])).toEqual(['2:holds']);
    expect(claims(['export const C = [', entry([...head, ce], 'tensor(1.3233)'), '];'])).toEqual(['2:wrong']);
  });

  it('never lets a name one program defines reach another', () => {
    const first = entry(['import torch', 'z = torch.tensor([[1.0, 0.0]])']);
    const second = entry([...head, 'print(F.cross_entropy(z, torch.tensor([1])))'], 'tensor(1.3133)');
    expect(losses(['export const C = [', first, second, '];'])).toEqual([]);
    // the same two lines in one program make the pair
    expect(losses(['export const C = [', entry([...head, 'z = torch.tensor([[1.0, 0.0]])', ce]), '];'])).toEqual([
      1.3133,
    ]);
  });

  it('stops a program at a block, an indented line or a triple-quoted string', () => {
    const inLoop = [...head, 'for k in range(1):', `    ${ce}`];
    expect(losses(['const C = [', entry(inLoop), '];'])).toEqual([]);
    // before the block, what the program computed stands
    expect(losses(['const C = [', entry([...head, ce, 'if True:', '    pass']), '];'])).toEqual([1.3133]);
    expect(losses(['const C = [', entry([...head, '"""notes"""', ce]), '];'])).toEqual([]);
  });

  it('blanks a comment to its line end, joins a bracket left open, and leaves other escapes alone', () => {
    expect(losses(['const C = [', entry([...head, 'x = torch.tensor([[1.0, 0.0]])  # one row', ce]), '];'])).toEqual([
      1.3133,
    ]);
    const open = [
      ...head,
      'x = torch.tensor([[1.0,',
      '                  0.0]])',
      'print(F.cross_entropy(x, torch.tensor([1])))',
    ];
    expect(losses(['const C = [', entry(open), '];'])).toEqual([1.3133]);
    // `\u00e9` cannot be kept at its offset: the string is not read
    expect(losses(['const C = [', entry([...head, '# caf\\u00e9', ce]), '];'])).toEqual([]);
  });

  it('reads no string without an import of a loss library, nor one in a Python file', () => {
    expect(losses(['const C = [', entry(['x = 1', ce]), '];'])).toEqual([]);
    expect(pythonStrings('s = "import torch\\nx = 1"\n')).toHaveLength(1);
    expect(pythonStrings('s = "import torchvision\\nx = 1"\n')).toHaveLength(0);
  });

  it('reads at most 64 programs, and 200,000 characters of program prefixes in bounded time (hang guard)', () => {
    const many = Array.from({ length: 70 }, () => entry([...head, ce]));
    expect(losses(['const C = [', ...many, '];'])).toHaveLength(64);
    const started = Date.now();
    losses(['"import torch\\n'.repeat(14_000)]);
    losses(['const s = "import torch' + '\\nx = ('.repeat(30_000) + '";']);
    losses(["'" + 'import torch\\n# '.repeat(12_000) + "'"]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('destructured callback elements', () => {
  const rows = 'const rows = [[0.8, 1], [0.3, 0]];';
  const bce = '-(y * Math.log(p) + (1 - y) * Math.log(1 - p))';

  it('reads `[p, y]` of written rows and `{ p, y }` of objects as two arrays', () => {
    expect(
      losses([rows, `const t = rows.map(([p, y]) => ${bce});`, 'const m = t.reduce((a, b) => a + b, 0) / 2;']),
    ).toEqual([0.2899]);
    const objs = 'const rows = [{ p: 0.8, y: 1 }, { p: 0.3, y: 0 }];';
    expect(
      losses([objs, `const t = rows.map(({ p, y }) => ${bce});`, 'const m = t.reduce((a, b) => a + b, 0) / 2;']),
    ).toEqual([0.2899]);
    const renamed =
      'const s = rows.reduce((acc, { prob: p, label: y }) => acc - y * Math.log(p) - (1 - y) * Math.log(1 - p), 0);';
    expect(losses(['const rows = [{ prob: 0.8, label: 1 }, { prob: 0.3, label: 0 }];', renamed])).toEqual([0.5798]);
  });

  it('gives nothing for a pattern past the element, a missing key, or a function called directly', () => {
    expect(
      losses([rows, `const t = rows.map((v, [p, y]) => ${bce});`, 'const m = t.reduce((a, b) => a + b, 0) / 2;']),
    ).toEqual([]);
    expect(
      losses([
        'const rows = [{ p: 0.8 }, { p: 0.3, y: 0 }];',
        `const t = rows.map(({ p, y }) => ${bce});`,
        'const m = t.reduce((a, b) => a + b, 0) / 2;',
      ]),
    ).toEqual([]);
    // called directly, a destructured parameter is not bound: an outer `p` must not stand in for it
    expect(
      losses(['const p = 0.5;', 'const y = 1;', `const f = ([p, y]) => ${bce};`, 'console.log(f([0.8, 1]));']),
    ).toEqual([]);
  });

  it('reads 200,000 characters of destructured arrows in bounded time (hang guard)', () => {
    const started = Date.now();
    losses(['xs.map(([a, '.repeat(20_000)]);
    losses(['xs.map(({ a: '.repeat(15_000)]);
    losses([rows, 'const t = rows.map(([p, y]) => p)'.repeat(3_000)]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
