/**
 * A print inside the body of a function the analysis follows (replay.ts). Where the function is
 * defined, its parameters are not known, so the print's producer (what a comment or an output under
 * the print is judged against) holds an unknown value. At a followed call the arguments are known:
 * a hand-written loss written in an argument (`print(picked.mean())`, `-log_p[range(n), y]`) is its
 * pair there, as at the top level (statements.ts), and the producer then shows the one loss the line
 * prints. A call that prints another loss on the same line makes it unknown again: a claim under it
 * could be about either call.
 */
import type { Printed, Producer } from './context';
import type { Evaluation } from './evaluation';
import type { Node } from './expr';
import { recogniseFormula } from './recognisers/formulas';
import type { Scopes } from './scope';
import { isLossy, type Value } from './values';

/** The pair a followed call showed on a print whose producer held no loss where it was read. */
const shownBy = new WeakMap<Producer, number>();

/** Calls that return what they are called on, as a print shows it (`x.item()`, `x.detach()`). */
const passThrough = ['item', 'detach', 'cpu', 'numpy', 'clone', 'tolist'];

/** Reads `node` when it is a `print(…)` statement of a followed body; false when it is not one. */
export function followedPrint(ev: Evaluation, scopes: Scopes, node: Node): boolean {
  if (node.type !== 'call' || node.callee.type !== 'name' || node.callee.id !== 'print') return false;
  if (scopes.lookup('print') !== undefined) return false;
  const ctx = ev.ctx;
  const producer = ctx.producers.find(
    (p) => p.kind === 'print' && p.start === node.start && p.end === node.end && p.cell === ctx.cell,
  );
  const values = node.args.map((a) => ({ node: a, value: argument(ev, scopes, a, producer !== undefined) }));
  for (const k of node.keywords) ev.evaluate(k.value);
  const lossy = values.filter((v) => isLossy(v.value));
  if (!producer || lossy.length !== 1) return true;
  const shown = lossy[0];
  // A value printed before the loss puts its numbers first on the line (statements.ts does the same).
  const before = values.slice(0, values.indexOf(shown));
  if (
    before.some(
      (v) => v.value.kind === 'sequence' || (v.value.kind === 'array' && (v.value.array.data?.length ?? 2) > 1),
    )
  )
    return true;
  if (shown.value.kind !== 'loss') return true;
  const known = shownBy.get(producer);
  // Known where the function is defined (a loss over arrays the body writes itself): left as it is.
  if (known === undefined && producer.printed?.value.kind === 'loss') return true;
  const pair = shown.value.pair;
  const exprText = ctx.text.slice(shown.node.start, shown.node.end);
  let printed: Printed | null = null;
  if (known === undefined) {
    shownBy.set(producer, pair.id);
    printed = { value: shown.value, exprText, direct: direct(shown.node, pair.resultName) };
  } else if (known !== pair.id) {
    shownBy.set(producer, -1);
    const why = 'the function prints another loss at each of its calls';
    printed = { value: { kind: 'unknown', lossy: true, why }, exprText, direct: false };
  }
  if (printed) {
    if (producer.printed) ctx.rebindClaims(producer.printed, printed);
    producer.printed = printed;
  }
  return true;
}

/**
 * An argument's value; a hand-written loss written in it becomes its pair on the print, unless it is
 * a name (its pair is where it was assigned, or nowhere) or a call on a name already reduced (`loss.item()`
 * of `loss = -np.log(p).mean()`: at the top level its pair is the assignment's).
 */
function argument(ev: Evaluation, scopes: Scopes, node: Node, placed: boolean): Value {
  const v = ev.evaluate(node);
  if (!placed || v.kind !== 'array' || !v.array.terms || node.type === 'name') return v;
  let root: Node = node;
  while (root.type === 'call' && root.callee.type === 'attribute') root = root.callee.object;
  const held = root.type === 'name' ? scopes.lookup(root.id) : undefined;
  if (held?.kind === 'array' && held.array.terms && held.array.data?.length === 1) return v;
  return recogniseFormula(ev, v, node, { callee: null, argName: null, args: [] });
}

/** Is the printed expression the loss itself: its name, a call, or either under `.item()` / `float()`? */
function direct(node: Node, resultName: string | null): boolean {
  let inner = node;
  while (inner.type === 'call' && inner.callee.type === 'attribute' && passThrough.includes(inner.callee.name))
    inner = inner.callee.object;
  if (inner.type === 'call' && inner.callee.type === 'name' && inner.callee.id === 'float' && inner.args.length === 1)
    inner = inner.args[0];
  return (inner.type === 'name' && inner.id === resultName) || inner.type === 'call';
}

/**
 * A hand-written loss assigned in the body of a function that returns nothing (`def show(p, q):
 * ce = -np.sum(p * np.log(q))` / `print(ce)`), at a call from the module: its pair where the statement
 * ends, as a module-level loop's is (loops.ts), one per call on its numbers, when it is reduced to one value.
 */
export function settledLocal(ev: Evaluation, v: Value, node: Node): Value {
  // Only a reduced loss: per-row values are paired where they are reduced (`print(picked.mean())`), or not at all.
  if (v.kind !== 'array' || !v.array.terms || v.array.shape.length !== 0) return v;
  return recogniseFormula(ev, v, node, { callee: null, argName: null, args: [] });
}
