/**
 * JavaScript arrow functions written inside an expression, `v => body` and `(acc, v) => body`, read
 * as the `lambda` node Python's `lambda` gives (expr.ts), so that a callback handed to `.map` or
 * `.reduce` can be run (jsCallbacks.ts, docs/detection.md 3.158). Only plain parameter names, or a
 * parameter destructured into plain names (`([p, y]) =>`, `({ p, y }) =>`, `({ prob: p }) =>`, 3.396: read
 * under a name no source can spell, with the names it unpacks), and an expression body: a block body
 * (`v => { … }`), a typed, defaulted, nested or rest parameter reads as an `other` node covering the whole
 * function, never as a function run partly.
 */
import { Op, type TokenBuffer } from './tokens';

/** A parsed expression, as far as an arrow needs it (expr.ts's Node, not imported: expr.ts imports this file). */
interface Spanned {
  start: number;
  end: number;
}

/** A parameter destructured into names: `[a, b]` (keys 0, 1) or `{ a, key: b }` (keys 'a', 'key'). */
export interface Unpack {
  names: string[];
  keys: (number | string)[];
}

/** A lambda's parameter (expr.ts); a JavaScript arrow's destructured one carries what it unpacks. */
export type LambdaParam<N> = { name: string; default: N | null; unpack?: Unpack };

/** An arrow's parameter: a name, or a hidden name standing for what it destructures. */
export interface ArrowParam {
  name: string;
  default: null;
  unpack?: Unpack;
}

/** The node an arrow reads as: expr.ts's `lambda`, or `other` when it is not run. */
export type ArrowNode<N extends Spanned> =
  | { type: 'lambda'; params: ArrowParam[]; body: N; start: number; end: number }
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

/** `[a, b]` or `{ a, key: b }` over tokens [a, b) of one parameter, or null for any other pattern. */
function unpacked<N extends Spanned>(p: ArrowTokens<N>, a: number, b: number): Unpack | null {
  const array = p.isOp(a, 91);
  if ((!array && !p.isOp(a, 123)) || p.match[a] !== b - 1 || b - a < 3) return null;
  const names: string[] = [];
  const keys: (number | string)[] = [];
  for (const [x, y] of p.split(a + 1, b - 1, 44)) {
    if (y === x + 1 && p.isName(x)) {
      names.push(p.tokText(x));
      keys.push(array ? keys.length : p.tokText(x));
    } else if (!array && y === x + 3 && p.isName(x) && p.isOp(x + 1, 58) && p.isName(x + 2)) {
      names.push(p.tokText(x + 2));
      keys.push(p.tokText(x));
    } else return null;
  }
  return names.length ? { names, keys } : null;
}

/** The hidden name of the k-th parameter when it is destructured. */
export function unpackName(k: number): string {
  return `\u0000unpack${k}`;
}

/** The arrow function starting at token `i` and running to `end`, or null when none starts there. */
export function jsArrow<N extends Spanned>(p: ArrowTokens<N>, i: number, end: number): ArrowNode<N> | null {
  let bodyAt: number;
  let params: ArrowParam[] | null;
  if (p.isName(i) && p.isOp(i + 1, Op.FatArrow)) {
    params = [{ name: p.tokText(i), default: null }];
    bodyAt = i + 2;
  } else if (p.isOp(i, 40) && p.match[i] > i && p.match[i] < end && p.isOp(p.match[i] + 1, Op.FatArrow)) {
    const close = p.match[i];
    const parts = close > i + 1 ? p.split(i + 1, close, 44) : [];
    params = [];
    for (const [a, b] of parts) {
      const unpack = b === a + 1 && p.isName(a) ? null : unpacked(p, a, b);
      if (b === a + 1 && p.isName(a)) params.push({ name: p.tokText(a), default: null });
      else if (unpack) params.push({ name: unpackName(params.length), default: null, unpack });
      else {
        params = null;
        break;
      }
    }
    bodyAt = close + 2;
  } else return null;
  const start = p.buf.start[i];
  const whole: ArrowNode<N> = { type: 'other', start, end: p.buf.end[Math.min(end, p.buf.n) - 1] };
  const names = params?.flatMap((q) => q.unpack?.names ?? [q.name]) ?? [];
  if (!params || bodyAt >= end || p.isOp(bodyAt, 123) || new Set(names).size !== names.length) return whole;
  const body = p.parse(bodyAt, end);
  return { type: 'lambda', params, body, start, end: body.end };
}
