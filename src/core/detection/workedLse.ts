/**
 * A softmax cross-entropy worked by hand from its scores, the way answers explain PyTorch's formula
 * `loss(x, class) = -x[class] + log(Σ_j exp(x[j]))` with the question's numbers filled in:
 * `-1 + log(exp(0) + exp(1) + exp(0)) = 0.5514`, `log(e^2 + e^1 + e^0.1) - 2 ≈ 0.417`, or a TeX
 * `align` (`&= -1 + \log\left( \exp(0) + \exp(1) + \exp(0) \right) \\ &= 0.5514`, docs/detection.md
 * 3.322), on one line or its value on the next. The subtracted score must be one of the scores in the
 * sum: that is the target's logit, so the expression is torch's CrossEntropyLoss of those scores with
 * that class. Anything else (a log-sum-exp alone, a score not in the sum, an entropy, perplexity or
 * bits) is no pair.
 *
 * Read only in page text (Markdown, a page's prose, a notebook's Markdown cells), like workedLogs.ts;
 * a code comment is the code's. Each line is scanned once by a bounded regular expression.
 */
import { claimInOutput } from './claims';
import type { DetectionContext } from './context';
import { readSemantics, plainProse } from './problemProse';
import { plainTexSigns } from './texSigns';
import { siteArray, withArray } from './values';
import { otherLossWords } from './workedWords';

/** Lines longer than this are not read (a minified page). */
const maxLine = 4000;
/** Scores in one sum at most. */
const maxScores = 64;

const num = String.raw`[-+]?\d+(?:\.\d+)?`;
/** `exp(1.5)`, `exp 1.5`, `e^1.5`, `e^{1.5}`, `e^(1.5)`. */
const expOf = String.raw`(?:exp\s*\(\s*${num}\s*\)|exp\s+${num}|e\s*\^\s*(?:\{\s*${num}\s*\}|\(\s*${num}\s*\)|${num}))`;
const sumOfExps = String.raw`\(\s*${expOf}(?:\s*\+\s*${expOf}){1,${maxScores - 1}}\s*\)`;
const logOf = String.raw`(?<![\w.])(?:log|ln)\s*${sumOfExps}`;
/** `-a + log(Σ exp)` or `log(Σ exp) - a`, anchored nowhere (found with the global flag). */
const worked = new RegExp(String.raw`-\s*(${num})\s*\+\s*(${logOf})|(${logOf})\s*-\s*(${num})(?![\d.])`, 'g');
/** One score inside the sum. */
const scoreRe = new RegExp(
  String.raw`(?:exp\s*\(\s*(${num})\s*\)|exp\s+(${num})|e\s*\^\s*(?:\{\s*(${num})\s*\}|\(\s*(${num})\s*\)|(${num})))`,
  'g',
);
/** The words of another quantity before the expression on its line. */
const otherQuantity = /\b(?:perplexity|bits?|divergence|KL|entropy\s+of)\b/i;
/** A step of the chain after the expression: numbers and arithmetic only. */
const stepRe = /^[\s\d.+\-*/()×·]+$/;

interface WorkedLse {
  start: number;
  end: number;
  scores: number[];
  target: number;
  value: number;
  /** The claimed number: its text and offset in the page text, or null. */
  claim: { text: string; at: number } | null;
}

/** log Σ exp, stably. */
function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

/** The number the chain after offset `from` of `line` ends in (`= 0.5514`, `≈ 0.417 = …`), or null. */
function chainEnd(line: string, from: number): { text: string; offset: number } | 'none' | null {
  const rest = line.slice(from);
  if (!/^\s*[=≈]/.test(rest)) return rest.trim() === '' ? 'none' : null;
  // Steps between `=` / `≈`, the last one a number (a sentence may go on after it).
  const parts = rest.split(/([=≈])/);
  let offset = from;
  let last: { text: string; offset: number } | null = null;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i % 2 === 1 || i === 0) {
      offset += part.length;
      continue;
    }
    const m = /^(\s*)(-?\d+(?:\.\d+)?)(?![\d])/.exec(part);
    const isLast = i === parts.length - 1 || !stepRe.test(part);
    if (isLast) {
      if (!m) return null;
      last = { text: m[2], offset: offset + m[1].length };
      break;
    }
    if (!stepRe.test(part)) return null;
    if (m) last = { text: m[2], offset: offset + m[1].length };
    offset += part.length;
  }
  return last;
}

/** The worked log-sum-exp losses of one plain line (TeX signs already read as plain ones). */
export function workedLseInLine(line: string): Omit<WorkedLse, 'claim'>[] {
  if (line.length > maxLine || !/(?:log|ln)/.test(line) || !/(?:exp|e\s*\^)/.test(line)) return [];
  const out: Omit<WorkedLse, 'claim'>[] = [];
  for (const m of line.matchAll(worked)) {
    const start = m.index ?? 0;
    if (otherQuantity.test(line.slice(0, start))) continue;
    const subtracted = Number(m[1] ?? m[4]);
    const logText = (m[2] ?? m[3]) as string;
    const scores = [...logText.matchAll(scoreRe)].map((s) => Number(s[1] ?? s[2] ?? s[3] ?? s[4] ?? s[5]));
    const target = scores.findIndex((s) => s === subtracted);
    if (target < 0 || scores.some((s) => !Number.isFinite(s))) continue;
    out.push({
      start,
      end: start + m[0].length,
      scores,
      target,
      value: logSumExp(scores) - subtracted,
    });
  }
  return out;
}

/** The page names a loss somewhere (a log-sum-exp on a page about something else is no loss). */
function pageNamesLoss(text: string): boolean {
  return readSemantics(text).namesLoss || otherLossWords.test(plainProse(text));
}

/** Reads the worked softmax cross-entropies of page text `text` as pairs, each with its claim. */
export function readWorkedLse(ctx: DetectionContext, text: string, cell?: number): void {
  if (!/(?:log|ln)/.test(text) || !/(?:exp|e\s*\^)/.test(text) || !pageNamesLoss(text)) return;
  ctx.begin(text, cell);
  const taken = ctx.pairs.filter((p) => p.cell === cell).map((p) => p.callSpan);
  let at = 0;
  while (at <= text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const raw = text.slice(at, end);
    // A comment in code (`# = -1 + log(exp(0) + exp(1))`) is the code's, not page text.
    if (!/^[ \t]*(?:#|\/\/|>>>|\.\.\.)/.test(raw)) {
      const line = plainTexSigns(raw);
      for (const w of workedLseInLine(line)) {
        if (taken.some(([s, e]) => s < at + w.end && e > at + w.start)) continue;
        let claim: WorkedLse['claim'] = null;
        const c = chainEnd(line, w.end);
        if (c && c !== 'none') claim = { text: c.text, at: at + c.offset };
        else if (c === 'none') claim = claimOnNextLine(text, end + 1);
        addLse(ctx, { ...w, start: at + w.start, end: at + w.end, claim });
      }
    }
    at = end + 1;
  }
}

/** The value an `align`'s next step gives (`&= 0.5514.` on the next line with text), or null. */
function claimOnNextLine(text: string, from: number): WorkedLse['claim'] {
  let at = from;
  for (let k = 0; k < 2 && at < text.length; k++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    // An `align`'s step: its `&` is read as a space whether or not the line holds a TeX command.
    const line = plainTexSigns(text.slice(at, end)).replace(/^(\s*)&/, '$1 ');
    if (line.trim() !== '') {
      const m = /^\s*[=≈]\s*(-?\d+(?:\.\d+)?)(?![\d])\s*[.,]?\s*$/.exec(line);
      if (!m) return null;
      return { text: m[1], at: at + line.indexOf(m[1], line.search(/[=≈]/)) };
    }
    at = end + 1;
  }
  return null;
}

/** The pair of one worked log-sum-exp: CrossEntropyLoss of the scores written, with the target's class. */
function addLse(ctx: DetectionContext, w: WorkedLse): void {
  const data = Float64Array.from(w.scores);
  const src = siteArray(ctx.syntheticSite(w.start, w.end, data, [1, data.length], false, 'number'));
  const ref = ctx.addPair({
    recogniser: 'formula.ce_worked_lse',
    kind: 'formula',
    input: withArray(src, { data, shape: [1, data.length], dtype: 'float64', integerTensor: false, transform: null }),
    target: withArray(src, { data: Float64Array.of(w.target), shape: [1], integerTensor: true, dtype: null }),
    reads: 'logits',
    options: { reduction: 'mean' },
    call: ctx.lossCallAt('formula', w.start, w.end, null),
    formula: { lib: 'python', scaledBy: null },
    formulaValue: w.value,
  });
  if (!w.claim) return;
  const claim = claimInOutput(w.claim.text, w.claim.at);
  if (claim)
    ctx.bindClaim(
      { value: { kind: 'loss', pair: ref }, exprText: 'the worked example', direct: true },
      claim,
      'output',
      null,
    );
}
