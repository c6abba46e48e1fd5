/**
 * Exercise and problem-statement pages about a loss (coding-challenge and interview-prep sites,
 * course exercises, textbook problems, a docstring written the same way): the loss is stated in
 * prose, and worked examples give inputs and the expected value (`Input: [0.7, 0.2, 0.1], 0` /
 * `Output: 0.3567`, `Input: {"y_pred": …, "y_true": …}` / `Expected: 0.01005`, `f(y_true, y_pred)
 * → 0.1738`). Each example becomes a pair whose semantics come from the page's prose
 * (problemProse.ts) and the example's own names (problemArgs.ts), computed by the rule the worker
 * already has for them (catalogue below), and its expected value a claim judged at the page's
 * stated rounding. What the page does not settle makes the pair unverified, with the reason.
 */
import type { TorchMapping } from './catalogue';
import { claimInOutput } from './claims';
import type { DetectionContext } from './context';
import { lineEndOf, lineStartOf, readInputs, signatureOf, type ExampleArg, type Literal } from './problemArgs';
import { compute, type Computation, type ProblemPageForm, type Roles } from './problemLoss';
import { otherTaskRe, plainProse, readSemantics, roleOfName, variantRe, type PageSemantics } from './problemProse';
import type { ArrayValue } from './values';

const exampleAxis = 'the last axis of each example (a single list is one example)';

/** The catalogue entries of exercise pages: what each semantics is computed as. */
export const problemPageCatalogue: Record<ProblemPageForm, TorchMapping> = {
  'page.categorical_probabilities': {
    library: 'torch',
    reads: 'log_probs',
    defaultReduction: 'mean',
    classAxis: exampleAxis,
    note: "an exercise page's categorical cross-entropy on probabilities: −log p[t] per example (one-hot targets read as their index), torch's NLLLoss of log p in float64, reduced as the page says",
  },
  'page.categorical_logits': {
    library: 'torch',
    reads: 'logits',
    defaultReduction: 'mean',
    classAxis: exampleAxis,
    note: "an exercise page's cross-entropy on logits (raw scores): logsumexp(x) − x[t], or −Σ y·log_softmax(x) for probability targets — torch's CrossEntropyLoss in float64, reduced as the page says",
  },
  'page.binary_probabilities': {
    library: 'torch',
    reads: 'log_probs',
    defaultReduction: 'mean',
    classAxis: 'none: one loss per element',
    note: "an exercise page's binary cross-entropy (log loss) on probabilities: −(y·log p + (1 − y)·log(1 − p)) per element, torch's BCELoss in float64, reduced as the page says",
  },
  'page.binary_logits': {
    library: 'torch',
    reads: 'logits',
    defaultReduction: 'mean',
    classAxis: 'none: one loss per element',
    note: "an exercise page's binary cross-entropy on logits: log(1 + e^−x) + (1 − y)·x per element, torch's BCEWithLogitsLoss in float64, reduced as the page says",
  },
};

/** The largest page read as an exercise page (a 10 MB literal file is none). */
const maxPage = 512 * 1024;

const outputRe =
  /(?:\b|(?<=\d))(?:Output|Expected(?:[ \t]+(?:output|result|value|answer))?|Answer|Result)[ \t]*[:：][ \t]*(?:\r?\n[ \t]*(?:`{3,}\w*[ \t]*)?){0,3}|(?:→|->|=>)[ \t]*/gi;
const inputRe = /\b(?:Input|Inputs|Given)[ \t]*[:：]/gi;
const exampleHeadRe = /^[ \t]*(?:#{1,6}[ \t]|\**(?:Example|Case|Test(?: case)?)\b)/im;

/** The text of the line holding `at`, before it. */
function lineBefore(text: string, at: number): string {
  return text.slice(lineStartOf(text, at), at);
}

/** Cheap test: a page that names a loss and shows an expected value. */
export function hasProblemExamples(text: string): boolean {
  if (text.length > maxPage) return false;
  if (!/Output|Expected|Answer|Result|→|->|=>/i.test(text)) return false;
  return /cross[-\s_]?entropy|log[-\s_]?loss|log[-\s]likelihood|\bnll\b|\b[bc]ce\b|crossentropy/i.test(text);
}

/** The claimed number after an output marker: a bare number, or the last `= number` of the line. */
function claimAfter(text: string, at: number): { start: number; text: string } | null {
  const line = text.slice(at, lineEndOf(text, at));
  const m =
    /^(?:[A-Za-z_]\w*[ \t]*=[^\n=]*=[ \t]*|[A-Za-z_]\w*[ \t]*=[ \t]*|≈[ \t]*)?(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\d.[(]|[a-z_])/.exec(
      line,
    );
  if (!m) return null;
  // A number followed by more numbers or a list is not one scalar output.
  const after = line.slice(m.index + m[0].length);
  if (/^\s*[,[(]/.test(after) || /^\s*(?:→|->)/.test(after)) return null;
  return { start: at + m.index + m[0].length - m[1].length, text: m[1] };
}

/** Offsets and texts of the page's Markdown headings, in order (one pass). */
function headingsOf(text: string): { at: number; text: string }[] {
  return [...text.matchAll(/^[ \t]*#{1,6}[ \t]+(.+)$/gm)].map((m) => ({ at: m.index, text: m[1] }));
}

/**
 * The semantics for an example at `at`: its section's (from the heading above it to the next
 * one) when that section names a loss itself — a page of several exercises states each one's loss
 * in its own section — else the page's. Each section is read once.
 */
function sectionSemantics(
  text: string,
  headings: { at: number; text: string }[],
  at: number,
  page: PageSemantics,
  cache: Map<number, PageSemantics>,
): PageSemantics {
  let k = -1;
  for (let lo = 0, hi = headings.length; lo < hi;) {
    const mid = (lo + hi) >> 1;
    if (headings[mid].at < at) {
      k = mid;
      lo = mid + 1;
    } else hi = mid;
  }
  if (k < 0 || headings.length < 2) return page;
  let own = cache.get(k);
  if (!own) {
    own = readSemantics(text.slice(headings[k].at, k + 1 < headings.length ? headings[k + 1].at : text.length));
    cache.set(k, own);
  }
  return own.namesLoss ? own : page;
}

/** The nearest heading above `at`, else the page's first two non-empty lines. */
function titleFor(text: string, headings: { at: number; text: string }[], at: number): string {
  let lo = 0;
  let hi = headings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (headings[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0) return headings[lo - 1].text;
  const lines: string[] = [];
  for (const line of text.slice(0, 2000).split(/\r?\n/)) if (line.trim() !== '' && lines.push(line) === 2) break;
  return lines.join(' ');
}

const lossWordRe = /cross[-\s_]?entropy|log[-\s_]?loss|log[-\s_]?likelihood|\bnll\b|\b[bc]ce\b|crossentropy/i;
/** A function name that says only "loss" (`loss`, `loss_fn`, `compute_loss`). */
const genericLossRe = /^(?:compute_?|calc(?:ulate)?_?)?loss(?:_?fn|_?function)?$/i;

/** Which argument is the prediction and which the target: by name, the page's signature, or the numbers. */
function rolesOf(args: ExampleArg[], sig: string[] | null): Roles | string {
  let prediction: ExampleArg | null = null;
  let target: ExampleArg | null = null;
  let epsilon: number | null = null;
  const positional: ExampleArg[] = [];
  args.forEach((a, k) => {
    const name = a.name ?? (sig && k < sig.length ? sig[k] : null);
    const role = name ? roleOfName(name) : null;
    if (name && !role) positional.push({ ...a, name: `?${name}` });
    else if (!role) positional.push(a);
    else if (role.role === 'epsilon') epsilon = a.value.data[0];
    else if (role.role === 'target') target = target ? null : a;
    else prediction = prediction ? null : a;
  });
  const unknownName = positional.find((a) => a.name?.startsWith('?'));
  if (unknownName)
    return `the example's \`${unknownName.name!.slice(1)}\` is not a prediction or a target the page names`;
  if (!prediction && !target && positional.length === 2) {
    // No names: the integer one is the target (class indices, one-hot rows, 0/1 labels).
    const [a, b] = positional;
    if (a.value.integral !== b.value.integral) {
      target = a.value.integral ? a : b;
      prediction = a.value.integral ? b : a;
    } else if (
      a.value.shape.length !== b.value.shape.length &&
      Math.min(a.value.shape.length, b.value.shape.length) === 0
    ) {
      target = a.value.shape.length === 0 ? a : b;
      prediction = target === a ? b : a;
    } else return 'the example does not say which list is the prediction and which the target';
  } else if (positional.length === 1 && (prediction || target)) {
    if (prediction) target = positional[0];
    else prediction = positional[0];
  } else if (positional.length > 0) return 'the example has arguments the page does not name';
  if (!prediction || !target) return 'the example gives no target (or no prediction)';
  return { prediction, target, epsilon };
}

function arrayValue(ctx: DetectionContext, lit: Literal, name: string | null): ArrayValue {
  const id = ctx.addSite(
    {
      end: lit.end,
      shape: lit.shape,
      data: lit.data,
      integral: lit.integral,
      count: lit.data.length,
      error: null,
      tuple: false,
    },
    lit.start,
    'page example',
  );
  const site = ctx.sites[id];
  site.name = name;
  site.synthetic = false;
  return {
    site,
    data: lit.data,
    shape: lit.shape,
    integerTensor: false,
    dtype: 'float64',
    dtypeSource: 'default',
    container: 'list',
    transform: null,
    name,
    fresh: true,
    derived: false,
  };
}

/** Finds the page's worked examples and records each as a pair with its expected value as a claim. */
export function readProblemPages(ctx: DetectionContext, text: string, where: 'page' | 'code', cell?: number): void {
  if (!hasProblemExamples(text)) return;
  const sem = readSemantics(text);
  if (!sem.namesLoss) return;
  ctx.begin(text, cell);
  const taken = ctx.pairs.filter((p) => p.cell === cell).map((p) => p.callSpan);
  const claimed = new Set(ctx.claims.filter((c) => c.cell === cell).map((c) => c.claim.start));
  const headings = headingsOf(text);
  const sections = new Map<number, PageSemantics>();
  const signatures = new Map<string, string[] | null>();
  let prevEnd = 0;
  for (const m of text.matchAll(outputRe)) {
    const markerStart = m.index;
    const claimText = claimAfter(text, markerStart + m[0].length);
    if (!claimText) continue;
    const arrow = !/^[A-Za-z]/.test(m[0]);
    // The example's inputs: after its `Input:` (since the last example), else the lines above.
    const windowStart = Math.max(prevEnd, markerStart - 2000);
    let from = -1;
    for (const im of text.slice(windowStart, markerStart).matchAll(inputRe))
      from = windowStart + im.index + im[0].length;
    // In code, only an example written as one (a docstring's `Input:` line) is read: a comment
    // after code is the statement reader's claim.
    const before = lineBefore(text, markerStart);
    if (where === 'code' && (from < 0 || !/^[ \t]*(?:#[ \t]*)?$/.test(before))) continue;
    // On a page too, `print(loss)  # Output: 0.8` or `loss = f(a, b)  # → 0.8` is code with its claim;
    // but under an `Input:` label, `y = [1,0,1], p = [0.9,0.1,0.8]Output:` is the example's inputs with
    // its output label glued on by the page's text extraction (3.208, 3.229): no comment, ending in a bracket.
    const gluedInputs = from >= 0 && !arrow && /[\])}][ \t]*$/.test(before) && !/#|\/\//.test(before);
    if (/\b(?:print|console\.log|assert)\s*\(/.test(before)) continue;
    if (!gluedInputs && /^[ \t]*[A-Za-z_][\w.]*[ \t]*=(?!=)/.test(before)) continue;
    if (from < 0) {
      const lineStart = lineStartOf(text, markerStart);
      from = arrow ? lineStart : windowStart;
      if (!arrow) {
        const head = [...text.slice(windowStart, markerStart).matchAll(new RegExp(exampleHeadRe.source, 'gim'))];
        if (head.length) from = windowStart + head[head.length - 1].index;
      } else {
        // `name = [...]` lines above an arrow call belong to it, back to the example's heading.
        const above = text.slice(windowStart, lineStart);
        const head = [...above.matchAll(new RegExp(exampleHeadRe.source, 'gim'))];
        from = head.length ? windowStart + head[head.length - 1].index : Math.max(windowStart, lineStart - 600);
      }
    }
    const to = markerStart;
    // `[2.0, 1.0] → [0.73, 0.27] → 0.31`: a chain of steps, not inputs and their loss.
    if (arrow && /→|->|=>/.test(lineBefore(text, markerStart))) continue;
    prevEnd = claimText.start + claimText.text.length;
    if (claimed.has(claimText.start) || taken.some(([s, e]) => s < to && e > from)) continue;
    const inputs = readInputs(text, from, to);
    const title = titleFor(text, headings, markerStart);
    const here = sectionSemantics(text, headings, markerStart, sem, sections);
    const callee = inputs.callee;
    // The example computes this page's loss: its function says so, or its title does not name another task.
    const calleeWords = callee ? callee.replace(/_/g, ' ') : null;
    if (calleeWords && !lossWordRe.test(calleeWords) && !genericLossRe.test(callee!)) continue;
    if (
      !lossWordRe.test(title) &&
      !(calleeWords && lossWordRe.test(calleeWords)) &&
      otherTaskRe.test(plainProse(title))
    )
      continue;
    if (inputs.unresolved !== null || inputs.args.length < 2) continue;
    // Each distinct function is looked up once, and only a few: a page defines one or two.
    if (callee && !signatures.has(callee))
      signatures.set(callee, signatures.size < 16 ? signatureOf(text, callee) : null);
    const roles = rolesOf(inputs.args, callee ? (signatures.get(callee) ?? null) : null);
    const variant = calleeWords ? variantRe.exec(calleeWords) : null;
    const arrays = inputs.args.map((a) => a.value);
    // The pair is reported on the example's call when it writes one (`f(y_true, y_pred) → 0.17` under
    // the lines that name the arrays), else over its inputs.
    const start = inputs.callAt?.start ?? Math.min(...arrays.map((a) => a.start));
    const end = inputs.callAt?.end ?? Math.max(...arrays.map((a) => a.end));
    const call = ctx.lossCallAt('library', start, end, callee ?? 'page example');
    let comp: Computation;
    let prediction: ExampleArg;
    let target: ExampleArg;
    if (typeof roles === 'string') {
      comp = { form: 'page.categorical_probabilities', request: null, unverified: roles, reduction: 'mean' };
      [prediction, target] = inputs.args;
    } else {
      comp = compute(variant ? { ...here, variant: variant[0].toLowerCase() } : here, roles);
      ({ prediction, target } = roles);
    }
    const mapping = problemPageCatalogue[comp.form];
    const ref = ctx.addPair({
      recogniser: comp.form,
      kind: 'library',
      input: arrayValue(ctx, prediction.value, prediction.name),
      target: arrayValue(ctx, target.value, target.name),
      reads: mapping.reads,
      options: {},
      call,
      library: {
        name: 'torch',
        mapping: mapping.note ?? '',
        request: comp.request,
        torch: null,
        reduction: comp.reduction,
        labelSmoothing: 0,
        dtype: 'float64',
        dtypeExplicit: false,
        error: null,
      },
      ...(comp.unverified !== undefined ? { unverified: comp.unverified } : {}),
    });
    const claim = claimInOutput(claimText.text, claimText.start);
    if (!claim) continue;
    if (sem.decimals !== null && sem.decimals > claim.decimals && claim.exponent === 0)
      claim.tolerance = {
        absolute: 0.5 * Math.pow(10, -sem.decimals) * (1 + 1e-9),
        relative: 0,
        assertion: `the page's rounding to ${sem.decimals} decimal places`,
      };
    ctx.bindClaim({ value: { kind: 'loss', pair: ref }, exprText: 'the example', direct: true }, claim, 'output', null);
  }
}
