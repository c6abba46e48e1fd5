/**
 * Reads a loss call out of a source line: which function or criterion is called, and which of its
 * arguments are plain enough to be read in a paused program without running the program's code.
 *
 * "Plain" means a name followed by attribute steps (`outputs.logits`) and literal subscripts
 * (`batch["labels"]`, `xs[0]`), optionally followed by a short whitelist of tensor methods with
 * integer arguments (`logits.view(-1, logits.size(-1))`) — enough for the usual reshapes before a
 * loss, and nothing that could run a forward pass. Everything else (`model(x)`, `a + b`) is
 * `other` and is never evaluated: the caller asks the user to pick a tensor instead.
 *
 * This is a small reader of one statement, independent of src/core/detection, so the live bridge
 * has no dependency on the detection pipeline's internals.
 */

export type LiveLanguage = 'python' | 'javascript';

/** One step after the root name: `.attr` or `[literal]`. */
export type PathStep = ['attr', string] | ['item', string | number];

/** A whitelisted tensor method applied after the steps: name and integer (or plain) arguments. */
export type TensorOp = [name: string, args: (number | PlainExpr)[]];

/** A plain expression, as the helpers walk it (JSON-serialisable; no text is ever evaluated). */
export interface PlainExpr {
  root: string;
  steps: PathStep[];
  ops: TensorOp[];
  /** The expression as written (for messages and labels). */
  text: string;
}

export type LiteralValue = number | string | boolean | null;

export type ArgExpr =
  | { kind: 'plain'; expr: PlainExpr; text: string }
  | { kind: 'literal'; value: LiteralValue; text: string }
  | { kind: 'other'; text: string };

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

interface Token {
  type: 'name' | 'number' | 'string' | 'op' | 'newline';
  value: string;
  start: number;
  end: number;
  line: number;
}

const pythonKeywords = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);
const jsKeywords = new Set(
  (
    'await break case catch class const continue debugger default delete do else export extends false finally for ' +
    'function if import in instanceof let new null return super switch this throw true try typeof undefined var ' +
    'void while with yield'
  ).split(' '),
);

/** Methods applied to a tensor argument before the loss, when their arguments are integers. */
export const tensorMethods: ReadonlySet<string> = new Set([
  'view',
  'reshape',
  'flatten',
  'contiguous',
  'float',
  'double',
  'long',
  'squeeze',
  'unsqueeze',
  'transpose',
  'permute',
  't',
  'detach',
  'size',
]);

/** Largest text read in full; beyond it only a window around the line is tokenised. */
const maxWholeText = 2_000_000;

/**
 * Tokenises Python or JavaScript text. Strings and comments are skipped as units, so a loss call
 * inside a string is never taken for code. Unterminated strings end at the end of their line.
 * `newline` tokens are emitted only where a statement can end (bracket depth 0, no backslash).
 */
export function tokenize(text: string, language: LiveLanguage, baseLine = 0): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = baseLine;
  let depth = 0;
  const n = text.length;
  const push = (type: Token['type'], start: number, end: number) =>
    out.push({ type, value: text.slice(start, end), start, end, line });
  while (i < n) {
    const ch = text.charAt(i);
    if (ch === '\n') {
      if (depth === 0) push('newline', i, i + 1);
      line++;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (language === 'python' && ch === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (language === 'javascript' && ch === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (language === 'javascript' && ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const stop = close < 0 ? n : close + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
      continue;
    }
    if (isNameStart(ch)) {
      let j = i + 1;
      while (j < n && isNamePart(text.charAt(j))) j++;
      // Python string prefixes (r, b, f, rb, …) directly followed by a quote.
      if (language === 'python' && j - i <= 2 && /^[rRbBuUfF]+$/.test(text.slice(i, j)) && isQuote(text[j])) {
        const start = i;
        const startLine = line;
        const end = skipString(text, j, language, (k) => {
          if (text[k] === '\n') line++;
        });
        out.push({ type: 'string', value: text.slice(start, end), start, end, line: startLine });
        i = end;
        continue;
      }
      push('name', i, j);
      i = j;
      continue;
    }
    if (isDigit(ch) || (ch === '.' && isDigit(text.charAt(i + 1)))) {
      let j = i;
      if (ch === '0' && /[xXoObB]/.test(text.charAt(i + 1))) {
        j += 2;
        while (j < n && /[0-9a-fA-F_]/.test(text.charAt(j))) j++;
      } else {
        while (j < n && /[0-9_]/.test(text.charAt(j))) j++;
        if (text[j] === '.') {
          j++;
          while (j < n && /[0-9_]/.test(text.charAt(j))) j++;
        }
        if (/[eE]/.test(text.charAt(j)) && /[-+0-9]/.test(text.charAt(j + 1))) {
          j += 2;
          while (j < n && /[0-9_]/.test(text.charAt(j))) j++;
        }
      }
      while (j < n && /[jJnL]/.test(text.charAt(j))) j++;
      push('number', i, j);
      i = j;
      continue;
    }
    if (isQuote(ch) || (language === 'javascript' && ch === '`')) {
      const start = i;
      const startLine = line;
      const end = skipString(text, i, language, (k) => {
        if (text[k] === '\n') line++;
      });
      out.push({ type: 'string', value: text.slice(start, end), start, end, line: startLine });
      i = end;
      continue;
    }
    // JavaScript blocks ({ … } at bracket depth 0) separate statements; object literals inside a
    // call sit at depth > 0 and stay part of it. Python statements end only outside all brackets.
    if (language === 'javascript' && depth === 0 && (ch === '{' || ch === '}')) {
      push('newline', i, i + 1);
      i++;
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=' || two === '**' || two === '=>' || two === '->') {
      push('op', i, i + 2);
      i += 2;
      continue;
    }
    if (ch === ';' && depth === 0) {
      push('newline', i, i + 1);
      i++;
      continue;
    }
    push('op', i, i + 1);
    i++;
  }
  return out;
}

function isNameStart(ch: string): boolean {
  return /[A-Za-z_$]/.test(ch) || ch.charCodeAt(0) > 127;
}
function isNamePart(ch: string): boolean {
  return /[A-Za-z0-9_$]/.test(ch) || ch.charCodeAt(0) > 127;
}
function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}
function isQuote(ch: string | undefined): boolean {
  return ch === '"' || ch === "'";
}

/** Returns the offset after the string starting at `i` (a quote); `onChar` sees every consumed offset. */
function skipString(text: string, i: number, language: LiveLanguage, onChar: (k: number) => void): number {
  const n = text.length;
  const q = text.charAt(i);
  const triple = language === 'python' && text.slice(i, i + 3) === q.repeat(3);
  let j = i + (triple ? 3 : 1);
  while (j < n) {
    const c = text[j];
    if (c === '\\') {
      onChar(j + 1);
      j += 2;
      continue;
    }
    if (triple) {
      if (text.startsWith(q.repeat(3), j)) return j + 3;
    } else if (c === q) {
      return j + 1;
    } else if (c === '\n' && q !== '`') {
      return j;
    }
    onChar(j);
    j++;
  }
  return n;
}

/**
 * A statement's tokens (never empty, so `first` and `last` always exist) and its nesting: block
 * depth (JavaScript) or indentation (Python).
 */
interface Statement {
  tokens: Token[];
  first: Token;
  last: Token;
  depth: number;
}

/** The token at `k`, which the caller's bounds guarantee exists; a broken bound is a bug, not input. */
function tokenAt(st: readonly Token[], k: number): Token {
  const t = st[k];
  if (!t) throw new RangeError(`token ${k} of a ${st.length}-token statement`);
  return t;
}

/** Splits tokens into statements (runs between `newline` tokens), each with its nesting depth. */
function statements(tokens: Token[], text: string, language: LiveLanguage): Statement[] {
  const out: Statement[] = [];
  let cur: Token[] = [];
  let block = 0;
  const flush = () => {
    const first = cur[0];
    const last = cur[cur.length - 1];
    if (first && last) out.push({ tokens: cur, first, last, depth: curDepth });
    cur = [];
  };
  const depthOf = (first: Token): number => {
    if (language === 'javascript') return block;
    const lineStart = text.lastIndexOf('\n', first.start - 1) + 1;
    return first.start - lineStart;
  };
  let curDepth = 0;
  for (const t of tokens) {
    if (t.type === 'newline') {
      flush();
      if (t.value === '{') block++;
      else if (t.value === '}') block = Math.max(0, block - 1);
    } else {
      if (!cur.length) curDepth = depthOf(t);
      cur.push(t);
    }
  }
  flush();
  return out;
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
  const sts = statementsAround(text, line, language, window);
  let at = sts.findIndex((st) => st.last.line >= line);
  if (at < 0) at = sts.length - 1;
  const here = sts[at];
  if (!here) return null;
  // The block is the run of statements around the paused one nested at least as deep.
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
  const on = calls.find((c) => c.line <= line && c.endLine >= line);
  if (on) return on;
  const above = calls.filter((c) => c.endLine < line && line - c.endLine <= window).at(-1);
  if (above) return above;
  const below = calls.filter((c) => c.line > line && c.line - line <= window);
  return below[0] ?? null;
}

function statementsAround(text: string, line: number, language: LiveLanguage, window: number): Statement[] {
  if (text.length <= maxWholeText) {
    return statements(tokenize(text, language), text, language).filter(
      (st) => st.last.line >= line - window && st.first.line <= line + window,
    );
  }
  // A very large file: tokenise a window of lines only (a string opened above it is not seen).
  const lines = text.split('\n');
  const from = Math.max(0, line - window - 40);
  const to = Math.min(lines.length, line + window + 40);
  let offset = 0;
  for (const skipped of lines.slice(0, from)) offset += skipped.length + 1;
  const slice = lines.slice(from, to).join('\n');
  const toks = tokenize(slice, language, from).map((t) => ({ ...t, start: t.start + offset, end: t.end + offset }));
  return statements(toks, text, language);
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

function matching(st: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < st.length; k++) {
    const { type, value: v } = tokenAt(st, k);
    if (type !== 'op') continue;
    if (v === '(' || v === '[' || v === '{') depth++;
    else if (v === ')' || v === ']' || v === '}') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

interface ArgRange {
  name: string | null;
  from: number;
  to: number;
}

/** Arguments between `open` and its `close` parenthesis, with `name=` (Python) keywords split off. */
function splitArgs(st: Token[], open: number, close: number): ArgRange[] {
  const out: ArgRange[] = [];
  let depth = 0;
  let from = open + 1;
  for (let k = open + 1; k <= close; k++) {
    const { type, value: v } = tokenAt(st, k);
    if (type === 'op' && (v === '(' || v === '[' || v === '{')) depth++;
    else if (type === 'op' && (v === ')' || v === ']' || v === '}') && k !== close) depth--;
    if ((k === close || (depth === 0 && v === ',' && type === 'op')) && k > from) {
      const head = tokenAt(st, from);
      if (head.type === 'name' && st[from + 1]?.value === '=' && from + 2 < k) {
        out.push({ name: head.value, from: from + 2, to: k });
      } else if (head.value === '*' || head.value === '**') {
        // *args / **kwargs: the mapping is unknown, keep the slot as an unreadable argument.
        out.push({ name: null, from, to: k });
      } else {
        out.push({ name: null, from, to: k });
      }
      from = k + 1;
    } else if (k === close || (depth === 0 && v === ',')) {
      from = k + 1;
    }
  }
  return out;
}

function argExpr(st: Token[], from: number, to: number, text: string, language: LiveLanguage): ArgExpr {
  const src = text.slice(tokenAt(st, from).start, tokenAt(st, to - 1).end);
  const lit = parseLiteral(st, from, to, language);
  if (lit !== undefined) return { kind: 'literal', value: lit, text: src };
  const e = parsePlain(st, from, to, text, language);
  if (e) return { kind: 'plain', expr: e, text: src };
  return { kind: 'other', text: src };
}

// Maps rather than object literals, so that `toString` or `constructor` in the code is never
// mistaken for a known word through the prototype.
const pythonWords = new Map<string, LiteralValue>([
  ['None', null],
  ['True', true],
  ['False', false],
]);
const jsWords = new Map<string, LiteralValue>([
  ['null', null],
  ['undefined', null],
  ['true', true],
  ['false', false],
]);

/** A number, string, None/True/False (null/true/false) literal spanning exactly [from, to). */
function parseLiteral(st: Token[], from: number, to: number, language: LiveLanguage): LiteralValue | undefined {
  let k = from;
  let sign = 1;
  if (st[k]?.value === '-' && to - from === 2) {
    sign = -1;
    k++;
  }
  const t = st[k];
  if (k !== to - 1 || !t) return undefined;
  if (t.type === 'number') {
    const v = Number(t.value.replace(/_/g, '').replace(/[nL]$/, ''));
    return Number.isNaN(v) ? undefined : sign * v;
  }
  if (sign < 0) return undefined;
  if (t.type === 'string') return stringValue(t.value, language);
  const words = language === 'python' ? pythonWords : jsWords;
  return t.type === 'name' && words.has(t.value) ? words.get(t.value) : undefined;
}

const escapes = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['0', '\0'],
]);

/** The value of a plain string literal; undefined for f-strings, bytes and template literals. */
function stringValue(raw: string, language: LiveLanguage): string | undefined {
  const m = /^([rRbBuUfF]*)(['"`])/.exec(raw);
  const [, rawPrefix, q] = m ?? [];
  if (rawPrefix === undefined || q === undefined) return undefined;
  const prefix = rawPrefix.toLowerCase();
  if (prefix.includes('f') || prefix.includes('b') || q === '`') return undefined;
  const triple = language === 'python' && raw.startsWith(q.repeat(3), prefix.length);
  const body = raw.slice(prefix.length + (triple ? 3 : 1), raw.length - (triple ? 3 : 1));
  if (prefix.includes('r')) return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.startsWith('u') || e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return escapes.get(e) ?? e;
  });
}

/**
 * A plain expression spanning exactly [from, to): name (.attr | [literal])* followed by
 * whitelisted tensor methods with integer or plain arguments. null when it is anything else.
 */
function parsePlain(st: Token[], from: number, to: number, text: string, language: LiveLanguage): PlainExpr | null {
  const kw = language === 'python' ? pythonKeywords : jsKeywords;
  const first = st[from];
  if (!first || first.type !== 'name' || kw.has(first.value) || from >= to) return null;
  const expr: PlainExpr = {
    root: first.value,
    steps: [],
    ops: [],
    text: text.slice(first.start, tokenAt(st, to - 1).end),
  };
  let k = from + 1;
  while (k < to) {
    const t = tokenAt(st, k);
    const next = st[k + 1];
    if (t.value === '.' && next?.type === 'name' && k + 1 < to) {
      const name = next.value;
      if (st[k + 2]?.value === '(' && k + 2 < to) {
        if (language !== 'python' || !tensorMethods.has(name)) return null;
        const close = matching(st, k + 2);
        if (close < 0 || close >= to) return null;
        const args: (number | PlainExpr)[] = [];
        for (const a of splitArgs(st, k + 2, close)) {
          if (a.name) return null;
          const lit = parseLiteral(st, a.from, a.to, language);
          if (typeof lit === 'number' && Number.isInteger(lit)) {
            args.push(lit);
            continue;
          }
          const sub = parsePlain(st, a.from, a.to, text, language);
          if (!sub) return null;
          args.push(sub);
        }
        expr.ops.push([name, args]);
        k = close + 1;
        continue;
      }
      if (expr.ops.length) return null;
      expr.steps.push(['attr', name]);
      k += 2;
      continue;
    }
    if (t.value === '[' && t.type === 'op') {
      const close = matching(st, k);
      if (close < 0 || close >= to) return null;
      const lit = parseLiteral(st, k + 1, close, language);
      if (typeof lit === 'string' || (typeof lit === 'number' && Number.isInteger(lit))) {
        if (expr.ops.length && typeof lit !== 'number') return null;
        if (expr.ops.length) {
          // `x.size()[-1]` style: only an integer index after a method, kept as an item step on the op result.
          return null;
        }
        expr.steps.push(['item', lit]);
        k = close + 1;
        continue;
      }
      return null;
    }
    return null;
  }
  return expr;
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

/** Parses one expression the user typed or picked ("logits", `batch["labels"]`); null when not plain. */
export function parsePlainExpression(source: string, language: LiveLanguage): PlainExpr | null {
  const toks = tokenize(source, language).filter((t) => t.type !== 'newline');
  if (!toks.length) return null;
  return parsePlain(toks, 0, toks.length, source, language);
}

/** Writes a plain expression back as JavaScript source: only identifiers and JSON literals appear. */
export function jsSource(e: PlainExpr): string {
  const ident = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  if (!ident.test(e.root)) throw new Error(`not an identifier: ${e.root}`);
  let s = e.root;
  for (const [kind, key] of e.steps) {
    if (kind === 'attr' && ident.test(key as string)) s += `.${key}`;
    else s += `[${JSON.stringify(key)}]`;
  }
  if (e.ops.length) throw new Error('tensor methods are not applied in JavaScript');
  return s;
}
