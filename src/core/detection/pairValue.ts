/**
 * A loss call's pair recorded as the call's value, shared by torch's recogniser (recognise.ts) and
 * the library entries that build their pair from operands and options the same way (PaddlePaddle's,
 * whose pairs also record their library: see PairInput.callLibrary).
 */
import { sourceOf, type CallNode, type Evaluation } from './evaluation';
import type { Node } from './expr';
import type { PairInput } from './pairInput';
import type { LossCallKind } from './types';
import type { ArrayValue, OptionValues, Value } from './values';
import type { LibraryName } from '../libraries/types';

/** What of a recogniser's entry the pair records. */
export interface PairEntry {
  id: string;
  callKind: LossCallKind;
  /** `library` and `note` as the catalogue's TorchMapping has them (torch, a user's function, PaddlePaddle, …). */
  mapping: { reads: 'logits' | 'log_probs'; library: string; note?: string };
}

/** The libraries whose calls are not torch's although torch's kernel computes them (the pair names the call's own library). */
const notTorch = (library: string): library is LibraryName =>
  library !== 'torch' && library !== 'user code' && library !== 'numpy' && library !== 'hand-written';

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
  // Another library's copy of torch's loss (PaddlePaddle's cross_entropy): torch's kernel gives the
  // number, and the pair keeps whose call it is, so that no surface shows it as torch's own.
  if (notTorch(entry.mapping.library))
    pair.callLibrary = { name: entry.mapping.library, mapping: entry.mapping.note ?? '' };
  if (unverified !== undefined) pair.unverified = unverified;
  if (options.assumed) pair.assumedTorch = { ...options.assumed };
  return { kind: 'loss', pair: ctx.addPair(pair) };
}
