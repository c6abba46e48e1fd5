/**
 * JavaScript/TypeScript helper functions defined in the source, recorded as Python `def`s are
 * (functions.ts) so that a call is followed by the same replay (replay.ts): `function ce(x, t) { … }`,
 * `const ce = (x, t) => { … }`, `const ce = function (x, t) { … }` and `const ce = (x, t) => expr`.
 * A body is recorded statement by statement while the tokenizer reads it (jsBlocks.ts): `const`/`let`/`var`
 * declarations, assignments, expression statements, `return`, and the branches and loops hand-written
 * losses use (`if`/`else`, `for (let i = 0; …; i++)`, `for (const v of xs)`, `while`). Any other
 * construct (`switch`, `try`, `break`, a bare block, a nested function) is recorded as not modelled, and a
 * call stops there with that reason (docs/detection.md 3.126, 3.282): never a number from a body only partly read.
 */
import { ExprParser } from './expr';
import { loopRecord, type FunctionRecord, type Param } from './functions';
import { callbackParts, constructs, keepStatement, settleKept, view, type Frame, type Kept } from './jsBlocks';
import { callbackHeader } from './jsBlockCallbacks';
import type { Scopes } from './scope';
import { Op, Tok, TokenBuffer } from './tokens';

/** Statements recorded per function at most (longer bodies are not followed). */
const maxStatements = 200;

interface OpenBody {
  record: FunctionRecord;
  /** The block depth of the body's statements. */
  depth: number;
  count: number;
  /**
   * The body's statements, in order, as read (jsBlocks.ts): where each statement's tokens were kept,
   * parsed only when a call follows the function (most helpers of a file are never called with arrays).
   */
  kept: Kept[];
  /** The blocks open inside the body (the body's own first): where a statement at their depth goes. */
  frames: (Frame & { depth: number })[];
  /** A module-level loop kept as a body (3.346): its first frame is the depth it was written at. */
  loop?: true;
  /** A module-level statement opening a block-bodied callback (3.375): kept as a loop is, ended by its tail. */
  callback?: Extract<Kept, { k: 'cb' }>;
}

/** Module-level loops kept per text at most (each scans ahead for the names it sums into). */
const maxLoops = 200;

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
  /** A branch's or a loop's header just read without its body: the next block, or statement, fills this. */
  private awaiting: Kept[] | null = null;
  /** The first word of the last statement of a recorded body, which a block opened after it belongs to. */
  private lastWord: string | null = null;
  /** The text being read (its statements' tokens are spans of it). */
  private text = '';
  /**
   * The tokens of every header and body statement kept from the text, one after another: one buffer
   * rather than a copy per statement (the tokenizer reuses its buffer), read back as views.
   */
  private tokens = new TokenBuffer(0);
  private loops = 0;
  /** A module-level callback whose block has closed, waiting for the statement that ends its call (3.375). */
  private closedCallback: { cb: Extract<Kept, { k: 'cb' }>; depth: number } | null = null;
  /** Told of each module-level `for` kept (loops.ts runs it once it ends); `end`: where its header ends. */
  onLoop: ((record: FunctionRecord, end: number) => void) | null = null;

  reset(text: string): void {
    this.text = text;
    this.loops = 0;
    this.closedCallback = null;
    this.header = null;
    this.open = [];
    this.awaiting = null;
    this.lastWord = null;
    this.tokens = new TokenBuffer(0);
  }

  /** A block opens at `depth` (the depth of the statements inside it). */
  blockOpened(depth: number): void {
    const header = this.header;
    const awaiting = this.awaiting;
    this.header = null;
    this.awaiting = null;
    const top = this.open[this.open.length - 1];
    const frame = top?.frames[top.frames.length - 1];
    if (top && frame && frame.depth === depth - 1 && !header) {
      // A branch's or a loop's body; any other block inside a recorded body (an inner function's body,
      // a bare block, `switch`, `try`) is a construct not modelled.
      if (awaiting) top.frames.push({ depth, list: awaiting, lastIf: null });
      else {
        const what = this.lastWord && constructs.has(this.lastWord) ? `\`${this.lastWord}\`` : 'a nested block';
        unsupported(top, what, frame.list);
      }
    }
    if (header) {
      header.depth = depth;
      header.frames.push({ depth, list: header.kept, lastIf: null });
      this.open.push(header);
    }
  }

  /** The block at `depth` closes. */
  blockClosed(depth: number): void {
    this.header = null;
    this.awaiting = null;
    const top = this.open[this.open.length - 1];
    const frame = top?.frames[top.frames.length - 1];
    if (top && frame && frame.depth === depth) {
      top.frames.pop();
      if (top.frames.length === (top.loop ? 1 : 0)) {
        top.record.complete = true;
        this.open.pop();
        if (top.callback) this.closedCallback = { cb: top.callback, depth: top.frames[0].depth };
      }
    }
  }

  /**
   * A statement at block depth `depth` is next: a module-level loop kept at that depth whose body is
   * not waiting for it (a block that closed, or a body written on the header's line) has ended.
   */
  endLoop(depth: number): void {
    const top = this.open[this.open.length - 1];
    if (!top?.loop || this.awaiting || top.frames.length !== 1 || top.frames[0].depth !== depth) return;
    top.record.complete = true;
    this.open.pop();
  }

  /**
   * `for (…)` outside any body being recorded (tokens [i, n) at `depth`): kept as the body of a record
   * of its own (loops.ts runs it, 3.346), its body filled as a helper's is (jsBlocks.ts).
   */
  private loopAt(p: ExprParser, i: number, n: number, depth: number, scopes: Scopes): void {
    // `for (…)`, or `xs.forEach((v, i) =>` ending the statement (its callback's block follows).
    const forEach = n - i >= 6 && p.isOp(n - 1, Op.FatArrow);
    if (!(p.isName(i, 'for') || forEach) || this.loops >= maxLoops || !this.onLoop) return;
    const { record, body, awaiting, head } = this.keepHeader(p, i, n, depth, scopes.current());
    if (!head || !('k' in head) || (head.k !== 'loop' && head.k !== 'of')) return;
    this.loops++;
    const text = this.text;
    const tokens = this.tokens;
    record.settle = (into) => settleKept(into, body.kept.slice(), into.body, text, tokens);
    if (awaiting) {
      this.open.push(body);
      this.awaiting = awaiting;
    } else record.complete = true;
    // Sums start from the values before the body, which may follow the header on its line.
    const close = p.isOp(i + 1, 40) ? p.match[i + 1] : -1;
    this.onLoop(record, p.buf.end[close > i && close < n ? close : n - 1]);
  }

  /**
   * `const ls = xs.map((v, i) =>` outside any body being recorded (tokens [i, n) at `depth`): its block is
   * kept as a callback's body (jsBlockCallbacks.ts, 3.375), its call ended by {@link callbackTail}.
   */
  private callbackAt(p: ExprParser, i: number, n: number, depth: number): boolean {
    if (this.loops >= maxLoops || !callbackHeader(p, i, n)) return false;
    const { body, awaiting, head } = this.keepHeader(p, i, n, depth);
    if (!awaiting || !head || !('k' in head) || head.k !== 'cb') return false;
    this.loops++;
    body.callback = head;
    this.open.push(body);
    this.awaiting = awaiting;
    return true;
  }

  /** A loop's or a callback's body opened at `depth`, its header statement [i, n) kept as its first. */
  private keepHeader(p: ExprParser, i: number, n: number, depth: number, home?: FunctionRecord['home']) {
    const record = loopRecord(home === undefined ? { pending: null } : { pending: null, home });
    const body: OpenBody = { record, depth, count: 1, kept: [], frames: [], loop: true };
    const frame = { depth, list: body.kept, lastIf: null };
    body.frames.push(frame);
    const at = this.tokens.append(p.buf, n);
    const awaiting = keepStatement(p, at, i, n, frame, body.kept, (what, into) => unsupported(body, what, into));
    return { record, body, awaiting, head: body.kept[0] };
  }

  /**
   * The statement [i, n) at `depth` ending a module-level callback's call (`)`, `, 0)` after its block):
   * the callback's record and the whole statement with its name where the arrow was, or null.
   */
  callbackTail(
    p: ExprParser,
    i: number,
    n: number,
    depth: number,
  ): { record: FunctionRecord; buf: TokenBuffer } | null {
    const closed = this.closedCallback;
    this.closedCallback = null;
    if (!closed || closed.depth !== depth || !(p.isOp(i, 41) || p.isOp(i, 44))) return null;
    const at = this.tokens.append(p.buf, n);
    closed.cb.tail = { at, n, i };
    const { record, buf } = callbackParts(closed.cb, this.text, this.tokens);
    return buf && { record, buf };
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
    this.closedCallback = null;
    const awaiting = this.awaiting;
    this.awaiting = null;
    const top = this.open[this.open.length - 1];
    const frame = top?.frames[top.frames.length - 1];
    const inBody = top !== undefined && frame !== undefined && frame.depth === depth;
    if (top === undefined && !this.callbackAt(p, i, n, depth)) this.loopAt(p, i, n, depth, scopes);
    if (inBody) {
      this.lastWord = p.isName(i) ? p.tokText(i) : null;
      if (++top.count > maxStatements) {
        top.record.unsupported ??= `its body is longer than ${maxStatements} statements`;
        return false;
      }
    }
    const span = functionHeader(p, i, n, this.tokens);
    if (span) {
      if (inBody) unsupported(top, 'a nested definition', awaiting ?? frame.list);
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
      const body: OpenBody = { record, depth: -1, count: 0, kept: [], frames: [] };
      const text = this.text;
      const tokens = this.tokens;
      record.settle = (into) => settle(body, span, into, text, tokens);
      scopes.bind(span.name, { kind: 'function', record });
      if (span.expr < 0) this.header = body;
      return true;
    }
    if (!inBody) return false;
    // The statement's tokens are kept once; a header's body on its own line is a span of them too.
    const at = this.tokens.append(p.buf, n);
    const add = (what: string, into: Kept[]): void => unsupported(top, what, into);
    this.awaiting = keepStatement(p, at, i, n, frame, awaiting ?? frame.list, add);
    // A module-level loop's one-statement body, read: the loop ends with it.
    if (top.loop && !this.awaiting && top.frames.length === 1) {
      top.record.complete = true;
      this.open.pop();
    }
    return false;
  }
}

/** A construct not modelled, kept where it is: calls stop there, with its description. */
function unsupported(body: OpenBody, what: string, into: Kept[]): void {
  into.push({ what });
  body.record.unsupported ??= `its body has ${what}`;
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
  settleKept(into, body.kept.slice(), into.body, text, tokens);
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
