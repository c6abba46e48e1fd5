/**
 * A small expression parser over one statement's tokens: enough of Python and JavaScript to
 * read constructor calls, loss calls, keyword options, subscripts and arithmetic. Anything else
 * becomes an `other` node. Nesting deeper than {@link maxDepth} is given up on (no stack overflow
 * on hostile input); brackets are matched once per statement, iteratively.
 */
import { Op, Tok, type TokenBuffer } from './tokens';
import { jsArrow, type LambdaParam } from './jsArrows';
import { lambdaHeader } from './lambdas';
import { loopTarget } from './loopTargets';

export type Node =
  | { type: 'name'; id: string; start: number; end: number }
  | { type: 'number'; value: number; integer: boolean; start: number; end: number }
  | { type: 'string'; value: string | null; start: number; end: number }
  /** A numeric literal the tokenizer read whole: its array site. */
  | { type: 'literal'; site: number; start: number; end: number }
  | { type: 'attribute'; object: Node; name: string; start: number; end: number }
  | {
      type: 'call';
      callee: Node;
      args: Node[];
      keywords: { name: string; value: Node }[];
      isNew: boolean;
      /** `*xs` / `**kw` arguments (Python): each with the count of plain arguments before it. */
      stars?: Star[];
      jsSpreads?: Star[]; // JavaScript's `...xs`, also left in `args` as `other` nodes (jsCallbacks.ts)
      start: number;
      end: number;
    }
  | { type: 'subscript'; object: Node; index: Node; start: number; end: number }
  /** `a:b:c` in a subscript (absent bounds are null). */
  | { type: 'slice'; lower: Node | null; upper: Node | null; step: Node | null; start: number; end: number }
  | { type: 'binary'; op: string; left: Node; right: Node; start: number; end: number }
  | { type: 'unary'; op: string; operand: Node; start: number; end: number }
  | { type: 'sequence'; kind: 'list' | 'tuple'; items: Node[]; start: number; end: number }
  | { type: 'dict'; entries: { key: string | null; value: Node; start: number }[]; start: number; end: number }
  /** `[element for names in iter]` (a tuple target: each name an item's part), at most one `if cond`; also a lone generator argument. */
  | { type: 'comprehension'; element: Node; names: string[]; iter: Node; cond: Node | null; start: number; end: number }
  /** Python's `body if test else orelse`. */
  | { type: 'conditional'; body: Node; test: Node; orelse: Node; start: number; end: number }
  /** `lambda a, b=1: body` (the body may be a conditional expression); lambdas.ts reads the parameters. */
  | { type: 'lambda'; params: LambdaParam<Node>[]; body: Node; start: number; end: number }
  | { type: 'other'; start: number; end: number };

/** A starred argument: `*value` after `at` plain arguments, or `**value` (`double`). */
export interface Star {
  at: number;
  value: Node;
  double: boolean;
}

export type NodeOf<T extends Node['type']> = Extract<Node, { type: T }>;

const maxDepth = 80;

const binaryPrec = new Map<number, [string, number]>([
  [Op.OrOr, ['or', 1]],
  [Op.Nullish, ['??', 1]],
  [Op.AndAnd, ['and', 2]],
  [Op.EqEq, ['==', 4]],
  [Op.NotEq, ['!=', 4]],
  [60, ['<', 4]],
  [62, ['>', 4]],
  [Op.LessEq, ['<=', 4]],
  [Op.GreaterEq, ['>=', 4]],
  [124, ['|', 5]],
  [94, ['^', 6]],
  [38, ['&', 7]],
  [Op.Shift, ['<<', 8]],
  [43, ['+', 9]],
  [45, ['-', 9]],
  [42, ['*', 10]],
  [47, ['/', 10]],
  [Op.FloorDiv, ['//', 10]],
  [37, ['%', 10]],
  [64, ['@', 10]],
  [Op.Pow, ['**', 12]],
]);

/** Parses expressions from a statement's tokens. */
export class ExprParser {
  /** For each bracket token, the index of its partner (or `n` when unclosed). */
  readonly match: Int32Array;
  private pos = 0;
  private end = 0;
  private depth = 0;

  constructor(
    readonly text: string,
    readonly buf: TokenBuffer,
    private readonly py: boolean,
  ) {
    const n = buf.n;
    const match = new Int32Array(n).fill(-1);
    const stack: number[] = [];
    for (let i = 0; i < n; i++) {
      if (buf.kind[i] !== Tok.Op) continue;
      const a = buf.aux[i];
      if (a === 40 || a === 91 || a === 123) stack.push(i);
      else if (a === 41 || a === 93 || a === 125) {
        if (stack.length) {
          const o = stack.pop() as number;
          match[o] = i;
          match[i] = o;
        }
      }
    }
    for (const o of stack) match[o] = n;
    this.match = match;
  }

  /** Text of token i. */
  tokText(i: number): string {
    return this.text.slice(this.buf.start[i], this.buf.end[i]);
  }

  isOp(i: number, code: number): boolean {
    return i < this.buf.n && this.buf.kind[i] === Tok.Op && this.buf.aux[i] === code;
  }

  isName(i: number, word?: string): boolean {
    return i < this.buf.n && this.buf.kind[i] === Tok.Name && (word === undefined || this.tokText(i) === word);
  }

  /** Index after the bracket group starting at i, or i + 1 for other tokens. */
  skip(i: number): number {
    const k = this.buf.kind[i];
    if (k === Tok.Op) {
      const a = this.buf.aux[i];
      if ((a === 40 || a === 91 || a === 123) && this.match[i] > i) return Math.min(this.match[i] + 1, this.buf.n);
    }
    return i + 1;
  }

  /** Splits [from, to) at top-level occurrences of the operator `code`. */
  split(from: number, to: number, code: number): [number, number][] {
    const out: [number, number][] = [];
    let a = from;
    for (let i = from; i < to;) {
      // A lambda's parameters are not split: `lambda x, y: …` (or `w=None`) is one item.
      const head = this.py && this.isName(i, 'lambda') ? lambdaHeader(this, i, to) : null;
      if (head) i = head.colon;
      else if (this.isOp(i, code)) {
        out.push([a, i]);
        a = i + 1;
        i++;
        continue;
      }
      i = this.skip(i);
    }
    out.push([a, to]);
    return out;
  }

  /** Parses one expression covering [from, to); trailing tokens it cannot read are ignored. */
  parse(from: number, to: number): Node {
    const saved = [this.pos, this.end];
    this.pos = from;
    this.end = to;
    let node: Node;
    if (from >= to) node = { type: 'other', start: this.offset(from), end: this.offset(from) };
    else {
      node = this.expr(0);
      // `a if c else b`: Python's conditional expression (the test is read up to the first `else`
      // outside brackets, since a test holds no unbracketed conditional). Without an `else`, or
      // nested past the depth limit, the whole is given up on.
      if (this.pos < to && this.isName(this.pos, 'if')) node = this.conditional(node, this.pos, to);
    }
    [this.pos, this.end] = saved;
    return node;
  }

  /** `body if test else orelse`, the `if` at token `at`; an `other` node when it does not read as one. */
  private conditional(body: Node, at: number, to: number): Node {
    const whole: Node = { type: 'other', start: body.start, end: this.buf.end[to - 1] };
    let elseAt = -1;
    for (let i = at + 1; i < to; i = this.skip(i))
      if (this.isName(i, 'else')) {
        elseAt = i;
        break;
      }
    if (elseAt < 0 || elseAt === at + 1 || elseAt + 1 >= to || this.depth >= maxDepth) return whole;
    // A chain `a if c else b if d else e` nests in its else part: counted against the depth limit.
    this.depth++;
    try {
      const test = this.parse(at + 1, elseAt);
      const orelse = this.parse(elseAt + 1, to);
      return { type: 'conditional', body, test, orelse, start: body.start, end: orelse.end };
    } finally {
      this.depth--;
    }
  }

  /** Parses a comma list [from, to) as one node: a tuple when there is a top-level comma. */
  parseList(from: number, to: number): Node {
    const parts = this.split(from, to, 44).filter(([a, b]) => b > a);
    if (parts.length === 1 && !this.isOp(to - 1, 44)) return this.parse(parts[0][0], parts[0][1]);
    const items = parts.map(([a, b]) => this.parse(a, b));
    return { type: 'sequence', kind: 'tuple', items, start: this.offset(from), end: this.buf.end[to - 1] };
  }

  private offset(i: number): number {
    return i < this.buf.n ? this.buf.start[i] : this.buf.n ? this.buf.end[this.buf.n - 1] : 0;
  }

  private other(from: number, to: number): Node {
    return {
      type: 'other',
      start: this.offset(from),
      end: to > from ? this.buf.end[Math.min(to, this.buf.n) - 1] : this.offset(from),
    };
  }

  private expr(minPrec: number): Node {
    if (++this.depth > maxDepth) {
      this.depth--;
      const n = this.other(this.pos, this.end);
      this.pos = this.end;
      return n;
    }
    let left = this.unary();
    const buf = this.buf;
    while (this.pos < this.end) {
      const i = this.pos;
      let entry: [string, number] | undefined;
      if (buf.kind[i] === Tok.Op) entry = binaryPrec.get(buf.aux[i]);
      else if (buf.kind[i] === Tok.Name && this.py) {
        const w = this.tokText(i);
        entry = w === 'or' ? ['or', 1] : w === 'and' ? ['and', 2] : w === 'in' || w === 'is' ? [w, 4] : undefined;
        if (w === 'not' && this.isName(i + 1, 'in')) {
          entry = ['not in', 4];
          this.pos++;
        } else if (w === 'is' && this.isName(i + 1, 'not')) {
          entry = ['is not', 4];
          this.pos++;
        }
      }
      if (!entry || entry[1] < minPrec) break;
      this.pos++;
      const right = this.expr(entry[0] === '**' ? entry[1] : entry[1] + 1);
      left = { type: 'binary', op: entry[0], left, right, start: left.start, end: right.end };
    }
    this.depth--;
    return left;
  }

  private unary(): Node {
    const buf = this.buf;
    const i = this.pos;
    if (i >= this.end) return this.other(i, i);
    if (buf.kind[i] === Tok.Op) {
      const a = buf.aux[i];
      if (a === 45 || a === 43 || a === 126 || a === 33) {
        this.pos++;
        const operand = this.expr(11);
        return { type: 'unary', op: String.fromCharCode(a), operand, start: buf.start[i], end: operand.end };
      }
      if (a === 42 || a === Op.Pow || a === Op.Ellipsis) {
        // *args, **kw, ...spread
        this.pos++;
        const operand = this.expr(11);
        return { type: 'other', start: buf.start[i], end: operand.end };
      }
    } else if (buf.kind[i] === Tok.Name) {
      const w = this.tokText(i);
      if (this.py && w === 'not') {
        this.pos++;
        const operand = this.expr(3);
        return { type: 'unary', op: 'not', operand, start: buf.start[i], end: operand.end };
      }
      if (w === 'await' || (!this.py && (w === 'typeof' || w === 'void' || w === 'delete'))) {
        this.pos++;
        const operand = this.expr(11);
        return w === 'await' ? operand : { type: 'other', start: buf.start[i], end: operand.end };
      }
      if (w === 'lambda' && this.py && this.isOp(i + 1, 58) && i + 2 < this.end) {
        // `lambda: body` takes no parameter: every name in its body is the enclosing scope's, so a helper
        // handed `lambda: loss(x, y)` runs that very expression. A body that goes on past what reads as
        // one expression (`a if c else b`) is not read at all.
        this.pos = i + 2;
        const body = this.expr(0);
        const whole = this.pos >= this.end;
        this.pos = this.end;
        return whole ? body : this.other(i, this.end);
      }
      const head = w === 'lambda' && this.py ? lambdaHeader(this, i, this.end) : null;
      if (head) {
        // `lambda x, y=None: body` (split() kept the parameters' commas inside it).
        const params = head.params.map((q) => ({ name: q.name, default: q.default && this.parse(...q.default) }));
        const body = this.parse(head.colon + 1, this.end);
        this.pos = this.end;
        return { type: 'lambda', params, body, start: buf.start[i], end: body.end };
      }
      if (w === 'lambda' || w === 'yield') {
        const n = this.other(i, this.end);
        this.pos = this.end;
        return n;
      }
    }
    const arrow = this.py ? null : jsArrow(this, i, this.end);
    if (arrow) this.pos = this.end;
    return arrow ?? this.postfix();
  }

  private postfix(): Node {
    const buf = this.buf;
    let node = this.primary();
    while (this.pos < this.end) {
      const i = this.pos;
      if (buf.kind[i] !== Tok.Op) break;
      const a = buf.aux[i];
      if ((a === 46 || a === Op.OptChain) && this.isName(i + 1)) {
        node = { type: 'attribute', object: node, name: this.tokText(i + 1), start: node.start, end: buf.end[i + 1] };
        this.pos += 2;
      } else if (a === 40) {
        const close = this.match[i];
        const { args, keywords, stars } = this.args(i + 1, Math.min(close, this.end));
        const end = close < buf.n ? buf.end[close] : buf.end[buf.n - 1];
        node = { type: 'call', callee: node, args, keywords, isNew: false, start: node.start, end };
        if (stars.length) node[this.py ? 'stars' : 'jsSpreads'] = stars;
        this.pos = Math.min(close + 1, this.end);
      } else if (a === 91) {
        const close = this.match[i];
        const index = this.subscriptIndex(i + 1, Math.min(close, this.end));
        const end = close < buf.n ? buf.end[close] : buf.end[buf.n - 1];
        node = { type: 'subscript', object: node, index, start: node.start, end };
        this.pos = Math.min(close + 1, this.end);
      } else if (a === 33 && !this.py) {
        // TS non-null assertion x!
        this.pos++;
      } else break;
    }
    return node;
  }

  /** A subscript's index: a comma list whose parts may be slices (`x[:, 0]`, `x[1:3]`). */
  private subscriptIndex(from: number, to: number): Node {
    if (!this.py) return this.parseList(from, to);
    const parts = this.split(from, to, 44).filter(([a, b]) => b > a);
    if (parts.length === 0) return this.parse(from, to);
    const items = parts.map(([a, b]) => {
      const colons = this.split(a, b, 58);
      if (colons.length === 1) return this.parse(a, b);
      const bound = (k: number): Node | null => {
        const c = colons[k];
        return c && c[1] > c[0] ? this.parse(c[0], c[1]) : null;
      };
      return {
        type: 'slice' as const,
        lower: bound(0),
        upper: bound(1),
        step: bound(2),
        start: this.offset(a),
        end: this.buf.end[b - 1],
      };
    });
    if (items.length === 1 && !this.isOp(to - 1, 44)) return items[0];
    return {
      type: 'sequence',
      kind: 'tuple',
      items,
      start: this.offset(from),
      end: to > from ? this.buf.end[to - 1] : this.offset(from),
    };
  }

  /** A `for` at bracket depth 0 in tokens [from, to). */
  private hasFor(from: number, to: number): boolean {
    for (let j = from; j < to; j = this.skip(j)) if (this.isName(j, 'for')) return true;
    return false;
  }

  private args(from: number, to: number): { args: Node[]; keywords: { name: string; value: Node }[]; stars: Star[] } {
    const args: Node[] = [];
    const keywords: { name: string; value: Node }[] = [];
    const stars: Star[] = [];
    const parts = this.split(from, to, 44);
    // `sum(p[i] * log(q[i]) for i in range(n))`: a lone generator argument (commas of `for y, p in` inside it).
    if (this.py && parts.length >= 1 && parts[0][1] > parts[0][0] && this.hasFor(parts[0][0], parts[0][1])) {
      const [a, b] = [parts[0][0], parts[parts.length - 1][1]];
      args.push(this.listOrComprehension(a, b, this.buf.start[a], this.buf.end[b - 1]));
      return { args, keywords, stars };
    }
    for (const [a, b] of parts) {
      const js = !this.py && this.isOp(a, Op.Ellipsis) && b > a + 1;
      if (js) stars.push({ at: args.length, value: this.parse(a + 1, b), double: false });
      if (b <= a) continue;
      if (this.py && this.isName(a) && this.isOp(a + 1, 61)) {
        keywords.push({ name: this.tokText(a), value: this.parse(a + 2, b) });
      } else if (this.isOp(a, 42) || this.isOp(a, Op.Pow)) {
        // Kept aside: calls.ts spreads a known tuple or dict, and the call is not computed otherwise.
        if (this.py) stars.push({ at: args.length, value: this.parse(a + 1, b), double: this.isOp(a, Op.Pow) });
      } else args.push(this.parse(a, b));
    }
    return { args, keywords, stars };
  }

  private primary(): Node {
    const buf = this.buf;
    const i = this.pos;
    const k = buf.kind[i];
    const start = buf.start[i];
    const end = buf.end[i];
    switch (k) {
      case Tok.Name: {
        const w = this.tokText(i);
        this.pos++;
        if (w === 'new' && !this.py) {
          const target = this.postfix();
          if (target.type === 'call') target.isNew = true;
          return { ...target, start };
        }
        return { type: 'name', id: w, start, end };
      }
      case Tok.Number:
        this.pos++;
        return { type: 'number', value: buf.num[i], integer: buf.aux[i] === 1, start, end };
      case Tok.Literal:
        this.pos++;
        return { type: 'literal', site: buf.aux[i], start, end };
      case Tok.String: {
        let j = i + 1;
        while (j < this.end && buf.kind[j] === Tok.String) j++;
        this.pos = j;
        return {
          type: 'string',
          value: j === i + 1 ? stringValue(this.text, start, end) : null,
          start,
          end: buf.end[j - 1],
        };
      }
      case Tok.Op: {
        const a = buf.aux[i];
        if (a === 40 || a === 91 || a === 123) {
          const close = this.match[i];
          const inner = Math.min(close, this.end);
          const groupEnd = close < buf.n ? buf.end[close] : buf.end[buf.n - 1];
          this.pos = Math.min(close + 1, this.end);
          if (a === 40) {
            const node = this.parseList(i + 1, inner);
            return { ...node, start, end: groupEnd };
          }
          if (a === 91) return this.listOrComprehension(i + 1, inner, start, groupEnd);
          return this.dict(i + 1, inner, start, groupEnd);
        }
        this.pos++;
        return { type: 'other', start, end };
      }
      default:
        this.pos++;
        return { type: 'other', start, end };
    }
  }

  private listOrComprehension(from: number, to: number, start: number, end: number): Node {
    for (let j = from; j < to; j = this.skip(j)) {
      if (!this.isName(j, 'for')) continue;
      const target = this.py && j > from ? loopTarget(this, j, to) : null;
      if (!target) return { type: 'other', start, end };
      // One `for`, and at most one `if` filter after it (nested loops are not modelled).
      let ifAt = -1;
      for (let k = target.inAt + 1; k < to; k = this.skip(k)) {
        if (this.isName(k, 'for') || (this.isName(k, 'if') && ifAt >= 0)) return { type: 'other', start, end };
        if (this.isName(k, 'if')) ifAt = k;
      }
      const iterEnd = ifAt >= 0 ? ifAt : to;
      if (target.inAt + 1 >= iterEnd || ifAt + 1 === to) return { type: 'other', start, end };
      const element = this.parse(from, j);
      const iter = this.parse(target.inAt + 1, iterEnd);
      const cond = ifAt >= 0 ? this.parse(ifAt + 1, to) : null;
      return { type: 'comprehension', element, names: target.names, iter, cond, start, end };
    }
    const items = this.split(from, to, 44)
      .filter(([a, b]) => b > a)
      .map(([a, b]) => this.parse(a, b));
    return { type: 'sequence', kind: 'list', items, start, end };
  }

  private dict(from: number, to: number, start: number, end: number): Node {
    const entries: { key: string | null; value: Node; start: number }[] = [];
    for (const [a, b] of this.split(from, to, 44)) {
      if (b <= a) continue;
      const colon = this.split(a, b, 58);
      if (colon.length < 2) {
        // JS shorthand `{ logits }`, or a set element.
        if (!this.py && b === a + 1 && this.isName(a))
          entries.push({ key: this.tokText(a), value: this.parse(a, b), start: this.buf.start[a] });
        // Python's `**other` (or a set element): kept without a key, so the dict is known to hold more.
        else if (this.py) entries.push({ key: null, value: this.parse(a, b), start: this.buf.start[a] });
        continue;
      }
      const [ka, kb] = colon[0];
      let key: string | null = null;
      if (kb === ka + 1) {
        if (this.buf.kind[ka] === Tok.String) key = stringValue(this.text, this.buf.start[ka], this.buf.end[ka]);
        else if (!this.py && this.isName(ka)) key = this.tokText(ka);
      }
      entries.push({ key, value: this.parse(colon[1][0], b), start: this.buf.start[ka] });
    }
    return { type: 'dict', entries, start, end };
  }
}

/** The value of a simple string literal token (no prefix other than r/u/b; escapes kept as written). */
export function stringValue(text: string, start: number, end: number): string | null {
  let i = start;
  while (i < end && isLetter(text.charCodeAt(i))) i++;
  const q = text[i];
  if (q !== '"' && q !== "'" && q !== '`') return null;
  const prefix = text.slice(start, i).toLowerCase();
  if (prefix.includes('f')) return null;
  if (text.startsWith(q.repeat(3), i) && end - i >= 6) return text.slice(i + 3, end - 3);
  return text.slice(i + 1, end - 1);
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
