/**
 * The statement-level analysis of Python and JavaScript/TypeScript sources: an abstract
 * interpreter over a tiny value domain (arrays, loss modules, loss results, numbers). Statements
 * are processed in order with a scope chain, so every use sees the latest assignment above it
 * (the seed article reassigns `output` and `target` and computes two losses). Loss calls create
 * pairs; prints of loss values next to a claimed value create claims.
 */
import type { DType } from '../types';
import { claimInComment, claimInOutput, judgeClaim, type ClaimText } from './claims';
import { ExprParser, type Node } from './expr';
import { LineCounter } from './lines';
import { Lang, maxNesting, type LiteralOutcome } from './literals';
import { computePair, formulaLoss, type ComputedPair, type PairInput } from './pairs';
import { Op, Tok, Tokenizer, hashName, type TokenBuffer, type TokenSink } from './tokenizer';
import type { ArraySite, ClaimAnalysis, Finding, LossCall, LossCallKind } from './types';
import {
  inDtype,
  isLossy,
  unknown,
  unknownLossy,
  withArr,
  type ArrVal,
  type CriterionVal,
  type OptionVals,
  type PairRef,
  type Value,
} from './values';

/** A statement whose printed value may carry a claim. */
interface Printed {
  value: Value;
  /** Source text of the printed expression. */
  exprText: string;
  /** The printed expression is the loss call itself or the name it was assigned to. */
  direct: boolean;
}

/** Where a statement is, for claims that come after it. */
interface StmtInfo {
  firstStart: number;
  lastEnd: number;
  endLine: number;
  printed: Printed | null;
  /** Comments seen inside the statement or after it, before the next one. */
  comments: number[];
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
}

interface Scope {
  vars: Map<string, Value>;
  /** Python: indentation of the def/class header owning the scope (-1 for the module). */
  indent: number;
}

const compoundHeadHashes = new Set(
  [
    'if',
    'elif',
    'else',
    'for',
    'while',
    'with',
    'try',
    'except',
    'finally',
    'def',
    'class',
    'async',
    'match',
    'case',
  ].map(hashName),
);
const pyStatementHashes = new Set(
  [
    'import',
    'from',
    'return',
    'yield',
    'if',
    'elif',
    'while',
    'for',
    'with',
    'else',
    'try',
    'except',
    'finally',
    'assert',
    'del',
    'pass',
    'global',
    'nonlocal',
    'raise',
    'break',
    'continue',
    'match',
    'case',
    'lambda',
  ].map(hashName),
);
const hDef = hashName('def');
const hClass = hashName('class');
const hAsync = hashName('async');
const hImport = hashName('import');
const hFrom = hashName('from');

/** Nodes nested deeper than this evaluate to unknown (no stack overflow, no quadratic chains). */
const maxEvalDepth = 200;
/** Longest `self.a.b` name looked up as one bound name. */
const maxDottedName = 256;

/** Findings kept per document beyond claims. */
const maxFindings = 2000;

const lossFnName =
  /^(?:loss_?fn|loss_?func(?:tion)?|criterion|ce_?loss|xent|loss_?function|cross_?entropy(?:_?loss)?)$/i;
const lossyName = /loss|nll|xent|entropy/i;

/** Tensor constructors (canonical paths). */
const constructors = new Set([
  'torch.tensor',
  'torch.as_tensor',
  'torch.Tensor',
  'torch.FloatTensor',
  'torch.DoubleTensor',
  'torch.LongTensor',
  'torch.IntTensor',
  'torch.ShortTensor',
  'torch.ByteTensor',
  'torch.CharTensor',
  'torch.HalfTensor',
  'torch.BFloat16Tensor',
  'torch.cuda.FloatTensor',
  'torch.cuda.DoubleTensor',
  'torch.cuda.LongTensor',
  'torch.cuda.IntTensor',
  'torch.cuda.HalfTensor',
  'torch.from_numpy',
  'numpy.array',
  'numpy.asarray',
  'numpy.asanyarray',
  'numpy.ascontiguousarray',
  'tf.tensor',
  'tf.tensor1d',
  'tf.tensor2d',
  'tf.tensor3d',
  'tf.tensor4d',
  'Float32Array',
  'Float64Array',
  'Int32Array',
  'Int16Array',
  'Int8Array',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'Float32Array.from',
  'Float64Array.from',
  'Int32Array.from',
  'Float32Array.of',
  'Float64Array.of',
  'Array.from',
  'torch.as_tensor',
]);

const dtypeNames = new Map<string, DType | 'int'>([
  ['torch.float64', 'float64'],
  ['torch.double', 'float64'],
  ['torch.float32', 'float32'],
  ['torch.float', 'float32'],
  ['torch.float16', 'float32'],
  ['torch.half', 'float32'],
  ['torch.bfloat16', 'float32'],
  ['torch.long', 'int'],
  ['torch.int64', 'int'],
  ['torch.int', 'int'],
  ['torch.int32', 'int'],
  ['torch.int16', 'int'],
  ['torch.int8', 'int'],
  ['torch.uint8', 'int'],
  ['torch.short', 'int'],
  ['numpy.float64', 'float64'],
  ['numpy.double', 'float64'],
  ['numpy.float_', 'float64'],
  ['numpy.float32', 'float32'],
  ['numpy.single', 'float32'],
  ['numpy.float16', 'float32'],
  ['numpy.half', 'float32'],
  ['numpy.int64', 'int'],
  ['numpy.int32', 'int'],
  ['numpy.int_', 'int'],
  ['numpy.intc', 'int'],
  ['numpy.longlong', 'int'],
  ['numpy.int16', 'int'],
  ['numpy.int8', 'int'],
  ['numpy.uint8', 'int'],
  ['builtins.float', 'float64'],
  ['builtins.int', 'int'],
  ['float64', 'float64'],
  ['double', 'float64'],
  ['f8', 'float64'],
  ['float', 'float64'],
  ['float32', 'float32'],
  ['single', 'float32'],
  ['f4', 'float32'],
  ['float16', 'float32'],
  ['half', 'float32'],
  ['int64', 'int'],
  ['int32', 'int'],
  ['long', 'int'],
  ['int', 'int'],
  ['i8', 'int'],
  ['i4', 'int'],
  ['int16', 'int'],
  ['uint8', 'int'],
]);

/** Names that mean something without an import (common aliases in snippets). */
const defaultNames = new Map<string, string>([
  ['torch', 'torch'],
  ['nn', 'torch.nn'],
  ['F', 'torch.nn.functional'],
  ['np', 'numpy'],
  ['numpy', 'numpy'],
  ['math', 'math'],
  ['tf', 'tf'],
  ['scipy', 'scipy'],
  ['print', 'builtins.print'],
  ['sum', 'builtins.sum'],
  ['float', 'builtins.float'],
  ['int', 'builtins.int'],
  ['round', 'builtins.round'],
  ['len', 'builtins.len'],
  ['Float32Array', 'Float32Array'],
  ['Float64Array', 'Float64Array'],
  ['Int32Array', 'Int32Array'],
  ['Int16Array', 'Int16Array'],
  ['Int8Array', 'Int8Array'],
  ['Uint8Array', 'Uint8Array'],
  ['Uint16Array', 'Uint16Array'],
  ['Uint32Array', 'Uint32Array'],
  ['Array', 'Array'],
  ['console', 'console'],
  ['Math', 'Math'],
  ['display', 'builtins.print'],
]);

/**
 * Names that make a statement worth analysing before anything is bound: functions of torch /
 * numpy / tfjs that detection models, and printing. A statement using none of them (and no bound
 * name, literal or claim) cannot matter.
 */
const hotNames = [
  'print',
  'display',
  'console',
  'Float32Array',
  'Float64Array',
  'Int32Array',
  'Int16Array',
  'Int8Array',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'require',
  'tensor',
  'tensor1d',
  'tensor2d',
  'tensor3d',
  'tensor4d',
  'softmaxCrossEntropy',
  'oneHot',
];
/** Python only: in JavaScript these are everyday identifiers. */
const pyHotNames = [
  'sum',
  'float',
  'round',
  'Tensor',
  'FloatTensor',
  'DoubleTensor',
  'LongTensor',
  'IntTensor',
  'ShortTensor',
  'ByteTensor',
  'CharTensor',
  'HalfTensor',
  'BFloat16Tensor',
  'as_tensor',
  'from_numpy',
  'array',
  'asarray',
  'asanyarray',
  'ascontiguousarray',
  'CrossEntropyLoss',
  'NLLLoss',
  'LogSoftmax',
  'Softmax',
  'cross_entropy',
  'nll_loss',
  'log_softmax',
  'softmax',
  'exp',
  'log',
  'logsumexp',
];
const allHotNames = new Set([...hotNames, ...pyHotNames]);

/** Does a value matter to detection (so statements mentioning its name must be analysed)? */
function relevant(v: Value): boolean {
  switch (v.k) {
    case 'num':
    case 'str':
      return false;
    case 'unknown':
      return v.lossy;
    case 'seq':
      return v.items.some(relevant);
    case 'dict':
      for (const x of v.entries.values()) if (relevant(x)) return true;
      return false;
    case 'ns':
      return allHotNames.has(v.path.slice(v.path.lastIndexOf('.') + 1));
    default:
      return true;
  }
}

/** Canonical module path: aliases of the same thing compare equal. */
function canonical(path: string): string {
  if (path.startsWith('torch.nn.modules.loss.')) return 'torch.nn.' + path.slice(22);
  if (path.startsWith('torch.nn.modules.activation.')) return 'torch.nn.' + path.slice(28);
  if (path.startsWith('@tensorflow/'))
    return 'tf' + path.slice(path.indexOf('.') >= 0 ? path.indexOf('.') : path.length);
  if (path === 'torch.special.log_softmax') return 'torch.log_softmax';
  if (path === 'torch.special.softmax') return 'torch.softmax';
  if (path.startsWith('np.')) return 'numpy.' + path.slice(3);
  return path;
}

function displayName(path: string): string {
  return path.startsWith('numpy.') ? 'np.' + path.slice(6) : path;
}

/** Options of an analysis run. */
export interface AnalyzerOptions {
  dtypeOverride?: DType;
  maxElements: number;
}

/** One analysis of one document (several segments for notebook cells). */
export class Analyzer implements TokenSink {
  readonly sites: ArraySite[] = [];
  readonly computed: ComputedPair[] = [];
  readonly claims: ClaimAnalysis[] = [];
  readonly findings: Finding[] = [];
  readonly producers: Producer[] = [];
  /** Sites used by a loss call (or as a constructor's shape): not candidates for inferred pairs. */
  readonly usedSites = new Set<number>();
  /** Sites named by an assignment or a key (candidates for inferred pairs). */
  private scopes: Scope[] = [{ vars: new Map(), indent: -1 }];
  private text = '';
  private lines: LineCounter = new LineCounter('');
  private cell: number | undefined;
  private py = true;
  private pendingComments: number[] = [];
  private prev: StmtInfo | null = null;
  /** Python: indentation of the statement being processed. */
  private indent = 0;
  /** Python: indentation of the compound statements (if/for/def/…) enclosing the current one. */
  private pyBlocks: number[] = [];
  /** Python: inside an indented block that is not a def (loop/if/with): output order unknown. */
  private blockDepthJs = 0;
  /** JS blocks opened beyond {@link maxNesting} scopes. */
  private uncountedBlocks = 0;
  private findingCount = 0;
  /** Hashes of names that make a statement worth analysing (bound names, known modules). */
  private readonly hot = new Set<number>(hotNames.map(hashName));
  /** Names bound to constants (numbers, strings): statements assigning them must be analysed. */
  private readonly warm = new Set<number>();
  private standalone: { claim: ClaimText; line: number; cell: number | undefined; labelled: boolean }[] = [];
  /** End offset of the last statement of the current segment. */
  lastStatementEnd = 0;

  constructor(readonly options: AnalyzerOptions) {}

  /** The text of the segment being analysed. */
  get currentText(): string {
    return this.text;
  }

  /** The line counter of the segment being analysed. */
  get currentLines(): LineCounter {
    return this.lines;
  }

  /** Starts a segment analysed by other means (JSON). */
  begin(text: string, cell?: number): void {
    this.text = text;
    this.lines = new LineCounter(text);
    this.cell = cell;
    this.prev = null;
    this.pendingComments = [];
    this.lastStatementEnd = 0;
  }

  /** Analyses one text (a file, a notebook cell, or a Markdown document with code masked in). */
  runSegment(text: string, lang: Lang.Python | Lang.Js, cell?: number, breaks?: number[]): void {
    this.begin(text, cell);
    this.py = lang === Lang.Python;
    this.blockDepthJs = 0;
    this.uncountedBlocks = 0;
    if (this.py) {
      this.scopes.length = 1;
      this.pyBlocks = [];
      for (const w of pyHotNames) this.hot.add(hashName(w));
    }
    const tokenizer = new Tokenizer(text, lang, this, this.options.maxElements, breaks);
    tokenizer.run();
    this.flushPrev(Infinity);
  }

  // ---- TokenSink ----

  literal(outcome: LiteralOutcome, start: number): number {
    const id = this.sites.length;
    const line = this.lines.lineAt(start);
    const site: ArraySite = {
      id,
      name: null,
      start,
      end: outcome.end,
      line,
      endLine: this.lines.lineAt(outcome.end),
      literalStart: start,
      literalEnd: outcome.end,
      shape: outcome.shape,
      integral: outcome.integral,
      dtype: null,
      dtypeSource: 'default',
      constructorName: this.py ? (outcome.tuple ? 'tuple' : 'list') : 'array',
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
      site.error = `too large: ${outcome.count} elements (the limit is ${this.options.maxElements})`;
      this.addFinding({
        code: 'too_large',
        severity: 'information',
        start,
        end: outcome.end,
        message: `This literal has ${outcome.count} elements, more than the ${this.options.maxElements} analysed; it is skipped.`,
      });
    }
    if (this.cell !== undefined) site.cell = this.cell;
    this.sites.push(site);
    return id;
  }

  comment(start: number, end: number): void {
    const c = this.pendingComments;
    if (c.length >= 128) c.splice(0, 2);
    c.push(start, end);
  }

  problem(code: 'parse_error', message: string, start: number, end: number): void {
    this.addFinding({ code, severity: 'error', start, end, message });
  }

  blockOpen(): void {
    // Beyond maxNesting blocks only count: a million `{` must not make a million scopes.
    if (this.scopes.length < maxNesting) this.scopes.push({ vars: new Map(), indent: -1 });
    else this.uncountedBlocks++;
    this.blockDepthJs++;
  }

  blockClose(): void {
    if (this.uncountedBlocks > 0) this.uncountedBlocks--;
    else if (this.scopes.length > 1) this.scopes.pop();
    if (this.blockDepthJs > 0) this.blockDepthJs--;
  }

  statement(buf: TokenBuffer, overflow: boolean): void {
    const firstStart = buf.start[0];
    this.flushPrev(firstStart);
    this.lastStatementEnd = buf.end[buf.n - 1];
    const info: StmtInfo = { firstStart, lastEnd: buf.end[buf.n - 1], endLine: -1, printed: null, comments: [] };
    // Comments inside (or trailing) this statement.
    const pc = this.pendingComments;
    for (let i = 0; i < pc.length; i += 2) if (pc[i] >= firstStart) info.comments.push(pc[i], pc[i + 1]);
    this.pendingComments = [];
    if (!overflow) {
      try {
        const hasComment = this.claimLike(info.comments);
        info.printed = this.py ? this.pythonStatement(buf, hasComment) : this.jsStatement(buf, hasComment);
      } catch (err) {
        // A bug here must not lose the rest of the document.
        this.addFinding({
          code: 'parse_error',
          severity: 'information',
          start: firstStart,
          end: info.lastEnd,
          message: `Could not analyse this statement (${(err as Error).message}).`,
        });
      }
    }
    this.prev = info;
  }

  /** Attributes comments after the previous statement (up to `before`) to its printed value. */
  private flushPrev(before: number): void {
    const prev = this.prev;
    const pc = this.pendingComments;
    if (prev) {
      for (let i = 0; i < pc.length; i += 2) if (pc[i] < before) prev.comments.push(pc[i], pc[i + 1]);
      const used = prev.printed ? this.claimsFromComments(prev) : -1;
      this.collectStandalone(prev.comments, used);
    } else {
      const own: number[] = [];
      for (let i = 0; i < pc.length; i += 2) if (pc[i] < before) own.push(pc[i], pc[i + 1]);
      this.collectStandalone(own, -1);
    }
    if (before === Infinity) this.pendingComments = [];
    else {
      const keep: number[] = [];
      for (let i = 0; i < pc.length; i += 2) if (pc[i] >= before) keep.push(pc[i], pc[i + 1]);
      this.pendingComments = keep;
    }
    this.prev = null;
  }

  /** Claims about a printed statement; returns the offset of the comment used, or -1. */
  private claimsFromComments(st: StmtInfo): number {
    const cs = st.comments;
    if (cs.length === 0) return -1;
    st.endLine = this.lines.lineAt(st.lastEnd);
    // A comment on the statement's last line, after it.
    for (let i = 0; i < cs.length; i += 2) {
      if (cs[i] >= st.lastEnd && this.lines.lineAt(cs[i]) === st.endLine) {
        const claim = claimInComment(this.text, cs[i], cs[i + 1]);
        if (claim) {
          this.addClaim(st.printed as Printed, claim, 'comment', null);
          return cs[i];
        }
        break;
      }
    }
    // Else comment-only lines right below it (`print(loss)` / `# tensor(2.1438)`).
    let expectLine = st.endLine + 1;
    for (let i = 0; i < cs.length && expectLine <= st.endLine + 3; i += 2) {
      if (cs[i] < st.lastEnd) continue;
      const line = this.lines.lineAt(cs[i]);
      if (line !== expectLine || !this.ownLine(cs[i])) break;
      const claim = claimInComment(this.text, cs[i], cs[i + 1]);
      if (claim) {
        this.addClaim(st.printed as Printed, claim, 'comment', null);
        return cs[i];
      }
      expectLine++;
    }
    return -1;
  }

  /**
   * Comment lines with a claimed value that no printed statement took (`// loss: 2.1438` below
   * two arrays): kept to attach to the pair right above them once all pairs are known.
   */
  private collectStandalone(cs: number[], used: number): void {
    for (let i = 0; i < cs.length; i += 2) {
      if (cs[i] === used || !this.claimLike([cs[i], cs[i + 1]]) || !this.ownLine(cs[i])) continue;
      const claim = claimInComment(this.text, cs[i], cs[i + 1]);
      if (!claim) continue;
      const before = this.text.slice(cs[i], claim.start);
      const labelled = /\b(?:loss|cross[-_ ]?entropy|nll|xent|ce)\b/i.test(before);
      if (this.standalone.length < 1000)
        this.standalone.push({ claim, line: this.lines.lineAt(cs[i]), cell: this.cell, labelled });
    }
  }

  /** Attaches the collected comment claims to the nearest claim-less pair ending just above them. */
  attachStandaloneClaims(): void {
    if (this.standalone.length === 0) return;
    // Pairs keyed by the line they end on, so each claim looks at three lines only.
    const byAnchor = new Map<string, ComputedPair[]>();
    for (const cp of this.computed) {
      const a = cp.analysis;
      const anchor = Math.max(this.sites[a.logits.id].endLine, this.sites[a.target.id].endLine, a.call?.line ?? 0);
      const key = `${a.cell ?? ''}:${anchor}`;
      const list = byAnchor.get(key);
      if (list) list.push(cp);
      else byAnchor.set(key, [cp]);
    }
    for (const c of this.standalone) {
      let best: PairRef | null = null;
      for (let gap = 1; gap <= (c.labelled ? 3 : 1) && !best; gap++) {
        for (const cp of byAnchor.get(`${c.cell ?? ''}:${c.line - gap}`) ?? []) {
          if (cp.analysis.claims.length === 0 && cp.analysis.cell === c.cell) {
            best = cp.ref;
            break;
          }
        }
      }
      if (best) {
        this.addClaim(
          { value: { k: 'loss', pair: best }, exprText: best.resultName ?? 'the loss', direct: true },
          c.claim,
          'comment',
          null,
          { line: c.line, cell: c.cell },
        );
      }
    }
    this.standalone = [];
  }

  /** Does any of these comments hold a digit (or nan/inf): could it be a claim? */
  private claimLike(cs: number[]): boolean {
    const text = this.text;
    for (let i = 0; i < cs.length; i += 2) {
      for (let k = cs[i], end = cs[i + 1]; k < end; k++) {
        const c = text.charCodeAt(k);
        if (c >= 48 && c <= 57) return true;
        const l = c | 0x20;
        // `nan` / `inf` as words (not "information").
        if (
          (l === 110 && (text.charCodeAt(k + 1) | 0x20) === 97 && (text.charCodeAt(k + 2) | 0x20) === 110) ||
          (l === 105 && (text.charCodeAt(k + 1) | 0x20) === 110 && (text.charCodeAt(k + 2) | 0x20) === 102)
        ) {
          const before = text.charCodeAt(k - 1) | 0x20;
          const after = text.charCodeAt(k + 3) | 0x20;
          if (!(before >= 97 && before <= 122) && !(after >= 97 && after <= 122)) return true;
        }
      }
    }
    return false;
  }

  private ownLine(pos: number): boolean {
    for (let i = pos - 1; i >= 0; i--) {
      const c = this.text.charCodeAt(i);
      if (c === 10 || c === 13) return true;
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }

  // ---- claims ----

  /** Judges a claim about `printed` and records it (and a finding when it is wrong or unverifiable). */
  addClaim(
    printed: Printed,
    claim: ClaimText,
    source: 'comment' | 'output',
    at: { start: number; end: number } | null,
    loc?: { line: number; cell: number | undefined },
  ): ClaimAnalysis {
    const v = printed.value;
    let computed: number | null = null;
    let dtype: DType = 'float32';
    let pairId: number | null = null;
    let expression: string | null = printed.direct ? null : printed.exprText;
    let reason: string | undefined;
    if (v.k === 'loss') {
      pairId = v.pair.id;
      dtype = v.pair.dtype;
      if (v.pair.errorMessage) reason = `the loss call fails: ${v.pair.errorMessage}`;
      else if (v.pair.loss === null) reason = "the loss is not a single number (reduction='none')";
      else computed = v.pair.loss;
      if (printed.direct) expression = null;
    } else if (v.k === 'scalar') {
      dtype = v.dtype;
      if (v.value === null) reason = 'an operand of this expression is not known';
      else computed = v.value;
      if (v.pairs.length === 1 && printed.direct) pairId = v.pairs[0].id;
    } else {
      reason = v.k === 'unknown' && v.why ? v.why : 'the printed value cannot be computed from the source';
    }
    const span = at ?? { start: claim.start, end: claim.end };
    const id = this.claims.length;
    const result: ClaimAnalysis = {
      id,
      line: loc ? loc.line : this.lines.lineAt(span.start),
      start: span.start,
      end: span.end,
      text: claim.text,
      value: claim.value,
      decimals: claim.decimals,
      pairId,
      expression,
      status: 'unverified',
      computed,
      expected: null,
      source,
    };
    const cell = loc ? loc.cell : this.cell;
    if (cell !== undefined) result.cell = cell;
    if (computed !== null) {
      const verdict = judgeClaim(claim, computed, dtype);
      result.status = verdict.holds ? 'holds' : 'wrong';
      result.expected = verdict.expected;
      if (!verdict.holds) {
        const f: Omit<Finding, 'line'> = {
          code: 'claim_mismatch',
          severity: 'warning',
          start: span.start,
          end: span.end,
          claimId: id,
          message: `Claimed ${claim.text}, but ${expression ?? 'the loss'} is ${verdict.expected} (${computed}).`,
        };
        if (pairId !== null) f.pairId = pairId;
        if (source === 'comment' || at === null) {
          f.fix = {
            start: claim.start,
            end: claim.end,
            newText: verdict.expected,
            title: `Replace with ${verdict.expected}`,
          };
        }
        this.addFinding(f, loc);
      }
    } else {
      result.reason = reason;
      const f: Omit<Finding, 'line'> = {
        code: 'claim_unverified',
        severity: 'hint',
        start: span.start,
        end: span.end,
        claimId: id,
        message: `Cannot verify the claimed ${claim.text}: ${reason}.`,
      };
      if (pairId !== null) f.pairId = pairId;
      this.addFinding(f, loc);
    }
    if (pairId !== null) this.computed[pairId].analysis.claims.push(id);
    this.claims.push(result);
    return result;
  }

  /**
   * Attributes printed output lines to the producers (prints, then a final bare expression) of
   * one cell or code block: zipped in order when the counts match, else the single loss print
   * gets the single line that reads as a value.
   */
  attachOutputs(producers: Producer[], outputs: OutputLine[], lines: LineCounter | null): void {
    const lossy = producers.filter((p) => p.printed);
    if (lossy.length === 0 || outputs.length === 0) return;
    const savedLines = this.lines;
    const savedCell = this.cell;
    if (lines) this.lines = lines;
    this.cell = producers[0].cell;
    try {
      const claimAt = (p: Producer, o: OutputLine): void => {
        const claim = claimInOutput(o.text, o.start ?? 0);
        if (!claim) return;
        const at = o.start === null ? { start: p.start, end: p.end } : null;
        this.addClaim(p.printed as Printed, claim, 'output', at);
      };
      if (producers.every((p) => p.topLevel) && producers.length === outputs.length) {
        producers.forEach((p, i) => {
          if (p.printed) claimAt(p, outputs[i]);
        });
        return;
      }
      const valued = outputs.filter((o) => claimInOutput(o.text, 0));
      if (lossy.length === 1 && valued.length === 1) claimAt(lossy[0], valued[0]);
    } finally {
      this.lines = savedLines;
      this.cell = savedCell;
    }
  }

  // ---- findings ----

  addFinding(f: Omit<Finding, 'line'>, loc?: { line: number; cell: number | undefined }): void {
    // Hostile files can have a finding per line: keep the first ones (claims are always kept).
    if (this.findingCount++ >= maxFindings && f.code !== 'claim_mismatch' && f.code !== 'claim_unverified') return;
    const full = { ...f, line: loc ? loc.line : this.lines.lineAt(f.start) } as Finding;
    const cell = loc ? loc.cell : this.cell;
    if (cell !== undefined) full.cell = cell;
    this.findings.push(full);
  }

  // ---- scopes ----

  private lookup(name: string): Value | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private bind(name: string, value: Value, span?: [number, number]): void {
    if (value.k === 'unknown' && !value.lossy) {
      // An unknown value only matters when it hides something known (or a module alias).
      const old = this.lookup(name);
      if ((old !== undefined && old.k !== 'unknown') || defaultNames.has(name))
        this.scopes[this.scopes.length - 1].vars.set(name, value);
      else if (old !== undefined) this.scopes[this.scopes.length - 1].vars.set(name, value);
      return;
    }
    if (value.k === 'array') {
      const a = value.a;
      if (a.fresh) {
        if (a.site.name === null) a.site.name = name;
        if (span && a.site.start > span[0]) this.setSiteSpan(a.site, span[0], a.site.end);
      }
      value = { k: 'array', a: withArr(a, { name }) };
    } else if (value.k === 'loss') {
      const pair = value.pair;
      if (pair.resultName === null) {
        pair.resultName = name;
        const call = this.computed[pair.id].analysis.call;
        if (call) call.resultName = name;
      }
    } else if (value.k === 'dict') {
      for (const [key, v] of value.entries) if (v.k === 'array' && v.a.site.name === null) v.a.site.name = key;
    } else if (value.k === 'seq') {
      value = {
        k: 'seq',
        items: value.items.map((v) => (v.k === 'array' && v.a.fresh ? { k: 'array', a: withArr(v.a, {}) } : v)),
      };
    }
    this.scopes[this.scopes.length - 1].vars.set(name, value);
    // `self.criterion = ...` is used as `self.criterion(...)`: its last part is the token to watch.
    const h = hashName(name.slice(name.lastIndexOf('.') + 1));
    if (relevant(value)) this.hot.add(h);
    else this.warm.add(h);
  }

  private setSiteSpan(site: ArraySite, start: number, end: number): void {
    site.start = start;
    site.end = end;
    site.line = this.lines.lineAt(start);
    site.endLine = this.lines.lineAt(end);
  }

  // ---- Python statements ----

  private isWord(buf: TokenBuffer, i: number, word: string): boolean {
    return (
      i < buf.n &&
      buf.kind[i] === Tok.Name &&
      buf.end[i] - buf.start[i] === word.length &&
      this.text.startsWith(word, buf.start[i])
    );
  }

  /** Could this statement matter: a literal, or a name that is bound or known (torch, print, …)? */
  private interesting(buf: TokenBuffer): boolean {
    const kind = buf.kind;
    const aux = buf.aux;
    const hot = this.hot;
    // `T = 2.0`, `IGNORE = -1`, `RED = 'sum'`: constants an option or an expression may use later;
    // and any statement that assigns a name holding a constant (its value changes).
    if (
      buf.n <= 5 &&
      kind[0] === Tok.Name &&
      ((kind[1] === Tok.Op && aux[1] === 61) || (kind[2] === Tok.Op && aux[2] === 61))
    )
      return true;
    if (kind[0] === Tok.Name && this.warm.has(aux[0])) return true;
    if (buf.n > 1 && kind[1] === Tok.Name && this.warm.has(aux[1])) return true; // const/let/var NAME
    for (let i = 0, n = buf.n; i < n; i++) {
      const k = kind[i];
      if (k === Tok.Literal || (k === Tok.Name && hot.has(aux[i]))) return true;
    }
    return false;
  }

  private pythonStatement(buf: TokenBuffer, hasComment: boolean): Printed | null {
    const n = buf.n;
    this.indent = buf.start[0] - this.lines.lineStartOf(buf.start[0]);
    while (this.scopes.length > 1 && this.indent <= this.scopes[this.scopes.length - 1].indent) this.scopes.pop();
    const blocks = this.pyBlocks;
    while (blocks.length && this.indent <= blocks[blocks.length - 1]) blocks.pop();
    const topLevel = blocks.length === 0;
    // Keywords are recognised by the name hash the tokenizer computed (no string per statement).
    const h0 = buf.kind[0] === Tok.Name ? buf.aux[0] : 0;
    if ((buf.kind[n - 1] === Tok.Op && buf.aux[n - 1] === 58) || compoundHeadHashes.has(h0)) blocks.push(this.indent);
    if (buf.kind[0] === Tok.Op && buf.aux[0] === 64) return null; // decorator
    if (
      (h0 === hDef && this.isWord(buf, 0, 'def')) ||
      (h0 === hClass && this.isWord(buf, 0, 'class')) ||
      (h0 === hAsync && this.isWord(buf, 1, 'def'))
    ) {
      this.pyDef(buf);
      return null;
    }
    const always = (h0 === hImport && this.isWord(buf, 0, 'import')) || (h0 === hFrom && this.isWord(buf, 0, 'from'));
    const first = always || pyStatementHashes.has(h0) ? this.text.slice(buf.start[0], buf.end[0]) : null;
    // Most statements of a long file touch nothing we track: skip them without parsing.
    if (!always && !hasComment && !this.interesting(buf)) return null;
    const p = new ExprParser(this.text, buf, true);
    if (first !== null) {
      const w = first;
      switch (w) {
        case 'import':
          this.pyImport(p, 1, n, null);
          return null;
        case 'from':
          this.pyFrom(p, n);
          return null;
        case 'return':
        case 'yield':
          if (n > 1) this.evaluate(p.parseList(1, n));
          return null;
        case 'if':
        case 'elif':
        case 'while':
        case 'for':
        case 'with':
        case 'else':
        case 'try':
        case 'except':
        case 'finally':
        case 'assert':
        case 'del':
        case 'pass':
        case 'global':
        case 'nonlocal':
        case 'raise':
        case 'break':
        case 'continue':
        case 'match':
        case 'case':
        case 'lambda':
          this.pyHeader(p, w, n);
          return null;
        default:
          break;
      }
    }
    return this.assignmentOrExpression(p, 0, n, topLevel);
  }

  /** `a = b = expr`, `x: T = expr`, `a += 1`, or an expression statement. */
  private assignmentOrExpression(p: ExprParser, from: number, n: number, topLevel: boolean): Printed | null {
    const parts = p.split(from, n, 61);
    if (parts.length > 1) {
      const [vs, ve] = parts[parts.length - 1];
      const valueNode = p.parseList(vs, ve);
      const value = this.evaluate(valueNode);
      for (let k = 0; k < parts.length - 1; k++) this.assignTarget(p, parts[k][0], parts[k][1], value, valueNode);
      if (isLossy(value) && (value.k === 'loss' || value.k === 'scalar')) {
        return {
          value,
          exprText: this.text.slice(valueNode.s, valueNode.e),
          direct: value.k === 'loss' && valueNode.t === 'call',
        };
      }
      return null;
    }
    for (let i = from; i < n; i = p.skip(i)) {
      if (p.isOp(i, Op.Aug)) {
        // `total += loss`: the target is no longer what it was.
        if (i === from + 1 && p.isName(from))
          this.scopes[this.scopes.length - 1].vars.set(p.tokText(from), unknownLossy);
        this.evaluate(p.parseList(i + 1, n));
        return null;
      }
    }
    const node = p.parseList(from, n);
    return this.expressionStatement(node, topLevel);
  }

  private expressionStatement(node: Node, topLevel: boolean): Printed | null {
    // tfjs: `loss.print()` prints the tensor.
    if (node.t === 'call' && node.fn.t === 'attr' && node.fn.name === 'print' && node.args.length === 0 && !this.py) {
      const value = this.evaluate(node.fn.obj);
      const printed = isLossy(value) ? this.printedOf(node.fn.obj, value) : null;
      this.producers.push({
        kind: 'print',
        printed,
        start: node.s,
        end: node.e,
        topLevel: topLevel && this.blockDepthJs === 0,
        cell: this.cell,
      });
      return printed;
    }
    const printCall = node.t === 'call' && this.isPrint(node.fn);
    if (printCall && node.t === 'call') {
      const values = node.args.map((a) => ({ node: a, value: this.printArg(a) }));
      const lossy = values.filter((v) => isLossy(v.value));
      const printed = lossy.length === 1 ? this.printedOf(lossy[0].node, lossy[0].value) : null;
      this.producers.push({
        kind: 'print',
        printed,
        start: node.s,
        end: node.e,
        topLevel: topLevel && this.blockDepthJs === 0,
        cell: this.cell,
      });
      return printed;
    }
    const value = this.evaluate(node);
    const printed = isLossy(value) ? this.printedOf(node, value) : null;
    if (node.t !== 'call' || printed) {
      this.producers.push({
        kind: 'expr',
        printed,
        start: node.s,
        end: node.e,
        topLevel: topLevel && this.blockDepthJs === 0,
        cell: this.cell,
      });
    }
    return printed;
  }

  private printedOf(node: Node, value: Value): Printed {
    let direct = false;
    if (value.k === 'loss') {
      let inner = node;
      // loss.item(), float(loss), loss.detach() print the same number.
      while (
        inner.t === 'call' &&
        inner.fn.t === 'attr' &&
        ['item', 'detach', 'cpu', 'numpy', 'clone', 'tolist'].includes(inner.fn.name)
      )
        inner = inner.fn.obj;
      if (inner.t === 'call' && inner.fn.t === 'name' && inner.fn.id === 'float' && inner.args.length === 1)
        inner = inner.args[0];
      direct = (inner.t === 'name' && inner.id === value.pair.resultName) || inner.t === 'call';
    }
    return { value, exprText: this.text.slice(node.s, node.e), direct };
  }

  private isPrint(fn: Node): boolean {
    if (fn.t === 'name') return (fn.id === 'print' || fn.id === 'display') && this.lookup(fn.id) === undefined;
    return (
      fn.t === 'attr' && fn.obj.t === 'name' && fn.obj.id === 'console' && (fn.name === 'log' || fn.name === 'info')
    );
  }

  /** A print argument: f-strings and `'%.4f' % loss` print the loss inside them. */
  private printArg(node: Node): Value {
    if (node.t === 'str' && node.value === null) {
      const raw = this.text.slice(node.s, node.e);
      const names = raw.match(/\{\s*([A-Za-z_$][\w$]*)/g) ?? raw.match(/\$\{\s*([A-Za-z_$][\w$]*)/g);
      if (names) {
        for (const m of names) {
          const name = m.replace(/^[${\s]+/, '');
          const v = this.lookup(name);
          if (v && isLossy(v)) return v;
          if (!v && lossyName.test(name))
            return { k: 'unknown', lossy: true, why: `\`${name}\` is not computed in this source` };
        }
      }
      return unknown;
    }
    if (node.t === 'bin' && node.op === '%' && node.l.t === 'str') {
      const r = this.evaluate(node.r);
      if (r.k === 'seq') {
        const l = r.items.filter(isLossy);
        return l.length === 1 ? l[0] : unknown;
      }
      return r;
    }
    return this.evaluate(node);
  }

  private assignTarget(p: ExprParser, a: number, b: number, value: Value, valueNode: Node): void {
    if (b <= a) return;
    if (b === a + 1 && p.isName(a)) {
      this.bind(p.tokText(a), value, [valueNode.s, valueNode.e]);
      return;
    }
    if (this.py && p.isName(a) && p.isOp(a + 1, 58)) {
      this.bind(p.tokText(a), value, [valueNode.s, valueNode.e]);
      return;
    }
    // Tuple targets: a, b = x, y.
    const names = p.split(a, b, 44).filter(([s, e]) => e > s);
    if (names.length > 1) {
      names.forEach(([s, e], i) => {
        if (e === s + 1 && p.isName(s))
          this.bind(p.tokText(s), value.k === 'seq' && value.items.length === names.length ? value.items[i] : unknown);
      });
      return;
    }
    // obj.attr targets (self.logits = ...): keyed by their dotted text.
    const dotted = this.dottedText(p, a, b);
    if (dotted) this.bind(dotted, value, [valueNode.s, valueNode.e]);
  }

  private dottedText(p: ExprParser, a: number, b: number): string | null {
    if ((b - a) % 2 === 0) return null;
    for (let i = a; i < b; i++) {
      if ((i - a) % 2 === 0 ? !p.isName(i) : !p.isOp(i, 46)) return null;
    }
    return this.text.slice(p.buf.start[a], p.buf.end[b - 1]);
  }

  private pyImport(p: ExprParser, from: number, n: number, base: string | null): void {
    for (const [a, b] of p.split(from, n, 44)) {
      let i = a;
      let path = '';
      while (i < b && ((p.isName(i) && !p.isName(i, 'as')) || p.isOp(i, 46))) {
        path += p.tokText(i);
        i++;
      }
      if (!path) continue;
      let alias: string | null = null;
      if (p.isName(i, 'as') && p.isName(i + 1)) alias = p.tokText(i + 1);
      const full = base ? `${base}.${path}` : path;
      if (alias) this.bindGlobal(alias, { k: 'ns', path: canonical(full) });
      else if (base) this.bindGlobal(path, { k: 'ns', path: canonical(full) });
      else {
        const top = path.split('.')[0];
        this.bindGlobal(top, { k: 'ns', path: top });
      }
    }
  }

  private pyFrom(p: ExprParser, n: number): void {
    let i = 1;
    let base = '';
    while (i < n && (p.isName(i) || p.isOp(i, 46)) && !p.isName(i, 'import')) {
      base += p.tokText(i);
      i++;
    }
    if (!p.isName(i, 'import')) return;
    i++;
    let end = n;
    if (p.isOp(i, 40)) {
      end = Math.min(p.match[i], n);
      i++;
    }
    this.pyImport(p, i, end, base);
  }

  private bindGlobal(name: string, value: Value): void {
    // Module aliases (np, F) are not worth watching by themselves; imported functions are.
    if (relevant(value)) this.hot.add(hashName(name));
    this.scopes[this.scopes.length - 1].vars.set(name, value);
  }

  /** `def f(a, b):` / `class C:` — a new scope; parameters shadow outer names of the same spelling. */
  private pyDef(buf: TokenBuffer): void {
    const n = buf.n;
    const text = this.text;
    const word = (k: number): string | null =>
      k < n && buf.kind[k] === Tok.Name ? text.slice(buf.start[k], buf.end[k]) : null;
    let i = 0;
    if (word(i) === 'async') i++;
    const isClass = word(i) === 'class';
    const name = word(i + 1);
    if (name === null) return;
    // Only functions whose names say they compute a loss are modelled; others just shadow.
    if (!isClass && /nll|entropy|xent|ce_?loss/i.test(name)) this.bind(name, { k: 'userfn', name });
    else if (this.lookup(name) !== undefined) this.bind(name, unknown);
    const scope: Scope = { vars: new Map(), indent: this.indent };
    if (!isClass && buf.kind[i + 2] === Tok.Op && buf.aux[i + 2] === 40) {
      // Parameter names: names at depth 1 that follow `(` or `,` (after * / **).
      let depth = 0;
      let expectName = true;
      for (let k = i + 2; k < n; k++) {
        if (buf.kind[k] === Tok.Op) {
          const a = buf.aux[k];
          if (a === 40 || a === 91 || a === 123) {
            depth++;
            if (depth === 1) expectName = true;
            continue;
          }
          if (a === 41 || a === 93 || a === 125) {
            if (--depth === 0) break;
            continue;
          }
          if (depth === 1 && a === 44) {
            expectName = true;
            continue;
          }
          if (a === 42 || a === Op.Pow) continue;
          expectName = false;
        } else if (buf.kind[k] === Tok.Name && depth === 1 && expectName) {
          const param = text.slice(buf.start[k], buf.end[k]);
          if (this.lookup(param) !== undefined || defaultNames.has(param)) scope.vars.set(param, unknown);
          expectName = false;
        } else expectName = false;
      }
    }
    this.scopes.push(scope);
  }

  private pyHeader(p: ExprParser, w: string, n: number): void {
    if (w === 'for') {
      // `for x in ...:` rebinds x.
      for (let i = 1; i < n && !p.isName(i, 'in'); i++)
        if (p.isName(i)) this.scopes[this.scopes.length - 1].vars.set(p.tokText(i), unknown);
    }
    if (w === 'with') {
      for (let i = 1; i < n; i++)
        if (p.isName(i, 'as') && p.isName(i + 1))
          this.scopes[this.scopes.length - 1].vars.set(p.tokText(i + 1), unknown);
    }
    // A body on the same line (`if x: y = 1`) is rare in the code this tool reads; skipped.
  }

  // ---- JavaScript statements ----

  private jsStatement(buf: TokenBuffer, hasComment: boolean): Printed | null {
    const n = buf.n;
    const first = buf.kind[0] === Tok.Name ? this.text.slice(buf.start[0], buf.end[0]) : null;
    const always = first === 'import' || first === 'export' || first === 'function' || first === 'declare';
    if (!always && !hasComment && !this.interesting(buf)) return null;
    const p = new ExprParser(this.text, buf, false);
    let i = 0;
    while (p.isName(i, 'export') || p.isName(i, 'default')) i++;
    if (i >= n || p.isName(i, 'declare')) return null;
    if (buf.kind[i] === Tok.Name) {
      const w = p.tokText(i);
      if (w === 'import') {
        this.jsImport(p, i, n);
        return null;
      }
      if (w === 'const' || w === 'let' || w === 'var') {
        let printed: Printed | null = null;
        for (const [a, b] of p.split(i + 1, n, 44)) {
          const r = this.jsDeclarator(p, a, b);
          if (r) printed = r;
        }
        return printed;
      }
      if (w === 'return' || w === 'throw') {
        if (n > i + 1) this.evaluate(p.parse(i + 1, n));
        return null;
      }
      const declaresType =
        (w === 'interface' || w === 'type' || w === 'enum' || w === 'namespace' || w === 'module') && p.isName(i + 1);
      if (
        declaresType ||
        ['function', 'class', 'if', 'for', 'while', 'switch', 'try', 'catch', 'finally', 'else', 'do'].includes(w)
      ) {
        if (w === 'function' && p.isName(i + 1) && /nll|entropy|xent|ce_?loss/i.test(p.tokText(i + 1)))
          this.bind(p.tokText(i + 1), { k: 'userfn', name: p.tokText(i + 1) });
        return null;
      }
    }
    return this.assignmentOrExpression(p, i, n, true);
  }

  private jsDeclarator(p: ExprParser, a: number, b: number): Printed | null {
    if (!p.isName(a)) return null;
    const name = p.tokText(a);
    let eq = -1;
    for (let k = a + 1; k < b; k = p.skip(k))
      if (p.isOp(k, 61)) {
        eq = k;
        break;
      }
    if (eq < 0) {
      this.bind(name, unknown);
      return null;
    }
    const node = p.parse(eq + 1, b);
    const value = this.evaluate(node);
    // const tf = require('@tensorflow/tfjs')
    if (node.t === 'call' && node.fn.t === 'name' && node.fn.id === 'require' && node.args[0]?.t === 'str') {
      const mod = (node.args[0] as { value: string | null }).value ?? '';
      if (mod.startsWith('@tensorflow/')) {
        this.bind(name, { k: 'ns', path: 'tf' });
        return null;
      }
    }
    this.bind(name, value, [node.s, node.e]);
    if (value.k === 'loss' || (value.k === 'scalar' && value.pairs.length))
      return { value, exprText: this.text.slice(node.s, node.e), direct: value.k === 'loss' };
    return null;
  }

  private jsImport(p: ExprParser, from: number, n: number): void {
    // import * as tf from '@tensorflow/tfjs';  import { tensor2d } from '@tensorflow/tfjs'
    let mod = '';
    for (let k = from; k < n; k++)
      if (p.buf.kind[k] === Tok.String) mod = this.text.slice(p.buf.start[k] + 1, p.buf.end[k] - 1);
    if (!mod.startsWith('@tensorflow/')) return;
    for (let k = from; k < n; k++) {
      if (p.isOp(k, 42) && p.isName(k + 1, 'as') && p.isName(k + 2))
        this.bindGlobal(p.tokText(k + 2), { k: 'ns', path: 'tf' });
      if (p.isOp(k, 123)) {
        const close = Math.min(p.match[k], n);
        for (const [a, b] of p.split(k + 1, close, 44)) {
          if (!p.isName(a)) continue;
          const alias = b - a >= 3 && p.isName(a + 1, 'as') ? p.tokText(a + 2) : p.tokText(a);
          this.bindGlobal(alias, { k: 'ns', path: `tf.${p.tokText(a)}` });
        }
      }
      if (k === from + 1 && p.isName(k) && !p.isName(k, 'type')) this.bindGlobal(p.tokText(k), { k: 'ns', path: 'tf' });
    }
  }

  // ---- evaluation ----

  /** Depth of {@link evaluate} calls: chains such as `a.b.c…` or `x[0][0]…` nest nodes without bound. */
  private evalDepth = 0;

  private evaluate(node: Node): Value {
    if (this.evalDepth >= maxEvalDepth) return unknown;
    this.evalDepth++;
    try {
      return this.evaluateNode(node);
    } finally {
      this.evalDepth--;
    }
  }

  private evaluateNode(node: Node): Value {
    switch (node.t) {
      case 'name': {
        const v = this.lookup(node.id);
        if (v !== undefined) return v.k === 'array' ? { k: 'array', a: withArr(v.a, { name: node.id }) } : v;
        const path = defaultNames.get(node.id);
        if (path && (this.py || !['F', 'nn', 'np', 'torch'].includes(node.id))) return { k: 'ns', path };
        if (!this.py && (node.id === 'Infinity' || node.id === 'NaN'))
          return { k: 'num', value: node.id === 'NaN' ? NaN : Infinity, int: false };
        if (this.py && (node.id === 'True' || node.id === 'False'))
          return { k: 'num', value: node.id === 'True' ? 1 : 0, int: true };
        return lossyName.test(node.id)
          ? { k: 'unknown', lossy: true, why: `\`${node.id}\` is not computed in this source` }
          : unknown;
      }
      case 'num':
        return { k: 'num', value: node.v, int: node.int };
      case 'str':
        return node.value !== null ? { k: 'str', value: node.value } : unknown;
      case 'lit':
        return { k: 'array', a: this.literalValue(node.site) };
      case 'attr':
        return this.attr(node);
      case 'call':
        return this.call(node);
      case 'sub':
        return this.subscript(node);
      case 'bin':
        return this.binary(node);
      case 'un':
        return this.unaryValue(node);
      case 'seq':
        return { k: 'seq', items: node.items.map((x) => this.evaluate(x)) };
      case 'dict': {
        const entries = new Map<string, Value>();
        for (const e of node.entries) {
          const v = this.evaluate(e.value);
          if (e.key !== null) {
            if (v.k === 'array') {
              if (v.a.fresh && v.a.site.name === null) v.a.site.name = e.key;
              // Stored values are no longer "fresh": a later torch.tensor(d['logits']) converts, it does not re-site.
              entries.set(e.key, { k: 'array', a: withArr(v.a, { name: e.key }) });
            } else entries.set(e.key, v);
          }
        }
        return { k: 'dict', entries };
      }
      default:
        return unknown;
    }
  }

  private literalValue(siteId: number): ArrVal {
    const site = this.sites[siteId];
    return {
      site,
      data: site.data ?? null,
      shape: site.shape,
      integerTensor: false,
      dtype: null,
      dtypeSource: 'default',
      kind: 'list',
      transform: null,
      name: null,
      fresh: true,
      derived: false,
    };
  }

  private attr(node: Extract<Node, { t: 'attr' }>): Value {
    // Dotted names bound by assignment (self.logits = ...).
    if ((node.obj.t === 'name' || node.obj.t === 'attr') && node.e - node.s <= maxDottedName) {
      const dotted = this.text.slice(node.s, node.e);
      if (/^[\w$.]+$/.test(dotted)) {
        const bound = this.lookup(dotted);
        if (bound) return bound.k === 'array' ? { k: 'array', a: withArr(bound.a, { name: dotted }) } : bound;
      }
    }
    const obj = this.evaluate(node.obj);
    switch (obj.k) {
      case 'ns':
        return { k: 'ns', path: canonical(`${obj.path}.${node.name}`) };
      case 'array':
        if (node.name === 'data') return obj;
        return { k: 'method', recv: obj, name: node.name };
      case 'criterion':
      case 'module':
        return node.name === 'forward' || node.name === '__call__' ? obj : unknown;
      case 'dict':
        return obj.entries.get(node.name) ?? unknown;
      case 'loss':
      case 'scalar':
      case 'num':
      case 'sym':
      case 'str':
      case 'elem':
        return { k: 'method', recv: obj, name: node.name };
      case 'unknown':
        return obj.lossy
          ? obj
          : lossyName.test(node.name)
            ? {
                k: 'unknown',
                lossy: true,
                why: `\`${this.text.slice(node.s, node.e)}\` is not computed in this source`,
              }
            : unknown;
      default:
        return unknown;
    }
  }

  private subscript(node: Extract<Node, { t: 'sub' }>): Value {
    const obj = this.evaluate(node.obj);
    const index = this.evaluate(node.index);
    if (obj.k === 'dict' && index.k === 'str') return obj.entries.get(index.value) ?? unknown;
    if (obj.k === 'seq' && index.k === 'num' && Number.isInteger(index.value)) {
      const i = index.value < 0 ? obj.items.length + index.value : index.value;
      return obj.items[i] ?? unknown;
    }
    const idx = index.k === 'num' ? index.value : index.k === 'elem' ? index.a.data?.[index.index] : undefined;
    if (obj.k === 'array' && idx !== undefined && Number.isInteger(idx) && obj.a.shape.length === 1 && obj.a.data) {
      const C = obj.a.shape[0];
      const i = idx < 0 ? C + idx : idx;
      const indexArray = index.k === 'num' ? (index.fromArray ?? null) : index.k === 'elem' ? index.a : null;
      if (i >= 0 && i < C) return { k: 'elem', a: obj.a, index: i, indexArray };
      return { k: 'elem', a: obj.a, index: i, indexArray };
    }
    if (obj.k === 'loss' || obj.k === 'scalar') return { k: 'unknown', lossy: true };
    return isLossy(obj) ? unknownLossy : unknown;
  }

  private unaryValue(node: Extract<Node, { t: 'un' }>): Value {
    const x = this.evaluate(node.x);
    if (node.op === '+') return x;
    if (node.op !== '-') return isLossy(x) ? unknownLossy : unknown;
    if (x.k === 'num') return { k: 'num', value: -x.value, int: x.int };
    if (x.k === 'sym') {
      // -log(exp(x[t]) / sum(exp(x))): the other way to write the formula.
      const f = this.formulaFromNegLog(x, node);
      if (f) return f;
      return { k: 'sym', op: 'neg', arg: x };
    }
    const n = numeric(x);
    if (n !== undefined) return { k: 'scalar', value: n === null ? null : -n, pairs: pairsOf(x), dtype: dtypeOf(x) };
    if (x.k === 'array' && x.a.data && !x.a.integerTensor) {
      const data = new Float64Array(x.a.data.length);
      for (let i = 0; i < data.length; i++) data[i] = -x.a.data[i];
      return { k: 'array', a: withArr(x.a, { data, derived: true, name: null }) };
    }
    return isLossy(x) ? unknownLossy : unknown;
  }

  private binary(node: Extract<Node, { t: 'bin' }>): Value {
    const l = this.evaluate(node.l);
    const r = this.evaluate(node.r);
    const op = node.op;
    if (op === '-' && r.k === 'elem' && l.k === 'sym') {
      const f = this.formula(l, r, node);
      if (f) return f;
    }
    if (op === '/' && l.k === 'sym' && r.k === 'sym') return { k: 'sym', op: 'div', arg: l, arg2: r };
    if (op === '/' && l.k === 'sym' && l.op === 'exp' && r.k === 'sym') return { k: 'sym', op: 'div', arg: l, arg2: r };
    if (op === '+' || op === '-' || op === '*' || op === '/' || op === '**' || op === '//') {
      const a = numeric(l);
      const b = numeric(r);
      if (a !== undefined && b !== undefined) {
        const pairs = [...pairsOf(l), ...pairsOf(r)];
        const value = a === null || b === null ? null : arith(op, a, b);
        if (pairs.length === 0 && value !== null && l.k === 'num' && r.k === 'num') {
          return { k: 'num', value, int: l.int && r.int && op !== '/' && op !== '**' };
        }
        if (pairs.length === 0 && value !== null) return { k: 'num', value, int: false };
        const dtype: DType = [l, r].every((v) => dtypeOf(v) === 'float64') ? 'float64' : 'float32';
        return {
          k: 'scalar',
          value:
            value === null
              ? null
              : dtype === 'float32' && pairs.every((p) => p.kind !== 'formula')
                ? Math.fround(value)
                : value,
          pairs,
          dtype,
        };
      }
      // Elementwise with a number: logits / temperature, x * 2.
      const arr = l.k === 'array' ? l.a : r.k === 'array' ? r.a : null;
      const num = l.k === 'num' ? l.value : r.k === 'num' ? r.value : null;
      if (arr && arr.data && num !== null && (op === '+' || op === '-' || op === '*' || op === '/')) {
        const dtype = arr.dtype ?? (arr.kind === 'ndarray' || arr.kind === 'list' ? 'float64' : 'float32');
        const round = dtype === 'float32' ? Math.fround : (v: number) => v;
        const data = new Float64Array(arr.data.length);
        const left = l.k === 'array';
        for (let i = 0; i < data.length; i++) {
          const v = round(arr.data[i]);
          data[i] = round(left ? arith(op, v, num) : arith(op, num, v));
        }
        const integer = arr.integerTensor && op !== '/' && Number.isInteger(num);
        return {
          k: 'array',
          a: withArr(arr, {
            data,
            derived: true,
            name: null,
            integerTensor: integer,
            dtype: integer ? null : arr.integerTensor ? 'float32' : arr.dtype,
          }),
        };
      }
    }
    return isLossy(l) || isLossy(r) ? unknownLossy : unknown;
  }

  // ---- calls ----

  private call(node: Extract<Node, { t: 'call' }>): Value {
    const fn = this.evaluate(node.fn);
    switch (fn.k) {
      case 'ns':
        return this.callNs(fn.path, node);
      case 'criterion':
        return this.lossCall(node, fn.kind === 'NLLLoss', fn.kind, fn.options, 0);
      case 'module': {
        const x = this.argValue(node, 0, 'input');
        return x.k === 'array'
          ? this.transform(x.a, fn.kind === 'LogSoftmax' ? 'log_softmax' : 'softmax', fn.dim)
          : isLossy(x)
            ? unknownLossy
            : unknown;
      }
      case 'userfn': {
        if (/nll/i.test(fn.name)) return this.lossCall(node, true, 'user_function', {}, 0, false, false, true);
        if (/cross_?entropy|ce_?loss|xent/i.test(fn.name))
          return this.lossCall(node, false, 'user_function', {}, 0, false, false, true);
        return this.opaqueCall(node, lossyName.test(fn.name));
      }
      case 'method':
        return this.callMethod(fn.recv, fn.name, node);
      case 'unknown': {
        const callee = node.fn.t === 'name' ? node.fn.id : node.fn.t === 'attr' ? node.fn.name : '';
        if (/nll/i.test(callee) && node.fn.t === 'name' && node.args.length >= 2) {
          // An NLLLoss-style function defined elsewhere (the seed article's own `NLLLoss(logs, targets)`).
          const r = this.lossCall(node, true, 'user_function', {}, 0, true, false, true);
          if (r.k === 'loss') return r;
          return { k: 'unknown', lossy: true, why: `\`${callee}\` is not defined in this source` };
        }
        if (lossFnName.test(callee) && node.args.length >= 2) {
          const r = this.lossCall(node, false, 'user_function', {}, 0, true, false, true);
          if (r.k === 'loss') return r;
          return { k: 'unknown', lossy: true, why: `\`${callee}\` is not defined in this source` };
        }
        return this.opaqueCall(node, fn.lossy || lossyName.test(callee));
      }
      default:
        return this.opaqueCall(node, false);
    }
  }

  /** A call we cannot model: its arguments are still evaluated (they may hold loss calls). */
  private opaqueCall(node: Extract<Node, { t: 'call' }>, lossy: boolean): Value {
    let anyLossy = lossy;
    for (const a of node.args) if (isLossy(this.evaluate(a))) anyLossy = true;
    for (const k of node.kw) if (isLossy(this.evaluate(k.value))) anyLossy = true;
    return anyLossy ? unknownLossy : unknown;
  }

  private argNode(node: Extract<Node, { t: 'call' }>, index: number, kw?: string): Node | undefined {
    if (kw) {
      const k = node.kw.find((x) => x.name === kw);
      if (k) return k.value;
    }
    return index >= 0 ? node.args[index] : undefined;
  }

  private argValue(node: Extract<Node, { t: 'call' }>, index: number, kw?: string): Value {
    const a = this.argNode(node, index, kw);
    return a ? this.evaluate(a) : unknown;
  }

  private callNs(path: string, node: Extract<Node, { t: 'call' }>): Value {
    if (constructors.has(path)) return this.construct(path, node);
    switch (path) {
      case 'torch.nn.CrossEntropyLoss':
      case 'torch.nn.NLLLoss': {
        const options = this.options_(node, 0, -1, -1, -1);
        return {
          k: 'criterion',
          kind: path === 'torch.nn.NLLLoss' ? 'NLLLoss' : 'CrossEntropyLoss',
          options,
        } as CriterionVal;
      }
      case 'torch.nn.LogSoftmax':
      case 'torch.nn.Softmax': {
        const d = this.argValue(node, 0, 'dim');
        return {
          k: 'module',
          kind: path === 'torch.nn.LogSoftmax' ? 'LogSoftmax' : 'Softmax',
          dim: d.k === 'num' ? d.value : null,
        };
      }
      case 'torch.nn.functional.cross_entropy':
        return this.lossCall(node, false, 'cross_entropy', this.options_(node, 2, 4, 6, 7), 0);
      case 'torch.nn.functional.nll_loss':
        return this.lossCall(node, true, 'nll_loss', this.options_(node, 2, 4, 6, -1), 0);
      case 'tf.losses.softmaxCrossEntropy': {
        // tf.losses.softmaxCrossEntropy(onehotLabels, logits, weights?, labelSmoothing?): the mean over the batch.
        const ls = this.argValue(node, 3);
        const options: OptionVals = ls.k === 'num' ? { labelSmoothing: ls.value } : {};
        return this.lossCall(node, false, 'tf_softmax_cross_entropy', options, 0, false, true);
      }
      case 'tf.oneHot': {
        const x = this.argValue(node, 0);
        const depth = this.argValue(node, 1);
        if (x.k !== 'array' || depth.k !== 'num') return unknown;
        return { k: 'array', a: withArr(x.a, { oneHot: depth.value, name: x.a.name }) };
      }
      case 'torch.nn.functional.log_softmax':
      case 'torch.log_softmax':
      case 'torch.nn.functional.softmax':
      case 'torch.softmax':
      case 'scipy.special.softmax':
      case 'scipy.special.log_softmax': {
        const x = this.argValue(node, 0, 'input');
        const d = this.argValue(node, 1, path.startsWith('scipy') ? 'axis' : 'dim');
        if (x.k !== 'array') return isLossy(x) ? unknownLossy : unknown;
        return this.transform(
          x.a,
          path.endsWith('log_softmax') ? 'log_softmax' : 'softmax',
          d.k === 'num' ? d.value : path.startsWith('scipy') ? -2 : null,
        );
      }
      case 'numpy.exp':
      case 'torch.exp':
      case 'math.exp':
        return this.sym('exp', node, path.startsWith('torch') ? 'torch' : 'numpy');
      case 'numpy.log':
      case 'torch.log':
      case 'math.log':
        return this.sym('log', node, 'numpy');
      case 'builtins.sum':
        return this.sym('sum', node, 'builtin');
      case 'numpy.sum':
        return this.sym('sum', node, 'numpy');
      case 'torch.sum':
        return this.sym('sum', node, 'torch');
      case 'scipy.special.logsumexp':
      case 'torch.logsumexp':
        return this.sym('logsumexp', node, 'numpy');
      case 'builtins.float': {
        const v = this.argValue(node, 0);
        return v.k === 'loss' || v.k === 'scalar' || v.k === 'num'
          ? v
          : v.k === 'elem'
            ? { k: 'num', value: v.a.data?.[v.index] ?? NaN, int: false }
            : isLossy(v)
              ? unknownLossy
              : unknown;
      }
      case 'builtins.round': {
        const v = this.argValue(node, 0);
        const d = this.argValue(node, 1);
        const n = numeric(v);
        if (n !== undefined && n !== null && d.k === 'num')
          return { k: 'scalar', value: Number(n.toFixed(d.value)), pairs: pairsOf(v), dtype: 'float64' };
        return isLossy(v) ? unknownLossy : unknown;
      }
      default:
        return this.opaqueCall(node, false);
    }
  }

  private sym(
    op: 'exp' | 'log' | 'sum' | 'logsumexp',
    node: Extract<Node, { t: 'call' }>,
    sumKind: 'builtin' | 'numpy' | 'torch',
  ): Value {
    const x = this.argValue(node, 0);
    if (x.k === 'array' || x.k === 'sym' || x.k === 'elem') return { k: 'sym', op, arg: x, sumKind };
    const n = numeric(x);
    if (n !== undefined && n !== null && (op === 'exp' || op === 'log')) {
      const v = op === 'exp' ? Math.exp(n) : Math.log(n);
      return pairsOf(x).length
        ? { k: 'scalar', value: v, pairs: pairsOf(x), dtype: dtypeOf(x) }
        : { k: 'num', value: v, int: false };
    }
    return isLossy(x) ? unknownLossy : unknown;
  }

  /** Loss options from positional slots (−1: none) and keywords. */
  private options_(
    node: Extract<Node, { t: 'call' }>,
    weightAt: number,
    ignoreAt: number,
    reductionAt: number,
    smoothingAt: number,
  ): OptionVals {
    const o: OptionVals = {};
    const w = this.argNode(node, weightAt, 'weight');
    if (w) {
      const v = this.evaluate(w);
      if (v.k === 'array') {
        o.weight = v.a;
        this.usedSites.add(v.a.site.id);
      }
    }
    const ig = this.argNode(node, ignoreAt, 'ignore_index');
    if (ig) {
      const v = this.evaluate(ig);
      if (v.k === 'num') o.ignoreIndex = v.value;
    }
    const red = this.argNode(node, reductionAt, 'reduction');
    if (red) {
      const v = this.evaluate(red);
      if (v.k === 'str') o.reduction = v.value;
    }
    const ls = this.argNode(node, smoothingAt, 'label_smoothing');
    if (ls) {
      const v = this.evaluate(ls);
      if (v.k === 'num') o.labelSmoothing = v.value;
    }
    return o;
  }

  private transform(a: ArrVal, kind: 'softmax' | 'log_softmax', dim: number | null): Value {
    const nd = a.shape.length;
    // torch's implicit dim (_get_softmax_dim): 0 for 0-, 1- and 3-D inputs, else 1.
    const d =
      dim === null
        ? nd === 0 || nd === 1 || nd === 3
          ? 0
          : 1
        : dim === -2
          ? nd === 1
            ? 0
            : 1
          : dim < 0
            ? dim + nd
            : dim;
    const classDim = nd === 1 ? 0 : 1;
    if (d !== classDim || a.transform !== null) {
      if (kind === 'log_softmax' && a.transform === 'softmax' && d === classDim) return { k: 'unknown', lossy: false };
      return unknown;
    }
    return { k: 'array', a: withArr(a, { transform: kind, name: a.name }) };
  }

  private callMethod(recv: Value, name: string, node: Extract<Node, { t: 'call' }>): Value {
    if (recv.k === 'array') {
      const a = recv.a;
      switch (name) {
        case 'float':
          return this.retype(a, 'float32');
        case 'double':
          return this.retype(a, 'float64');
        case 'half':
        case 'bfloat16':
          return this.retype(a, 'float32');
        case 'long':
        case 'int':
        case 'short':
          return this.retype(a, 'int');
        case 'to':
        case 'type':
        case 'astype': {
          const v = this.argValue(node, 0, 'dtype');
          const dt = this.dtypeOfValue(v);
          const kw = node.kw.find((k) => k.name === 'dtype');
          const dt2 = kw ? this.dtypeOfValue(this.evaluate(kw.value)) : null;
          return (dt2 ?? dt) ? this.retype(a, (dt2 ?? dt) as DType | 'int') : recv;
        }
        case 'cuda':
        case 'cpu':
        case 'detach':
        case 'clone':
        case 'contiguous':
        case 'requires_grad_':
        case 'numpy':
        case 'tolist':
        case 'copy':
          return recv;
        case 'log_softmax':
        case 'softmax': {
          const d = this.argValue(node, 0, 'dim');
          return this.transform(a, name, d.k === 'num' ? d.value : null);
        }
        case 'view':
        case 'reshape':
        case 'unsqueeze':
        case 'squeeze':
        case 'flatten':
          return this.reshape(a, name, node);
        default:
          return this.opaqueCall(node, false);
      }
    }
    if (recv.k === 'loss' || recv.k === 'scalar' || recv.k === 'num') {
      switch (name) {
        case 'item':
        case 'detach':
        case 'cpu':
        case 'numpy':
        case 'clone':
        case 'tolist':
        case 'float':
        case 'double':
          return recv;
        case 'mean':
        case 'sum': {
          if (recv.k !== 'loss') return recv;
          const pair = recv.pair;
          if (pair.reduction !== 'none') return recv;
          if (!pair.losses) return unknownLossy;
          let s = 0;
          for (let i = 0; i < pair.losses.length; i++) s += pair.losses[i];
          const v = name === 'mean' ? s / pair.losses.length : s;
          return {
            k: 'scalar',
            value: pair.dtype === 'float32' ? Math.fround(v) : v,
            pairs: [pair],
            dtype: pair.dtype,
          };
        }
        default:
          return isLossy(recv) ? unknownLossy : unknown;
      }
    }
    if (recv.k === 'sym' && name === 'sum') return { k: 'sym', op: 'sum', arg: recv, sumKind: 'numpy' };
    if (recv.k === 'str' && name === 'format') {
      const vals = node.args.map((x) => this.evaluate(x)).filter(isLossy);
      return vals.length === 1 ? vals[0] : unknown;
    }
    return this.opaqueCall(node, isLossy(recv));
  }

  private dtypeOfValue(v: Value): DType | 'int' | null {
    if (v.k === 'ns') return dtypeNames.get(v.path) ?? null;
    if (v.k === 'str') return dtypeNames.get(v.value) ?? null;
    return null;
  }

  private retype(a: ArrVal, dt: DType | 'int'): Value {
    if (dt === 'int')
      return { k: 'array', a: withArr(a, { integerTensor: true, dtype: null, dtypeSource: 'explicit', name: a.name }) };
    // float32 → float64 keeps the float32-rounded values (torch.tensor([0.1]).double() is not 0.1).
    const data = a.dtype === 'float32' && dt === 'float64' && a.data ? inDtype(a.data, 'float32') : a.data;
    return {
      k: 'array',
      a: withArr(a, {
        integerTensor: false,
        dtype: dt,
        dtypeSource: 'explicit',
        name: a.name,
        data,
        derived: a.derived || data !== a.data,
      }),
    };
  }

  private reshape(a: ArrVal, name: string, node: Extract<Node, { t: 'call' }>): Value {
    const total = a.data ? a.data.length : -1;
    let shape: number[] | null = null;
    if (name === 'flatten') shape = [total];
    else if (name === 'squeeze') {
      const d = this.argValue(node, 0, 'dim');
      shape =
        d.k === 'num'
          ? a.shape.filter((s, i) => !(s === 1 && (i === d.value || i === d.value + a.shape.length)))
          : a.shape.filter((s) => s !== 1);
    } else if (name === 'unsqueeze') {
      const d = this.argValue(node, 0, 'dim');
      if (d.k === 'num') {
        const at = d.value < 0 ? d.value + a.shape.length + 1 : d.value;
        shape = a.shape.slice();
        shape.splice(at, 0, 1);
      }
    } else {
      let dims: number[] = [];
      const vals = node.args.map((x) => this.evaluate(x));
      if (vals.length === 1 && vals[0].k === 'seq')
        dims = (vals[0] as { items: Value[] }).items.map((x) => (x.k === 'num' ? x.value : NaN));
      else if (vals.length === 1 && vals[0].k === 'array' && vals[0].a.data) {
        dims = Array.from(vals[0].a.data);
        this.usedSites.add(vals[0].a.site.id);
      } else dims = vals.map((x) => (x.k === 'num' ? x.value : NaN));
      const known = dims.filter((x) => x !== -1).reduce((p, x) => p * x, 1);
      if (dims.every((x) => Number.isInteger(x)) && dims.filter((x) => x === -1).length <= 1 && total >= 0) {
        shape = dims.map((x) => (x === -1 ? total / known : x));
      }
    }
    if (!shape || shape.reduce((p, x) => p * x, 1) !== total || shape.some((s) => !Number.isInteger(s) || s < 0))
      return unknown;
    return { k: 'array', a: withArr(a, { shape, name: a.name }) };
  }

  /** torch.tensor(...), np.array(...), tf.tensor2d(...), new Float32Array(...). */
  private construct(path: string, node: Extract<Node, { t: 'call' }>): Value {
    const src = this.argValue(
      node,
      0,
      path.startsWith('torch') ? 'data' : path.startsWith('numpy') ? 'object' : undefined,
    );
    if (src.k !== 'array') {
      // A Float32Array of a seq of numbers ([a, b]) or a scalar tensor: not an array literal.
      return isLossy(src) ? unknownLossy : unknown;
    }
    const a = src.a;
    let dtype: DType | null = a.dtype;
    let integer = a.integerTensor;
    let source: ArrVal['dtypeSource'] = 'constructor';
    let kind: ArrVal['kind'] = a.kind;
    let shape = a.shape;
    const kwDtype = node.kw.find((k) => k.name === 'dtype');
    let explicit: DType | 'int' | null = kwDtype ? this.dtypeOfValue(this.evaluate(kwDtype.value)) : null;
    if (path.startsWith('numpy.') && !explicit && node.args[1])
      explicit = this.dtypeOfValue(this.evaluate(node.args[1]));
    const fromList = a.kind === 'list' || a.kind === 'json';
    switch (path) {
      case 'torch.tensor':
      case 'torch.as_tensor':
        kind = 'tensor';
        if (fromList) {
          integer = a.site.integral && !a.derived;
          dtype = integer ? null : 'float32';
        }
        break;
      case 'torch.Tensor':
      case 'torch.FloatTensor':
      case 'torch.cuda.FloatTensor':
      case 'torch.HalfTensor':
      case 'torch.BFloat16Tensor':
      case 'torch.cuda.HalfTensor':
        kind = 'tensor';
        integer = false;
        dtype = 'float32';
        break;
      case 'torch.DoubleTensor':
      case 'torch.cuda.DoubleTensor':
        kind = 'tensor';
        integer = false;
        dtype = 'float64';
        break;
      case 'torch.LongTensor':
      case 'torch.IntTensor':
      case 'torch.ShortTensor':
      case 'torch.ByteTensor':
      case 'torch.CharTensor':
      case 'torch.cuda.LongTensor':
      case 'torch.cuda.IntTensor':
        kind = 'tensor';
        integer = true;
        dtype = null;
        break;
      case 'torch.from_numpy':
        kind = 'tensor';
        if (fromList) {
          integer = a.site.integral;
          dtype = integer ? null : 'float64';
        }
        break;
      case 'numpy.array':
      case 'numpy.asarray':
      case 'numpy.asanyarray':
      case 'numpy.ascontiguousarray':
        kind = 'ndarray';
        if (fromList) {
          integer = a.site.integral && !a.derived;
          dtype = integer ? null : 'float64';
        }
        break;
      case 'tf.tensor':
      case 'tf.tensor1d':
      case 'tf.tensor2d':
      case 'tf.tensor3d':
      case 'tf.tensor4d': {
        kind = 'tf';
        const dt = this.argValue(node, path === 'tf.tensor1d' ? 1 : 2);
        integer = dt.k === 'str' && /int|bool/.test(dt.value);
        dtype = integer ? null : 'float32';
        if (dt.k === 'str') source = 'explicit';
        const sh = path === 'tf.tensor1d' ? unknown : this.argValue(node, 1);
        if (sh.k === 'array' && sh.a.data) {
          this.usedSites.add(sh.a.site.id);
          const dims = Array.from(sh.a.data);
          if (dims.reduce((p, x) => p * x, 1) === (a.data?.length ?? -1)) shape = dims;
        }
        break;
      }
      default: {
        // Typed arrays.
        kind = 'typed';
        integer = !path.startsWith('Float') && path !== 'Array.from';
        dtype = integer ? null : path.startsWith('Float64') ? 'float64' : path === 'Array.from' ? a.dtype : 'float32';
        if (path === 'Array.from') kind = a.kind;
        break;
      }
    }
    let data = a.data;
    if (explicit) {
      source = 'explicit';
      // A float32 source converted to float64 keeps its float32-rounded values.
      if (explicit === 'float64' && a.dtype === 'float32' && data && !fromList) data = inDtype(data, 'float32');
      if (explicit === 'int') {
        integer = true;
        dtype = null;
      } else {
        integer = false;
        dtype = explicit;
      }
    }
    const out: ArrVal = {
      ...a,
      data,
      kind,
      dtype,
      integerTensor: integer,
      dtypeSource: source,
      shape,
      transform: a.transform,
    };
    if (a.fresh) {
      const site = a.site;
      site.constructorName = displayName(path);
      site.dtype = dtype;
      site.dtypeSource = source;
      site.isIntegerTensor = integer;
      this.setSiteSpan(site, node.s, node.e);
      if (shape !== site.shape) site.shape = shape;
    }
    return { k: 'array', a: out };
  }

  // ---- loss calls ----

  /**
   * A loss call. `lenient`: a function that is not torch's (user-defined, tfjs): a (C) input with
   * one target is read as a batch of one. `labelsFirst`: tfjs argument order (labels, logits).
   */
  private lossCall(
    node: Extract<Node, { t: 'call' }>,
    nll: boolean,
    kind: LossCallKind,
    options: OptionVals,
    firstArg: number,
    quiet = false,
    labelsFirst = false,
    lenient = false,
  ): Value {
    const inputNode = this.argNode(node, labelsFirst ? firstArg + 1 : firstArg, 'input');
    const targetNode = this.argNode(node, labelsFirst ? firstArg : firstArg + 1, 'target');
    const input = inputNode ? this.evaluate(inputNode) : unknown;
    let target = targetNode ? this.evaluate(targetNode) : unknown;
    if (target.k === 'array' && target.a.oneHot !== undefined)
      target = { k: 'array', a: withArr(target.a, { oneHot: undefined, integerTensor: true, dtype: null }) };
    if (
      (lenient || labelsFirst) &&
      input.k === 'array' &&
      target.k === 'array' &&
      input.a.shape.length === 1 &&
      target.a.data?.length === 1
    ) {
      const a = withArr(input.a, { shape: [1, input.a.shape[0]], name: input.a.name });
      const t = withArr(target.a, { shape: [1], name: target.a.name });
      return this.lossCall2(node, nll, kind, options, a, t, inputNode);
    }
    // Options given at the call (F.cross_entropy's keywords) were read by the caller; the rest are evaluated for effects.
    if (input.k === 'array' && target.k === 'array' && (input.a.site.error || target.a.site.error)) {
      return {
        k: 'unknown',
        lossy: true,
        why: `the ${input.a.site.error ? 'input' : 'target'} literal cannot be read (${input.a.site.error ?? target.a.site.error})`,
      };
    }
    if (input.k !== 'array' || target.k !== 'array') {
      if (quiet) return unknown;
      const missing = input.k !== 'array' ? inputNode : targetNode;
      const what = missing ? this.text.slice(missing.s, missing.e) : 'an argument';
      return { k: 'unknown', lossy: true, why: `\`${what}\` is not an array written in this source` };
    }
    return this.lossCall2(node, nll, kind, options, input.a, target.a, inputNode);
  }

  private lossCall2(
    node: Extract<Node, { t: 'call' }>,
    nll: boolean,
    kind: LossCallKind,
    options: OptionVals,
    input: ArrVal,
    target: ArrVal,
    inputNode: Node | undefined,
  ): Value {
    const call: LossCall = {
      kind,
      line: this.lines.lineAt(node.s),
      start: node.s,
      end: node.e,
      resultName: null,
      callee: this.text.slice(node.fn.s, node.fn.e),
    };
    if (this.cell !== undefined) call.cell = this.cell;
    const pin: PairInput = {
      kind,
      input,
      target,
      nll,
      options,
      call,
      inputSpan: inputNode ? [inputNode.s, inputNode.e] : undefined,
    };
    return { k: 'loss', pair: this.addPair(pin) };
  }

  /** Records and computes a pair; its findings go to the document. */
  addPair(pin: PairInput): PairRef {
    const id = this.computed.length;
    this.usedSites.add(pin.input.site.id);
    this.usedSites.add(pin.target.site.id);
    const c = computePair(id, pin, this.options.dtypeOverride, this.options.maxElements);
    this.computed.push(c);
    for (const f of c.findings) {
      if (pin.call) {
        this.addFinding({ ...f, pairId: id });
        continue;
      }
      // Inferred pairs: the sites may be in another notebook cell than the current segment.
      const site = f.start === pin.target.site.start ? pin.target.site : pin.input.site;
      const full = { ...f, pairId: id, line: site.line } as Finding;
      if (site.cell !== undefined) full.cell = site.cell;
      this.findings.push(full);
    }
    return c.ref;
  }

  /** `LOG(SUM(EXP(x))) - x[t]` (or logsumexp(x) - x[t]). */
  private formula(l: Extract<Value, { k: 'sym' }>, r: Extract<Value, { k: 'elem' }>, node: Node): Value | null {
    let x: ArrVal | null = null;
    let sumKind: 'builtin' | 'numpy' | 'torch' = 'numpy';
    let lse = false;
    if (
      l.op === 'log' &&
      l.arg.k === 'sym' &&
      l.arg.op === 'sum' &&
      l.arg.arg.k === 'sym' &&
      l.arg.arg.op === 'exp' &&
      l.arg.arg.arg.k === 'array'
    ) {
      x = l.arg.arg.arg.a;
      sumKind = l.arg.sumKind ?? 'numpy';
    } else if (l.op === 'logsumexp' && l.arg.k === 'array') {
      x = l.arg.a;
      lse = true;
    }
    if (!x || x.site.id !== r.a.site.id || x.shape.length !== 1) return null;
    return this.formulaPair(x, r, sumKind, lse, node);
  }

  /** `-LOG(EXP(x[t]) / SUM(EXP(x)))`. */
  private formulaFromNegLog(s: Extract<Value, { k: 'sym' }>, node: Node): Value | null {
    if (s.op !== 'log' || s.arg.k !== 'sym' || s.arg.op !== 'div') return null;
    const num = s.arg.arg;
    const den = s.arg.arg2;
    if (num.k !== 'sym' || num.op !== 'exp' || num.arg.k !== 'elem' || !den || den.k !== 'sym' || den.op !== 'sum')
      return null;
    if (den.arg.k !== 'sym' || den.arg.op !== 'exp' || den.arg.arg.k !== 'array') return null;
    const x = den.arg.arg.a;
    if (x.site.id !== num.arg.a.site.id || x.shape.length !== 1) return null;
    return this.formulaPair(x, num.arg, den.sumKind ?? 'numpy', false, node);
  }

  private formulaPair(
    x: ArrVal,
    r: Extract<Value, { k: 'elem' }>,
    sumKind: 'builtin' | 'numpy' | 'torch',
    lse: boolean,
    node: Node,
  ): Value {
    const dtype: DType = this.options.dtypeOverride ?? x.dtype ?? 'float64';
    const targetArr = r.indexArray ?? x;
    const call: LossCall = {
      kind: 'formula',
      line: this.lines.lineAt(node.s),
      start: node.s,
      end: node.e,
      resultName: null,
      callee: null,
    };
    if (this.cell !== undefined) call.cell = this.cell;
    const input = withArr(x, { dtype, name: x.name, transform: null });
    const C = x.shape[0];
    const value = x.data && r.index >= 0 && r.index < C ? formulaLoss(x.data, r.index, dtype, sumKind, lse) : undefined;
    const pin: PairInput = {
      kind: 'formula',
      input,
      target: targetArr,
      targetIndex: r.index,
      nll: false,
      options: {},
      call,
      formulaValue: value,
    };
    if (!r.indexArray) pin.target = withArr(x, { integerTensor: true });
    return { k: 'loss', pair: this.addPair(pin) };
  }
}

function arith(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '**':
      return Math.pow(a, b);
    case '//':
      return Math.floor(a / b);
    default:
      return NaN;
  }
}

/** The number a value stands for: undefined when it is not a scalar, null when unknown. */
function numeric(v: Value): number | null | undefined {
  switch (v.k) {
    case 'num':
      return v.value;
    case 'loss':
      return v.pair.loss;
    case 'scalar':
      return v.value;
    case 'elem':
      return v.a.data ? (v.a.data[v.index] ?? null) : null;
    case 'unknown':
      return v.lossy ? null : undefined;
    default:
      return undefined;
  }
}

function pairsOf(v: Value): PairRef[] {
  return v.k === 'loss' ? [v.pair] : v.k === 'scalar' ? v.pairs : [];
}

function dtypeOf(v: Value): DType {
  if (v.k === 'loss') return v.pair.dtype;
  if (v.k === 'scalar') return v.dtype;
  return 'float64';
}
