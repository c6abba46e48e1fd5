/**
 * A small expression parser over one statement's tokens: enough of Python and JavaScript to
 * read constructor calls, loss calls, keyword options, subscripts and arithmetic. Anything else
 * becomes an `other` node. Nesting deeper than {@link maxDepth} is given up on (no stack overflow
 * on hostile input); brackets are matched once per statement, iteratively.
 */
import { Op, Tok, type TokenBuffer } from './tokenizer';

export type Node =
  | { t: 'name'; id: string; s: number; e: number }
  | { t: 'num'; v: number; int: boolean; s: number; e: number }
  | { t: 'str'; value: string | null; s: number; e: number }
  | { t: 'lit'; site: number; s: number; e: number }
  | { t: 'attr'; obj: Node; name: string; s: number; e: number }
  | { t: 'call'; fn: Node; args: Node[]; kw: { name: string; value: Node }[]; isNew: boolean; s: number; e: number }
  | { t: 'sub'; obj: Node; index: Node; s: number; e: number }
  | { t: 'bin'; op: string; l: Node; r: Node; s: number; e: number }
  | { t: 'un'; op: string; x: Node; s: number; e: number }
  | { t: 'seq'; kind: 'list' | 'tuple'; items: Node[]; s: number; e: number }
  | { t: 'dict'; entries: { key: string | null; value: Node; s: number }[]; s: number; e: number }
  | { t: 'other'; s: number; e: number };

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
    private readonly text: string,
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
      if (this.isOp(i, code)) {
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
    if (from >= to) node = { t: 'other', s: this.offset(from), e: this.offset(from) };
    else {
      node = this.expr(0);
      // Python conditional expressions, lambdas and the like: give up on the whole.
      if (this.pos < to && this.isName(this.pos, 'if')) node = { t: 'other', s: node.s, e: this.buf.end[to - 1] };
    }
    [this.pos, this.end] = saved;
    return node;
  }

  /** Parses a comma list [from, to) as one node: a tuple when there is a top-level comma. */
  parseList(from: number, to: number): Node {
    const parts = this.split(from, to, 44).filter(([a, b]) => b > a);
    if (parts.length === 1 && !this.isOp(to - 1, 44)) return this.parse(parts[0][0], parts[0][1]);
    const items = parts.map(([a, b]) => this.parse(a, b));
    return { t: 'seq', kind: 'tuple', items, s: this.offset(from), e: this.buf.end[to - 1] };
  }

  private offset(i: number): number {
    return i < this.buf.n ? this.buf.start[i] : this.buf.n ? this.buf.end[this.buf.n - 1] : 0;
  }

  private other(from: number, to: number): Node {
    return {
      t: 'other',
      s: this.offset(from),
      e: to > from ? this.buf.end[Math.min(to, this.buf.n) - 1] : this.offset(from),
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
        }
      }
      if (!entry || entry[1] < minPrec) break;
      this.pos++;
      const right = this.expr(entry[0] === '**' ? entry[1] : entry[1] + 1);
      left = { t: 'bin', op: entry[0], l: left, r: right, s: left.s, e: right.e };
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
        const x = this.expr(11);
        return { t: 'un', op: String.fromCharCode(a), x, s: buf.start[i], e: x.e };
      }
      if (a === 42 || a === Op.Pow || a === Op.Ellipsis) {
        // *args, **kw, ...spread
        this.pos++;
        const x = this.expr(11);
        return { t: 'other', s: buf.start[i], e: x.e };
      }
    } else if (buf.kind[i] === Tok.Name) {
      const w = this.tokText(i);
      if (this.py && w === 'not') {
        this.pos++;
        const x = this.expr(3);
        return { t: 'un', op: 'not', x, s: buf.start[i], e: x.e };
      }
      if (w === 'await' || (!this.py && (w === 'typeof' || w === 'void' || w === 'delete'))) {
        this.pos++;
        const x = this.expr(11);
        return w === 'await' ? x : { t: 'other', s: buf.start[i], e: x.e };
      }
      if (w === 'lambda' || w === 'yield') {
        const n = this.other(i, this.end);
        this.pos = this.end;
        return n;
      }
    }
    return this.postfix();
  }

  private postfix(): Node {
    const buf = this.buf;
    let node = this.primary();
    while (this.pos < this.end) {
      const i = this.pos;
      if (buf.kind[i] !== Tok.Op) break;
      const a = buf.aux[i];
      if ((a === 46 || a === Op.OptChain) && this.isName(i + 1)) {
        node = { t: 'attr', obj: node, name: this.tokText(i + 1), s: node.s, e: buf.end[i + 1] };
        this.pos += 2;
      } else if (a === 40) {
        const close = this.match[i];
        const { args, kw } = this.args(i + 1, Math.min(close, this.end));
        const e = close < buf.n ? buf.end[close] : buf.end[buf.n - 1];
        node = { t: 'call', fn: node, args, kw, isNew: false, s: node.s, e };
        this.pos = Math.min(close + 1, this.end);
      } else if (a === 91) {
        const close = this.match[i];
        const index = this.parseList(i + 1, Math.min(close, this.end));
        const e = close < buf.n ? buf.end[close] : buf.end[buf.n - 1];
        node = { t: 'sub', obj: node, index, s: node.s, e };
        this.pos = Math.min(close + 1, this.end);
      } else if (a === 33 && !this.py) {
        // TS non-null assertion x!
        this.pos++;
      } else break;
    }
    return node;
  }

  private args(from: number, to: number): { args: Node[]; kw: { name: string; value: Node }[] } {
    const args: Node[] = [];
    const kw: { name: string; value: Node }[] = [];
    for (const [a, b] of this.split(from, to, 44)) {
      if (b <= a) continue;
      if (this.py && this.isName(a) && this.isOp(a + 1, 61)) {
        kw.push({ name: this.tokText(a), value: this.parse(a + 2, b) });
      } else if (this.isOp(a, 42) || this.isOp(a, Op.Pow)) {
        continue;
      } else args.push(this.parse(a, b));
    }
    return { args, kw };
  }

  private primary(): Node {
    const buf = this.buf;
    const i = this.pos;
    const k = buf.kind[i];
    const s = buf.start[i];
    const e = buf.end[i];
    switch (k) {
      case Tok.Name: {
        const w = this.tokText(i);
        this.pos++;
        if (w === 'new' && !this.py) {
          const target = this.postfix();
          if (target.t === 'call') target.isNew = true;
          return { ...target, s };
        }
        return { t: 'name', id: w, s, e };
      }
      case Tok.Number:
        this.pos++;
        return { t: 'num', v: buf.num[i], int: buf.aux[i] === 1, s, e };
      case Tok.Literal:
        this.pos++;
        return { t: 'lit', site: buf.aux[i], s, e };
      case Tok.String: {
        let j = i + 1;
        while (j < this.end && buf.kind[j] === Tok.String) j++;
        this.pos = j;
        return { t: 'str', value: j === i + 1 ? stringValue(this.text, s, e) : null, s, e: buf.end[j - 1] };
      }
      case Tok.Op: {
        const a = buf.aux[i];
        if (a === 40 || a === 91 || a === 123) {
          const close = this.match[i];
          const inner = Math.min(close, this.end);
          const end = close < buf.n ? buf.end[close] : buf.end[buf.n - 1];
          this.pos = Math.min(close + 1, this.end);
          if (a === 40) {
            const node = this.parseList(i + 1, inner);
            return { ...node, s, e: end };
          }
          if (a === 91) return this.listOrComprehension(i + 1, inner, s, end);
          return this.dict(i + 1, inner, s, end);
        }
        this.pos++;
        return { t: 'other', s, e };
      }
      default:
        this.pos++;
        return { t: 'other', s, e };
    }
  }

  private listOrComprehension(from: number, to: number, s: number, e: number): Node {
    for (let j = from; j < to; j = this.skip(j)) {
      if (this.isName(j, 'for')) return { t: 'other', s, e };
    }
    const items = this.split(from, to, 44)
      .filter(([a, b]) => b > a)
      .map(([a, b]) => this.parse(a, b));
    return { t: 'seq', kind: 'list', items, s, e };
  }

  private dict(from: number, to: number, s: number, e: number): Node {
    const entries: { key: string | null; value: Node; s: number }[] = [];
    for (const [a, b] of this.split(from, to, 44)) {
      if (b <= a) continue;
      const colon = this.split(a, b, 58);
      if (colon.length < 2) {
        // JS shorthand `{ logits }`, or a set element.
        if (!this.py && b === a + 1 && this.isName(a))
          entries.push({ key: this.tokText(a), value: this.parse(a, b), s: this.buf.start[a] });
        continue;
      }
      const [ka, kb] = colon[0];
      let key: string | null = null;
      if (kb === ka + 1) {
        if (buf(this).kind[ka] === Tok.String) key = stringValue(this.text, this.buf.start[ka], this.buf.end[ka]);
        else if (!this.py && this.isName(ka)) key = this.tokText(ka);
      }
      entries.push({ key, value: this.parse(colon[1][0], b), s: this.buf.start[ka] });
    }
    return { t: 'dict', entries, s, e };
  }
}

function buf(p: ExprParser): TokenBuffer {
  return p.buf;
}

/** The value of a simple string literal token (no prefix other than r/u/b; escapes kept as written). */
export function stringValue(text: string, s: number, e: number): string | null {
  let i = s;
  while (i < e && /[a-zA-Z]/.test(text[i])) i++;
  const q = text[i];
  if (q !== '"' && q !== "'" && q !== '`') return null;
  const prefix = text.slice(s, i).toLowerCase();
  if (prefix.includes('f')) return null;
  if (text.startsWith(q.repeat(3), i) && e - i >= 6) return text.slice(i + 3, e - 3);
  return text.slice(i + 1, e - 1);
}
