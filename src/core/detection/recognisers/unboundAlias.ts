/**
 * An unbound `nn` or `F` is taken to be torch's (names.ts), but a snippet of another library's
 * documentation leaves its own import out just as often: MindSpore's docstrings call
 * `nn.SoftmaxCrossEntropyWithLogits(sparse=True)` with `mindspore.float32` two lines below and no
 * `import mindspore.nn as nn` (docs/detection.md 3.111). When torch has no loss of that name and
 * the document names exactly one library that has it under the same module path, the call is that
 * library's. A name torch has stays torch's, whatever else the document mentions.
 */
import type { LossRecogniser } from '../catalogue';
import { recogniserForPath } from '../catalogue';
import type { Evaluation } from '../evaluation';

/** Libraries whose module layout copies torch's (`nn.`, `nn.functional.`), with how a page names them. */
const copies: { mention: RegExp; prefix: string }[] = [
  { mention: /\bmindspore\b/, prefix: 'mindspore.' },
  { mention: /\boneflow\b/, prefix: 'oneflow.' },
  { mention: /\bpaddle\b/, prefix: 'paddle.' },
  { mention: /\bmegengine\b/, prefix: 'megengine.' },
];

/** The entry an unbound alias's call belongs to when torch has none of that path; undefined otherwise. */
export function unboundAliasEntry(
  ev: Evaluation,
  path: string,
  assumed: string | undefined,
): LossRecogniser | undefined {
  if (assumed === undefined || !path.startsWith('torch.')) return undefined;
  const rest = path.slice('torch.'.length);
  const doc = ev.ctx.document || ev.ctx.text;
  const found = copies
    .filter((c) => c.mention.test(doc))
    .map((c) => recogniserForPath(c.prefix + rest))
    .filter((e): e is LossRecogniser => e !== undefined);
  return found.length === 1 ? found[0] : undefined;
}
