/**
 * Printed values that depend on losses (`(loss1 + loss2) / 2`, `loss.item()`, `losses.mean()`,
 * `round(loss.item(), 4)`) as expressions over pair results. Detection builds them without
 * knowing any loss; the analysis evaluates them once the kernel has computed each pair, with the
 * rounding the code's own arithmetic does (float32 tensors round each operation).
 */

/** An expression over pair results and numbers. */
export type ScalarExpr =
  | { op: 'const'; value: number }
  /** The reduced loss of a pair (unknown with reduction 'none' or when the pair fails). */
  | { op: 'loss'; pair: number }
  /** `losses.mean()` / `losses.sum()` of a pair computed with reduction 'none'. */
  | { op: 'reduce'; pair: number; how: 'mean' | 'sum'; float32: boolean }
  | { op: 'arith'; symbol: ArithSymbol; left: ScalarExpr; right: ScalarExpr; float32: boolean }
  | { op: 'neg'; operand: ScalarExpr }
  | { op: 'exp' | 'log'; operand: ScalarExpr }
  | { op: 'round'; operand: ScalarExpr; digits: number };

export type ArithSymbol = '+' | '-' | '*' | '/' | '**' | '//';

/** What the analysis knows of each pair when it evaluates expressions. */
export interface PairOutcome {
  /** Reduced loss; null on error, when unverified, or with reduction 'none'. */
  loss: number | null;
  /** Per-element losses, or null. */
  losses: ArrayLike<number> | null;
}

/** Plain arithmetic as Python and JavaScript do it on doubles. */
export function arith(symbol: string, a: number, b: number): number {
  switch (symbol) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '**':
      return Math.pow(a, b);
    case '//':
      return Math.floor(a / b);
    default:
      return NaN;
  }
}

/** The value of an expression, or null when one of the pairs it reads has no such value. */
export function evaluateScalar(expr: ScalarExpr, pairs: (id: number) => PairOutcome | undefined): number | null {
  switch (expr.op) {
    case 'const':
      return expr.value;
    case 'loss':
      return pairs(expr.pair)?.loss ?? null;
    case 'reduce': {
      const losses = pairs(expr.pair)?.losses;
      if (!losses) return null;
      let sum = 0;
      for (let i = 0; i < losses.length; i++) sum += losses[i];
      const v = expr.how === 'mean' ? sum / losses.length : sum;
      return expr.float32 ? Math.fround(v) : v;
    }
    case 'arith': {
      const a = evaluateScalar(expr.left, pairs);
      const b = evaluateScalar(expr.right, pairs);
      if (a === null || b === null) return null;
      const v = arith(expr.symbol, a, b);
      return expr.float32 ? Math.fround(v) : v;
    }
    case 'neg': {
      const v = evaluateScalar(expr.operand, pairs);
      return v === null ? null : -v;
    }
    case 'exp':
    case 'log': {
      const v = evaluateScalar(expr.operand, pairs);
      return v === null ? null : expr.op === 'exp' ? Math.exp(v) : Math.log(v);
    }
    case 'round': {
      const v = evaluateScalar(expr.operand, pairs);
      return v === null ? null : Number(v.toFixed(expr.digits));
    }
  }
}

/** The expression's number when it reads no pair (so detection can fold it), else undefined. */
export function constantOf(expr: ScalarExpr): number | undefined {
  return expr.op === 'const' ? expr.value : undefined;
}
