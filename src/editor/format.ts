/**
 * Pure formatters: analysis data → hover Markdown, inlay labels, CodeLens titles, copyable text.
 * Nothing of `vscode` at run time, so vitest can check every string. Localisation comes in as
 * `l10n`: `vscode.l10n` in the extension, {@link englishL10n} in tests. The calls are written
 * `l10n.t('…')` with the type imported from 'vscode', so that @vscode/l10n-dev's extraction
 * finds these strings exactly as it finds `vscode.l10n.t('…')` elsewhere.
 */
import type { l10n } from 'vscode';
import { formatTorchNumber, formatTorchScalar } from '../core/format';
import type { NoTorchReason } from '../core/libraryView';
import { assumedTorchMark, assumedTorchText, noTorchCopyText } from '../core/sharedText';
import type { DType, Reduction } from '../core/types';

/** What the formatters use of `vscode.l10n`. */
export type L10n = Pick<typeof l10n, 't'>;

/** Fills `{0}`, `{1}`… without translating: the English fallback and the test double for `vscode.l10n`. */
export const englishL10n: L10n = {
  t: ((message: string | { message: string; args?: unknown[] | Record<string, unknown> }, ...rest: unknown[]) => {
    const text = typeof message === 'string' ? message : message.message;
    const first = typeof message === 'string' ? rest[0] : message.args;
    const args: Record<string, unknown> =
      typeof message === 'string' && (rest.length !== 1 || typeof first !== 'object' || first === null)
        ? { ...rest }
        : ((first ?? {}) as Record<string, unknown>);
    return text.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(args, k) ? String(args[k]) : m));
  }) as L10n['t'],
};

/** What a hover or lens needs to know about one pair. */
export interface PairView {
  id: number;
  logitsName: string | null;
  targetName: string | null;
  /** Input shape as computed (a (C) row read with a one-element target becomes (1, C)). */
  shape: number[];
  targetShape: number[];
  dtype: DType;
  reduction: Reduction;
  loss: number | null;
  /** First sample losses (all of them for small batches). */
  losses: number[] | null;
  /** Total number of samples (N·d1·…·dK). */
  count: number;
  numerator: number | null;
  denominator: number | null;
  labelSmoothing: number;
  ignoreIndex: number;
  hasWeight: boolean;
  inputKind: 'logits' | 'log_probs';
  targetKind: 'indices' | 'probabilities' | null;
  error: string | null;
  /**
   * Another library's loss: its catalogue entry (`keras.losses.CategoricalCrossentropy`), its rule in
   * words, the library as people write it (`Keras`), and torch's call that gives the same number,
   * with the code's options (`CrossEntropyLoss(reduction='sum')`), or null when only the library's
   * own rule does.
   */
  library?: { entry: string; mapping: string; name?: string; torch?: string | null };
  /**
   * What computes the loss when it is not torch's own call, as the title names it: another
   * library's call with its options (`keras.losses.SparseCategoricalCrossentropy(from_logits=True)`)
   * or a formula (`numpy formula −log p[y]`).
   */
  title?: string;
  /**
   * The name an inline value gives another library's loss: the short name of the call the code
   * makes (`SparseCategoricalCrossentropy`, `log_loss`). Absent: torch's `CE` / `NLL`.
   */
  inlineName?: string;
  /**
   * The code prints the titled loss as a torch tensor (a formula written with torch ops): the hover
   * shows `tensor(0.2870)` as torch's own losses do. Absent: a plain number.
   */
  printsTensor?: boolean;
  /** Why "Copy as PyTorch" is not offered (absent: it is): see src/core/libraryView.ts. */
  noTorchCopy?: NoTorchReason;
  /** Why the loss is not computed (absent: it is, or it failed with {@link error}). */
  unverified?: string;
  /**
   * torch's loss read through a name the file never binds (`F` of `F.cross_entropy`) and the torch
   * path it was taken to be: the lens and the hover mark it "assumed torch", the hover says why.
   */
  assumedTorch?: { name: string; path: string };
}

/** ` (assumed torch)` after a loss's name when the file does not import what it is read as; '' otherwise. */
function assumedSuffix(p: Pick<PairView, 'assumedTorch'>, l10n: L10n): string {
  return p.assumedTorch ? ` (${assumedTorchMark(l10n)})` : '';
}

/** A pair the analysis reported without a number on purpose (not one the worker is still computing). */
function notComputed(p: PairView): boolean {
  return p.unverified !== undefined && p.loss === null && p.losses === null;
}

/** One class of one row, as the hover table shows it. */
export interface ClassView {
  index: number;
  logit: number;
  softmax: number;
  logSoftmax: number;
}

/** The row of a logits literal under the cursor. */
export interface RowView {
  /** Index of the sample in the batch (n, or the flat element for K-dim). */
  row: number;
  /** Class index, or null for probability targets. */
  target: number | null;
  ignored: boolean;
  /** The classes shown: the top-k by probability plus the target, in class order. */
  classes: ClassView[];
  /** Number of classes in the row. */
  C: number;
  loss: number;
}

/** Escapes text from a document for Markdown: names and claim text are shown as text, never markup. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * A number for reading (hovers, inlay hints, lenses): a fixed number of decimals, or torch's
 * spelling of NaN/inf, with the minus sign U+2212 as in the labels around it (`−log p`). Text that
 * is code (what torch prints, snippets) keeps the ASCII hyphen-minus.
 */
export function fmt(v: number | null | undefined, decimals: number): string {
  if (v === null || v === undefined) return '—';
  return displayMinus(asciiFixed(v, decimals));
}

function asciiFixed(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return formatTorchNumber(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 10 ** -decimals || abs >= 1e8)) return v.toExponential(Math.max(1, decimals - 1));
  const fixed = v.toFixed(decimals);
  // -0.00001 rounds to "-0.0000": the sign of a value shown as zero says nothing.
  return /^-0\.?0*$/.test(fixed) ? fixed.slice(1) : fixed;
}

/** ASCII hyphen-minus → U+2212, for numbers in prose and tables. */
export function displayMinus(text: string): string {
  return text.replace(/-/g, '\u2212');
}

/**
 * The value a float computation produced, with just enough digits to name it: the shortest decimal
 * that rounds to the same float32 for float32, JavaScript's shortest round trip for float64.
 */
export function computedValue(v: number, dtype: DType): string {
  if (!Number.isFinite(v)) return displayMinus(formatTorchNumber(v));
  if (dtype === 'float64') return displayMinus(String(v));
  const f = Math.fround(v);
  for (let digits = 1; digits <= 9; digits++) {
    const text = f.toPrecision(digits);
    if (Math.fround(Number(text)) === f) return displayMinus(String(Number(text)));
  }
  return displayMinus(String(f));
}

/** "mean = (2.1438 + 2.5601) / 2 = 2.3519", shortened for long batches. */
export function reductionFormula(p: PairView, decimals: number, l10n: L10n): string {
  // reduction='none' has no total (loss is null): say what it gives instead of an empty line.
  // No rows (N = 0 or a zero d_i): torch's reductions of nothing, named as such.
  if (p.count === 0 && p.reduction === 'none') return l10n.t('none: an empty tensor, no per-sample losses');
  // A 0-d result (one unbatched row) is the number itself: no list to describe.
  if (p.reduction === 'none') return vectorResult(p) ? l10n.t('none: {0} per-sample losses', p.count) : '';
  if (p.loss === null) return '';
  const total = fmt(p.loss, decimals);
  if (p.count === 0) return p.reduction === 'sum' ? `sum = Σ ∅ = ${total}` : `mean = 0 / 0 = ${total}`;
  const terms = p.losses ?? [];
  const shown = terms.length === p.count && p.count <= 8;
  if (p.reduction === 'sum') {
    return shown
      ? `sum = ${terms.map((v) => fmt(v, decimals)).join(' + ')} = ${total}`
      : `sum = Σ ${p.count} ${l10n.t('losses')} = ${total}`;
  }
  const den = fmt(p.denominator, p.denominator !== null && Number.isInteger(p.denominator) ? 0 : decimals);
  if (shown && (p.targetKind === 'probabilities' || !p.hasWeight) && p.denominator === p.count) {
    return `mean = (${terms.map((v) => fmt(v, decimals)).join(' + ')}) / ${den} = ${total}`;
  }
  // Name the denominator: a bare "/ 1.5" does not say it is the sum of the targets' weights.
  const divisor =
    p.hasWeight && p.targetKind !== 'probabilities'
      ? 'Σ w[target]'
      : p.denominator === null || p.denominator === p.count
        ? 'N'
        : '(N − ignored)';
  return `mean = Σ loss / ${divisor} = ${fmt(p.numerator, decimals)} / ${den} = ${total}`;
}

/**
 * The one-line value for inlay hints: `CE = 2.1438`, or for another library's call the call's short
 * name, `SparseCategoricalCrossentropy = 0.2874` (the full call is on the same line in the code).
 */
export function inlineLabel(p: PairView, decimals: number, l10n: L10n): string {
  if (p.error) return p.inlineName ? l10n.t('{0}: error', p.inlineName) : l10n.t('CE: error');
  if (notComputed(p)) return p.inlineName ? l10n.t('{0}: not computed', p.inlineName) : l10n.t('CE: not computed');
  if (p.loss === null && p.losses === null) return inlinePending(p, l10n);
  const name = p.inlineName ?? (p.inputKind === 'log_probs' ? 'NLL' : 'CE');
  if (vectorResult(p) || p.loss === null)
    return `${name} = [${(p.losses ?? [])
      .slice(0, 4)
      .map((v) => fmt(v, decimals))
      .join(', ')}${p.count > 4 ? ', …' : ''}]`;
  return `${name} = ${fmt(p.loss, decimals)}`;
}

/** The inline value while the worker computes: `CE: computing…`. */
export function inlinePending(p: Pick<PairView, 'inlineName'>, l10n: L10n): string {
  return p.inlineName ? l10n.t('{0}: computing…', p.inlineName) : l10n.t('CE: computing…');
}

/** The inline value's tooltip: what computed it. */
export function inlineTooltip(p: Pick<PairView, 'title' | 'inlineName' | 'library'>, l10n: L10n): string {
  if (p.title && p.inlineName && p.library) return l10n.t('Computed by Loss Inspector with the rule of {0}.', p.title);
  if (p.title) return l10n.t('Computed by Loss Inspector: {0}.', p.title);
  return l10n.t('Computed by Loss Inspector as torch.nn.CrossEntropyLoss would.');
}

/**
 * Whether the pair's result is a vector of per-sample losses ('none'), shown as a list or a count.
 * A 1-D input under 'none' (torch's, or a per-element rule such as braintools' nll_loss) gives a 0-d
 * result: one number, which the lens and the inline value show as the hover does.
 */
function vectorResult(p: Pick<PairView, 'reduction' | 'loss' | 'losses'>): boolean {
  return p.reduction === 'none' && p.losses !== null && (p.loss === null || p.losses.length > 1);
}

/** CodeLens title above a pair: `cross-entropy 2.1438 · Inspect`. */
export function lensTitle(p: PairView, decimals: number, l10n: L10n): string {
  if (p.error) return l10n.t('cross-entropy: {0}', p.error);
  if (notComputed(p)) return p.title ? l10n.t('{0}: not computed', p.title) : l10n.t('cross-entropy: not computed');
  const vector = vectorResult(p);
  const value = vector ? l10n.t('{0} values', p.count) : p.loss === null ? '…' : fmt(p.loss, decimals);
  // Another library's call or a formula: named as the code computes it, with its value.
  if (p.title) return `${p.title}${assumedSuffix(p, l10n)} = ${value}`;
  return (
    (p.inputKind === 'log_probs' ? l10n.t('NLL loss {0}', value) : l10n.t('cross-entropy {0}', value)) +
    assumedSuffix(p, l10n)
  );
}

function optionsLine(p: PairView, l10n: L10n): string {
  const parts = [`reduction='${p.reduction}'`, p.dtype];
  if (p.hasWeight) parts.push('weight');
  if (p.ignoreIndex !== -100) parts.push(`ignore_index=${p.ignoreIndex}`);
  if (p.labelSmoothing) parts.push(`label_smoothing=${p.labelSmoothing}`);
  // Another library's call reads log-probabilities only when torch's NLLLoss is what gives its number
  // (a binary cross-entropy or scikit-learn's probabilities are not NLLLoss inputs, whatever the kernel's reading).
  // A hand formula (titled, no library) is no NLLLoss either, whatever the kernel beside it reads.
  const nll = p.library ? !!p.library.torch?.startsWith('NLLLoss') : !p.title && p.inputKind === 'log_probs';
  if (nll) parts.push(l10n.t('log-probabilities (NLLLoss)'));
  if (p.targetKind === 'probabilities') parts.push(l10n.t('probability targets'));
  return parts.join(' · ');
}

/** Hover over a loss call or a printed claim: the total, the reduction with its numbers, the dtype. */
export function lossHoverMarkdown(
  p: PairView,
  decimals: number,
  l10n: L10n,
  links: { inspect: string; copy: string },
): string {
  const lines: string[] = [];
  const title = p.title ?? (p.library ? p.library.entry : p.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss');
  // torch's loss, or a formula of torch ops, as torch prints it (`tensor(2.1438)`); another library's or a
  // numpy formula's as a plain number, since that code never prints a torch tensor (the dtype is on the options line).
  const value =
    p.title && !p.printsTensor ? formatTorchNumber(p.loss ?? NaN) : formatTorchScalar(p.loss ?? NaN, p.dtype);
  const none = notComputed(p);
  lines.push(
    // A vector output (reduction 'none', or a library's per-example losses) has no single value to print.
    `**${escapeMarkdown(title)}**${escapeMarkdown(assumedSuffix(p, l10n))}: \`${p.error ? l10n.t('error') : none ? l10n.t('not computed') : vectorResult(p) || (p.loss === null && p.reduction === 'none') ? l10n.t('{0} values', p.count) : value}\``,
  );
  if (p.library) lines.push('', escapeMarkdown(mappingText(p.library, l10n)));
  if (p.assumedTorch) lines.push('', escapeMarkdown(assumedTorchText(p.assumedTorch, l10n)));
  if (p.error) {
    lines.push('', escapeMarkdown(p.error));
  } else if (none) {
    // No number and no reduction to show: why, and what the call was given.
    lines.push('', escapeMarkdown(l10n.t('This loss is not computed: {0}.', p.unverified ?? '')));
    lines.push(
      '',
      `${escapeMarkdown(p.logitsName ?? l10n.t('logits'))} ${shapeText(p.shape)} · ${escapeMarkdown(p.targetName ?? l10n.t('target'))} ${shapeText(p.targetShape)}`,
    );
  } else {
    const formula = reductionFormula(p, decimals, l10n);
    if (formula) lines.push('', '`' + formula + '`');
    if (p.count === 0)
      lines.push(
        '',
        escapeMarkdown(
          l10n.t(
            'The batch has no rows, so there is no sample to take a loss of: torch gives nan for the mean (0/0), 0 for the sum and an empty tensor for none.',
          ),
        ),
      );
    lines.push(
      '',
      `${escapeMarkdown(p.logitsName ?? l10n.t('logits'))} ${shapeText(p.shape)} · ${escapeMarkdown(p.targetName ?? l10n.t('target'))} ${shapeText(p.targetShape)} · ${escapeMarkdown(optionsLine(p, l10n))}`,
    );
  }
  if (p.noTorchCopy && p.noTorchCopy !== 'no_number')
    lines.push('', escapeMarkdown(l10n.t('No "Copy as PyTorch": {0}', noTorchCopyText(p.noTorchCopy, l10n))));
  const open = `[${l10n.t('Open in Loss Inspector')}](${links.inspect})`;
  lines.push('', p.noTorchCopy ? open : `${open} · [${l10n.t('Copy as PyTorch')}](${links.copy})`);
  return lines.join('\n');
}

/**
 * How another library's call maps to torch, in a sentence: torch's call that gives the same number
 * (`Computed as torch’s CrossEntropyLoss(reduction='sum'): …`), or the library's own rule.
 */
export function mappingText(lib: NonNullable<PairView['library']>, l10n: L10n): string {
  return lib.torch
    ? l10n.t('Computed as torch’s {0}, the same number: {1}', lib.torch, lib.mapping)
    : l10n.t("Computed by the library's own rule: {0}", lib.mapping);
}

/** The CodeLens tooltip's first line for another library's call: the call and how it maps to torch. */
export function lensMapping(p: Pick<PairView, 'library' | 'title'>, l10n: L10n): string | null {
  if (!p.library || !p.title) return null;
  return p.library.torch
    ? l10n.t('{0}, computed as torch’s {1}', p.title, p.library.torch)
    : l10n.t('{0}, computed by the rule of {1}', p.title, p.library.name ?? p.library.entry);
}

/**
 * What a hover over a literal says about the literal itself, apart from the pair it computes: the
 * literal's own name (the pair may use it through another name, `x_log` for `log_softmax(x)`), and
 * how many other pairs use the same literal.
 */
export interface LiteralView {
  /** The variable or key the literal is assigned to, or null. */
  name: string | null;
  /** The literal's shape as written. */
  shape: number[];
  /** Other pairs that use this literal (as logits or as target) besides the one shown. */
  otherPairs: number;
  /** Where the pair shown computes its loss: "line 19", "cell 2, line 4". */
  pairPlace: string | null;
}

/** "Loss of `criterion(output, target)` on line 19 · also used by 2 more pairs". */
function literalUseLine(about: LiteralView | undefined, l10n: L10n): string | null {
  if (!about) return null;
  const parts: string[] = [];
  if (about.pairPlace) parts.push(l10n.t('pair on {0}', about.pairPlace));
  if (about.otherPairs === 1) parts.push(l10n.t('also used by 1 more pair'));
  else if (about.otherPairs > 1) parts.push(l10n.t('also used by {0} more pairs', about.otherPairs));
  return parts.length ? parts.join(' · ') : null;
}

/**
 * Which sample a row is, without mixing a 0-based index with a 1-based count: `x[1] of 2 samples`
 * for an (N, C) literal; for K-dimensional inputs the flat position, counted from 0.
 */
function sampleLabel(p: PairView, row: number, name: string, l10n: L10n): string {
  if (p.count <= 1) return l10n.t('single sample');
  if (p.shape.length === 2) return l10n.t('{0}[{1}], one of {2} samples', name, row, p.count);
  return l10n.t('position {0} of {1} (counted from 0)', row, p.count);
}

/** Hover over a logits literal: the row under the cursor as a table, and the batch loss. */
export function rowHoverMarkdown(
  p: PairView,
  row: RowView,
  decimals: number,
  l10n: L10n,
  links: { inspect: string },
  about?: LiteralView,
): string {
  const lines: string[] = [];
  const name = about?.name ?? p.logitsName ?? l10n.t('logits');
  lines.push(
    `**${escapeMarkdown(name)}** ${shapeText(about?.shape ?? p.shape)} — ${escapeMarkdown(sampleLabel(p, row.row, name, l10n))}`,
  );
  const use = literalUseLine(about, l10n);
  if (use) lines.push('', escapeMarkdown(use));
  lines.push('');
  lines.push(`| ${l10n.t('class')} | ${l10n.t('logit')} | softmax p | log p |`);
  lines.push('|---:|---:|---:|---:|');
  let last = -1;
  for (const c of row.classes) {
    if (c.index > last + 1) lines.push('| … | | | |');
    const mark = c.index === row.target ? `**▶ ${c.index}**` : String(c.index);
    lines.push(
      `| ${mark} | ${fmt(c.logit, decimals)} | ${fmt(c.softmax, decimals)} | ${fmt(c.logSoftmax, decimals)} |`,
    );
    last = c.index;
  }
  if (last < row.C - 1) lines.push('| … | | | |');
  lines.push('');
  if (row.ignored) lines.push(l10n.t('Target is ignore_index: this sample adds 0 and is left out of the mean.'));
  else if (row.target !== null)
    lines.push(l10n.t('Loss of this sample: −log p[{0}] = {1}', row.target, fmt(row.loss, decimals)));
  else lines.push(l10n.t('Loss of this sample: {0}', fmt(row.loss, decimals)));
  if (p.loss !== null && p.count > 1)
    lines.push('', l10n.t('Batch loss ({0}): {1}', p.reduction, fmt(p.loss, decimals)));
  if (row.classes.length < row.C)
    lines.push(
      '',
      l10n.t(
        'Showing the {0} most likely of {1} classes and the target.',
        row.classes.length - (row.target !== null && !topContains(row) ? 1 : 0),
        row.C,
      ),
    );
  lines.push('', `[${l10n.t('Open in Loss Inspector')}](${links.inspect})`);
  return lines.join('\n');
}

function topContains(row: RowView): boolean {
  const sorted = [...row.classes].sort((a, b) => b.softmax - a.softmax);
  return sorted.slice(0, row.classes.length - 1).some((c) => c.index === row.target);
}

/** One target entry for the target hover. */
export interface TargetEntry {
  sample: number;
  target: number | null;
  pTarget: number;
  nll: number;
  ignored: boolean;
}

/** Hover over a target literal: each target's class, p(class) and −log p. */
export function targetHoverMarkdown(
  p: PairView,
  entries: TargetEntry[],
  decimals: number,
  l10n: L10n,
  links: { inspect: string },
  about?: LiteralView,
): string {
  const use = literalUseLine(about, l10n);
  const lines = [
    `**${escapeMarkdown(about?.name ?? p.targetName ?? l10n.t('target'))}** ${shapeText(about?.shape ?? p.targetShape)}`,
    ...(use ? ['', escapeMarkdown(use)] : []),
    '',
    `| ${l10n.t('sample')} | ${l10n.t('class')} | p(${l10n.t('class')}) | −log p |`,
    '|---:|---:|---:|---:|',
  ];
  for (const e of entries) {
    if (e.ignored) lines.push(`| ${e.sample} | ${e.target} | ${l10n.t('ignored')} | 0 |`);
    else lines.push(`| ${e.sample} | ${e.target ?? '—'} | ${fmt(e.pTarget, decimals)} | ${fmt(e.nll, decimals)} |`);
  }
  if (entries.length < p.count) lines.push(`| … | | | |`, '', l10n.t('{0} more samples.', p.count - entries.length));
  const formula = p.loss !== null ? reductionFormula(p, decimals, l10n) : '';
  if (formula) lines.push('', '`' + formula + '`');
  lines.push('', `[${l10n.t('Open in Loss Inspector')}](${links.inspect})`);
  return lines.join('\n');
}

/** A shape as torch writes it, `(2, 10)`, `(2,)`; a 0-d tensor (one class index) is `(scalar)`. */
export function shapeText(shape: number[]): string {
  if (shape.length === 0) return '(scalar)';
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** Where something is, in words: "line 19", or "cell 3, line 2" in a notebook (cells counted from 1). */
export function placeText(line: number, cell: number | undefined, l10n: L10n): string {
  return cell === undefined ? l10n.t('line {0}', line) : l10n.t('cell {0}, line {1}', cell + 1, line);
}

/** What the claim formatters need of a judged claim. */
export interface ClaimView {
  status: 'holds' | 'wrong' | 'unverified';
  /** As written: `tensor(2.1438)`, `2.143818427948945`. */
  text: string;
  /** What the code prints, in the claim's own style; null when unverified. */
  expected: string | null;
  /** Our value for what was claimed; null when unverified. */
  computed: number | null;
  /** Digits after the point as printed in the claim. */
  decimals: number;
  /** The printed expression when it is not one loss: `(loss1 + loss2)/2`. */
  expression: string | null;
  /** Why an unverified claim could not be checked. */
  reason: string | null;
}

/** The precision a claim's value was computed in, from its pair or from the style it prints in. */
export function claimDtype(claim: Pick<ClaimView, 'expected' | 'text'>, pairDtype: DType | null): DType {
  if (pairDtype) return pairDtype;
  const printed = claim.expected ?? claim.text;
  if (printed.startsWith('tensor(')) return printed.includes('float64') ? 'float64' : 'float32';
  // A bare number is a Python float or a numpy float64.
  return 'float64';
}

/**
 * The inline mark at the end of a claim line: `✓ torch prints tensor(2.1438)` when the claim holds,
 * `✗ torch prints tensor(2.3519)` (the right value) when it does not, `? not checked` otherwise.
 */
export function claimInlineLabel(claim: ClaimView, l10n: L10n): string {
  if (claim.status === 'unverified' || claim.expected === null) return l10n.t('? not checked');
  const tensor = claim.expected.startsWith('tensor(');
  if (claim.status === 'holds')
    return tensor ? l10n.t('✓ torch prints {0}', claim.expected) : l10n.t('✓ prints {0}', claim.expected);
  return tensor ? l10n.t('✗ torch prints {0}', claim.expected) : l10n.t('✗ prints {0}', claim.expected);
}

/**
 * The one sentence for a wrong claim (the diagnostic, and Check All Claims): what was claimed and
 * what the code prints, both at the claim's own precision. The hover does not repeat it: VS Code
 * shows the diagnostic in the same hover.
 */
export function claimMismatchMessage(claim: Pick<ClaimView, 'text' | 'expected'>, l10n: L10n): string {
  return l10n.t('Claimed {0}, but the code prints {1}.', claim.text, claim.expected ?? '?');
}

/** The claim part of a hover over a claim: the verdict and the number computed for it. */
export function claimHoverMarkdown(claim: ClaimView, dtype: DType, l10n: L10n): string {
  const code = (t: string) => '`' + t.replace(/`/g, "'") + '`';
  const what = claim.expression ? `${code(claim.expression)} = ` : '';
  switch (claim.status) {
    case 'holds':
      return [
        `**✓** ${l10n.t('This printed value is right.')}`,
        '',
        `${l10n.t('Computed:')} ${what}${computedValue(claim.computed ?? NaN, dtype)} (${dtype})`,
      ].join('\n');
    case 'wrong':
      // The diagnostic's sentence (claimed vs printed) is shown in this same hover: only the number here.
      return `**✗** ${l10n.t('Computed:')} ${what}${fmt(claim.computed, claim.decimals)} (${dtype})`;
    case 'unverified':
      return l10n.t(
        'This value could not be checked: {0}',
        escapeMarkdown(claim.reason ?? l10n.t('its expression is not one Loss Inspector can evaluate')),
      );
  }
}
