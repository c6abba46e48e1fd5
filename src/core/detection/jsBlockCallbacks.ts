/**
 * Arrow callbacks with a block body handed to `.map` / `.reduce` inside a recorded JavaScript body
 * (jsFunctions.ts, docs/detection.md 3.375): `const losses = yTrue.map((y, i) => { const p = …; return …; });`
 * and `return -row.reduce((acc, y, j) => { … return acc + …; }, 0);`. The statement that opens the
 * callback ends with its `=>`; the block is the callback's body, kept as a helper's body is (jsBlocks.ts);
 * the statement after the block's `}` (`)`, `, 0)`, `).reduce(…) / n`) ends the call. Read back, the
 * callback is a function of its own bound under a name no source can spell (the text of its parameters
 * and arrow), and the statement is parsed with that name where the arrow was, so jsCallbacks.ts runs it
 * once per element as it runs an expression-bodied arrow.
 *
 * The callback runs in a scope of its own, as JavaScript's does; a body that assigns a name it did not
 * declare (an outer `let` it accumulates into), changes an object (`out.push(v)`), or has a statement run
 * for what it does is not modelled: the replay would keep that change inside the callback, so the call
 * is not followed, with that reason (never a number from a closure's lost side effect).
 */
import type { ExprParser } from './expr';
import { Op, Tok, TokenBuffer } from './tokens';

/** Parameters a callback takes at most (`map` passes three, `reduce` four). */
const maxParams = 4;

/** A block-bodied callback's header: `.map(`'s or `.reduce(`'s `(` at token `call`, its parameters after it. */
export interface CallbackHead {
  call: number;
  params: string[];
  method: 'map' | 'reduce';
}

/**
 * `… xs.map((v, i) =>` or `… xs.reduce(acc =>` ending the statement [i, n) (its block follows), or null.
 * The callback is the call's first argument; the last such call of the statement is the one opened.
 */
export function callbackHeader(p: ExprParser, i: number, n: number): CallbackHead | null {
  if (n - i < 5 || !p.isOp(n - 1, Op.FatArrow)) return null;
  let params: string[];
  let open: number;
  if (p.isName(n - 2)) {
    params = [p.tokText(n - 2)];
    open = n - 2;
  } else if (p.isOp(n - 2, 41) && p.match[n - 2] >= i && p.match[n - 2] < n - 2) {
    open = p.match[n - 2];
    const parts = open + 1 < n - 2 ? p.split(open + 1, n - 2, 44) : [];
    if (!parts.every(([a, b]) => b === a + 1 && p.isName(a))) return null;
    params = parts.map(([a]) => p.tokText(a));
  } else return null;
  const call = open - 1;
  const name = call - 1;
  if (!p.isOp(call, 40) || !p.isOp(name - 1, 46) || name - 1 <= i) return null;
  const method = p.isName(name, 'map') ? 'map' : p.isName(name, 'reduce') ? 'reduce' : null;
  if (!method || params.length > maxParams || new Set(params).size !== params.length) return null;
  return { call, params, method };
}

/**
 * The statement a callback was written in, with one name token where the arrow was: tokens [from, call]
 * of the head's view (through the call's `(`), a name spelled by the text of the parameters and the
 * arrow (tokens call + 1 … the head's last), then the tail's tokens [i, n) (what follows the block's `}`).
 */
export function splicedStatement(
  head: TokenBuffer,
  from: number,
  call: number,
  tail: TokenBuffer,
  at: number,
): TokenBuffer {
  const out = new TokenBuffer(head.n - from + tail.n - at + 1);
  const put = (src: TokenBuffer, a: number, b: number): void => {
    for (let k = a; k < b; k++) out.push(src.kind[k], src.aux[k], src.start[k], src.end[k], src.num[k]);
  };
  put(head, from, call + 1);
  out.push(Tok.Name, 0, head.start[call + 1], head.end[head.n - 1], 0);
  put(tail, at, tail.n);
  return out;
}

/** What a callback's statement changes outside it: the names it assigns, and whether it declares them. */
export interface StatementEffect {
  /** `const` / `let` / `var`: the names declared. */
  declared: string[];
  /** Names assigned (`x = …`, `x += …`, `x++`) without a declaration. */
  assigned: string[];
  /** A statement whose effect is not a name assigned (`out.push(v)`, `obj.k = v`, `arr[i] = v`, a call). */
  other: string | null;
}

/** What the statement [i, n) of a callback's body does to names (see {@link StatementEffect}). */
export function statementEffect(p: ExprParser, i: number, n: number): StatementEffect {
  const out: StatementEffect = { declared: [], assigned: [], other: null };
  const w = p.isName(i) ? p.tokText(i) : null;
  if (w === 'return') return out;
  if (w === 'const' || w === 'let' || w === 'var') {
    for (const [a] of p.split(i + 1, n, 44)) if (p.isName(a)) out.declared.push(p.tokText(a));
    return out;
  }
  if (n - i === 2) {
    const inc = (k: number): boolean => p.isOp(k, Op.PlusPlus) || p.isOp(k, Op.MinusMinus);
    if (p.isName(i) && inc(i + 1)) return (out.assigned.push(p.tokText(i)), out);
    if (p.isName(i + 1) && inc(i)) return (out.assigned.push(p.tokText(i + 1)), out);
  }
  let assignAt = -1;
  for (let k = i; k < n; k = p.skip(k))
    if (p.isOp(k, 61) || p.isOp(k, Op.Aug)) {
      assignAt = k;
      break;
    }
  if (assignAt === i + 1 && p.isName(i)) out.assigned.push(p.tokText(i));
  else out.other = assignAt > i ? 'an assignment to an element or an attribute' : 'a statement run for what it does';
  return out;
}
