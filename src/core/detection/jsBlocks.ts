/**
 * The statements of a JavaScript helper's body as jsFunctions.ts keeps them while the tokenizer reads
 * them, and their reading into the replay's statements (functions.ts) when a call first follows the
 * helper. Besides plain statements, the control flow hand-written losses use (docs/detection.md 3.282):
 * `if (…) { … } else if (…) { … } else { … }` and its one-line form `if (…) stmt;`, counting loops
 * `for (let i = 0; i < n; i++)`, `for (const v of xs)`, `while (…)`, each with a block or a single
 * statement as its body, and `i++`. A `throw` is kept where it is: the replay stops only if it reaches
 * it (a guard such as `if (a.length !== b.length) throw …` whose test is false is passed).
 */
import { ExprParser, type Node } from './expr';
import type { FunctionRecord, Later, RecordedStmt } from './functions';
import { callbackHeader, splicedStatement, statementEffect, type CallbackHead } from './jsBlockCallbacks';
import { Op, TokenBuffer } from './tokens';

/** Tokens [at, at + n) of the kept buffer: one statement, its words from token `i` of that view. */
export interface Span {
  at: number;
  n: number;
  i: number;
}

/** A range [from, to) of tokens of a span's view. */
type Range = [number, number];

export interface IfKept {
  k: 'if';
  tests: { span: Span; cond: Range | null; body: Kept[] }[];
}

/** What a body keeps, in order: a plain statement, a construct not modelled, a branch, a loop. */
export type Kept =
  | { what: string }
  | (Span & { k: 'stmt' })
  | IfKept
  | { k: 'loop'; span: Span; init: Range | null; cond: Range; update: Range | null; body: Kept[] }
  | {
      k: 'of';
      span: Span;
      name: string;
      iter: Range;
      body: Kept[];
      index?: string; /** a `forEach`'s; '' without one */
    }
  /** `xs.map((v, i) => {` / `xs.reduce((acc, v) => {`: the callback's block, then the statement ending the call (3.375). */
  | { k: 'cb'; span: Span; head: CallbackHead; body: Kept[]; tail: Span | null };

/** A loop kept: its body is filled after its header. */
type LoopKept = Extract<Kept, { k: 'loop' | 'of' }>;

/** Where a statement of a body goes, and the branch an `else` after it continues. */
export interface Frame {
  list: Kept[];
  lastIf: IfKept | null;
}

/**
 * Keeps the statement [i, n) of `p` (its tokens at `at` of the kept buffer) into `list`. Returns the
 * list a header without a body on its line (`for (…)`, `if (…)`) waits to be filled by (the block that
 * opens next, or the next statement), or null; `unsupported` says what is not modelled.
 */
export function keepStatement(
  p: ExprParser,
  at: number,
  i: number,
  n: number,
  frame: Frame,
  list: Kept[],
  unsupported: (what: string, into: Kept[]) => void,
  nested = 0,
): Kept[] | null {
  const span: Span = { at, n, i };
  // `if (a) if (b) for (…) …` on one line: a few headers deep at most, never a recursion as deep as the line.
  if (nested > maxHeaders) return (unsupported('branch and loop headers nested too deep on one line', list), null);
  const w = p.isName(i) ? p.tokText(i) : null;
  const top = list === frame.list;
  const headed = (k: number): number => (p.isOp(k, 40) && p.match[k] > k && p.match[k] < n ? p.match[k] : -1);
  // The statement after a header's `)` on the same line is its body; none: the next block or statement is.
  const rest = (k: number, body: Kept[]): Kept[] | null =>
    k >= n ? body : keepStatement(p, at, k, n, frame, body, unsupported, nested + 1);
  // `)`, `, 0)` or `).reduce(…) / n` after a callback's block: the rest of the statement that opened it.
  const last = list[list.length - 1];
  if ((p.isOp(i, 41) || p.isOp(i, 44)) && last && 'k' in last && last.k === 'cb' && !last.tail) {
    last.tail = span;
    return null;
  }
  if (w !== 'else' && top) frame.lastIf = null;
  if (w === 'if') {
    const close = headed(i + 1);
    if (close < 0) return (unsupported('`if`', list), null);
    const node: IfKept = { k: 'if', tests: [{ span, cond: [i + 2, close], body: [] }] };
    list.push(node);
    if (top) frame.lastIf = node;
    return rest(close + 1, node.tests[0].body);
  }
  if (w === 'else') {
    const last = frame.lastIf;
    if (!top || !last || list[list.length - 1] !== last || last.tests[last.tests.length - 1].cond === null)
      return (unsupported('`else`', list), null);
    if (p.isName(i + 1, 'if')) {
      const close = headed(i + 2);
      if (close < 0) return (unsupported('`if`', list), null);
      const test = { span, cond: [i + 3, close] as Range, body: [] };
      last.tests.push(test);
      return rest(close + 1, test.body);
    }
    const test = { span, cond: null, body: [] };
    last.tests.push(test);
    return rest(i + 1, test.body);
  }
  if (w === 'for' || w === 'while') {
    const close = headed(i + 1);
    const loop = close < 0 ? null : w === 'while' ? whileLoop(span, i + 2, close) : forLoop(p, span, i + 2, close);
    if (!loop) return (unsupported(`\`${w}\``, list), null);
    list.push(loop);
    return rest(close + 1, loop.body);
  }
  // `const ls = xs.map((v, i) => {`: the callback's block is a body of its own (jsBlockCallbacks.ts, 3.375).
  const head = callbackHeader(p, i, n);
  if (head) {
    const cb: Kept = { k: 'cb', span, head, body: [], tail: null };
    list.push(cb);
    return cb.body;
  }
  // `xs.forEach((v, i) => {`: the callback's block is the body of a loop over xs (3.282).
  const each = forEachHeader(p, span, i, n);
  if (each) {
    list.push(each);
    return each.body;
  }
  // The `)` that closes `forEach(` after the callback's block.
  if (closersOnly(p, i, n)) return null;
  if (w === 'throw') list.push({ what: '`throw`' });
  else if (w !== null && constructs.has(w)) unsupported(`\`${w}\``, list);
  else list.push({ k: 'stmt', ...span });
  return null;
}

/** Branch and loop headers read on one line at most. */
const maxHeaders = 16;

/** Statement words that open a construct the replay does not model in a JavaScript body. */
export const constructs = new Set([
  'if',
  'else',
  'for',
  'while',
  'do',
  'switch',
  'try',
  'catch',
  'finally',
  'throw',
  'function',
  'class',
  'break',
  'continue',
  'yield',
  'await',
]);

function whileLoop(span: Span, a: number, b: number): LoopKept | null {
  return b > a ? { k: 'loop', span, init: null, cond: [a, b], update: null, body: [] } : null;
}

/** `for (init; cond; update)` (a condition required) or `for (const v of xs)`; null for any other `for`. */
function forLoop(p: ExprParser, span: Span, a: number, b: number): LoopKept | null {
  const parts = p.split(a, b, 59);
  if (parts.length === 3) {
    const [init, cond, update] = parts;
    if (cond[1] <= cond[0]) return null;
    const some = (r: Range): Range | null => (r[1] > r[0] ? r : null);
    return { k: 'loop', span, init: some(init), cond, update: some(update), body: [] };
  }
  const declared = p.isName(a, 'const') || p.isName(a, 'let') || p.isName(a, 'var');
  if (parts.length !== 1 || !declared || !p.isName(a + 1) || !p.isName(a + 2, 'of') || a + 3 >= b) return null;
  return { k: 'of', span, name: p.tokText(a + 1), iter: [a + 3, b], body: [] };
}

/** `xs.forEach((v, i) =>` or `xs.forEach(v =>` ending the statement (its block follows), or null. */
function forEachHeader(p: ExprParser, span: Span, i: number, n: number): LoopKept | null {
  if (n - i < 6 || !p.isOp(n - 1, Op.FatArrow)) return null;
  let k = i;
  while (k < n && !(p.isName(k, 'forEach') && p.isOp(k - 1, 46) && p.isOp(k + 1, 40))) k++;
  if (k >= n || k - 1 <= i) return null;
  const params = k + 2;
  let names: string[];
  if (p.isName(params) && params + 1 === n - 1) names = [p.tokText(params)];
  else if (p.isOp(params, 40) && p.match[params] === n - 2) {
    const parts = p.split(params + 1, n - 2, 44);
    if (!parts.every(([a, b]) => b === a + 1 && p.isName(a))) return null;
    names = parts.map(([a]) => p.tokText(a));
  } else return null;
  if (names.length < 1 || names.length > 2 || names[0] === names[1]) return null;
  return { k: 'of', span, name: names[0], iter: [i, k - 1], body: [], index: names[1] ?? '' };
}

/** A statement of closing parentheses only (`)` or `});`'s rest). */
function closersOnly(p: ExprParser, i: number, n: number): boolean {
  for (let k = i; k < n; k++) if (!p.isOp(k, 41)) return false;
  return n > i;
}

/** Does a callback's body return (which returns from the callback, not from the function)? */
function returns(body: RecordedStmt[]): boolean {
  return body.some((s) =>
    s.k === 'return'
      ? true
      : s.k === 'if'
        ? s.tests.some((t) => returns(t.body))
        : s.k === 'for' || s.k === 'loop'
          ? returns(s.body)
          : false,
  );
}

/** Tokens [at, at + n) of `tokens`, as a buffer of their own (views, not copies). */
export function view(tokens: TokenBuffer, at: number, n: number): TokenBuffer {
  const out = new TokenBuffer(0);
  out.kind = tokens.kind.subarray(at, at + n);
  out.aux = tokens.aux.subarray(at, at + n);
  out.start = tokens.start.subarray(at, at + n);
  out.end = tokens.end.subarray(at, at + n);
  out.num = tokens.num.subarray(at, at + n);
  out.n = n;
  return out;
}

/** Reads the kept statements into `out` (the record's body, or a branch's or a loop's). */
export function settleKept(
  into: FunctionRecord,
  kept: Kept[],
  out: RecordedStmt[],
  text: string,
  tokens: TokenBuffer,
): void {
  const parsers = new Map<number, ExprParser>();
  const parser = (s: Span): ExprParser => {
    let p = parsers.get(s.at);
    if (!p) parsers.set(s.at, (p = new ExprParser(text, view(tokens, s.at, s.n), false)));
    return p;
  };
  const later = (p: ExprParser, [a, b]: Range): Later => {
    let node: Node | null = null;
    return () => (node ??= p.parse(a, b));
  };
  const list = (body: Kept[]): RecordedStmt[] => {
    const o: RecordedStmt[] = [];
    settleKept(into, body, o, text, tokens);
    return o;
  };
  const statement = (p: ExprParser, [a, b]: Range, to: RecordedStmt[]): void => {
    const what = record(into, to, p, a, b);
    if (what !== null) {
      to.push({ k: 'unsupported', what });
      into.unsupported ??= `its body has ${what}`;
    }
  };
  for (const s of kept) {
    if ('what' in s) out.push({ k: 'unsupported', what: s.what });
    else if (s.k === 'stmt') statement(parser(s), [s.i, s.n], out);
    else if (s.k === 'if')
      out.push({
        k: 'if',
        tests: s.tests.map((t) => ({ cond: t.cond && later(parser(t.span), t.cond), body: list(t.body) })),
      });
    else if (s.k === 'of') {
      const p = parser(s.span);
      const at = p.buf.start[s.iter[0]];
      const name = (id: string): Node => ({ type: 'name', id, start: at, end: at });
      const target = name(s.name);
      const body = list(s.body);
      if (s.index === undefined) {
        out.push({ k: 'for', target: () => target, iter: later(p, s.iter), body, js: true });
        continue;
      }
      // A `forEach` callback: a `return` in it ends one call of the callback, which the replay does not model.
      if (returns(body)) {
        out.push({ k: 'unsupported', what: 'a `return` inside a `forEach` callback' });
        into.unsupported ??= 'its body has a `return` inside a `forEach` callback';
        continue;
      }
      if (s.index) {
        // The index counts the passes: 0 before the first, one more after each.
        const index = name(s.index);
        const zero: Node = { type: 'number', value: 0, integer: true, start: at, end: at };
        const one: Node = { ...zero, value: 1 };
        out.push({ k: 'assign', targets: [() => index], value: () => zero, aug: null });
        body.push({ k: 'assign', targets: [() => index], value: () => one, aug: '+' });
      }
      out.push({ k: 'for', target: () => target, iter: later(p, s.iter), body, js: true });
    } else if (s.k === 'cb') {
      const { record, buf } = callbackParts(s, text, tokens, parser);
      out.push({ k: 'def', record });
      if (buf) statement(new ExprParser(text, buf, false), [0, buf.n], out);
    } else {
      const p = parser(s.span);
      if (s.init) statement(p, s.init, out);
      const update: RecordedStmt[] = [];
      if (s.update) statement(p, s.update, update);
      out.push({ k: 'loop', cond: later(p, s.cond), body: list(s.body), update });
    }
  }
}

/**
 * A block-bodied callback read back (3.375): its own record, to be bound where the statement runs under
 * the name of its parameters' text, and the statement with that name where the arrow was (null while the
 * call has not been closed).
 */
export function callbackParts(
  s: Extract<Kept, { k: 'cb' }>,
  text: string,
  tokens: TokenBuffer,
  parser: (s: Span) => ExprParser = (sp) => new ExprParser(text, view(tokens, sp.at, sp.n), false),
): { record: FunctionRecord; buf: TokenBuffer | null } {
  const p = parser(s.span);
  const record: FunctionRecord = {
    name: text.slice(p.buf.start[s.head.call + 1], p.buf.end[s.span.n - 1]),
    params: s.head.params.map((name) => ({ name, default: null, star: false })),
    body: [],
    unsupported: null,
    complete: true,
    returns: 0,
    pending: null,
    callback: s.head.method,
  };
  settleKept(record, s.body, record.body, text, tokens);
  const what = !s.tail ? 'a callback whose call is not closed' : effects(s.body, new Set(s.head.params), parser);
  if (what) record.unsupported ??= `its body has ${what}`;
  if (!s.tail) return { record, buf: null };
  return { record, buf: splicedStatement(p.buf, s.span.i, s.head.call, view(tokens, s.tail.at, s.tail.n), s.tail.i) };
}

/**
 * What a callback's body changes outside the callback (jsBlockCallbacks.ts): a name it assigns without
 * declaring it, or an object it changes; null when it only declares and assigns its own names.
 */
function effects(body: Kept[], own: Set<string>, parser: (s: Span) => ExprParser): string | null {
  const check = (p: ExprParser, a: number, b: number): string | null => {
    const e = statementEffect(p, a, b);
    for (const name of e.declared) own.add(name);
    if (e.other) return `a callback with ${e.other}`;
    const outer = e.assigned.find((name) => !own.has(name));
    return outer === undefined ? null : `a callback that assigns \`${outer}\`, a name it does not declare`;
  };
  for (const s of body) {
    if ('what' in s) continue;
    let why: string | null = null;
    if (s.k === 'stmt') why = check(parser(s), s.i, s.n);
    else if (s.k === 'cb') why = check(parser(s.span), s.span.i, s.head.call);
    else if (s.k === 'if') {
      for (const t of s.tests) why ??= effects(t.body, own, parser);
    } else if (s.k === 'of') {
      own.add(s.name);
      if (s.index) own.add(s.index);
      why = effects(s.body, own, parser);
    } else {
      const p = parser(s.span);
      why = (s.init && check(p, s.init[0], s.init[1])) || (s.update && check(p, s.update[0], s.update[1])) || null;
      why ??= effects(s.body, own, parser);
    }
    if (why) return why;
  }
  return null;
}

/** Reads one statement (tokens [i, n)) into `out`, a statement of `rec`; what is not modelled in it, or null. */
export function record(rec: FunctionRecord, out: RecordedStmt[], p: ExprParser, i: number, n: number): string | null {
  const w = p.isName(i) ? p.tokText(i) : null;
  if (w === 'return') {
    rec.returns++;
    const node = n > i + 1 ? p.parse(i + 1, n) : null;
    out.push({ k: 'return', node: node && (() => node) });
    return null;
  }
  if (w === 'const' || w === 'let' || w === 'var') {
    for (const [a, b] of p.split(i + 1, n, 44)) {
      const eq = p.split(a, b, 61);
      if (!p.isName(a) || (eq.length === 1 && b > a + 1) || eq.length > 2) return 'a destructuring declaration';
      const target: Node = { type: 'name', id: p.tokText(a), start: p.buf.start[a], end: p.buf.end[a] };
      const value = eq.length === 2 ? p.parse(eq[1][0], eq[1][1]) : undefinedNode(target);
      out.push({ k: 'assign', targets: [() => target], value: () => value, aug: null });
    }
    return null;
  }
  // `i++`, `++i`, `i--`: `i += 1`, `i -= 1` (the statement's value is not used).
  const step = n - i === 2 ? stepped(p, i) : null;
  if (step) {
    const target: Node = { type: 'name', id: p.tokText(step.name), start: p.buf.start[i], end: p.buf.end[i + 1] };
    const one: Node = { type: 'number', value: 1, integer: true, start: target.start, end: target.end };
    out.push({ k: 'assign', targets: [() => target], value: () => one, aug: step.op });
    return null;
  }
  const parts = p.split(i, n, 61);
  if (parts.length > 1) {
    const targets = parts.slice(0, -1).map(([a, b]) => p.parse(a, b));
    const value = p.parse(parts[parts.length - 1][0], parts[parts.length - 1][1]);
    out.push({ k: 'assign', targets: targets.map((t) => () => t), value: () => value, aug: null });
    return null;
  }
  for (let k = i; k < n; k = p.skip(k)) {
    if (p.isOp(k, Op.PlusPlus) || p.isOp(k, Op.MinusMinus)) return `\`${p.tokText(k)}\` inside an expression`;
    if (p.isOp(k, Op.Aug)) {
      const text = p.tokText(k);
      if (text.length === 2 && '+-*/'.includes(text[0])) {
        const target = p.parse(i, k);
        const value = p.parse(k + 1, n);
        out.push({ k: 'assign', targets: [() => target], value: () => value, aug: text[0] });
        return null;
      }
      return `\`${text}\``;
    }
  }
  const node = p.parse(i, n);
  out.push({ k: 'expr', node: () => node });
  return null;
}

/** `i++` / `++i` / `i--` / `--i` at tokens [i, i + 2): the name's token and the operator, or null. */
function stepped(p: ExprParser, i: number): { name: number; op: string } | null {
  const inc = (k: number): string | null => (p.isOp(k, Op.PlusPlus) ? '+' : p.isOp(k, Op.MinusMinus) ? '-' : null);
  if (p.isName(i) && inc(i + 1)) return { name: i, op: inc(i + 1) as string };
  if (p.isName(i + 1) && inc(i)) return { name: i + 1, op: inc(i) as string };
  return null;
}

/** `let x;`: the name bound to nothing known. */
function undefinedNode(at: Node): Node {
  return { type: 'name', id: 'undefined', start: at.start, end: at.end };
}
