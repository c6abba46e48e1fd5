/**
 * `torch.einsum` / `np.einsum` with one operand whose subscripts only reorder its axes
 * (`torch.einsum('bijc -> bcij', x)`, `np.einsum('ij->ji', a)`): a transpose, whose elements are
 * the operand's, exactly (docs/detection.md 3.124, 4.34). Any other spelling (a repeated letter,
 * a summed axis, `...`, two operands or a list of them) is not modelled: the caller gets
 * `undefined` and no number is made up.
 */
import { argumentValue, type CallNode, type Evaluation } from './evaluation';
import { materialise, permuted } from './tensorIndex';
import { unknown, type Value } from './values';

/** `in->out` with letters only (spaces allowed around them). */
const permutation = /^\s*([A-Za-z]+)\s*->\s*([A-Za-z]+)\s*$/;

/** The axis order `spec` asks of an array of `ndim` axes, or null when it is not a plain permutation. */
export function einsumPermutation(spec: string, ndim: number): number[] | null {
  const m = permutation.exec(spec);
  if (!m) return null;
  const [input, output] = [m[1], m[2]];
  if (input.length !== ndim || output.length !== ndim) return null;
  if (new Set(input).size !== ndim || new Set(output).size !== ndim) return null;
  const perm = [...output].map((c) => input.indexOf(c));
  return perm.every((p) => p >= 0) ? perm : null;
}

/** The value of an einsum call that transposes its one operand, else undefined (not modelled). */
export function einsumCall(ev: Evaluation, call: CallNode): Value | undefined {
  if (call.args.length !== 2 || call.keywords.length) return undefined;
  const spec = ev.evaluate(call.args[0]);
  const v = argumentValue(ev, call, { position: 1 });
  if (spec.kind !== 'string' || v.kind !== 'array') return undefined;
  const a = materialise(v.array);
  const perm = einsumPermutation(spec.value, a.shape.length);
  if (perm === null) return undefined;
  const out = permuted(a, perm);
  return out ? { kind: 'array', array: out } : unknown;
}
