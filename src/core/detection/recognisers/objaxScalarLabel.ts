/**
 * Objax's `cross_entropy_logits_sparse(logits, labels)` given one Python integer for the labels: Objax
 * takes `logits[..., labels]` then, the same class for every example, which is torch's cross-entropy
 * with that index repeated over the logits' leading shape (reduction 'none'). A 0-d or 1-element array
 * is not this branch (Objax's `isinstance(labels, int)`); nor is a float, a negative or a name not known.
 */
import { numberArray } from '../arrays';
import type { Evaluation } from '../evaluation';
import type { Node } from '../expr';
import { expanded } from '../tensorIndex';
import { operandOf } from './common';
import { readOperands, type Operands } from './requests';

export function objaxSparseOperands(
  ev: Evaluation,
  logitsNode: Node | undefined,
  labelsNode: Node | undefined,
): Operands {
  const ops = readOperands(ev, logitsNode, labelsNode);
  if (ops.ok || !labelsNode || !logitsNode || ops.missing !== labelsNode) return ops;
  const label = ev.evaluate(labelsNode);
  if (label.kind !== 'number' || !label.integer || label.value < 0) return ops;
  const input = operandOf(ev.evaluate(logitsNode));
  if (!input || input.array.shape.length < 1) return ops;
  const zeroDim = numberArray(ev, labelsNode, label.value, true);
  if (zeroDim.kind !== 'array') return ops;
  const target = expanded(zeroDim.array, input.array.shape.slice(0, -1));
  if (!target) return ops;
  const through = input.why !== null ? logitsNode : undefined;
  return { ok: true, input, target: { array: target, why: null }, weights: null, why: input.why, through };
}
