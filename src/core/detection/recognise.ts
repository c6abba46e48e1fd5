/**
 * Applying a catalogue entry to a call: reading its options, its input and target, and making
 * the pair. A pair exists only along data flow: its input and target must be arrays written in
 * the source (possibly converted); one that went through an operation detection does not model
 * gives an unverified pair (no number, and the reason), anything else gives no pair.
 */
import type { LossRecogniser, OptionSlots } from './catalogue';
import { argumentNode, sourceOf, type ArgumentSlot, type CallNode, type Evaluation } from './evaluation';
import type { Node } from './expr';
import { pairValue } from './pairValue';
import { notAPair } from './recognisers/common';
import { unknown, withArray, type ArrayValue, type CriterionValue, type OptionValues, type Value } from './values';

/** The options a call states (undefined where it relies on the default). */
export function readOptions(ev: Evaluation, call: CallNode, slots: OptionSlots): OptionValues {
  const options: OptionValues = {};
  const read = (slot: ArgumentSlot | undefined, name: string): Value | null => {
    const node = slot ? argumentNode(call, slot) : undefined;
    if (!given(node)) return null;
    const v = ev.evaluate(node as Node);
    // A name bound to None (`w = None if weight is None else …`) is the default, as `None` written is.
    if (v.kind === 'unknown' && v.none) return null;
    // Recorded once read, below, when the value is not one the option takes.
    pending = { name, node: node as Node };
    return v;
  };
  let pending: { name: string; node: Node } | null = null;
  const notKnown = (): void => {
    if (pending && options.unknown === undefined)
      options.unknown = `the value of \`${pending.name}=${sourceOf(ev, pending.node)}\` is not known here`;
  };
  const weight = read(slots.weight, 'weight');
  if (weight?.kind === 'array') {
    options.weight = weight.array;
    ev.ctx.usedSites.add(weight.array.site.id);
  } else if (weight) notKnown();
  const ignore = read(slots.ignoreIndex, 'ignore_index');
  if (ignore?.kind === 'number') options.ignoreIndex = ignore.value;
  else if (ignore) notKnown();
  const reduction = read(slots.reduction, 'reduction');
  if (reduction?.kind === 'string') options.reduction = reduction.value;
  else if (reduction?.kind === 'namespace' && slots.reductionNames?.[reduction.path])
    options.reduction = slots.reductionNames[reduction.path];
  else if (reduction) notKnown();
  if (slots.legacy) {
    // Either deprecated flag, when given, decides the reduction (torch.nn._reduction.legacy_get_string):
    // reduce=False is 'none', else size_average=False is 'sum', else 'mean'.
    const flag = (v: Value | null): boolean | undefined => {
      if (v !== null && v.kind !== 'number') notKnown();
      return v?.kind === 'number' ? v.value !== 0 : undefined;
    };
    const sizeAverage = flag(read(slots.legacy.sizeAverage, 'size_average'));
    const reduce = flag(read(slots.legacy.reduce, 'reduce'));
    if (sizeAverage !== undefined || reduce !== undefined)
      options.reduction = reduce === false ? 'none' : sizeAverage === false ? 'sum' : 'mean';
  }
  const smoothing = read(slots.labelSmoothing, 'label_smoothing');
  if (smoothing?.kind === 'number') options.labelSmoothing = smoothing.value;
  else if (smoothing) notKnown();
  return options;
}

/** `nn.CrossEntropyLoss(weight=w, reduction='sum')`: the module, with the options it was built with. */
export function lossModule(ev: Evaluation, entry: LossRecogniser, call: CallNode): CriterionValue | Value {
  // A keyword the constructor does not take raises TypeError: at the top level nothing after it runs.
  const foreign = entry.keywords && call.keywords.find((k) => !entry.keywords!.includes(k.name));
  if (foreign) {
    const why = `\`${entry.paths[0]}\` takes no keyword \`${foreign.name}\` (TypeError)`;
    if (ev.topLevel) ev.ctx.raised ??= `${why} on line ${ev.ctx.lines.lineAt(call.start)}`;
    return { kind: 'unknown', lossy: true, why };
  }
  if (entry.hooks?.moduleOptions)
    return { kind: 'criterion', recogniser: entry.id, options: entry.hooks.moduleOptions(ev, call) };
  return { kind: 'criterion', recogniser: entry.id, options: readOptions(ev, call, entry.options) };
}

/** An argument the code gives (not left out, nor passed as `undefined` / `null` / `None`). */
function given(node: Node | undefined): boolean {
  return (
    node !== undefined &&
    !(node.type === 'name' && (node.id === 'undefined' || node.id === 'null' || node.id === 'None'))
  );
}

/**
 * The array behind a value: a modelled array, or an opaque one (with why it is not computed).
 * Null when the value does not come from a literal.
 */
function behind(v: Value): { array: ArrayValue; why: string | null } | null {
  if (v.kind === 'array') return { array: v.array, why: null };
  if (v.kind === 'opaqueArray') return { array: v.from, why: v.why };
  return null;
}

/**
 * How a call was matched to its entry: `known` (the callee is the library's, or a function
 * defined in the source) or `guessed` from the callee's name only; a guess whose arguments are
 * not arrays says nothing.
 */
export type Match = 'known' | 'guessed';

/**
 * A loss computed by `entry` at `call`, with `options` (the module's, or read from the call).
 * Returns the loss value, or unknown (lossy, with the reason) when it is not a pair.
 */
export function recogniseLoss(
  ev: Evaluation,
  entry: LossRecogniser,
  call: CallNode,
  options: OptionValues,
  match: Match,
  unverified?: string,
): Value {
  if (entry.hooks) return entry.hooks.apply(ev, call, options, match);
  // An option given with a value not known here: no number (the default would give another one).
  unverified ??= options.unknown;
  const inputNode = argumentNode(call, entry.input);
  const targetNode = argumentNode(call, entry.target);
  const inputValue = inputNode ? ev.evaluate(inputNode) : unknown;
  let targetValue = targetNode ? ev.evaluate(targetNode) : unknown;
  // tf.oneHot(labels, C) as the target: the class indices it encodes.
  if (targetValue.kind === 'array' && targetValue.array.oneHot !== undefined)
    targetValue = {
      kind: 'array',
      array: withArray(targetValue.array, { oneHot: undefined, integerTensor: true, dtype: null }),
    };
  const input = behind(inputValue);
  const target = behind(targetValue);
  if (!input || !target) {
    return notAPair(ev, match, !input ? inputNode : targetNode);
  }
  const unmodelled = entry.unmodelled?.find((slot) => given(argumentNode(call, slot)));
  if (unmodelled) {
    const reason = `the \`${unmodelled.name}\` argument of ${entry.id} is not modelled`;
    return pairValue(ev, entry, call, options, input.array, target.array, inputNode, reason);
  }
  const why = input.why ?? target.why;
  if (why !== null) {
    const through = input.why !== null ? inputNode : targetNode;
    const reason = `\`${through ? sourceOf(ev, through) : 'an argument'}\` is not computed here (${why})`;
    return pairValue(ev, entry, call, options, input.array, target.array, inputNode, reason);
  }
  let x = input.array;
  let t = target.array;
  if (entry.batchOfOne && x.shape.length === 1 && t.data?.length === 1) {
    x = withArray(x, { shape: [1, x.shape[0]], name: x.name });
    t = withArray(t, { shape: [1], name: t.name });
  } else if (x.site.error || t.site.error) {
    return {
      kind: 'unknown',
      lossy: true,
      why: `the ${x.site.error ? 'input' : 'target'} literal cannot be read (${x.site.error ?? t.site.error})`,
    };
  }
  // torch computes the loss of a half-precision input in half precision (torch 1.13 has no float16
  // log_softmax on the CPU at all): the float32 number is not the one a run prints.
  const half = unverified === undefined && x.halfPrecision;
  if (half)
    unverified = `\`${inputNode ? sourceOf(ev, inputNode) : 'the input'}\` is ${half}: torch computes this loss in ${half} (torch 1.13 has no ${half} log_softmax on the CPU), and the float32 number would not be the one printed`;
  return pairValue(ev, entry, call, options, x, t, inputNode, unverified);
}
