/**
 * The state one detection run shares between its stages: the arrays found so far, the pairs and
 * claim bindings, findings, printed statements, and the segment being read (a file, a notebook
 * cell, a Markdown document's code). Every stage receives this object; none imports another
 * stage to reach it, so the pipeline has no import cycles.
 */
import type { DType } from '../types';
import { DetectionCancelled } from './cancellation';
import { halfPrecisionReason } from './halfPairs';
import type { ClaimText } from './claims';
import { LineCounter } from './lines';
import { ownDefinitionReason } from './ownDocstring';
import type { LiteralOutcome } from './literals';
import { buildPair, type PairInput } from './pairInput';
import type { ArraySite, ClaimBinding, ClaimSubject, DetectedPair, Finding, LossCall, LossCallKind } from './types';
import type { PairRef, Value } from './values';
import type { TemplatePart } from './printTemplates';

/** Options of one detection run. */
export interface DetectionOptions {
  /** Compute every pair in this dtype (the CLI's `--dtype`). */
  dtypeOverride?: DType;
  /** Largest literal kept, in elements. */
  maxElements: number;
  /** Asked at statement boundaries; true stops the run with {@link DetectionCancelled}. */
  isCancelled?: () => boolean;
}

/** A statement's printed value that a claim may be about. */
export interface Printed {
  value: Value;
  /** Source text of the printed expression. */
  exprText: string;
  /** The printed expression is the loss call itself or the name it was assigned to. */
  direct: boolean;
  /**
   * One print of several values (`print(ce, nll)`): `value` is their sequence, and the output shows
   * them one after another, separated by spaces (`tensor(0.5389) tensor(0.5389)`).
   */
  spaced?: boolean;
  /** A spaced print beside values not computed here: every part shown must be a printed value (3.383). */
  positional?: boolean;
  /** The words the print writes around its values, when it labels each one (docs/detection.md 3.189). */
  template?: TemplatePart[];
}

/** A statement that writes output (print, or a bare expression as a notebook cell's last line). */
export interface Producer {
  kind: 'print' | 'expr';
  printed: Printed | null;
  start: number;
  end: number;
  /** At the top level (not inside a def, loop or block): its output order is knowable. */
  topLevel: boolean;
  cell: number | undefined;
}

/** One line of printed output, with its place in the document when it has one (Markdown). */
export interface OutputLine {
  text: string;
  start: number | null;
  /** Where the line is written when that is another cell's (an expected-output cell, 3.416): the claim's place. */
  place?: Place;
}

/** Where a finding or claim is, when it is not in the segment being read. */
export interface Place {
  line: number;
  cell: number | undefined;
}

/** Findings kept per document beyond claims (hostile files can have one per line). */
const maxFindings = 2000;

export class DetectionContext {
  readonly sites: ArraySite[] = [];
  readonly pairs: DetectedPair[] = [];
  /** Loss-call facts later values refer to (by pair id). */
  readonly pairRefs: PairRef[] = [];
  readonly claims: ClaimBinding[] = [];
  readonly findings: Finding[] = [];
  readonly producers: Producer[] = [];
  /** Sites used by a loss call (or as a constructor's shape): not candidates for inferred pairs. */
  readonly usedSites = new Set<number>();
  /** Claims bound to each pair so far (a standalone comment claim only goes to a claim-less pair). */
  readonly claimCounts: number[] = [];
  private findingCount = 0;

  text = '';
  lines: LineCounter = new LineCounter('');
  cell: number | undefined;
  /** End offset of the last statement of the current segment. */
  lastStatementEnd = 0;
  /**
   * Set when a statement of the segment's top level certainly raises (Python stops there): every
   * pair after it is unverified with this reason, never a number the program does not reach.
   */
  raised: string | null = null;
  /**
   * Pairs before this id were found by an earlier framework tab's program (frameworkTabs.ts): a call
   * of a block both tabs read keeps that tab's pair, so one call shown once is one pair.
   */
  tabStart: number | null = null;
  /** Set at `exec(…)` and the like (changes.ts): every pair after it is unverified with this reason. */
  changedAll: string | null = null;
  /**
   * A loss call read without a `**kw` spread it was given but that is not known here (spreadArgs.ts):
   * its span and the reason its pair is unverified (the options passed through it were not read).
   */
  spreadUnread: { start: number; end: number; why: string } | null = null;
  /** Bindings looked at for objects changed in place, in this text (changes.ts bounds it). */
  changeScans = 0;
  /**
   * While the body of a module-level `for` is read the first time (its loop names not known): the
   * names, the header's line and indentation. A loss there is computed per iteration where the loop
   * is run (loops.ts), not on this reading; its reason says so.
   */
  loopHeader: { names: Set<string>; line: number; indent: number } | null = null;
  /**
   * Columns to add to the indentation of Python lines, by line start offset: console sessions
   * whose block bodies lost their indentation on the page (doctest.ts). Null almost always.
   */
  indentShift: Map<number, number> | null = null;
  /**
   * The whole document, when segments read from it are masked copies (console sessions, Markdown
   * code): what it mentions is evidence for a call whose module it leaves unbound (guesses.ts).
   */
  document = '';
  /** A notebook's code cells joined, read as one program (set while its cells are read). */
  program = '';

  /** The text a file-wide count is made over (methods.ts): the notebook's program, the document, or the text. */
  get whole(): string {
    return this.program || this.document || this.text;
  }

  constructor(readonly options: DetectionOptions) {}

  /** Starts reading a new segment (a file, a notebook cell). */
  begin(text: string, cell?: number): void {
    this.text = text;
    this.lines = new LineCounter(text);
    this.cell = cell;
    this.lastStatementEnd = 0;
    this.raised = null;
    this.changedAll = null;
    this.changeScans = 0;
    this.loopHeader = null;
  }

  /**
   * The loss call a pair names: its span in the current segment, the line it starts on and the
   * cell being read. `callee` is the name as written (`criterion`, `F.cross_entropy`).
   */
  lossCallAt(kind: LossCallKind, start: number, end: number, callee: string | null): LossCall {
    if (this.instanceCall) ({ start, end, callee } = this.instanceCall);
    const call: LossCall = { kind, line: this.lines.lineAt(start), start, end, resultName: null, callee };
    if (this.cell !== undefined) call.cell = this.cell;
    return call;
  }

  /**
   * While a model's instance is called (`net(x, y)` running its `construct`: methods.ts), the call a
   * loss inside it is reported at: the instance's call is what the code reads as the loss.
   */
  instanceCall: { start: number; end: number; callee: string } | null = null;

  /** Throws {@link DetectionCancelled} when the caller asked to stop. Called between statements. */
  checkCancelled(): void {
    if (this.options.isCancelled?.()) throw new DetectionCancelled();
  }

  /** Records a numeric literal of the current segment as an array site; returns its id. */
  addSite(outcome: LiteralOutcome, start: number, constructorName: string): number {
    const id = this.sites.length;
    const site: ArraySite = {
      id,
      name: null,
      start,
      end: outcome.end,
      line: this.lines.lineAt(start),
      endLine: this.lines.lineAt(outcome.end),
      literalStart: start,
      literalEnd: outcome.end,
      shape: outcome.shape,
      integral: outcome.integral,
      dtype: null,
      dtypeSource: 'default',
      constructorName,
      isIntegerTensor: false,
    };
    if (outcome.data) site.data = outcome.data;
    if (outcome.error) {
      site.error = outcome.error;
      this.addFinding({
        code: 'ragged_array',
        severity: 'error',
        start,
        end: outcome.end,
        message: `Ragged array: ${outcome.error}.`,
      });
    } else if (!outcome.data) {
      const max = this.options.maxElements;
      site.error = `too large: ${outcome.count} elements (the limit is ${max})`;
      this.addFinding({
        code: 'too_large',
        severity: 'information',
        start,
        end: outcome.end,
        message: `This literal has ${outcome.count} elements, more than the ${max} analysed; it is skipped.`,
      });
    }
    if (this.cell !== undefined) site.cell = this.cell;
    this.sites.push(site);
    return id;
  }

  /**
   * A site for numbers made by a call or an expression rather than written as one literal
   * (`torch.zeros(2, 3)`, `[0.25, 1 - 0.25]`), at `[start, end)`; the same span gives the same
   * site (a user function's body is evaluated once per call).
   */
  syntheticSite(
    start: number,
    end: number,
    data: Float64Array,
    shape: number[],
    integral: boolean,
    constructorName: string,
  ): ArraySite {
    const key = `${this.cell ?? ''}:${start}:${end}`;
    const known = this.synthetic.get(key);
    if (known) return known;
    const id = this.addSite(
      { end, shape, data, integral, count: data.length, error: null, tuple: false },
      start,
      constructorName,
    );
    const site = this.sites[id];
    site.synthetic = true;
    this.synthetic.set(key, site);
    return site;
  }

  private readonly synthetic = new Map<string, ArraySite>();

  /** Moves a site's span to the whole expression that makes it (`torch.tensor([...])`, `x = [...]`). */
  setSiteSpan(site: ArraySite, start: number, end: number): void {
    site.start = start;
    site.end = end;
    site.line = this.lines.lineAt(start);
    site.endLine = this.lines.lineAt(end);
  }

  addFinding(f: Omit<Finding, 'line'>, place?: Place): void {
    if (this.findingCount++ >= maxFindings) return;
    const full = { ...f, line: place ? place.line : this.lines.lineAt(f.start) } as Finding;
    const cell = place ? place.cell : this.cell;
    if (cell !== undefined) full.cell = cell;
    this.findings.push(full);
  }

  /**
   * Withdraws the `ragged_array` error of a site read apart as the Python list it is (a list of
   * tuples of different lengths is valid Python: only a tensor made of it whole would fail).
   */
  withdrawRagged(site: ArraySite): void {
    const at = this.findings.findIndex((f) => f.code === 'ragged_array' && f.start === site.literalStart);
    if (at >= 0) this.findings.splice(at, 1);
  }

  /** Records a pair (its request built from the values); returns what later values refer to. */
  addPair(input: PairInput): PairRef {
    if (this.raised !== null && input.unverified === undefined)
      input = { ...input, unverified: `the code stops before it: ${this.raised}` };
    if (this.changedAll !== null && input.unverified === undefined) input = { ...input, unverified: this.changedAll };
    if (input.unverified === undefined && input.call) {
      const doc = this.document || this.text;
      const own = ownDefinitionReason(doc, input.call.start, input.recogniser, input.callLibrary?.name);
      if (own) input = { ...input, unverified: own };
    }
    if (input.unverified === undefined) {
      const half = halfPrecisionReason(input, this.text);
      if (half) input = { ...input, unverified: half };
    }
    const spread = this.spreadUnread;
    if (spread && input.unverified === undefined && input.call?.start === spread.start && input.call.end === spread.end)
      input = { ...input, unverified: spread.why };
    // A function's body is read where it is defined and again where a call is followed: the same
    // call on the same numbers is one pair.
    const key = input.call ? `${this.cell ?? ''}:${input.call.start}:${input.call.end}` : null;
    const same = key === null ? undefined : this.pairsAt.get(key)?.find((ref) => samePair(this.inputs[ref.id], input));
    if (same) return same;
    const tabStart = this.tabStart;
    const earlier = key === null || tabStart === null ? undefined : this.pairsAt.get(key)?.find((r) => r.id < tabStart);
    if (earlier) return earlier;
    const id = this.pairs.length;
    this.usedSites.add(input.input.site.id);
    this.usedSites.add(input.target.site.id);
    const { pair, findings } = buildPair(id, input, this.options.dtypeOverride);
    this.pairs.push(pair);
    this.claimCounts.push(0);
    for (const f of findings) {
      if (input.call) this.addFinding({ ...f, pairId: id });
      else {
        // Inferred pairs: the sites may be in another notebook cell than the current segment.
        const site = f.start === input.target.site.start ? input.target.site : input.input.site;
        this.addFinding({ ...f, pairId: id }, { line: site.line, cell: site.cell });
      }
    }
    const ref: PairRef = {
      id,
      kind: input.kind,
      dtype: pair.dtype,
      reduction: pair.options.reduction,
      resultName: input.call?.resultName ?? null,
    };
    this.pairRefs.push(ref);
    this.inputs[id] = input;
    if (key !== null) this.pairsAt.set(key, [...(this.pairsAt.get(key) ?? []), ref]);
    return ref;
  }

  /**
   * Rebuilds pair `ref` from `input` where it stands: a per-element call written inline in the call
   * that reduces it (`tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(...))`) is that reduced
   * loss, not a second pair on the line (reducedPairs.ts inlineReduced).
   */
  rebuildPair(ref: PairRef, input: PairInput): void {
    const { pair } = buildPair(ref.id, input, this.options.dtypeOverride);
    this.pairs[ref.id] = pair;
    this.inputs[ref.id] = input;
    ref.reduction = pair.options.reduction;
  }

  private readonly pairsAt = new Map<string, PairRef[]>();
  private readonly inputs: PairInput[] = [];

  /** What pair `id` was recognised from (reducedPairs.ts derives a pair of its losses from it). */
  inputOf(id: number): PairInput | undefined {
    return this.inputs[id];
  }

  /** Names the variable a pair's loss was assigned to (`loss = criterion(...)`). */
  nameResult(ref: PairRef, name: string): void {
    if (ref.resultName !== null) return;
    ref.resultName = name;
    const call = this.pairs[ref.id].call;
    if (call) call.resultName = name;
  }

  /**
   * Binds a claimed value to what a statement printed. `at` replaces the claim's own span (a
   * notebook's stored output is reported at the print); `place` overrides the segment's line/cell.
   */
  bindClaim(
    printed: Printed,
    claim: ClaimText,
    source: 'comment' | 'output',
    at: { start: number; end: number } | null,
    place?: Place,
  ): ClaimBinding {
    const v =
      printed.value.kind === 'sequence' ? (tupleItem(this.text, printed.value, claim) ?? printed.value) : printed.value;
    let subject: ClaimSubject;
    let pairId: number | null = null;
    const expression: string | null = printed.direct ? null : printed.exprText;
    if (v.kind === 'loss') {
      pairId = v.pair.id;
      subject = { kind: 'pair', pairId };
    } else if (v.kind === 'scalar') {
      subject = { kind: 'scalar', expr: v.expr, dtype: v.dtype };
      if (v.pairs.length === 1 && printed.direct) pairId = v.pairs[0].id;
    } else {
      const reason = v.kind === 'unknown' && v.why ? v.why : 'the printed value cannot be computed from the source';
      subject = { kind: 'unknown', reason };
    }
    const span = at ?? { start: claim.start, end: claim.end };
    const binding: ClaimBinding = {
      claim,
      subject,
      source,
      line: place ? place.line : this.lines.lineAt(span.start),
      start: span.start,
      end: span.end,
      pairId,
      expression,
      fixable: source === 'comment' || at === null,
    };
    const cell = place ? place.cell : this.cell;
    if (cell !== undefined) binding.cell = cell;
    if (pairId !== null) this.claimCounts[pairId]++;
    this.claims.push(binding);
    this.boundTo.set(printed, [...(this.boundTo.get(printed) ?? []), binding]);
    return binding;
  }

  /** The claims bound to what a statement printed, by that printed value. */
  private readonly boundTo = new WeakMap<Printed, ClaimBinding[]>();

  /**
   * A print whose value was not known where it was read (in a function's body, its parameters not
   * known) shows `printed` at a followed call (followedPrints.ts): the claims bound to `was` are now
   * about that loss, or unknown again with its reason.
   */
  rebindClaims(was: Printed, printed: Printed): void {
    for (const b of this.boundTo.get(was) ?? []) {
      if (b.pairId !== null) this.claimCounts[b.pairId]--;
      const v = printed.value;
      b.pairId = v.kind === 'loss' ? v.pair.id : null;
      b.subject =
        v.kind === 'loss'
          ? { kind: 'pair', pairId: v.pair.id }
          : { kind: 'unknown', reason: v.kind === 'unknown' && v.why ? v.why : 'the printed value is not known' };
      b.expression = printed.direct ? null : printed.exprText;
      if (b.pairId !== null) this.claimCounts[b.pairId]++;
    }
    this.boundTo.set(printed, this.boundTo.get(was) ?? []);
  }
}

function sameData(a: Float64Array | null, b: Float64Array | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The same computation: recogniser, options and the numbers of both arrays. */
function samePair(a: PairInput | undefined, b: PairInput): boolean {
  return (
    a !== undefined &&
    a.recogniser === b.recogniser &&
    JSON.stringify(a.options, (k, v) => (k === 'weight' ? undefined : v)) ===
      JSON.stringify(b.options, (k, v) => (k === 'weight' ? undefined : v)) &&
    // The weight is compared by its numbers (a function followed twice, with two weights, is two pairs).
    !a.options.weight === !b.options.weight &&
    sameData(a.options.weight?.data ?? null, b.options.weight?.data ?? null) &&
    sameData(a.input.data, b.input.data) &&
    sameData(a.target.data, b.target.data) &&
    a.input.dtype === b.input.dtype &&
    a.input.shape.join() === b.input.shape.join() &&
    // Two reductions of one vector at one call (the vector, its rows' means) are two pairs.
    JSON.stringify(a.reducedFrom ?? null) === JSON.stringify(b.reducedFrom ?? null)
  );
}

/**
 * A tuple shown by the console (`loss, x.shape` echoes `(tensor(0.9396), torch.Size([2, 4]))`): the
 * element of the tuple whose repr the claim is, by its place among the tuple's top-level items on the
 * line. Only when the shown tuple opens the line (after a comment's `#`) and has as many items as the
 * value; undefined otherwise.
 */
function tupleItem(text: string, v: { items: Value[] }, claim: ClaimText): Value | undefined {
  let from = claim.start;
  while (from > 0 && text.charCodeAt(from - 1) !== 10 && text.charCodeAt(from - 1) !== 13) from--;
  const open = /^[ \t]*(?:#[ \t]*)?\(/.exec(text.slice(from, claim.start));
  if (!open) return undefined;
  let depth = 0;
  let slot = 0;
  let items = 1;
  for (let i = from + open[0].length; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') return undefined;
    if (i === claim.start) slot = items - 1;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return items === v.items.length && i > claim.start ? v.items[slot] : undefined;
      depth--;
    } else if (c === ',' && depth === 0) items++;
  }
  return undefined;
}
