/**
 * Per-row losses worked out in a comment block beside one loss (docs/detection.md 3.290): Keras'
 * docstrings write the rows of a metric's cross-entropy as a chain of comment lines,
 *
 *     >>> # xent = -sum(y * log(y'), axis = -1)
 *     >>> #      = -((log 0.95), (log 0.1))
 *     >>> #      = [0.051, 2.302]
 *
 * or on one line (`# xent = [0.0513, 2.3026]`). Each number of the vector is a claim about one
 * row's loss before the reduction, judged at its printed digits. Bound only without doubt: the
 * chain's label names a loss (a `softmax = […]` or `logits = […]` line is not one), the comment
 * block is within a few lines of exactly one loss call, that call weighs no rows, and the vector
 * has as many numbers as the loss has rows. One pass over the lines: linear in the text.
 */
import type { DetectionContext } from './context';
import { LineCounter } from './lines';
import { vectorClaims } from './vectorClaims';

/** A chain's label that names a per-row loss (`xent`, `loss`, `losses`, `ce`, `bce`, `nll`, …). */
const lossLabel =
  /^(?:(?:per_?(?:example|sample|row)_?)?(?:x?ent|loss(?:es)?|ce|bce|cce|nll|cross_?entropy|crossentropy)(?:_?(?:loss(?:es)?|per_?(?:example|sample|row)|vec(?:tor)?|rows?))?)$/i;

/** The comment of a line: optional prompt (`>>>`, `...`), then `#`. */
const commentLine = /^[ \t]*(?:(?:>>>|\.\.\.)[ \t]?)?#(.*)$/;

/** `label = rest` or `= rest` (a chain continued), the sign's end in the comment. */
const chainStep = /^[ \t]*([A-Za-z_][A-Za-z0-9_]{0,31})?[ \t]*=(?!=)/;

/** Lines at most between the comment block and the loss call. */
const window = 8;

/** Longest line read (a longer one is data, not a worked comment). */
const maxLine = 400;

interface Vector {
  line: number;
  offset: number;
  text: string;
}

interface Block {
  first: number;
  last: number;
  vectors: Vector[];
}

/** The comment blocks of `text` holding a vector under a loss's label. */
function commentBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let block: Block | null = null;
  let chain = false; // the lines above in this block continue a loss's chain
  let line = 0;
  for (let start = 0; start <= text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const raw = text.slice(start, Math.min(end, start + maxLine + 1));
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = end - start <= maxLine ? commentLine.exec(s) : null;
    if (!m) {
      if (block && block.vectors.length) blocks.push(block);
      block = null;
      chain = false;
    } else {
      if (!block) block = { first: line + 1, last: line + 1, vectors: [] };
      block.last = line + 1;
      const body = m[1];
      const bodyAt = s.length - body.length;
      const step = chainStep.exec(body);
      if (!step) chain = false;
      else {
        const label = step[1];
        if (label !== undefined) chain = lossLabel.test(label);
        const rest = body.slice(step[0].length);
        // The whole rest is one flat list of numbers (a nested or mixed list is no row vector).
        if (chain && /^[ \t]*\[[^[\]]*\][ \t]*$/.test(rest))
          block.vectors.push({ line: line + 1, offset: start + bodyAt + step[0].length, text: rest });
      }
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  if (block && block.vectors.length) blocks.push(block);
  return blocks;
}

/** Binds every vector of per-row losses in the comments of `text` to the one loss beside it. */
export function readVectorComments(ctx: DetectionContext, text: string): void {
  if (ctx.pairs.length === 0 || !/=[ \t]*\[/.test(text)) return;
  const blocks = commentBlocks(text);
  if (blocks.length === 0) return;
  const counter = new LineCounter(text);
  const pairs = ctx.pairs
    .filter((p) => p.cell === undefined)
    .map((p) => ({ pair: p, line: counter.lineAt(p.callSpan[0]), end: counter.lineAt(p.callSpan[1]) }));
  const claimed = new Set(ctx.claims.filter((c) => c.cell === undefined).map((c) => c.line));
  for (const b of blocks) {
    const near = pairs.filter((p) => p.end >= b.first - window && p.line <= b.last + window);
    if (near.length !== 1) continue;
    const { pair } = near[0];
    const call = text.slice(pair.callSpan[0], pair.callSpan[1]);
    // A weighted loss's rows are not what the comment works out; a row count must be known.
    if (/weight/.test(call) || pair.inputShape.length !== 2) continue;
    const rows = pair.inputShape[0];
    const ref = ctx.pairRefs[pair.id];
    if (!ref) continue;
    for (const v of b.vectors) {
      if (claimed.has(v.line)) continue;
      const claims = vectorClaims(v.text, v.offset);
      if (!claims || claims.length !== rows) continue;
      claimed.add(v.line);
      claims.forEach((claim, element) => {
        const binding = ctx.bindClaim(
          { value: { kind: 'loss', pair: ref }, exprText: ref.resultName ?? 'the loss', direct: true },
          claim,
          'comment',
          null,
          { line: v.line, cell: undefined },
        );
        binding.subject = { kind: 'pair', pairId: pair.id, element, rows };
      });
    }
  }
}
