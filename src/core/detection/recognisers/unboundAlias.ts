/**
 * An unbound `nn` or `F` is taken to be torch's (names.ts), but a snippet of another library's
 * documentation leaves its own import out just as often: MindSpore's docstrings call
 * `nn.SoftmaxCrossEntropyWithLogits(sparse=True)` with `mindspore.float32` two lines below and no
 * `import mindspore.nn as nn` (docs/detection.md 3.111). When torch has no loss of that name and
 * the document names exactly one library that has it under the same module path (Chainer's and
 * DeZero's `F` is their `functions`), the call is that library's. A name torch has stays torch's,
 * whatever else the document mentions.
 */

/**
 * Libraries whose examples use torch's aliases: `nn.` / `F.` of a module layout copied from torch's
 * (MindSpore, OneFlow, Paddle, MegEngine), and Chainer's and DeZero's `F`, their `functions` module.
 */
const copies: { mention: RegExp; from: string; to: string }[] = [
  { mention: /\bmindspore\b/, from: 'torch.', to: 'mindspore.' },
  { mention: /\boneflow\b/, from: 'torch.', to: 'oneflow.' },
  { mention: /\bpaddle\b/, from: 'torch.', to: 'paddle.' },
  { mention: /\bmegengine\b/, from: 'torch.', to: 'megengine.' },
  { mention: /\bchainer\b/, from: 'torch.nn.functional.', to: 'chainer.functions.' },
  { mention: /\bdezero\b/i, from: 'torch.nn.functional.', to: 'dezero.functions.' },
];

/**
 * The catalogue paths an unbound alias's call may stand for in `doc` (catalogue.ts keeps the one
 * that is an entry, when exactly one is); none for a path that is not torch's.
 */
export function unboundAliasPaths(path: string, doc: string): string[] {
  if (!copies.some((c) => path.startsWith(c.from))) return [];
  const named = mentioned(doc);
  return copies.filter((c, i) => path.startsWith(c.from) && named[i]).map((c) => c.to + path.slice(c.from.length));
}

/** Which of {@link copies} `doc` mentions, for the last document asked about: one scan per document, not per call. */
let lastMentions: { doc: string; named: boolean[] } = { doc: '', named: copies.map(() => false) };
function mentioned(doc: string): boolean[] {
  if (lastMentions.doc !== doc) lastMentions = { doc, named: copies.map((c) => c.mention.test(doc)) };
  return lastMentions.named;
}
