/**
 * The parameter list of a Python lambda, `lambda a, b=1: body`, read from its tokens: plain names,
 * each with an optional default, up to the `:` that starts the body. Its commas are not the commas
 * of the expression around it (`ce = lambda x, y: F.cross_entropy(x, y)` is one value, not a tuple),
 * so the expression reader (expr.ts) does not split there. `*args`, `**kw` and anything else a
 * parameter list may hold are not read (null): such a lambda stays what it was, not followed.
 */
/** What of the expression reader this needs (expr.ts's ExprParser; no import, so no cycle). */
export interface LambdaTokens {
  isName(i: number, word?: string): boolean;
  isOp(i: number, code: number): boolean;
  tokText(i: number): string;
  skip(i: number): number;
}

export interface LambdaHeader {
  /** Each parameter's name and the tokens [from, to) of its default, if it has one. */
  params: { name: string; default: [number, number] | null }[];
  /** The token of the `:` that ends the parameters. */
  colon: number;
}

const comma = 44;
const colon = 58;
const equals = 61;

/** The header of the lambda whose `lambda` keyword is token `at`, within [at, to); null when not read. */
export function lambdaHeader(p: LambdaTokens, at: number, to: number): LambdaHeader | null {
  const params: LambdaHeader['params'] = [];
  let j = at + 1;
  while (j < to && params.length < 64) {
    if (!p.isName(j) || p.isName(j, 'lambda')) return null;
    const name = p.tokText(j++);
    let dflt: [number, number] | null = null;
    if (p.isOp(j, equals)) {
      let k = j + 1;
      // A default holding another lambda is not read (and each scan stops at the next `lambda`,
      // so a statement's lambdas are read in linear time).
      while (k < to && !p.isOp(k, comma) && !p.isOp(k, colon)) {
        if (p.isName(k, 'lambda')) return null;
        k = p.skip(k);
      }
      if (k === j + 1) return null;
      dflt = [j + 1, k];
      j = k;
    }
    params.push({ name, default: dflt });
    if (p.isOp(j, colon)) return j + 1 < to ? { params, colon: j } : null;
    if (!p.isOp(j, comma)) return null;
    j++;
  }
  return null;
}
