/**
 * A project's own loss that a test asserts equal to a library loss on the same arrays (3.86):
 *
 *   actual = ProjectLoss(label_smoothing=0.1)(logits, labels)
 *   expected = F.cross_entropy(logits, labels, label_smoothing=0.1)
 *   torch.testing.assert_close(actual, expected)
 *
 * The project's code is not in the source, so what it computes is not known from it; the assertion
 * says it is the library's number on these very arrays, if the test passes, which nothing here can
 * tell. The project's call is therefore a pair of its own, on the library loss's arrays and
 * options, unverified with that reason: found, never given a number (the library loss beside it has
 * one). Only a plain assertion counts: under `not` (or inside any other expression) it says nothing.
 *
 * The same project callable called again on the same arrays (`weighted(logits, targets)` a line
 * later), neither bound again in between, is the same pair at that call.
 */
import type { CallNode, Evaluation } from '../evaluation';
import type { PairInput } from '../pairInput';
import { sameRoot } from '../termRoots';
import type { LossCall } from '../types';
import { opaqueCallOf, type OpaqueCallOf } from '../opaqueCalls';
import type { Value, ValueOf } from '../values';

/** A project call asserted equal to a library loss, kept per detection run for later calls of it. */
interface Asserted {
  from: OpaqueCallOf;
  base: PairInput & { call: LossCall };
  line: number;
}

const assertedCalls = new WeakMap<object, Asserted[]>();
/** Asserted calls remembered per text at most (each later opaque call compares against them). */
const maxRemembered = 32;

/** Is the text before the assertion call, on its line, nothing or a bare `assert`? */
function plainAssertion(ev: Evaluation, call: CallNode): boolean {
  const text = ev.ctx.text;
  let from = call.start;
  while (from > 0 && text[from - 1] !== '\n' && call.start - from < 200) from--;
  const before = text.slice(from, call.start).trim();
  return before === '' || before === 'assert';
}

/** The arrays `from` was called with are the pair's input and target, in that order, and nothing else. */
function sameOperands(from: OpaqueCallOf, base: PairInput): boolean {
  if (from.args.length !== 2 || from.keywords !== 0) return false;
  const [x, t] = from.args;
  return (
    x.kind === 'array' &&
    t.kind === 'array' &&
    sameRoot(x.array, base.input) &&
    sameRoot(t.array, base.target) &&
    x.array.data === base.input.data &&
    t.array.data === base.target.data
  );
}

function pairAt(ev: Evaluation, from: OpaqueCallOf, base: PairInput & { call: LossCall }, line: number): Value {
  const call = ev.ctx.lossCallAt(base.call.kind, from.start, from.end, from.calleeText);
  const callee = base.call.callee ?? base.recogniser;
  const unverified = `\`${from.calleeText}\` is the project’s own code, not read here: the assertion on line ${line} says it equals \`${callee}\` on these arrays`;
  const { assumedTorch: _, ...rest } = base;
  return { kind: 'loss', pair: ev.ctx.addPair({ ...rest, call, unverified }) };
}

/**
 * `loss` (a library loss) is asserted equal to `other` by the assertion call `assertion`: when
 * `other` is the unknown result of a project call on the loss's own logits and targets, that call
 * becomes a pair of its own (and is remembered for later calls of the same callable).
 */
export function assertedEqual(ev: Evaluation, assertion: CallNode, loss: ValueOf<'loss'>, other: Value): void {
  const from = opaqueCallOf(other);
  if (!from || loss.rounded !== undefined || !plainAssertion(ev, assertion)) return;
  const base = ev.ctx.inputOf(loss.pair.id);
  if (!base?.call || base.unverified !== undefined) return;
  if (base.library?.error || !sameOperands(from, base)) return;
  const withCall = { ...base, call: base.call };
  const line = ev.ctx.lines.lineAt(assertion.start);
  pairAt(ev, from, withCall, line);
  // A later call of the same callable: only when the callable is a value of its own (a builder's
  // result), whose identity says the name was not bound again.
  if (!opaqueCallOf(from.callee)) return;
  const list = assertedCalls.get(ev.ctx) ?? [];
  if (list.length < maxRemembered) list.push({ from, base: withCall, line });
  assertedCalls.set(ev.ctx, list);
}

/**
 * `result` of a later call of a callable asserted equal to a library loss, on the same arrays: that
 * pair here; else `result` itself.
 */
export function calledAgain(ev: Evaluation, result: Value): Value {
  const list = assertedCalls.get(ev.ctx);
  const from = opaqueCallOf(result);
  if (!list || !from || from.callee === null) return result;
  for (const a of list) {
    if (a.from.start === from.start) continue;
    if (a.from.callee !== from.callee || a.from.calleeText !== from.calleeText || !sameOperands(from, a.base)) continue;
    return pairAt(ev, from, a.base, a.line);
  }
  return result;
}
