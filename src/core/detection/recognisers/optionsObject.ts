/**
 * A JavaScript call whose options come last in one object literal (`cross_entropy(logits, targets,
 * { weights, labelSmoothing: 0.3, reduction: 'none' })`, an MLX port's tests, docs/detection.md 3.409):
 * the object's entries are read as the keywords of the Python function the call copies, each name in
 * the Python spelling (`labelSmoothing` is `label_smoothing`). Only an object of named entries is read
 * this way, and only in JavaScript (a Python dict in that place is a value); a name the function has
 * no parameter for gives the reason the call is left without a number (rather than read without it).
 */
import type { CallNode, Evaluation } from '../evaluation';

/** `labelSmoothing` → `label_smoothing`. */
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/**
 * The call with a trailing object literal's entries as keywords (the call itself when there is none),
 * and why it is not read when an entry's name is not among `known` (Python spellings).
 */
export function optionsObject(
  ev: Evaluation,
  call: CallNode,
  known: readonly string[],
): { call: CallNode; unverified: string | null } {
  const last = call.args[call.args.length - 1];
  if (ev.python || call.args.length < 2 || last?.type !== 'dict' || call.jsSpreads?.length)
    return { call, unverified: null };
  // A computed name (`[k]: v`) or a spread (`...defaults`, which the parser does not keep).
  if (last.entries.some((e) => e.key === null) || ev.ctx.text.slice(last.start, last.end).includes('...'))
    return { call, unverified: 'an option of this call is not known here' };
  const keywords = last.entries.map((e) => ({ name: snake(e.key ?? ''), value: e.value }));
  const rewritten: CallNode = { ...call, args: call.args.slice(0, -1), keywords: [...call.keywords, ...keywords] };
  const odd = keywords.find((k) => !known.includes(k.name));
  const callee = ev.ctx.text.slice(call.callee.start, call.callee.end);
  return { call: rewritten, unverified: odd ? `the \`${odd.name}\` option of ${callee} is not modelled here` : null };
}
