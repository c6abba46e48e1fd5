/**
 * Python 2's print statement, `print x, y` / `print 'loss:', loss`, read as `print(x, y)` wherever a
 * statement is read: at the top level (pythonStatements.ts) and in the bodies of functions and
 * loops kept to be run (functions.ts). In Python 3 a name followed by a name, string or number is a
 * SyntaxError, so the reading changes no valid program (`print - x` and `print (x)` are left as they
 * are: they are expressions in Python 3). `print (x) / n` is read as Python 2's print of the quotient:
 * in Python 3 it divides None, a TypeError.
 */
import type { ExprParser, Node } from './expr';
import { Tok } from './tokens';

/** Words that may follow the name `print` in a Python 3 expression (`print in names`). */
const afterPrintName = new Set(['in', 'is', 'and', 'or', 'if', 'else', 'for', 'not']);

/** Do the statement's tokens start like Python 2's print statement? (Whether `print` is bound is the caller's to check.) */
export function python2PrintTokens(p: ExprParser, n: number): boolean {
  if (n < 2 || !p.isName(0, 'print')) return false;
  const k = p.buf.kind[1];
  if (k === Tok.String || k === Tok.Number || k === Tok.Literal) return true;
  // `print (a + b) / 4.0`: in Python 3, None divided by a number (a TypeError); Python 2 prints the quotient.
  if (p.isOp(1, 40)) {
    const after = p.skip(1);
    return after > 2 && after < n - 1 && arithmetic.some((c) => p.isOp(after, c));
  }
  return k === Tok.Name && !afterPrintName.has(p.tokText(1));
}

/** `/`, `*`, `+`, `-`, `%`: an operator that has no meaning after Python 3's `print(…)`, which returns None. */
const arithmetic = [47, 42, 43, 45, 37];

/** The statement `print a, b` (tokens [0, n)) as the call `print(a, b)`. */
export function python2PrintCall(p: ExprParser, n: number): Node {
  const args = p
    .split(1, n, 44)
    .filter(([a, b]) => b > a)
    .map(([a, b]) => p.parse(a, b));
  const start = p.buf.start[0];
  const callee: Node = { type: 'name', id: 'print', start, end: p.buf.end[0] };
  return { type: 'call', callee, args, keywords: [], isNew: false, start, end: p.buf.end[n - 1] };
}
