/**
 * JavaScript/TypeScript helper functions defined in the source, recorded as Python `def`s are
 * (functions.ts) so that a call is followed by the same replay (replay.ts): `function ce(x, t) { … }`,
 * `const ce = (x, t) => { … }`, `const ce = function (x, t) { … }` and `const ce = (x, t) => expr`.
 * A body is recorded statement by statement while the tokenizer reads it: `const`/`let`/`var`
 * declarations, assignments, expression statements and `return`. Any other statement (`if`, `for`,
 * `throw`, a block inside the body) is recorded as a construct not modelled, and a call stops there
 * with that reason (docs/detection.md 3.126): never a number from a body only partly read.
 */
import { ExprParser, type Node } from './expr';
import type { FunctionRecord, Param } from './functions';
import type { Scopes } from './scope';
import { Op, Tok, TokenBuffer } from './tokens';

/** Statements recorded per function at most (longer bodies are not followed). */
const maxStatements = 200;

/** Statement words that open a construct the replay does not model in a JavaScript body. */
const constructs = new Set([
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

interface OpenBody {
  record: FunctionRecord;
  /** The block depth of the body's statements. */
  depth: number;
  count: number;
  /**
   * The body's statements, in order, as read: a construct not modelled (its description), or where
   * a statement's tokens were kept (see {@link JsFunctions.keep}) and where its words start, parsed
   * only when a call follows the function (most helpers of a file are never called with arrays).
   */
  kept: ({ what: string } | { at: number; n: number; i: number })[];
}

/** Where a header's parameters are, in the tokens kept for it. */
interface HeaderSpan {
  name: string;
  /** The tokens kept: the whole header statement. */
  at: number;
  n: number;
  /** Its parameters' parentheses (`open` -1: one parameter, the name at token `close`). */
  open: number;
  close: number;
  /** An expression body starts here (after the `=>`), or -1 (a block follows). */
  expr: number;
}

export class JsFunctions {
  /** A header just read (`function f(a, b)`, `const f = (a, b) =>`): the next block is its body. */
  private header: OpenBody | null = null;
  private open: OpenBody[] = [];
  /** The first word of the last statement of a recorded body, which a block opened after it belongs to. */
  private lastWord: string | null = null;
  /** The text being read (its statements' tokens are spans of it). */
  private text = '';
  /**
   * The tokens of every header and body statement kept from the text, one after another: one buffer
   * rather than a copy per statement (the tokenizer reuses its buffer), read back as views.
   */
  private tokens = new TokenBuffer(0);

  reset(text: string): void {
    this.text = text;
    this.header = null;
    this.open = [];
    this.lastWord = null;
    this.tokens = new TokenBuffer(0);
  }

  /** A block opens at `depth` (the depth of the statements inside it). */
  blockOpened(depth: number): void {
    const header = this.header;
    this.header = null;
    const top = this.open[this.open.length - 1];
    if (top && top.depth === depth - 1) {
      // A block inside a recorded body (`if (…) {`, `for (…) {`, an inner function's body).
      const what = this.lastWord && constructs.has(this.lastWord) ? `\`${this.lastWord}\`` : 'a nested block';
      unsupported(top, what);
    }
    if (header) {
      header.depth = depth;
      this.open.push(header);
    }
  }

  /** The block at `depth` closes. */
  blockClosed(depth: number): void {
    this.header = null;
    const top = this.open[this.open.length - 1];
    if (top && top.depth === depth) {
      top.record.complete = true;
      this.open.pop();
    }
  }

  /** Is a body being recorded whose statements are at `depth` or inside it? */
  recording(depth: number): boolean {
    const top = this.open[this.open.length - 1];
    return top !== undefined && top.depth <= depth;
  }

  /**
   * Reads statement tokens [i, n) at block depth `depth`: a function header is bound in `scopes` as
   * a function of the source (true); a statement of a body being recorded is kept.
   */
  statement(p: ExprParser, i: number, n: number, depth: number, scopes: Scopes): boolean {
    this.header = null;
    const top = this.open[this.open.length - 1];
    const inBody = top !== undefined && top.depth === depth;
    if (inBody) {
      this.lastWord = p.isName(i) ? p.tokText(i) : null;
      if (++top.count > maxStatements) {
        top.record.unsupported ??= `its body is longer than ${maxStatements} statements`;
        return false;
      }
    }
    const span = functionHeader(p, i, n, this.tokens);
    if (span) {
      if (inBody) unsupported(top, 'a nested definition');
      const record: FunctionRecord = {
        name: span.name,
        params: [],
        body: [],
        unsupported: null,
        complete: span.expr >= 0,
        returns: 0,
        pending: null,
        home: scopes.current(),
      };
      const body: OpenBody = { record, depth: -1, count: 0, kept: [] };
      const text = this.text;
      const tokens = this.tokens;
      record.settle = (into) => settle(body, span, into, text, tokens);
      scopes.bind(span.name, { kind: 'function', record });
      if (span.expr < 0) this.header = body;
      return true;
    }
    if (!inBody) return false;
    const w = this.lastWord;
    if (w !== null && constructs.has(w)) unsupported(top, `\`${w}\``);
    else top.kept.push({ at: this.tokens.append(p.buf, n), n, i });
    return false;
  }
}

function unsupported(body: OpenBody, what: string): void {
  body.kept.push({ what });
  body.record.unsupported ??= `its body has ${what}`;
}

/** Tokens [at, at + n) of `tokens`, as a buffer of their own (views, not copies). */
function view(tokens: TokenBuffer, at: number, n: number): TokenBuffer {
  const out = new TokenBuffer(0);
  out.kind = tokens.kind.subarray(at, at + n);
  out.aux = tokens.aux.subarray(at, at + n);
  out.start = tokens.start.subarray(at, at + n);
  out.end = tokens.end.subarray(at, at + n);
  out.num = tokens.num.subarray(at, at + n);
  out.n = n;
  return out;
}

/** Reads the header's parameters and the statements kept for `body` into `into` (the record, or a copy of it). */
function settle(body: OpenBody, span: HeaderSpan, into: FunctionRecord, text: string, tokens: TokenBuffer): void {
  const h = new ExprParser(text, view(tokens, span.at, span.n), false);
  const params = span.open < 0 ? [{ name: h.tokText(span.close), default: null, star: false }] : parameters(h, span);
  if (params === null) {
    into.unsupported ??= 'its parameters are not plain names';
    return;
  }
  into.params = params;
  if (span.expr >= 0) {
    const node = h.parse(span.expr, span.n);
    into.body.push({ k: 'return', node: () => node });
    into.returns = 1;
    return;
  }
  for (const s of body.kept.slice()) {
    if ('what' in s) {
      into.body.push({ k: 'unsupported', what: s.what });
      continue;
    }
    const what = record(into, new ExprParser(text, view(tokens, s.at, s.n), false), s.i, s.n);
    if (what !== null) {
      into.body.push({ k: 'unsupported', what });
      into.unsupported ??= `its body has ${what}`;
    }
  }
}

/** Reads one statement (tokens [i, n)) into `rec`'s body; what is not modelled in it, or null. */
function record(rec: FunctionRecord, p: ExprParser, i: number, n: number): string | null {
  const w = p.isName(i) ? p.tokText(i) : null;
  if (w === 'return') {
    rec.returns++;
    const node = n > i + 1 ? p.parse(i + 1, n) : null;
    rec.body.push({ k: 'return', node: node && (() => node) });
    return null;
  }
  if (w === 'const' || w === 'let' || w === 'var') {
    for (const [a, b] of p.split(i + 1, n, 44)) {
      const eq = p.split(a, b, 61);
      if (!p.isName(a) || (eq.length === 1 && b > a + 1) || eq.length > 2) return 'a destructuring declaration';
      const target: Node = { type: 'name', id: p.tokText(a), start: p.buf.start[a], end: p.buf.end[a] };
      const value = eq.length === 2 ? p.parse(eq[1][0], eq[1][1]) : undefinedNode(target);
      rec.body.push({ k: 'assign', targets: [() => target], value: () => value, aug: null });
    }
    return null;
  }
  const parts = p.split(i, n, 61);
  if (parts.length > 1) {
    const targets = parts.slice(0, -1).map(([a, b]) => p.parse(a, b));
    const value = p.parse(parts[parts.length - 1][0], parts[parts.length - 1][1]);
    rec.body.push({ k: 'assign', targets: targets.map((t) => () => t), value: () => value, aug: null });
    return null;
  }
  for (let k = i; k < n; k = p.skip(k)) {
    if (p.isOp(k, Op.Aug)) {
      const text = p.tokText(k);
      if (text.length === 2 && '+-*/'.includes(text[0])) {
        const target = p.parse(i, k);
        const value = p.parse(k + 1, n);
        rec.body.push({ k: 'assign', targets: [() => target], value: () => value, aug: text[0] });
        return null;
      }
      return `\`${text}\``;
    }
  }
  const node = p.parse(i, n);
  rec.body.push({ k: 'expr', node: () => node });
  return null;
}

/** `let x;`: the name bound to nothing known. */
function undefinedNode(at: Node): Node {
  return { type: 'name', id: 'undefined', start: at.start, end: at.end };
}

/**
 * A function header at tokens [i, n): `function f(…)` (its body a block), `const f = (…) =>` or
 * `const f = function (…)` (a block follows), or `const f = (…) => expr` (the body is `expr`). Its
 * tokens are kept in `tokens`; the span returned is relative to them.
 */
function functionHeader(p: ExprParser, i: number, n: number, tokens: TokenBuffer): HeaderSpan | null {
  let k = i;
  let name: string;
  let open = -1;
  let close = -1;
  let expr = -1;
  if (p.isName(k, 'function')) {
    if (!p.isName(k + 1) || !p.isOp(k + 2, 40)) return null;
    name = p.tokText(k + 1);
    open = k + 2;
    close = p.match[open];
    if (close < 0 || close >= n) return null;
  } else {
    if (!(p.isName(k, 'const') || p.isName(k, 'let') || p.isName(k, 'var'))) return null;
    if (!p.isName(k + 1) || !p.isOp(k + 2, 61)) return null;
    name = p.tokText(k + 1);
    k += 3;
    if (p.isName(k, 'function')) {
      k++;
      if (p.isName(k)) k++;
      if (!p.isOp(k, 40) || p.match[k] !== n - 1) return null;
      open = k;
      close = n - 1;
    } else {
      let after: number;
      if (p.isName(k) && p.isOp(k + 1, Op.FatArrow)) {
        close = k;
        after = k + 1;
      } else if (p.isOp(k, 40)) {
        open = k;
        close = p.match[k];
        if (close < 0 || close >= n) return null;
        // `(row: number[]): number =>`: a return type before the arrow.
        after = close + 1;
        if (p.isOp(after, 58)) while (after < n && !p.isOp(after, Op.FatArrow)) after = p.skip(after);
      } else return null;
      if (!p.isOp(after, Op.FatArrow)) return null;
      if (after < n - 1) expr = after + 1 - i;
    }
  }
  const at = tokens.append(p.buf, n);
  const rel = (t: number): number => (t < 0 ? -1 : t - i);
  // The span starts at the statement's first word (after `export`, `default`).
  return { name, at: at + i, n: n - i, open: rel(open), close: rel(close), expr };
}

/**
 * The parameters between the header's parentheses: names with an optional type (`row: number[]`)
 * and default; a rest parameter or a destructured one is not read (null).
 */
function parameters(p: ExprParser, span: HeaderSpan): Param[] | null {
  const out: Param[] = [];
  for (const [a, b] of p.split(span.open + 1, span.close, 44)) {
    if (b <= a) continue;
    if (p.buf.kind[a] !== Tok.Name) return null;
    const eq = p.split(a, b, 61);
    out.push({ name: p.tokText(a), default: eq.length > 1 ? p.parse(eq[1][0], eq[1][1]) : null, star: false });
  }
  return out;
}
