/**
 * Reads a loss call out of a source line: which function or criterion is called, and which of its
 * arguments are plain enough to be read in a paused program without running the program's code
 * (see plainExpr.ts). A small reader of one statement, independent of src/core/detection, so the
 * live bridge has no dependency on the detection pipeline's internals.
 */
import {
  jsKeywords,
  matching,
  pythonKeywords,
  splitArgs,
  statementsAround,
  tokenAt,
  type LiveLanguage,
  type Token,
} from './liveTokens';
import { argExpr, parsePlain, stringValue, type ArgExpr, type PlainExpr } from './plainExpr';

export type { LiveLanguage } from './liveTokens';
export {
  jsSource,
  parsePlainExpression,
  tensorMethods,
  type ArgExpr,
  type LiteralValue,
  type PathStep,
  type PlainExpr,
  type TensorOp,
} from './plainExpr';

/** How the call maps its arguments. */
export type CallFlavor =
  /** `F.cross_entropy(input, target, weight, …)`, `criterion(input, target)`, `crossEntropy(logits, targets, {…})`. */
  | 'inputFirst'
  /** tfjs `tf.losses.softmaxCrossEntropy(onehotLabels, logits, weights, labelSmoothing)`: labels first. */
  | 'tfjsSoftmax';

export interface LossCall {
  language: LiveLanguage;
  /** The callee when it is plain (a function or a criterion object). */
  callee: PlainExpr | null;
  /** `nn.CrossEntropyLoss(weight=w)(a, b)`: the class and its keyword arguments. */
  construct: { expr: PlainExpr; keywords: Record<string, ArgExpr> } | null;
  flavor: CallFlavor;
  input: ArgExpr;
  target: ArgExpr;
  /** Option arguments by torch's names (weight, ignore_index, reduction, label_smoothing, …). */
  keywords: Record<string, ArgExpr>;
  /** `loss = …`: the variable the program stores its own loss in, when it is plain. */
  assignedTo: PlainExpr | null;
  /** 0-based first and last line of the statement. */
  line: number;
  endLine: number;
  /** Offsets of the call in the text (start of the callee to the closing parenthesis). */
  start: number;
  end: number;
  /** The callee as written, e.g. `F.cross_entropy` or `criterion`. */
  calleeText: string;
}
/**
 * The loss call of the statement that covers `line` (0-based), or null. When the statement holds
 * several candidate calls, the first outermost one wins.
 */
export function findLossCall(text: string, line: number, language: LiveLanguage): LossCall | null {
  for (const st of statementsAround(text, line, language, 0)) {
    if (st.first.line <= line && st.last.line >= line) {
      const call = lossCallIn(st.tokens, text, language);
      if (call) return call;
    }
  }
  return null;
}

/**
 * The loss call nearest to `line` within the same block (function body): on it, else the closest
 * one up to `window` lines above, else below. The command uses this when the program is paused a
 * line or two past (or before) its loss. Statements of an enclosing or neighbouring function are
 * never taken: the walk stops where the nesting becomes shallower than the paused line's.
 */
export function findLossCallNear(text: string, line: number, language: LiveLanguage, window = 20): LossCall | null {
  const calls = lossCallsInBlock(text, line, language, window);
  const on = calls.find((c) => c.line <= line && c.endLine >= line);
  if (on) return on;
  const above = calls.filter((c) => c.endLine < line && line - c.endLine <= window).at(-1);
  if (above) return above;
  const below = calls.filter((c) => c.line > line && c.line - line <= window);
  return below[0] ?? null;
}

/**
 * The loss calls of the block (function body) the statement at `line` is in, within `window`
 * lines of it, in order. A block is the run of statements around that one nested at least as
 * deep, so an enclosing or neighbouring function's calls are never among them.
 */
export function lossCallsInBlock(text: string, line: number, language: LiveLanguage, window = 20): LossCall[] {
  const sts = statementsAround(text, line, language, window);
  let at = sts.findIndex((st) => st.last.line >= line);
  if (at < 0) at = sts.length - 1;
  const here = sts[at];
  if (!here) return [];
  const inBlock = (k: number) => (sts[k]?.depth ?? -1) >= here.depth;
  let lo = at;
  while (inBlock(lo - 1)) lo--;
  let hi = at;
  while (inBlock(hi + 1)) hi++;
  const calls: LossCall[] = [];
  for (const st of sts.slice(lo, hi + 1)) {
    const call = lossCallIn(st.tokens, text, language);
    if (call) calls.push(call);
  }
  return calls;
}

/** Callee names worth asking the debuggee about; it then checks that the object really is torch's loss. */
const pyCallee = /criterion|loss|xent|^ce$|^cross_entropy$|^nll_loss$/i;
const jsCallee = /cross_?entropy|criterion|loss/i;

function lossCallIn(st: Token[], text: string, language: LiveLanguage): LossCall | null {
  const assignedTo = assignmentTarget(st, text, language);
  for (const [i, t] of st.entries()) {
    if (t.type !== 'name') continue;
    if (st[i - 1]?.value === '.') continue;
    const kw = language === 'python' ? pythonKeywords : jsKeywords;
    if (kw.has(t.value)) continue;
    const call = callAt(st, i, text, language);
    if (call) return { ...call, assignedTo };
  }
  return null;
}

/** `loss = …`, `const loss = …`, `self.loss = …`; null for anything else. */
function assignmentTarget(st: Token[], text: string, language: LiveLanguage): PlainExpr | null {
  let i = 0;
  if (language === 'javascript' && ['const', 'let', 'var'].includes(st[0]?.value ?? '')) i = 1;
  const eq = st.findIndex((t, k) => k > i && t.type === 'op' && t.value === '=');
  if (eq < 0) return null;
  if (language === 'python' && st[eq - 1]?.value === ':') return null;
  const e = parsePlain(st, i, eq, text, language);
  return e && e.ops.length === 0 ? e : null;
}

/** Tries a loss call whose callee path starts at token `i`. */
function callAt(st: Token[], i: number, text: string, language: LiveLanguage): Omit<LossCall, 'assignedTo'> | null {
  // Read the callee path: name (. name)*
  let j = i + 1;
  while (st[j]?.value === '.' && st[j + 1]?.type === 'name') j += 2;
  if (st[j]?.value !== '(') return null;
  const calleeTokens = { from: i, to: j };
  const close = matching(st, j);
  if (close < 0) return null;
  const calleeEnd = tokenAt(st, j - 1);
  const calleeText = text.slice(tokenAt(st, i).start, calleeEnd.end);
  const last = calleeEnd.value;
  let construct: LossCall['construct'] = null;
  let argsOpen = j;
  let argsClose = close;
  if (/^(CrossEntropyLoss|NLLLoss)$/.test(last) && st[close + 1]?.value === '(') {
    // nn.CrossEntropyLoss(weight=w)(logits, target): options from the constructor's keywords.
    const ctorArgs = splitArgs(st, j, close);
    const expr = parsePlain(st, calleeTokens.from, calleeTokens.to, text, language);
    if (!expr) return null;
    const keywords: Record<string, ArgExpr> = {};
    for (const a of ctorArgs) if (a.name) keywords[a.name] = argExpr(st, a.from, a.to, text, language);
    construct = { expr, keywords };
    argsOpen = close + 1;
    argsClose = matching(st, argsOpen);
    if (argsClose < 0) return null;
  } else {
    const pattern = language === 'python' ? pyCallee : jsCallee;
    if (!pattern.test(last)) return null;
  }
  const args = splitArgs(st, argsOpen, argsClose);
  const positional = args.filter((a) => !a.name);
  const named = new Map(args.filter((a) => a.name).map((a) => [a.name as string, a]));
  const tfjs = language === 'javascript' && /softmaxCrossEntropy$/.test(last);
  const flavor: CallFlavor = tfjs ? 'tfjsSoftmax' : 'inputFirst';
  const pick = (pos: number, ...names: string[]) => {
    for (const nm of names) {
      const a = named.get(nm);
      if (a) return a;
    }
    return positional[pos];
  };
  const inArg = tfjs ? pick(1, 'logits') : pick(0, 'input', 'logits');
  const tgArg = tfjs ? pick(0, 'onehotLabels', 'labels') : pick(1, 'target', 'targets', 'labels');
  if (!inArg || !tgArg) return null;
  const keywords: Record<string, ArgExpr> = {};
  if (construct) Object.assign(keywords, construct.keywords);
  if (language === 'python') {
    // torch.nn.functional.cross_entropy(input, target, weight, size_average, ignore_index, reduce,
    // reduction, label_smoothing); nll_loss has the same order without label_smoothing.
    const order = ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing'];
    if (/^(cross_entropy|nll_loss)$/.test(last)) {
      order.forEach((nm, k) => {
        const a = positional[2 + k];
        if (a) keywords[nm] = argExpr(st, a.from, a.to, text, language);
      });
    }
    for (const [nm, a] of named) {
      if (nm !== 'input' && nm !== 'target') keywords[nm] = argExpr(st, a.from, a.to, text, language);
    }
  } else if (tfjs) {
    const ls = pick(3, 'labelSmoothing');
    if (ls) keywords.label_smoothing = argExpr(st, ls.from, ls.to, text, language);
    const w = pick(2, 'weights');
    if (w) keywords.sample_weights = argExpr(st, w.from, w.to, text, language);
  } else {
    const optsArg = positional[2];
    if (optsArg) Object.assign(keywords, jsOptions(st, optsArg.from, optsArg.to, text));
  }
  const callee = construct ? null : parsePlain(st, calleeTokens.from, calleeTokens.to, text, language);
  return {
    language,
    callee,
    construct,
    flavor,
    input: argExpr(st, inArg.from, inArg.to, text, language),
    target: argExpr(st, tgArg.from, tgArg.to, text, language),
    keywords,
    line: tokenAt(st, 0).line,
    endLine: tokenAt(st, st.length - 1).line,
    start: tokenAt(st, i).start,
    end: tokenAt(st, argsClose).end,
    calleeText,
  };
}

/** `{ weight: w, ignoreIndex: -100, reduction: 'sum', labelSmoothing: 0.1 }` in a JS call. */
function jsOptions(st: Token[], from: number, to: number, text: string): Record<string, ArgExpr> {
  const out: Record<string, ArgExpr> = {};
  if (st[from]?.value !== '{' || st[to - 1]?.value !== '}') return out;
  const names = new Map([
    ['weight', 'weight'],
    ['ignoreIndex', 'ignore_index'],
    ['ignore_index', 'ignore_index'],
    ['reduction', 'reduction'],
    ['labelSmoothing', 'label_smoothing'],
    ['label_smoothing', 'label_smoothing'],
  ]);
  let depth = 0;
  let k = from + 1;
  let start = k;
  for (; k < to; k++) {
    const { type, value: v } = tokenAt(st, k);
    if (type === 'op' && '([{'.includes(v)) depth++;
    else if (type === 'op' && ')]}'.includes(v) && k !== to - 1) depth--;
    if ((depth === 0 && v === ',') || k === to - 1) {
      if (k > start) {
        const key = tokenAt(st, start);
        if ((key.type === 'name' || key.type === 'string') && st[start + 1]?.value === ':') {
          const torchName = names.get(key.type === 'string' ? (stringValue(key.value, 'javascript') ?? '') : key.value);
          if (torchName && start + 2 < k) out[torchName] = argExpr(st, start + 2, k, text, 'javascript');
        } else if (key.type === 'name' && start + 1 === k) {
          // Shorthand `{ weight }`.
          const torchName = names.get(key.value);
          if (torchName) out[torchName] = argExpr(st, start, k, text, 'javascript');
        }
      }
      start = k + 1;
    }
  }
  return out;
}
