/**
 * What the stages after statement reading see of value evaluation: a way to evaluate a node and
 * to read a call's arguments. The evaluator implements it; array operations, recognisers and
 * formulas receive it, so none of them imports the evaluator (no import cycles).
 */
import type { DetectionContext } from './context';
import type { Node, NodeOf } from './expr';
import { opaqueResult, type OpaqueCallOf } from './opaqueCalls';
import { isLossy, unknown, type Value } from './values';

export interface Evaluation {
  readonly ctx: DetectionContext;
  /** Python rules (else JavaScript/TypeScript). */
  readonly python: boolean;
  /** At a segment's top level (not inside a definition or a followed call). */
  readonly topLevel: boolean;
  evaluate(node: Node): Value;
}

export type CallNode = NodeOf<'call'>;

/** Where an argument is: a position (−1: none) and/or a keyword. */
export interface ArgumentSlot {
  position: number;
  keyword?: string;
}

/** The node of an argument given by keyword, else by position. */
export function argumentNode(call: CallNode, slot: ArgumentSlot): Node | undefined {
  if (slot.keyword) {
    const k = call.keywords.find((x) => x.name === slot.keyword);
    if (k) return k.value;
  }
  return slot.position >= 0 ? call.args[slot.position] : undefined;
}

/** The value of an argument (unknown when absent). */
export function argumentValue(ev: Evaluation, call: CallNode, slot: ArgumentSlot): Value {
  const node = argumentNode(call, slot);
  return node ? ev.evaluate(node) : unknown;
}

/**
 * A call detection does not model: its arguments are still evaluated (they may hold loss calls).
 * `lossy`: its name says it computes a loss (`sparse_softmax_cross_entropy_with_logits(…)`); the
 * arrays it takes are then not paired again by their names, since the code's own loss is not
 * what a guess from names would compute.
 */
export function opaqueCall(ev: Evaluation, call: CallNode, lossy: boolean, callee: Value | null = null): Value {
  let anyLossy = lossy;
  const note = (v: Value): void => {
    if (isLossy(v)) anyLossy = true;
    if (lossy && v.kind === 'array') ev.ctx.usedSites.add(v.array.site.id);
    if (lossy && v.kind === 'opaqueArray') ev.ctx.usedSites.add(v.from.site.id);
  };
  const args = call.args.map((a) => ev.evaluate(a));
  args.forEach(note);
  for (const k of call.keywords) note(ev.evaluate(k.value));
  const from: OpaqueCallOf = {
    start: call.start,
    end: call.end,
    calleeText: ev.ctx.text.slice(call.callee.start, Math.min(call.callee.end, call.callee.start + 80)),
    callee,
    args,
    keywords: call.keywords.length,
  };
  return opaqueResult(anyLossy, from);
}

/** The source text of a node. */
export function sourceOf(ev: Evaluation, node: Node): string {
  return ev.ctx.text.slice(node.start, node.end);
}
