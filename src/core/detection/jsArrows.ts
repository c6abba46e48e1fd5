/**
 * JavaScript arrow functions written inside an expression, `v => body` and `(acc, v) => body`, read
 * as the `lambda` node Python's `lambda` gives (expr.ts), so that a callback handed to `.map` or
 * `.reduce` can be run (jsCallbacks.ts, docs/detection.md 3.158). Only plain parameter names and an
 * expression body: a block body (`v => { … }`), a typed, defaulted, destructured or rest parameter
 * reads as an `other` node covering the whole function, never as a function run partly.
 */
import { Op, type TokenBuffer } from './tokens';

/** A parsed expression, as far as an arrow needs it (expr.ts's Node, not imported: expr.ts imports this file). */
interface Spanned {
  start: number;
  end: number;
}

/** The node an arrow reads as: expr.ts's `lambda`, or `other` when it is not run. */
export type ArrowNode<N extends Spanned> =
  | { type: 'lambda'; params: { name: string; default: null }[]; body: N; start: number; end: number }
  | { type: 'other'; start: number; end: number };

/** What of the parser an arrow needs. */
export interface ArrowTokens<N extends Spanned> {
  readonly buf: TokenBuffer;
  readonly match: Int32Array;
  isName(i: number, word?: string): boolean;
  isOp(i: number, code: number): boolean;
  tokText(i: number): string;
  split(from: number, to: number, code: number): [number, number][];
  parse(from: number, to: number): N;
}

/** The arrow function starting at token `i` and running to `end`, or null when none starts there. */
export function jsArrow<N extends Spanned>(p: ArrowTokens<N>, i: number, end: number): ArrowNode<N> | null {
  let bodyAt: number;
  let names: string[] | null;
  if (p.isName(i) && p.isOp(i + 1, Op.FatArrow)) {
    names = [p.tokText(i)];
    bodyAt = i + 2;
  } else if (p.isOp(i, 40) && p.match[i] > i && p.match[i] < end && p.isOp(p.match[i] + 1, Op.FatArrow)) {
    const close = p.match[i];
    const parts = close > i + 1 ? p.split(i + 1, close, 44) : [];
    names = parts.every(([a, b]) => b === a + 1 && p.isName(a)) ? parts.map(([a]) => p.tokText(a)) : null;
    bodyAt = close + 2;
  } else return null;
  const start = p.buf.start[i];
  const whole: ArrowNode<N> = { type: 'other', start, end: p.buf.end[Math.min(end, p.buf.n) - 1] };
  if (!names || bodyAt >= end || p.isOp(bodyAt, 123) || new Set(names).size !== names.length) return whole;
  const body = p.parse(bodyAt, end);
  return { type: 'lambda', params: names.map((name) => ({ name, default: null })), body, start, end: body.end };
}
