/**
 * What `scan` and `check` print: the JSON of docs/cli.md (built from a DocumentAnalysis) and
 * the human-readable report with a per-sample breakdown table.
 */
import type {
  ArraySite,
  ArraySiteRef,
  ClaimAnalysis,
  DocumentAnalysis,
  Finding,
  PairAnalysis,
} from '../core/detection';
import { formatShape } from '../core/errors';
import type { Reduction, TargetKind } from '../core/types';
import { formatTorchNumber, jsonNumber } from '../core/format';
import { computeLoss, sampleBreakdown } from '../core/kernel';
import { inputRole, isBinaryPair, type InputRole } from '../core/libraryView';
import { assumedTorchMark, assumedTorchText, type CoreL10n } from '../core/sharedText';

/** The core's shared sentences in English, as the editor shows them without a language pack. */
const english: CoreL10n = {
  t: (message, ...args) =>
    message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m)),
};

/** Rows of the per-sample table shown before "… more". */
const maxRows = 8;

/** `file:line`, or `file:cellN:line` for notebooks (cells counted from 1, as editors show them). */
export function where(path: string, line: number, cell?: number): string {
  return cell === undefined ? `${path}:${line}` : `${path}:cell${cell + 1}:${line}`;
}

function refJson(r: ArraySiteRef, site: ArraySite | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { name: r.name, line: r.line, shape: r.shape };
  if (r.cell !== undefined) out.cell = r.cell;
  if (r.argName) out.arg_name = r.argName;
  if (site) {
    out.constructor_name = site.constructorName;
    out.dtype = site.dtype ?? (site.isIntegerTensor ? 'int64' : null);
  }
  return out;
}

/** A claim as JSON (docs/cli.md: line, text, value, holds; plus status, computed, expected). */
export function claimJson(c: ClaimAnalysis): Record<string, unknown> {
  const out: Record<string, unknown> = {
    line: c.line,
    text: c.text,
    value: jsonNumber(c.value),
    holds: c.status === 'holds' ? true : c.status === 'wrong' ? false : null,
    status: c.status,
    computed: c.computed === null ? null : jsonNumber(c.computed),
    expected: c.expected,
    pair: c.pairId,
    expression: c.expression,
    source: c.source,
  };
  if (c.cell !== undefined) out.cell = c.cell;
  if (c.reason) out.reason = c.reason;
  return out;
}

function findingJson(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = { code: f.code, severity: f.severity, line: f.line, message: f.message };
  if (f.cell !== undefined) out.cell = f.cell;
  if (f.pairId !== undefined) out.pair = f.pairId;
  if (f.claimId !== undefined) out.claim = f.claimId;
  if (f.fix) out.fix = { new_text: f.fix.newText, start: f.fix.start, end: f.fix.end };
  return out;
}

/** One pair as JSON (the fields docs/cli.md names first, then the extras). */
export function pairJson(p: PairAnalysis, doc: DocumentAnalysis): Record<string, unknown> {
  const out: Record<string, unknown> = {
    logits: refJson(p.logits, doc.arrays[p.logits.id]),
    target: refJson(p.target, doc.arrays[p.target.id]),
    loss: p.loss === null ? null : jsonNumber(p.loss),
    reduction: p.options.reduction,
    dtype: p.dtype,
    claims: p.claims.map((id) => claimJson(doc.claims[id])),
    id: p.id,
    printed: p.printed,
    dtype_source: p.dtypeSource,
    call: p.call
      ? {
          kind: p.call.kind,
          line: p.call.line,
          callee: p.call.callee ?? null,
          result_name: p.call.resultName,
          ...(p.call.cell !== undefined ? { cell: p.call.cell } : {}),
        }
      : null,
    options: {
      weight: p.options.weight,
      ignore_index: p.options.ignoreIndex,
      reduction: p.options.reduction,
      label_smoothing: p.options.labelSmoothing,
      input_kind: p.options.inputKind,
    },
    input_shape: p.inputShape,
    target_shape: p.targetShape,
    target_kind: p.targetKind,
    input_transform: p.inputTransform,
    // The CLI's contract: code and message (the detail is for the editor's translations).
    error: p.error && { code: p.error.code, message: p.error.message },
    // What the input holds as the loss reads it ('logits', 'probabilities', 'log_probs').
    input_role: inputRole(p),
  };
  if (isBinaryPair(p)) out.binary = binaryJson(p);
  if (p.options.reduction === 'none' && p.losses) out.losses = p.losses.map(jsonNumber);
  if (p.cell !== undefined) out.cell = p.cell;
  if (p.recogniser !== undefined) out.recogniser = p.recogniser;
  // Another library's call (its rule, or torch's kernel for a copy of torch's loss): which one, and how it maps to torch's.
  if (p.library !== undefined) out.library = p.library;
  if (p.mapping !== undefined) out.mapping = p.mapping;
  if (p.unverified !== undefined) out.unverified = p.unverified;
  // Read through a name the file never binds (`F.cross_entropy` without an import), taken to be torch's `path`.
  if (p.assumedTorch) out.assumed = { name: p.assumedTorch.name, path: p.assumedTorch.path };
  return out;
}

/** A binary cross-entropy's own options (the `options` object holds CrossEntropyLoss's). */
function binaryJson(p: PairAnalysis): Record<string, unknown> {
  const lib = p.libraryCall;
  if (!lib)
    return { reduction: p.options.reduction, weight: null, pos_weight: null, from_logits: false, label_smoothing: 0 };
  return {
    reduction: lib.reduction,
    weight: lib.weights ?? (lib.weighted ? 'given' : null),
    pos_weight: lib.posWeight ?? null,
    from_logits: inputRole(p) === 'logits',
    label_smoothing: lib.labelSmoothing,
  };
}

/** One file's entry of `scan --json`. */
export function fileJson(path: string, doc: DocumentAnalysis): Record<string, unknown> {
  const hard = new Set(['parse_error', 'ragged_array', 'too_large']);
  return {
    path,
    language: doc.language,
    pairs: doc.pairs.map((p) => pairJson(p, doc)),
    errors: doc.findings
      .filter((f) => hard.has(f.code))
      .map((f) => ({
        line: f.line,
        message: f.message,
        code: f.code,
        ...(f.cell !== undefined ? { cell: f.cell } : {}),
      })),
    claims: doc.claims.map(claimJson),
    findings: doc.findings.map(findingJson),
    arrays: doc.arrays.length,
  };
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return formatTorchNumber(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(4) : v.toFixed(4);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The per-sample breakdown table of a pair (first rows only for big batches). */
/** What torch's reduction gives over no rows, as the scan's text says it. */
function noRowsReduction(reduction: Reduction, targetKind: TargetKind): string {
  if (reduction === 'mean') return ', so the mean is 0/0 = nan';
  if (reduction === 'sum') return targetKind === 'probabilities' ? ', so the sum is -0' : ', so the sum is 0';
  return ', so the losses are an empty tensor';
}

export function breakdownTable(p: PairAnalysis, indent: string): string[] {
  if (!p.request || p.error) return [];
  const out = computeLoss(p.request);
  if (!out.ok) return [];
  const { prepared, result } = out;
  const count = prepared.N * prepared.S;
  // No rows (N = 0 or a zero d_i): no table, one line saying so and what torch makes of it.
  if (count === 0)
    return [
      `${indent}none: the input ${formatShape(prepared.inputShape)} has no rows${noRowsReduction(prepared.reduction, prepared.targetKind)}`,
    ];
  const logits = prepared.inputKind === 'logits';
  const header = logits
    ? ['sample', 'target', 'logit[target]', 'logsumexp', 'p[target]', 'loss']
    : ['sample', 'target', 'logp[target]', 'p[target]', 'loss'];
  const rows: string[][] = [header];
  for (let e = 0; e < Math.min(count, maxRows); e++) {
    const b = sampleBreakdown(prepared, result, e);
    const pos = b.position.length ? b.position.join(',') : '-';
    const t = b.target;
    const tText = t === null ? 'probs' : b.ignored ? `${t} (ignored)` : String(t);
    const inRange = t !== null && t >= 0 && t < prepared.C;
    const xt = inRange ? fmt(b.logits[t as number]) : '-';
    const pt = inRange ? fmt(b.softmax[t as number]) : '-';
    rows.push(
      logits
        ? [pos, tText, xt, b.logSumExp === null ? '-' : fmt(b.logSumExp), pt, fmt(b.loss)]
        : [pos, tText, xt, pt, fmt(b.loss)],
    );
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)) + 2);
  const lines = rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => pad(c, widths[i]))
        .join('')
        .trimEnd(),
  );
  if (count > maxRows) lines.push(`${indent}… ${count - maxRows} more`);
  return lines;
}

function refText(r: ArraySiteRef, site: ArraySite | undefined): string {
  const name = r.argName ? `${r.argName} (from ${r.name ?? 'literal'})` : (r.name ?? '(literal)');
  const ctor = site?.constructorName ? `  ${site.constructorName}` : '';
  const dtype = site ? (site.isIntegerTensor ? ' int64' : site.dtype ? ` ${site.dtype}` : '') : '';
  return `${name}  line ${r.line}${r.cell !== undefined ? ` (cell ${r.cell + 1})` : ''}  shape ${formatShape(r.shape)}${ctor}${dtype}`;
}

function claimText(path: string, c: ClaimAnalysis): string {
  const at = where(path, c.line, c.cell);
  if (c.status === 'holds') return `${at}: ${c.text} holds`;
  if (c.status === 'wrong') return `${at}: claimed ${c.text}, computed ${c.computed} (expected '${c.expected}')`;
  return `${at}: ${c.text} unverified (${c.reason ?? 'cannot be computed'})`;
}

const list = (v: number[] | null | undefined, weighted: boolean): string =>
  v ? `[${v.join(', ')}]` : weighted ? 'given' : 'none';

/**
 * The options line: torch's CrossEntropyLoss / NLLLoss options for torch's pairs; a binary
 * cross-entropy's own (weight, pos_weight, from_logits, label smoothing) and another library's own
 * (its reduction, sample weights, smoothing) for the others.
 */
function optionsText(p: PairAnalysis, role: InputRole): string {
  const o = p.options;
  const lib = p.libraryCall;
  if (!lib && !isBinaryPair(p))
    return `reduction=${o.reduction} ignore_index=${o.ignoreIndex} label_smoothing=${o.labelSmoothing} weight=${o.weight ? `[${o.weight.join(', ')}]` : 'none'} input=${role}`;
  if (!lib) return `reduction=${o.reduction} input=${role} (a binary cross-entropy: one loss per element)`;
  const parts = [`reduction=${lib.reduction}`, `weight=${list(lib.weights, lib.weighted)}`];
  if (lib.rule === 'torch_bce_logits')
    parts.push(`pos_weight=${list(lib.posWeight, lib.posWeight !== undefined && lib.posWeight !== null)}`);
  if (lib.labelSmoothing > 0 || !isBinaryPair(p)) parts.push(`label_smoothing=${lib.labelSmoothing}`);
  parts.push(`input=${role}`);
  if (isBinaryPair(p)) parts.push('(a binary cross-entropy: one loss per element)');
  return parts.join(' ');
}

/**
 * The human report of one file, line by line (no line breaks inside a line; the caller makes
 * each line terminal-safe: names, claims and messages come from the file).
 */
export function humanReport(path: string, doc: DocumentAnalysis, emit: (line: string) => void): void {
  emit(
    `${path}: ${doc.pairs.length} pair${doc.pairs.length === 1 ? '' : 's'}, ${doc.claims.length} claim${doc.claims.length === 1 ? '' : 's'} (${doc.language})`,
  );
  for (const p of doc.pairs) {
    const at = p.call ? where(path, p.call.line, p.call.cell) : where(path, p.logits.line, p.logits.cell);
    const how = p.call
      ? p.call.kind === 'inferred'
        ? 'found by names'
        : `${p.call.callee ? `${p.call.callee}(…) → ` : ''}${p.call.kind}`
      : 'found by names and shapes';
    emit('');
    const assumed = p.assumedTorch ? ` (${assumedTorchMark(english)})` : '';
    emit(
      `  pair ${p.id + 1}  ${at}  ${how}${p.call?.resultName ? `, assigned to ${p.call.resultName}` : ''}${assumed}`,
    );
    const role = inputRole(p);
    emit(`    ${(role === 'log_probs' ? 'logits' : role).padEnd(8)} ${refText(p.logits, doc.arrays[p.logits.id])}`);
    emit(`    target   ${refText(p.target, doc.arrays[p.target.id])}`);
    emit(`    options  ${optionsText(p, role)}${p.inputTransform ? ` (${p.inputTransform} applied in code)` : ''}`);
    emit(`    dtype    ${p.dtype} (${p.dtypeSource})`);
    if (p.library !== undefined) emit(`    library  ${p.library}: ${p.mapping ?? ''}`);
    if (p.unverified !== undefined) emit(`    unverified  ${p.unverified}`);
    if (p.assumedTorch) emit(`    assumed  ${assumedTorchText(p.assumedTorch, english)}`);
    if (p.error) emit(`    error    ${p.error.code}: ${p.error.message}`);
    else if (p.loss !== null) emit(`    loss     ${p.printed}  = ${p.loss}`);
    else if (p.losses)
      emit(
        `    losses   [${p.losses.slice(0, 8).map(fmt).join(', ')}${p.losses.length > 8 ? ', …' : ''}] (reduction='none')`,
      );
    const table = breakdownTable(p, '      ');
    if (table.length) {
      emit('    per sample:');
      for (const l of table) emit(l);
    }
    for (const id of p.claims) emit(`    claim    ${claimText(path, doc.claims[id])}`);
  }
  const loose = doc.claims.filter((c) => c.pairId === null);
  if (loose.length) {
    emit('');
    emit('  claims about expressions:');
    for (const c of loose) emit(`    ${claimText(path, c)}${c.expression ? `  [${c.expression}]` : ''}`);
  }
  const notes = doc.findings.filter((f) => f.code !== 'claim_mismatch' && f.code !== 'claim_unverified');
  if (notes.length) {
    emit('');
    emit('  findings:');
    for (const f of notes) emit(`    ${where(path, f.line, f.cell)}: ${f.severity} ${f.code}: ${f.message}`);
  }
}

export { claimText };
