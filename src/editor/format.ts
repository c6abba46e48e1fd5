/**
 * Pure formatters: analysis data → hover Markdown, inlay labels, CodeLens titles, copyable text.
 * No `vscode` import, so vitest can check every string; localisation comes in as `t`, which is
 * `vscode.l10n.t` in the extension and a placeholder-filling identity in tests.
 */
import { formatTorchNumber, formatTorchScalar } from '../core/format';
import type { DType, Reduction } from '../core/types';

/** `vscode.l10n.t`'s shape: a message with `{0}`-style placeholders. */
export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

/** Fills `{0}`, `{1}`… — the English fallback and the test double for `vscode.l10n.t`. */
export const englishT: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (m, i) => (i < args.length ? String(args[Number(i)]) : m));

/** What a hover or lens needs to know about one pair. */
export interface PairView {
  id: number;
  logitsName: string | null;
  targetName: string | null;
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

/** A number with a fixed number of decimals, or torch's spelling of NaN/inf. */
export function fmt(v: number | null | undefined, decimals: number): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return formatTorchNumber(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 10 ** -decimals || abs >= 1e8)) return v.toExponential(Math.max(1, decimals - 1));
  return v.toFixed(decimals);
}

/** "mean = (2.1438 + 2.5601) / 2 = 2.3519", shortened for long batches. */
export function reductionFormula(p: PairView, decimals: number, t: Translate): string {
  if (p.loss === null) return '';
  const total = fmt(p.loss, decimals);
  const terms = p.losses ?? [];
  const shown = terms.length === p.count && p.count <= 8;
  if (p.reduction === 'none') return t('none: {0} per-sample losses', p.count);
  if (p.reduction === 'sum') {
    return shown
      ? `sum = ${terms.map((v) => fmt(v, decimals)).join(' + ')} = ${total}`
      : `sum = Σ ${p.count} ${t('losses')} = ${total}`;
  }
  const den = fmt(p.denominator, p.denominator !== null && Number.isInteger(p.denominator) ? 0 : decimals);
  if (shown && (p.targetKind === 'probabilities' || !p.hasWeight)) {
    return `mean = (${terms.map((v) => fmt(v, decimals)).join(' + ')}) / ${den} = ${total}`;
  }
  return `mean = ${fmt(p.numerator, decimals)} / ${den} = ${total}`;
}

/** The one-line value for inlay hints and lenses: `CE = 2.1438`. */
export function inlineLabel(p: PairView, decimals: number, t: Translate): string {
  if (p.error) return t('CE: error');
  if (p.loss === null) return t('CE: computing…');
  const name = p.inputKind === 'log_probs' ? 'NLL' : 'CE';
  if (p.reduction === 'none')
    return `${name} = [${(p.losses ?? [])
      .slice(0, 4)
      .map((v) => fmt(v, decimals))
      .join(', ')}${p.count > 4 ? ', …' : ''}]`;
  return `${name} = ${fmt(p.loss, decimals)}`;
}

/** CodeLens title above a pair: `cross-entropy 2.1438 · Inspect`. */
export function lensTitle(p: PairView, decimals: number, t: Translate): string {
  if (p.error) return t('cross-entropy: {0}', p.error);
  const value = p.loss === null ? '…' : p.reduction === 'none' ? t('{0} values', p.count) : fmt(p.loss, decimals);
  return p.inputKind === 'log_probs' ? t('NLL loss {0}', value) : t('cross-entropy {0}', value);
}

function optionsLine(p: PairView, t: Translate): string {
  const parts = [`reduction='${p.reduction}'`, p.dtype];
  if (p.hasWeight) parts.push('weight');
  if (p.ignoreIndex !== -100) parts.push(`ignore_index=${p.ignoreIndex}`);
  if (p.labelSmoothing) parts.push(`label_smoothing=${p.labelSmoothing}`);
  if (p.inputKind === 'log_probs') parts.push(t('log-probabilities (NLLLoss)'));
  if (p.targetKind === 'probabilities') parts.push(t('probability targets'));
  return parts.join(' · ');
}

/** Hover over a loss call or a printed claim: the total, the reduction with its numbers, the dtype. */
export function lossHoverMarkdown(
  p: PairView,
  decimals: number,
  t: Translate,
  links: { inspect: string; copy: string },
): string {
  const lines: string[] = [];
  const title = p.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss';
  lines.push(`**${title}**: \`${p.error ? t('error') : formatTorchScalar(p.loss ?? NaN, p.dtype)}\``);
  if (p.error) {
    lines.push('', escapeMarkdown(p.error));
  } else {
    lines.push('', '`' + reductionFormula(p, decimals, t) + '`');
    lines.push(
      '',
      `${escapeMarkdown(p.logitsName ?? t('logits'))} ${shapeText(p.shape)} · ${escapeMarkdown(p.targetName ?? t('target'))} ${shapeText(p.targetShape)} · ${escapeMarkdown(optionsLine(p, t))}`,
    );
  }
  lines.push('', `[${t('Open in Loss Inspector')}](${links.inspect}) · [${t('Copy as PyTorch')}](${links.copy})`);
  return lines.join('\n');
}

/** Hover over a logits literal: the row under the cursor as a table, and the batch loss. */
export function rowHoverMarkdown(
  p: PairView,
  row: RowView,
  decimals: number,
  t: Translate,
  links: { inspect: string },
): string {
  const lines: string[] = [];
  const where = p.count > 1 ? t('sample {0} of {1}', row.row, p.count) : t('single sample');
  lines.push(`**${escapeMarkdown(p.logitsName ?? t('logits'))}** ${shapeText(p.shape)} — ${where}`);
  lines.push('');
  lines.push(`| ${t('class')} | ${t('logit')} | softmax p | log p |`);
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
  if (row.ignored) lines.push(t('Target is ignore_index: this sample adds 0 and is left out of the mean.'));
  else if (row.target !== null)
    lines.push(t('Loss of this sample: −log p[{0}] = {1}', row.target, fmt(row.loss, decimals)));
  else lines.push(t('Loss of this sample: {0}', fmt(row.loss, decimals)));
  if (p.loss !== null && p.count > 1) lines.push('', t('Batch loss ({0}): {1}', p.reduction, fmt(p.loss, decimals)));
  if (row.classes.length < row.C)
    lines.push(
      '',
      t(
        'Showing the {0} most likely of {1} classes and the target.',
        row.classes.length - (row.target !== null && !topContains(row) ? 1 : 0),
        row.C,
      ),
    );
  lines.push('', `[${t('Open in Loss Inspector')}](${links.inspect})`);
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
  t: Translate,
  links: { inspect: string },
): string {
  const lines = [
    `**${escapeMarkdown(p.targetName ?? t('target'))}** ${shapeText(p.targetShape)}`,
    '',
    `| ${t('sample')} | ${t('class')} | p(${t('class')}) | −log p |`,
    '|---:|---:|---:|---:|',
  ];
  for (const e of entries) {
    if (e.ignored) lines.push(`| ${e.sample} | ${e.target} | ${t('ignored')} | 0 |`);
    else lines.push(`| ${e.sample} | ${e.target ?? '—'} | ${fmt(e.pTarget, decimals)} | ${fmt(e.nll, decimals)} |`);
  }
  if (entries.length < p.count) lines.push(`| … | | | |`, '', t('{0} more samples.', p.count - entries.length));
  if (p.loss !== null) lines.push('', '`' + reductionFormula(p, decimals, t) + '`');
  lines.push('', `[${t('Open in Loss Inspector')}](${links.inspect})`);
  return lines.join('\n');
}

export function shapeText(shape: number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** A PyTorch snippet that reproduces the pair's loss. */
export function pytorchSnippet(
  input: { shape: number[]; data: ArrayLike<number> },
  target: { shape: number[]; data: ArrayLike<number>; probabilities: boolean },
  p: {
    dtype: DType;
    reduction: Reduction;
    weight: number[] | null;
    ignoreIndex: number;
    labelSmoothing: number;
    inputKind: 'logits' | 'log_probs';
  },
): string {
  const dt = p.dtype === 'float64' ? 'torch.float64' : 'torch.float32';
  const lit = (shape: number[], data: ArrayLike<number>, asInt: boolean) => nestedLiteral(shape, data, asInt);
  const opts: string[] = [];
  if (p.weight) opts.push(`weight=torch.tensor(${lit([p.weight.length], p.weight, false)}, dtype=${dt})`);
  if (p.ignoreIndex !== -100) opts.push(`ignore_index=${p.ignoreIndex}`);
  if (p.reduction !== 'mean') opts.push(`reduction='${p.reduction}'`);
  if (p.labelSmoothing && p.inputKind === 'logits') opts.push(`label_smoothing=${p.labelSmoothing}`);
  const loss = p.inputKind === 'log_probs' ? 'nn.NLLLoss' : 'nn.CrossEntropyLoss';
  return [
    'import torch',
    'import torch.nn as nn',
    '',
    `input = torch.tensor(${lit(input.shape, input.data, false)}, dtype=${dt})`,
    target.probabilities
      ? `target = torch.tensor(${lit(target.shape, target.data, false)}, dtype=${dt})`
      : `target = torch.tensor(${lit(target.shape, target.data, true)}, dtype=torch.long)`,
    `criterion = ${loss}(${opts.join(', ')})`,
    'loss = criterion(input, target)',
    'print(loss)',
    '',
  ].join('\n');
}

function pyNumber(v: number, asInt: boolean): string {
  if (v !== v) return "float('nan')";
  if (v === Infinity) return "float('inf')";
  if (v === -Infinity) return "float('-inf')";
  if (asInt) return String(v);
  return Number.isInteger(v) ? `${v}.` : String(v);
}

function nestedLiteral(shape: number[], data: ArrayLike<number>, asInt: boolean): string {
  if (shape.length === 0) return pyNumber(data[0], asInt);
  const rec = (dim: number, offset: number): string => {
    const n = shape[dim];
    let stride = 1;
    for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
    const parts: string[] = [];
    for (let i = 0; i < n; i++)
      parts.push(dim === shape.length - 1 ? pyNumber(data[offset + i], asInt) : rec(dim + 1, offset + i * stride));
    return `[${parts.join(', ')}]`;
  };
  return rec(0, 0);
}
