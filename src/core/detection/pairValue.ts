/**
 * A loss call's pair recorded as the call's value, shared by torch's recogniser (recognise.ts) and
 * the library entries that build their pair from operands and options the same way.
 */
import { sourceOf, type CallNode, type Evaluation } from './evaluation';
import type { Node } from './expr';
import type { PairInput } from './pairInput';
import type { LossCallKind } from './types';
import type { ArrayValue, OptionValues, Value } from './values';

/** What of a recogniser's entry the pair records. */
export interface PairEntry {
  id: string;
  callKind: LossCallKind;
  mapping: { reads: 'logits' | 'log_probs' };
}

/** Records a loss call's pair as the call's value: its call site, operands, options and, when set, why it has no number. */
export function pairValue(
  ev: Evaluation,
  entry: PairEntry,
  call: CallNode,
  options: OptionValues,
  input: ArrayValue,
  target: ArrayValue,
  inputNode: Node | undefined,
  unverified: string | undefined,
): Value {
  const ctx = ev.ctx;
  const lossCall = ctx.lossCallAt(entry.callKind, call.start, call.end, sourceOf(ev, call.callee));
  const pair: PairInput = {
    recogniser: entry.id,
    kind: entry.callKind,
    input,
    target,
    reads: entry.mapping.reads,
    options,
    call: lossCall,
    inputSpan: inputNode ? [inputNode.start, inputNode.end] : undefined,
  };
  if (unverified !== undefined) pair.unverified = unverified;
  return { kind: 'loss', pair: ctx.addPair(pair) };
}
