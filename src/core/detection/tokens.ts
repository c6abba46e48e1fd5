/**
 * The tokens a statement is handed over as, and the interface that receives statements: what
 * the tokenizers produce and the statement readers consume.
 */

/** Token kinds. */
export const enum Tok {
  Name = 1,
  Number = 2,
  String = 3,
  Op = 4,
  Literal = 5,
}

/** Operator codes beyond single characters (single-character operators use their char code). */
export const enum Op {
  EqEq = 300,
  NotEq,
  LessEq,
  GreaterEq,
  Pow,
  FloorDiv,
  Arrow,
  Aug,
  Walrus,
  FatArrow,
  AndAnd,
  OrOr,
  Nullish,
  Ellipsis,
  OptChain,
  Shift,
  PlusPlus,
  MinusMinus,
}

/** FNV-1a hash of a name, as the tokenizer computes it for Name tokens. */
export function hashName(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/**
 * The tokens of one statement, struct-of-arrays. `aux` is the name hash (Name), the operator code
 * (Op), the site id (Literal), 1 for an integral literal (Number).
 */
export class TokenBuffer {
  kind: Uint8Array;
  aux: Int32Array;
  start: Int32Array;
  end: Int32Array;
  num: Float64Array;
  n = 0;

  constructor(capacity = 256) {
    this.kind = new Uint8Array(capacity);
    this.aux = new Int32Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.num = new Float64Array(capacity);
  }

  /** Appends the first `n` tokens of `src`; returns where they start. */
  append(src: TokenBuffer, n: number): number {
    while (this.n + n > this.kind.length) this.grow();
    const at = this.n;
    const { kind, aux, start, end, num } = this;
    const { kind: sk, aux: sa, start: ss, end: se, num: sn } = src;
    for (let i = 0, j = at; i < n; i++, j++) {
      kind[j] = sk[i];
      aux[j] = sa[i];
      start[j] = ss[i];
      end[j] = se[i];
      num[j] = sn[i];
    }
    this.n = at + n;
    return at;
  }

  push(kind: number, aux: number, start: number, end: number, num: number): void {
    if (this.n === this.kind.length) this.grow();
    const i = this.n++;
    this.kind[i] = kind;
    this.aux[i] = aux;
    this.start[i] = start;
    this.end[i] = end;
    this.num[i] = num;
  }

  private grow(): void {
    const size = Math.max(this.kind.length * 2, 256);
    const k = new Uint8Array(size);
    k.set(this.kind);
    this.kind = k;
    const a = new Int32Array(size);
    a.set(this.aux);
    this.aux = a;
    const s = new Int32Array(size);
    s.set(this.start);
    this.start = s;
    const e = new Int32Array(size);
    e.set(this.end);
    this.end = e;
    const v = new Float64Array(size);
    v.set(this.num);
    this.num = v;
  }
}

/** Receives what the tokenizer finds. */
export interface TokenSink {
  /**
   * A complete statement (logical line). `overflow`: tokens beyond the per-statement cap were
   * dropped, or its brackets nest too deep; such a statement is not analysed.
   */
  statement(tokens: TokenBuffer, overflow: boolean): void;
  /** A comment `[start, end)` including its marker. */
  comment(start: number, end: number): void;
  /** A numeric literal; returns the site id stored in the token. */
  literal(outcome: LiteralOutcome, start: number): number;
  /** A literal that could not be read (ragged/unclosed are reported through `literal`/`problem`). */
  problem(code: 'parse_error', message: string, start: number, end: number): void;
  /** JS block braces (statement boundaries and scopes). */
  blockOpen?(pos: number): void;
  blockClose?(pos: number): void;
}

/** Character codes the tokenizers compare against. */
export const enum Char {
  Tab = 9,
  Lf = 10,
  Vt = 11,
  Ff = 12,
  Cr = 13,
  Space = 32,
  Bang = 33,
  Quote2 = 34,
  Hash = 35,
  Dollar = 36,
  Percent = 37,
  Amp = 38,
  Quote1 = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Semi = 59,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  Question = 63,
  At = 64,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Underscore = 95,
  Backtick = 96,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  Tilde = 126,
}

/** Source language family: decides comments, tuples and special names. */
export const enum Lang {
  Python = 0,
  Js = 1,
  Json = 2,
}

/** A parsed literal. */
export interface LiteralOutcome {
  /** Offset just after the closing bracket. */
  end: number;
  shape: number[];
  /** Row-major values; null when the literal exceeded the element cap. */
  data: Float64Array | null;
  /** Every element was written as an integer. */
  integral: boolean;
  /** Number of elements read. */
  count: number;
  /** First raggedness, in torch's words ("expected sequence of length 3 at dim 1 (got 2)"). */
  error: string | null;
  /** The outermost bracket is `(`: a Python tuple. */
  tuple: boolean;
}

/** 1 = identifier start, 2 = identifier part only (digits). ASCII only; ≥ 128 counts as a letter. */
export const identTable = new Uint8Array(128);
for (let c = 65; c <= 90; c++) identTable[c] = 1;
for (let c = 97; c <= 122; c++) identTable[c] = 1;
identTable[95] = 1; // _
identTable[36] = 1; // $ (JS)
for (let c = 48; c <= 57; c++) identTable[c] = 2;

/** Characters that continue an identifier (letters, digits, _, $, non-ASCII). */
export function isIdentPart(c: number): boolean {
  return c < 128 ? identTable[c] !== 0 : c === c && c !== 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029;
}
