/**
 * Per-sample losses picked by hand into names, then added (`s1 = -logp[0, 1]`, `s2 = -logp[1, 3]`,
 * `(s1 + s2) / 2`; docs/detection.md 3.147). Each name is its own pair where it is assigned (a
 * reduced hand-written loss, statements.ts), so the sum saw two losses and had no value. The array
 * each pair was made from is kept here, by the pair's reference, and a `+` or `-` of two such losses
 * (or of one and a running sum that is still an array of the same formula) adds those arrays, as the
 * same picks written inline are added: the formula recogniser then reads the sum or the mean.
 */
import { sameRoot } from './termRoots';
import type { ArrayValue, PairRef, Term, Value } from './values';

/** The scalar formula array each per-sample pair was made from. */
const picked = new WeakMap<PairRef, ArrayValue>();

/** Keeps the array a scalar hand-written loss's pair was made from. */
export function rememberPick(made: Value, from: Value): void {
  if (made.kind === 'loss' && from.kind === 'array' && from.array.terms && from.array.data?.length === 1)
    picked.set(made.pair, from.array);
}

/** `l + r` / `l - r` of picked losses: their arrays; other operands and operators as they are. */
export function asPickOperands(op: string, l: Value, r: Value): [Value, Value] {
  if (op !== '+' && op !== '-') return [l, r];
  const arrayOf = (v: Value): ArrayValue | null =>
    v.kind === 'loss' ? (picked.get(v.pair) ?? null) : v.kind === 'array' && v.array.terms ? v.array : null;
  const a = arrayOf(l);
  const b = arrayOf(r);
  if (!a || !b || (l.kind !== 'loss' && r.kind !== 'loss')) return [l, r];
  // Picks of one source only: losses of other arrays (`output` bound again between them) stay losses,
  // whose sum other readers judge (a claim about their mean).
  const srcOf = (t: Term | null): ArrayValue | null => (t && 'src' in t ? t.src : null);
  const src = srcOf(a.terms?.[0] ?? null);
  const all = [...(a.terms ?? []), ...(b.terms ?? [])];
  if (!src || !all.every((t) => sameRoot(srcOf(t), src))) return [l, r];
  return [
    { kind: 'array', array: a },
    { kind: 'array', array: b },
  ];
}
