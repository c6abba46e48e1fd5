/**
 * The step table of a {@link PanelState} as Markdown or CSV, for the panel's copy buttons. Pure,
 * so the controller's `onCopy` can call it and tests can check it. The table holds the classes the
 * panel shows (all of them when C ≤ 21); names from the document are escaped for Markdown.
 */
import type { PanelState, SampleView } from '../protocol/webview';

/** One row of the step table: a label and one value per shown class (null: not applicable). */
export interface StepRow {
  label: string;
  values: (number | null)[];
}

/** The rows of the step table in the order the panel shows them. */
export function stepRows(s: SampleView): StepRow[] {
  const n = s.classIndices.length;
  const once = (v: number | null) => [v, ...new Array<number | null>(Math.max(0, n - 1)).fill(null)];
  const rows: StepRow[] = [];
  const logits = s.inputKind === 'log_probs';
  rows.push({ label: logits ? 'log p (input)' : 'logit x', values: s.logits });
  if (s.shifted) rows.push({ label: 'x − max', values: s.shifted });
  if (s.exp) rows.push({ label: 'exp(x − max)', values: s.exp });
  if (s.sumExp !== null) rows.push({ label: 'Σexp', values: once(s.sumExp) });
  rows.push({ label: 'softmax p', values: s.softmax });
  if (!logits) rows.push({ label: 'log p', values: s.logSoftmax });
  rows.push({ label: 'q', values: s.q });
  rows.push({ label: '−q·log p', values: s.qLogP });
  rows.push({ label: 'weight w', values: s.weight });
  if (s.weight.some((w) => w !== 1)) rows.push({ label: '−w·q·log p', values: s.contributions });
  if (s.grad) rows.push({ label: '∂L/∂x', values: s.grad });
  return rows;
}

function fixed(v: number | null, decimals: number): string {
  if (v === null) return '';
  if (v !== v) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return (Object.is(v, -0) ? 0 : v).toFixed(decimals);
}

function escapeCell(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>&~]/g, (c) => `\\${c}`);
}

function sampleTitle(state: PanelState, s: SampleView): string {
  const pair = state.pair;
  const name = pair?.logitsName ?? 'logits';
  const where = s.position.length ? `[${s.position.join(', ')}]` : '';
  const target = s.target === null ? 'probabilities' : String(s.target);
  return `${name}${where} · target ${target} · loss ${fixed(s.loss, state.decimals)} (${s.dtype})`;
}

/** The step table as a Markdown table, with `state.decimals` decimals; '' without a sample. */
export function stepTableMarkdown(state: PanelState): string {
  const s = state.sample;
  if (!s) return '';
  const header = ['step', ...s.classIndices.map((c) => (c === s.target ? `**${c}** (target)` : String(c)))];
  const lines = [
    `**${escapeCell(sampleTitle(state, s))}**`,
    '',
    `| ${header.join(' | ')} |`,
    `|---|${header
      .slice(1)
      .map(() => '---:')
      .join('|')}|`,
  ];
  for (const row of stepRows(s))
    lines.push(`| ${row.label} | ${row.values.map((v) => fixed(v, state.decimals)).join(' | ')} |`);
  if (s.classIndices.length < s.C) lines.push('', `Showing ${s.classIndices.length} of ${s.C} classes.`);
  return `${lines.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvNumber(v: number | null): string {
  if (v === null) return '';
  if (v !== v) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

/** The step table as CSV, full precision, one row per step; '' without a sample. */
export function stepTableCsv(state: PanelState): string {
  const s = state.sample;
  if (!s) return '';
  const lines = [['step', ...s.classIndices.map(String)].join(',')];
  for (const row of stepRows(s)) lines.push([csvField(row.label), ...row.values.map(csvNumber)].join(','));
  lines.push(['loss', csvNumber(s.loss)].join(','));
  return `${lines.join('\n')}\n`;
}
