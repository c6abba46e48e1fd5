/**
 * Pure formatters: analysis data → hover Markdown, inlay labels, CodeLens titles, copyable text.
 * Nothing of `vscode` at run time, so vitest can check every string. Localisation comes in as
 * `l10n`: `vscode.l10n` in the extension, {@link englishL10n} in tests. The calls are written
 * `l10n.t('…')` with the type imported from 'vscode', so that @vscode/l10n-dev's extraction
 * finds these strings exactly as it finds `vscode.l10n.t('…')` elsewhere.
 */
import type { l10n } from 'vscode';
import { formatTorchNumber, formatTorchScalar } from '../core/format';
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
  /** Another library's loss (its catalogue entry, e.g. `keras.losses.CategoricalCrossentropy`), and its rule in words. */
  library?: { entry: string; mapping: string };
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
export function reductionFormula(p: PairView, decimals: number, l10n: L10n): string {
  if (p.loss === null) return '';
  const total = fmt(p.loss, decimals);
  const terms = p.losses ?? [];
  const shown = terms.length === p.count && p.count <= 8;
  if (p.reduction === 'none') return l10n.t('none: {0} per-sample losses', p.count);
  if (p.reduction === 'sum') {
    return shown
      ? `sum = ${terms.map((v) => fmt(v, decimals)).join(' + ')} = ${total}`
      : `sum = Σ ${p.count} ${l10n.t('losses')} = ${total}`;
  }
  const den = fmt(p.denominator, p.denominator !== null && Number.isInteger(p.denominator) ? 0 : decimals);
  if (shown && (p.targetKind === 'probabilities' || !p.hasWeight)) {
    return `mean = (${terms.map((v) => fmt(v, decimals)).join(' + ')}) / ${den} = ${total}`;
  }
  return `mean = ${fmt(p.numerator, decimals)} / ${den} = ${total}`;
}

/** The one-line value for inlay hints and lenses: `CE = 2.1438`. */
export function inlineLabel(p: PairView, decimals: number, l10n: L10n): string {
  if (p.error) return l10n.t('CE: error');
  if (p.loss === null) return l10n.t('CE: computing…');
  const name = p.inputKind === 'log_probs' ? 'NLL' : 'CE';
  if (p.reduction === 'none')
    return `${name} = [${(p.losses ?? [])
      .slice(0, 4)
      .map((v) => fmt(v, decimals))
      .join(', ')}${p.count > 4 ? ', …' : ''}]`;
  return `${name} = ${fmt(p.loss, decimals)}`;
}

/** CodeLens title above a pair: `cross-entropy 2.1438 · Inspect`. */
export function lensTitle(p: PairView, decimals: number, l10n: L10n): string {
  if (p.error) return l10n.t('cross-entropy: {0}', p.error);
  const value = p.loss === null ? '…' : p.reduction === 'none' ? l10n.t('{0} values', p.count) : fmt(p.loss, decimals);
  return p.inputKind === 'log_probs' ? l10n.t('NLL loss {0}', value) : l10n.t('cross-entropy {0}', value);
}

function optionsLine(p: PairView, l10n: L10n): string {
  const parts = [`reduction='${p.reduction}'`, p.dtype];
  if (p.hasWeight) parts.push('weight');
  if (p.ignoreIndex !== -100) parts.push(`ignore_index=${p.ignoreIndex}`);
  if (p.labelSmoothing) parts.push(`label_smoothing=${p.labelSmoothing}`);
  if (p.inputKind === 'log_probs') parts.push(l10n.t('log-probabilities (NLLLoss)'));
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
  const title = p.library ? p.library.entry : p.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss';
  lines.push(
    `**${escapeMarkdown(title)}**: \`${p.error ? l10n.t('error') : formatTorchScalar(p.loss ?? NaN, p.dtype)}\``,
  );
  if (p.library) lines.push('', escapeMarkdown(l10n.t("Computed by the library's own rule: {0}", p.library.mapping)));
  if (p.error) {
    lines.push('', escapeMarkdown(p.error));
  } else {
    lines.push('', '`' + reductionFormula(p, decimals, l10n) + '`');
    lines.push(
      '',
      `${escapeMarkdown(p.logitsName ?? l10n.t('logits'))} ${shapeText(p.shape)} · ${escapeMarkdown(p.targetName ?? l10n.t('target'))} ${shapeText(p.targetShape)} · ${escapeMarkdown(optionsLine(p, l10n))}`,
    );
  }
  lines.push(
    '',
    `[${l10n.t('Open in Loss Inspector')}](${links.inspect}) · [${l10n.t('Copy as PyTorch')}](${links.copy})`,
  );
  return lines.join('\n');
}

/** Hover over a logits literal: the row under the cursor as a table, and the batch loss. */
export function rowHoverMarkdown(
  p: PairView,
  row: RowView,
  decimals: number,
  l10n: L10n,
  links: { inspect: string },
): string {
  const lines: string[] = [];
  const where = p.count > 1 ? l10n.t('sample {0} of {1}', row.row, p.count) : l10n.t('single sample');
  lines.push(`**${escapeMarkdown(p.logitsName ?? l10n.t('logits'))}** ${shapeText(p.shape)} — ${where}`);
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
): string {
  const lines = [
    `**${escapeMarkdown(p.targetName ?? l10n.t('target'))}** ${shapeText(p.targetShape)}`,
    '',
    `| ${l10n.t('sample')} | ${l10n.t('class')} | p(${l10n.t('class')}) | −log p |`,
    '|---:|---:|---:|---:|',
  ];
  for (const e of entries) {
    if (e.ignored) lines.push(`| ${e.sample} | ${e.target} | ${l10n.t('ignored')} | 0 |`);
    else lines.push(`| ${e.sample} | ${e.target ?? '—'} | ${fmt(e.pTarget, decimals)} | ${fmt(e.nll, decimals)} |`);
  }
  if (entries.length < p.count) lines.push(`| … | | | |`, '', l10n.t('{0} more samples.', p.count - entries.length));
  if (p.loss !== null) lines.push('', '`' + reductionFormula(p, decimals, l10n) + '`');
  lines.push('', `[${l10n.t('Open in Loss Inspector')}](${links.inspect})`);
  return lines.join('\n');
}

export function shapeText(shape: number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}
