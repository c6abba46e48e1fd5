/**
 * Function bodies are kept as statement spans and read again when a call follows them
 * (bodyTokens.ts): that is only right if reading a statement's span again gives exactly the
 * tokens the tokenizer handed over the first time. Checked on seeded random Python texts built
 * from the pieces that change how the tokenizer reads (brackets left open, literals, strings with
 * prefixes, comments, continuation lines, `;`, magics, typographic quotes, CR line ends).
 */
import { describe, expect, it } from 'vitest';
import { StatementTokens } from '../../../src/core/detection/bodyTokens';
import { Tokenizer } from '../../../src/core/detection/tokenizer';
import { Lang, type LiteralOutcome, type TokenBuffer, type TokenSink } from '../../../src/core/detection/tokens';
import { randomTexts } from './randomTexts';

interface Statement {
  fields: number[][];
  overflow: boolean;
}

function fields(buf: TokenBuffer): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < buf.n; i++) rows.push([buf.kind[i], buf.aux[i], buf.start[i], buf.end[i], buf.num[i]]);
  return rows;
}

/** Every statement of `text` as the tokenizer hands it over, and the site id given to each literal. */
function statements(text: string): { list: Statement[]; literalIds: Map<number, number> } {
  const list: Statement[] = [];
  const literalIds = new Map<number, number>();
  const sink: TokenSink = {
    statement: (buf, overflow) => list.push({ fields: fields(buf), overflow }),
    comment: () => {},
    // Ids unlike positions, so a token taking the wrong one shows.
    literal: (_outcome: LiteralOutcome, start: number) => {
      const id = 1000 + literalIds.size * 7;
      literalIds.set(start, id);
      return id;
    },
    problem: () => {},
  };
  new Tokenizer(text, Lang.Python, sink, 1000).run();
  return { list, literalIds };
}

const pieces = [
  '\n',
  '\r\n',
  '    ',
  ' ',
  'x = ',
  'def f(a, b=[1, 2]):',
  '\n    return ',
  'f(',
  ')',
  '[',
  ']',
  '(',
  ', ',
  '[[0.5, -1], [2e3, 4]]',
  '(1, 2)',
  '3.25',
  '0x1F',
  '1j',
  "'s'",
  'r"\\d"',
  "b'x'",
  '"""doc\n"""',
  '# note\n',
  '\\\n',
  ';',
  ':',
  '%time ',
  '!ls\n',
  '— ',
  'if y:',
  'import torch',
  'torch.tensor(',
  '{',
  '}',
  'print ',
  '.',
  '*',
  '==',
];

describe('a statement read again from its span', () => {
  it('gives the tokens the tokenizer handed over', () => {
    let compared = 0;
    let withLiteral = 0;
    let multiLine = 0;
    for (const text of randomTexts(pieces, 23, 2000, 30)) {
      const { list, literalIds } = statements(text);
      const again = new StatementTokens({ code: text, maxElements: 1000, literalIds });
      for (const s of list) {
        if (s.overflow) continue;
        const start = s.fields[0][2];
        const end = s.fields[s.fields.length - 1][3];
        const read = JSON.stringify(fields(again.read(start, end)));
        // Compared as strings (one expect per difference: thousands of deep comparisons are slow).
        if (read !== JSON.stringify(s.fields))
          expect(read, `${JSON.stringify(text)} [${start}, ${end})`).toBe(JSON.stringify(s.fields));
        compared++;
        if (s.fields.some((f) => f[0] === 5)) withLiteral++;
        if (/[\r\n]/.test(text.slice(start, end))) multiLine++;
      }
    }
    // The texts reach the cases that matter, not only one-token statements.
    expect(compared).toBeGreaterThan(3000);
    expect(withLiteral).toBeGreaterThan(1000);
    expect(multiLine).toBeGreaterThan(1000);
  });
});
