/**
 * A print of one loss beside values this reader does not compute (`print(val_1, val_2)` where `val_1`
 * is a hand-written pick it does not follow), docs/detection.md 3.383: Python writes the arguments
 * in order, one space apart, so the loss's value is the part at its place, provided every part shown
 * reads as a printed value (vectorClaims.ts checks that). Only plain positional arguments: a string
 * literal, a starred argument or a `sep=` / `end=` keyword says nothing certain about the parts.
 */
import type { Node } from './expr';
import { isLossy, type Value } from './values';

/** Most arguments read by place (a longer print is a log line). */
const maxArguments = 8;

/** Argument shapes whose value prints as one part whatever it is: a name, an attribute, a call, an index, arithmetic. */
const plainShapes = new Set(['name', 'attribute', 'call', 'subscript', 'binary', 'unary', 'number']);

/** Whether the print `node` of `values` shows `loss` at a place the other arguments cannot shift. */
export function positionalPrint(
  node: Node,
  values: readonly { node: Node; value: Value }[],
  loss: { node: Node; value: Value } | undefined,
): boolean {
  if (node.type !== 'call' || node.keywords.length > 0 || loss === undefined) return false;
  if (values.length < 2 || values.length > maxArguments || node.args.length !== values.length) return false;
  // A loss printed first is read as the line's first value already (`print(loss, w.grad)` above a
  // multi-line tensor): by place only when something comes before it.
  if (values.indexOf(loss) <= 0) return false;
  return values.every(
    (v) => v === loss || (!isLossy(v.value) && v.value.kind !== 'string' && plainShapes.has(v.node.type)),
  );
}

/** Why a comment's or output line's number is not the loss's: another value is printed first (3.383). */
export const shownAfterAnother =
  'the print shows another value before the loss, so which printed number is the loss is not told';

/**
 * Whether some argument before `loss` prints a value of its own (anything but a string literal): then
 * the first number of the line the print wrote is that value, not the loss (`print(acc, loss.item())`
 * above `# 0.75 0.3133`), and no reader that takes a line's first or only number may judge it.
 */
export function shownBefore(
  values: readonly { node: Node; value: Value }[],
  loss: { node: Node; value: Value } | undefined,
): boolean {
  const at = loss === undefined ? -1 : values.indexOf(loss);
  return at > 0 && values.slice(0, at).some((v) => v.node.type !== 'string' && v.value.kind !== 'string');
}
