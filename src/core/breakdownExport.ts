/**
 * What "Copy Breakdown" and the panel's copy buttons produce: one formatter per format
 * (Markdown, JSON, CSV, PyTorch), each a pure function of a {@link BreakdownExport}, so the
 * editor's command and the panel give the same text for the same pair, sample and options.
 *
 * Conventions, the same in every format:
 * - sample and class indices are 0-based, as torch indexes them; counts say "of N";
 * - a minus is ASCII `-`, as Python and torch print it, so a number can be pasted into code;
 * - float32 results are written as the shortest decimal that reads back as the same float32
 *   (`0.8982`, not `0.8981999754905701`); float64 ones as the shortest double;
 * - JSON uses the CLI's field names (shared contract: `ignore_index`, `label_smoothing`,
 *   `input_kind`, `steps.nll`, …), so the object is also a valid `loss-inspector compute` request.
 * The text is English: it is pasted into notes, issues and code, next to torch's own output.
 */
import type { PairAnalysis } from './detection';
import { formatTorchNumber, jsonNumber, shortestFloat32 } from './format';
import { topKClasses } from './kernel/topK';
import { formulaCopy } from './libraryView';
import { pytorchSnippet } from './pytorchSnippet';
import { torchPrint } from './torchPrint';
import type { DType, InputKind, Reduction, ReductionBreakdown, SampleBreakdown } from './types';

/** The formats. */
export type BreakdownFormat = 'markdown' | 'json' | 'csv' | 'pytorch';

/** The loss options an export describes (the code's, or the panel's with the user's overrides). */
export interface ExportOptions {
  reduction: Reduction;
  dtype: DType;
  weight: number[] | null;
  ignoreIndex: number;
  labelSmoothing: number;
  inputKind: InputKind;
}

/** The pair's values as plain numbers (row-major), for JSON and PyTorch. */
export interface ExportData {
  input: ArrayLike<number>;
  target: ArrayLike<number>;
}

/** Everything one export describes: one pair under one set of options, one sample's steps, the reduction. */
export interface BreakdownExport {
  /** Where the pair is: file name, 1-based line of the loss call (of the logits without one), 0-based notebook cell. */
  source: { file: string; line: number; cell: number | null } | null;
  /** Variable names as the code writes them (null when the code names none). */
  logitsName: string | null;
  targetName: string | null;
  inputShape: number[];
  targetShape: number[];
  targetKind: 'indices' | 'probabilities';
  options: ExportOptions;
  /** Number of classes. */
  C: number;
  /**
   * One sample's steps, in the options' dtype. Its class arrays cover all C classes, or the
   * classes of {@link classIndices} in that order when the caller trimmed them.
   */
  sample: SampleBreakdown;
  /** The classes the sample's arrays hold (ascending), or null for all C. */
  classIndices: number[] | null;
  /** Per-element losses of the whole pair (N·d1·…·dK, row-major), or null when not at hand. */
  losses: ArrayLike<number> | null;
  /** The reduction over the whole pair. */
  reduction: ReductionBreakdown;
  /**
   * A value the code claims for this loss, verbatim, and whether it holds. A claim is judged with
   * the code's own options: when {@link options} differ from them, `codePrinted` says what torch
   * prints with the code's options, and the export says that the claim is about those.
   */
  claim: { text: string; holds: boolean | null; optionsDiffer?: boolean; codePrinted?: string | null } | null;
  /** The pair's values; JSON and PyTorch need them, Markdown and CSV use the targets when present. */
  data: ExportData | null;
  /** Decimals of the Markdown's fixed-point numbers. */
  decimals: number;
  /**
   * Another library's call whose number this torch loss reproduces exactly
   * (`keras.losses.SparseCategoricalCrossentropy(from_logits=True)`): the snippet says so.
   */
  origin?: string | null;
  /** The hand formula this torch loss computes again (see src/core/libraryView.ts `formulaCopy`). */
  formula?: { words: string; logged: boolean; codeOptions?: boolean } | null;
}

/** Classes a Markdown step table lists at most: the most likely ones, plus the target. */
export const markdownClassLimit = 20;
/** Sample losses a Markdown table lists at most (a batch's first ones). */
export const markdownLossLimit = 64;

/** The export in `format`. */
export function formatBreakdown(format: BreakdownFormat, e: BreakdownExport): string {
  switch (format) {
    case 'markdown':
      return breakdownMarkdown(e);
    case 'json':
      return breakdownJson(e);
    case 'csv':
      return breakdownCsv(e);
    case 'pytorch':
      return breakdownPytorch(e);
  }
}

/** A value of `dtype` as JSON writes it: shortest for its precision. */
function exact(v: number, dtype: DType): number {
  return dtype === 'float32' ? shortestFloat32(v) : v;
}

/** What torch prints for the loss under the export's options (`tensor(2.3519)`, or the vector for 'none'). */
export function printedLoss(e: BreakdownExport): string {
  const dtype = e.options.dtype;
  if (e.reduction.reduction === 'none' && e.losses) return torchPrint(e.losses, lossShapeOf(e), dtype);
  return torchPrint([e.reduction.loss], [], dtype);
}

/** Shape of the per-sample losses: () unbatched, (N) or (N, d1, …, dK). */
export function lossShapeOf(e: Pick<BreakdownExport, 'inputShape'>): number[] {
  return e.inputShape.length > 1 ? [e.inputShape[0]!, ...e.inputShape.slice(2)] : [];
}

/** The predicted class: the first class of largest p among those the sample holds (NaN counts as largest). */
export function predictedClass(e: Pick<BreakdownExport, 'sample' | 'classIndices'>): number | null {
  const p = e.sample.softmax;
  let best = -1;
  for (let j = 0; j < p.length; j++) {
    if (p[j] !== p[j]) {
      best = j;
      break;
    }
    if (best < 0 || p[j]! > p[best]!) best = j;
  }
  if (best < 0) return null;
  return e.classIndices ? e.classIndices[best]! : best;
}

/** Index of the sample as torch writes it: `0`, or `[0, 2, 1]` with extra dimensions. */
function sampleIndex(position: readonly number[]): string {
  if (position.length === 0) return '()';
  return position.length === 1 ? String(position[0]) : `[${position.join(', ')}]`;
}

/** `(2, 10)`, `(2,)`, `()`: a shape as Python prints a tuple. */
function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** A number with fixed decimals, ASCII minus, torch's spelling of NaN and infinities. */
function fixed(v: number | null | undefined, decimals: number): string {
  if (v === null || v === undefined) return '';
  if (!Number.isFinite(v)) return formatTorchNumber(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 0.5 * 10 ** -decimals || abs >= 1e8)) return v.toExponential(Math.max(1, decimals - 1));
  const text = v.toFixed(decimals);
  // -0.0000 reads as a sign error: a value that rounds to zero is 0.
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** A count, or a weighted denominator: `2`, `1.5`. */
function countText(v: number, decimals: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : fixed(v, decimals);
}

/** Escapes document text (names, file names, claims) for Markdown, table cells included. */
export function markdownText(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~<>]/g, (c) => `\\${c}`)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;');
}

/** `mean = Σ loss / D = … = 2.3519` and what D is, as two sentences. */
export function reductionText(e: BreakdownExport): { formula: string; denominator: string | null } {
  const r = e.reduction;
  const d = e.decimals;
  if (r.reduction === 'sum') return { formula: `sum = Σ loss = ${fixed(r.loss, d)}`, denominator: null };
  if (r.reduction === 'none')
    return {
      formula: `none: one loss per sample, ${r.count} in all (their sum, which backward uses, is ${fixed(r.loss, d)})`,
      denominator: null,
    };
  const all = e.losses && e.losses.length === r.count && r.count <= 4 && r.ignoredCount === 0;
  const numerator = all
    ? `(${Array.from(e.losses as ArrayLike<number>, (v) => fixed(v, d)).join(' + ')})`
    : fixed(r.numerator, d);
  return {
    formula: `mean = Σ loss / D = ${numerator} / ${countText(r.denominator, d)} = ${fixed(r.loss, d)}`,
    denominator: denominatorMeaning(e),
  };
}

/** What D of the mean is, with its value. */
export function denominatorMeaning(e: BreakdownExport): string {
  const r = e.reduction;
  const D = countText(r.denominator, e.decimals);
  if (e.targetKind === 'probabilities')
    return `D = ${D}, the number of samples (N·d1·…·dK): with probability targets the mean divides by it.`;
  const kept = r.count - r.ignoredCount;
  const ignored = r.ignoredCount
    ? ` (${r.ignoredCount} of ${r.count} have target = ignore_index ${e.options.ignoreIndex} and are left out)`
    : '';
  if (e.options.weight)
    return `D = ${D}, the sum of the class weights w[target] of the ${kept} non-ignored targets${ignored}.`;
  return `D = ${D}, the number of non-ignored targets${ignored}.`;
}

/** Target of element `i` read from the data (null for probability targets or without data). */
function targetAt(e: BreakdownExport, i: number): number | null {
  if (e.targetKind !== 'indices' || !e.data) return null;
  const t = e.data.target[i];
  return t === undefined ? null : t;
}

/** The classes a Markdown step table shows, as positions into the sample's arrays. */
function shownColumns(e: BreakdownExport): { classes: number[]; columns: number[] } {
  const held = e.classIndices ?? null;
  const p = e.sample.softmax;
  const target = e.sample.target;
  const targetColumn = target === null ? null : held ? held.indexOf(target) : target;
  const columns = topKClasses(p, targetColumn !== null && targetColumn >= 0 ? targetColumn : null, markdownClassLimit);
  return { columns, classes: columns.map((j) => (held ? held[j]! : j)) };
}

/** Markdown that renders as written: every paragraph apart, tables with a header row, names escaped. */
export function breakdownMarkdown(e: BreakdownExport): string {
  const d = e.decimals;
  const s = e.sample;
  const o = e.options;
  const title = o.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss';
  const logits = markdownText(e.logitsName ?? 'logits');
  const target = markdownText(e.targetName ?? 'target');
  const out: string[] = [];
  out.push(`### ${title}: ${logits} ${shapeText(e.inputShape)}, ${target} ${shapeText(e.targetShape)}`);
  const facts: string[] = [];
  if (e.source) {
    const where = e.source.cell !== null ? `cell ${e.source.cell + 1}, line ${e.source.line}` : `line ${e.source.line}`;
    facts.push(`${markdownText(e.source.file)}, ${where}`);
  }
  facts.push(`reduction='${o.reduction}'`, o.dtype);
  if (o.weight) facts.push(`weight=[${o.weight.map((w) => fixed(w, d)).join(', ')}]`);
  if (o.ignoreIndex !== -100) facts.push(`ignore_index=${o.ignoreIndex}`);
  if (o.labelSmoothing) facts.push(`label_smoothing=${o.labelSmoothing}`);
  if (e.targetKind === 'probabilities') facts.push('probability targets');
  out.push(facts.join(' · '));
  const printed = printedLoss(e);
  out.push(printed.includes('\n') ? `torch prints:\n\n\`\`\`\n${printed}\n\`\`\`` : `torch prints \`${printed}\`.`);
  if (e.claim) {
    const claimed = `\`${e.claim.text.replace(/`/g, "'")}\``;
    const verdict =
      e.claim.holds === true ? 'holds' : e.claim.holds === false ? 'does not hold' : 'could not be checked';
    if (e.claim.optionsDiffer) {
      const code = e.claim.codePrinted ? ` (torch prints \`${e.claim.codePrinted}\` with them)` : '';
      out.push(
        `The code claims ${claimed}, which ${verdict === 'could not be checked' ? 'could not be checked' : verdict} for the code's own options${code}; the options above differ from the code's.`,
      );
    } else out.push(`The code claims ${claimed}: it ${verdict}.`);
  }

  // The whole batch: every sample's loss (the first ones of a long batch), then the reduction.
  const count = e.reduction.count;
  if (e.losses && count > 1) {
    const shown = Math.min(count, markdownLossLimit, e.losses.length);
    out.push(
      shown === count
        ? `**Per-sample losses** (all ${count} samples)`
        : `**Per-sample losses** (samples 0 to ${shown - 1} of ${count})`,
    );
    const withTargets = e.targetKind === 'indices' && !!e.data;
    const table = [
      withTargets ? '| sample | target | loss |' : '| sample | loss |',
      withTargets ? '|---:|---:|---:|' : '|---:|---:|',
    ];
    const lossShape = lossShapeOf(e);
    for (let i = 0; i < shown; i++) {
      const t = targetAt(e, i);
      const ignored = t !== null && t === o.ignoreIndex;
      const value = ignored ? `${fixed(e.losses[i]!, d)} (ignored)` : fixed(e.losses[i]!, d);
      const index = sampleIndex(positionOf(i, lossShape));
      table.push(withTargets ? `| ${index} | ${t ?? ''} | ${value} |` : `| ${index} | ${value} |`);
    }
    out.push(table.join('\n'));
  }
  const red = reductionText(e);
  out.push(`\`${red.formula}\``);
  if (red.denominator) out.push(red.denominator);

  // One sample's steps, classes as rows.
  const predicted = predictedClass(e);
  const which = count > 1 ? `sample ${sampleIndex(s.position)} (${s.element + 1} of ${count})` : 'the sample';
  const about: string[] = [];
  if (s.target !== null) about.push(`target class ${s.target}`);
  else about.push('probability target');
  if (predicted !== null) about.push(`predicted class ${predicted} (largest p)`);
  out.push(
    `**Steps of ${which}**: ${about.join(', ')}.${s.ignored ? ' This sample is ignored (target = ignore_index): it adds 0.' : ''}`,
  );
  const { classes, columns } = shownColumns(e);
  const heads: string[] = ['class'];
  const logProbs = o.inputKind === 'log_probs';
  const rows: { head: string; values: number[] | null | undefined }[] = logProbs
    ? [{ head: 'log p (input)', values: s.logits }]
    : [
        { head: 'x', values: s.logits },
        { head: 'x - max', values: s.shifted },
        { head: 'exp(x - max)', values: s.exp },
        { head: 'p', values: s.softmax },
        { head: 'log p', values: s.logSoftmax },
      ];
  if (logProbs) rows.push({ head: 'p', values: s.softmax });
  rows.push({ head: 'q', values: s.targetDistribution });
  const weighted = s.weight.some((w) => w !== 1);
  if (weighted) rows.push({ head: 'w', values: s.weight });
  rows.push({ head: weighted ? '-w·q·log p' : '-q·log p', values: s.contributions });
  if (s.grad) rows.push({ head: '∂L/∂x', values: s.grad });
  const present = rows.filter((r) => r.values);
  heads.push(...present.map((r) => r.head));
  const table = [`| ${heads.join(' | ')} |`, `|${heads.map(() => '---:').join('|')}|`];
  columns.forEach((j, k) => {
    const c = classes[k]!;
    const marks = [c === s.target ? 'target' : null, c === predicted ? 'predicted' : null].filter(Boolean);
    const label = marks.length ? `**${c}** (${marks.join(', ')})` : String(c);
    table.push(`| ${label} | ${present.map((r) => fixed(r.values![j], d)).join(' | ')} |`);
  });
  out.push(table.join('\n'));
  const held = e.classIndices ? e.classIndices.length : e.C;
  if (classes.length < e.C)
    out.push(
      `Showing ${classes.length} of ${e.C} classes: the ${Math.min(markdownClassLimit, held)} most likely${s.target !== null ? ' and the target' : ''}.`,
    );
  const tail: string[] = [];
  if (s.sumExp !== null) tail.push(`Σexp = ${fixed(s.sumExp, d)}`);
  if (s.logSumExp !== null) tail.push(`logsumexp = max + log Σexp = ${fixed(s.logSumExp, d)}`);
  const t = s.target;
  const tj = t === null ? -1 : e.classIndices ? e.classIndices.indexOf(t) : t;
  const lossLine = s.ignored
    ? 'loss = 0'
    : t !== null && tj >= 0 && o.labelSmoothing === 0 && s.weight[tj] === 1
      ? `loss = -log p[${t}] = ${fixed(s.loss, d)}`
      : `loss = Σ -w·q·log p = ${fixed(s.loss, d)}`;
  tail.push(lossLine);
  out.push(`${tail.join('; ')}.`);
  return `${out.join('\n\n')}\n`;
}

/** Coordinates of flat element `e` in `shape`. */
function positionOf(e: number, shape: readonly number[]): number[] {
  const pos = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i]!;
    pos[i] = e % size;
    e = Math.floor(e / size);
  }
  return pos;
}

/** The values of `shape` nested as arrays, each leaf mapped by `leaf`. */
function nested<T>(values: ArrayLike<number>, shape: readonly number[], leaf: (v: number) => T): T | unknown[] {
  if (shape.length === 0) return leaf(values[0]!);
  const rec = (dim: number, offset: number, stride: number): unknown[] => {
    const n = shape[dim]!;
    const inner = stride / n;
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++)
      out[i] = dim === shape.length - 1 ? leaf(values[offset + i]!) : rec(dim + 1, offset + i * inner, inner);
    return out;
  };
  return rec(
    0,
    0,
    shape.reduce((a, b) => a * b, 1),
  );
}

/**
 * A float for JSON: the shortest text for its dtype, written with a point or an exponent so
 * that the CLI reads it as a float (`1.0`, not `1`); non-finite values as the CLI's strings.
 */
class JsonFloat {
  constructor(readonly text: string) {}
}

function jsonFloat(v: number, dtype: DType): JsonFloat | string {
  if (!Number.isFinite(v)) return jsonNumber(v) as string;
  const text = String(exact(v, dtype));
  return new JsonFloat(/[.eE]/.test(text) ? text : `${text}.0`);
}

/** JSON text with `JsonFloat`s written verbatim; arrays of numbers on one line, objects one key a line. */
function writeJson(value: unknown, indent: string): string {
  if (value instanceof JsonFloat) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => writeJson(v, indent)).join(', ')}]`;
  const inner = `${indent}  `;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${writeJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * JSON with the CLI's names: the request fields (`input`, `target`, `weight`, `ignore_index`,
 * `reduction`, `label_smoothing`, `dtype`, `input_kind`), the response fields of
 * `compute --steps` (`loss`, `printed`, `target_kind`, `input_shape`, `steps.nll`,
 * `steps.reduction`), and the one sample whose steps it carries under `sample`, with its index.
 * No internal ids.
 */
export function breakdownJson(e: BreakdownExport): string {
  const o = e.options;
  const dt = o.dtype;
  const f = (v: number) => jsonFloat(v, dt);
  const arr = (a: readonly number[] | null | undefined) => (a ? a.map(f) : null);
  const s = e.sample;
  const lossShape = lossShapeOf(e);
  const held = e.classIndices;
  const sample: Record<string, unknown> = {
    index: s.element,
    position: s.position,
    target: s.target,
    ignored: s.ignored,
    predicted: predictedClass(e),
    classes: held ?? undefined,
    max: s.max === null ? null : f(s.max),
    shifted: arr(s.shifted),
    exp: arr(s.exp),
    sum_exp: s.sumExp === null ? null : f(s.sumExp),
    logsumexp: s.logSumExp === null ? null : f(s.logSumExp),
    softmax: arr(s.softmax),
    log_softmax: arr(s.logSoftmax),
    target_distribution: arr(s.targetDistribution),
    weight: arr(s.weight),
    contributions: arr(s.contributions),
    grad: s.grad ? arr(s.grad) : undefined,
    nll: f(s.loss),
    denominator_share: f(s.denominatorShare),
  };
  const r = e.reduction;
  const out: Record<string, unknown> = {
    source: e.source ? { file: e.source.file, line: e.source.line, cell: e.source.cell } : undefined,
    logits_name: e.logitsName,
    target_name: e.targetName,
    input: e.data ? nested(e.data.input, e.inputShape, (v) => jsonFloat(v, dt)) : undefined,
    target: e.data
      ? nested(e.data.target, e.targetShape, (v) => (e.targetKind === 'indices' ? v : jsonFloat(v, dt)))
      : undefined,
    weight: o.weight ? o.weight.map(f) : null,
    ignore_index: o.ignoreIndex,
    reduction: o.reduction,
    label_smoothing: jsonFloat(o.labelSmoothing, 'float64'),
    dtype: dt,
    input_kind: o.inputKind,
    loss: r.reduction === 'none' && e.losses ? nested(e.losses, lossShape, f) : f(r.loss),
    printed: printedLoss(e),
    target_kind: e.targetKind,
    input_shape: e.inputShape,
    steps: {
      nll: e.losses ? nested(e.losses, lossShape, f) : undefined,
      reduction: {
        kind: r.reduction,
        numerator: f(r.numerator),
        denominator: f(r.denominator),
        loss: f(r.loss),
        count: r.count,
        ignored: r.ignoredCount,
      },
    },
    sample,
    claim: e.claim ? { text: e.claim.text, holds: e.claim.holds } : undefined,
  };
  return `${writeJson(out, '')}\n`;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The sample's steps as CSV: one row per class (all the sample holds), full precision, ASCII minus. */
export function breakdownCsv(e: BreakdownExport): string {
  const s = e.sample;
  const dt = e.options.dtype;
  const predicted = predictedClass(e);
  const cell = (v: number | undefined) => {
    if (v === undefined) return '';
    if (!Number.isFinite(v)) return formatTorchNumber(v);
    return String(exact(v, dt));
  };
  const columns: [string, readonly number[] | null | undefined][] = [
    [e.options.inputKind === 'log_probs' ? 'log_p_input' : 'x', s.logits],
    ['x_minus_max', s.shifted],
    ['exp', s.exp],
    ['p', s.softmax],
    ['log_p', s.logSoftmax],
    ['q', s.targetDistribution],
    ['w', s.weight],
    ['neg_w_q_log_p', s.contributions],
    ['grad', s.grad],
  ];
  const present = columns.filter(([, v]) => v);
  const lines = [['sample', 'class', 'is_target', 'is_predicted', ...present.map(([h]) => h)].map(csvField).join(',')];
  const n = s.softmax.length;
  const index = sampleIndex(s.position);
  for (let j = 0; j < n; j++) {
    const c = e.classIndices ? e.classIndices[j]! : j;
    lines.push(
      [
        csvField(index),
        String(c),
        c === s.target ? '1' : '0',
        c === predicted ? '1' : '0',
        ...present.map(([, v]) => cell(v![j])),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A Python snippet that reproduces the loss and ends with what torch prints for it. */
export function breakdownPytorch(e: BreakdownExport): string {
  if (!e.data) return '';
  const o = e.options;
  return pytorchSnippet(
    { shape: e.inputShape, data: e.data.input },
    { shape: e.targetShape, data: e.data.target, probabilities: e.targetKind === 'probabilities' },
    o,
    {
      logitsName: e.logitsName,
      targetName: e.targetName,
      printed: printedLoss(e),
      origin: e.origin ?? null,
      formula: e.formula ?? null,
    },
  );
}

/** What the Copy Breakdown command knows of a pair: the analysis's pair and the worker's inspection. */
export interface InspectedPair {
  pair: Pick<
    PairAnalysis,
    'logits' | 'target' | 'call' | 'options' | 'dtype' | 'inputShape' | 'targetShape' | 'targetKind' | 'losses' | 'cell'
  > &
    Partial<Pick<PairAnalysis, 'kernelInputKind' | 'recogniser'>>;
  /** The worker's `inspect` answer (src/protocol/worker.ts `Inspection`), with `withData` for JSON and PyTorch. */
  inspection: {
    sample: SampleBreakdown;
    classIndices: number[] | null;
    C: number;
    reduction: ReductionBreakdown;
    data?: { input: number[]; target: number[]; weight: number[] | null };
  };
  /** The document's file name. */
  file: string;
  /** The claim the analysis attributes to the pair, if any. */
  claim?: { text: string; status: 'holds' | 'wrong' | 'unverified' } | null;
  decimals: number;
  /** Another library's call the pair's torch loss reproduces (see {@link BreakdownExport.origin}). */
  origin?: string | null;
}

/** A {@link BreakdownExport} of a pair under the code's own options (the command's view of it). */
export function exportOfInspection(x: InspectedPair): BreakdownExport {
  const { pair, inspection: i } = x;
  const anchor = pair.call ?? pair.logits;
  return {
    source: { file: x.file, line: anchor.line, cell: anchor.cell ?? null },
    logitsName: pair.logits.argName ?? pair.logits.name,
    targetName: pair.target.argName ?? pair.target.name,
    inputShape: pair.inputShape,
    targetShape: pair.targetShape,
    targetKind: pair.targetKind ?? 'indices',
    options: {
      reduction: pair.options.reduction,
      dtype: pair.dtype,
      weight: i.data?.weight ?? pair.options.weight,
      ignoreIndex: pair.options.ignoreIndex,
      labelSmoothing: pair.options.labelSmoothing,
      // The kernel's reading of the values it has (x for NLLLoss of log_softmax(x)), not the call's.
      inputKind: pair.kernelInputKind ?? pair.options.inputKind,
    },
    C: i.C,
    sample: i.sample,
    classIndices: i.classIndices,
    losses: pair.losses,
    reduction: i.reduction,
    claim: x.claim
      ? { text: x.claim.text, holds: x.claim.status === 'unverified' ? null : x.claim.status === 'holds' }
      : null,
    data: i.data ? { input: i.data.input, target: i.data.target } : null,
    decimals: x.decimals,
    origin: x.origin ?? null,
    formula: formulaCopy(pair),
  };
}
