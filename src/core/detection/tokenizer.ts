/**
 * Tokenizers for the Python and JavaScript/TypeScript families: character-code loops that skip
 * strings and comments with `indexOf`, read numeric literals whole (see {@link LiteralParser})
 * and hand statements, one at a time, to a {@link TokenSink}. Nothing is kept per token beyond
 * the current statement, so memory does not grow with the file.
 */
import { lastNumber, parseDecimal } from '../numbers';
import { Lang, LiteralParser, identTable, maxNesting, type LiteralOutcome } from './literals';
import { lineEnd, nestingMessage } from './lines';

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
  kind = new Uint8Array(256);
  aux = new Int32Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  num = new Float64Array(256);
  n = 0;

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
    const size = this.kind.length * 2;
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

/** Tokens kept per statement; beyond it the statement is marked as overflowing. */
const maxStatementTokens = 1 << 20;

const enum C {
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
  Backtick = 96,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  Tilde = 126,
}

/** Python string prefixes (lower-cased). */
const pyPrefixes = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);

/** Names after which `[`/`(` starts a value, not a subscript/call; `/` starts a regex in JS. */
const pyKeywords = new Set([
  'return',
  'in',
  'and',
  'or',
  'not',
  'is',
  'if',
  'else',
  'elif',
  'yield',
  'lambda',
  'await',
  'assert',
  'del',
  'for',
  'while',
  'print',
  'from',
  'import',
  'with',
  'as',
  'raise',
  'except',
]);
const jsKeywords = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
  'export',
  'default',
  'extends',
]);

/**
 * Tokenises `text` (Python when `lang` is {@link Lang.Python}, else JavaScript/TypeScript)
 * and feeds `sink`. Never throws on malformed input: unterminated strings and unclosed
 * brackets are reported through `sink.problem` and scanning goes on.
 */
export class Tokenizer {
  private readonly buf = new TokenBuffer();
  private overflow = false;
  private readonly literals: LiteralParser;
  /** Positions of brackets known not to start a literal (see LiteralParser's failure). */
  private readonly doomed = new Set<number>();
  private readonly hasCR: boolean;
  private readonly py: boolean;
  /** Open brackets of the current statement: char code and position. */
  private readonly brackets: number[] = [];
  private readonly bracketPos: number[] = [];
  /** JS: saved bracket depth per open block brace. */
  private readonly blocks: number[] = [];
  private softBreak = false;
  private problems = 0;
  /** JS: a regex that did not close on its line was tried; no other is tried before this offset. */
  private noRegexBefore = 0;
  /** Nesting beyond {@link maxNesting} was reported (once per text: the message scans for its line). */
  private deepReported = false;

  /** Offsets where statements must end (Markdown code block ends), ascending. */
  private readonly breaks: number[];
  private breakIndex = 0;
  private nextBreak = Infinity;

  constructor(
    private readonly text: string,
    lang: Lang,
    private readonly sink: TokenSink,
    maxElements: number,
    breaks?: number[],
  ) {
    this.py = lang === Lang.Python;
    this.breaks = breaks ?? [];
    if (this.breaks.length) this.nextBreak = this.breaks[0];
    this.literals = new LiteralParser(text, lang, maxElements);
    this.hasCR = text.indexOf('\r') >= 0;
  }

  run(): void {
    const text = this.text;
    const len = text.length;
    const py = this.py;
    const buf = this.buf;
    let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (pos < len) {
      if (pos >= this.nextBreak) this.hardBreak(pos);
      const c = text.charCodeAt(pos);
      if (c === C.Space || c === C.Tab || c === C.Ff || c === C.Vt) {
        pos++;
        continue;
      }
      if (c === C.Lf || c === C.Cr) {
        if (buf.n > 0 && this.brackets.length === this.base()) {
          if (py) this.endStatement();
          else this.softBreak = true;
        }
        pos++;
        continue;
      }
      if (c < 128 ? identTable[c] === 1 : isUnicodeIdent(c)) {
        pos = this.name(pos);
        continue;
      }
      if ((c >= C.Zero && c <= C.Nine) || (c === C.Dot && isDigit(text.charCodeAt(pos + 1)))) {
        pos = this.number(pos);
        continue;
      }
      if (py) {
        if (c === C.Hash) {
          const e = this.lineEnd(pos);
          this.sink.comment(pos, e);
          pos = e;
          continue;
        }
        if (c === C.Quote1 || c === C.Quote2) {
          pos = this.pyString(pos, pos);
          continue;
        }
        if (c === C.Backslash) {
          const d = text.charCodeAt(pos + 1);
          pos += d === C.Cr && text.charCodeAt(pos + 2) === C.Lf ? 3 : 2;
          continue;
        }
        if ((c === C.Percent || c === C.Bang) && buf.n === 0 && this.brackets.length === 0) {
          // IPython magics and shell escapes (`%matplotlib inline`, `!pip install torch`).
          pos = this.lineEnd(pos);
          continue;
        }
      } else {
        if (c === C.Slash) {
          const d = text.charCodeAt(pos + 1);
          if (d === C.Slash) {
            const e = this.lineEnd(pos);
            this.sink.comment(pos, e);
            pos = e;
            continue;
          }
          if (d === C.Star) {
            let e = text.indexOf('*/', pos + 2);
            if (e < 0) {
              this.problem('unterminated comment', pos, len);
              e = len;
            } else e += 2;
            this.sink.comment(pos, e);
            pos = e;
            continue;
          }
          if (pos >= this.noRegexBefore && this.regexAllowed()) {
            const e = this.regex(pos);
            if (e > 0) {
              this.token(Tok.String, 0, pos, e, 0);
              pos = e;
              continue;
            }
            // It read to the end of the line: another try on this line could do the same (O(n²)).
            this.noRegexBefore = this.lineEnd(pos);
          }
        }
        if (c === C.Quote1 || c === C.Quote2) {
          pos = this.jsString(pos);
          continue;
        }
        if (c === C.Backtick) {
          pos = this.template(pos);
          continue;
        }
        if (c === C.Hash && pos === 0 && text.charCodeAt(1) === C.Bang) {
          pos = this.lineEnd(pos);
          continue;
        } // #!shebang
      }
      pos = this.punct(pos, c);
    }
    if (this.brackets.length > 0) {
      const open = this.bracketPos[0];
      this.problem(`'${text[open]}' was never closed`, open, open + 1);
    }
    this.endStatement();
  }

  /** Ends everything open: the next code block starts afresh. */
  private hardBreak(pos: number): void {
    if (this.brackets.length > 0) {
      const open = this.bracketPos[0];
      this.problem(`'${this.text[open]}' was never closed`, open, open + 1);
    }
    this.endStatement();
    this.brackets.length = 0;
    this.bracketPos.length = 0;
    while (this.blocks.length) {
      this.blocks.pop();
      this.sink.blockClose?.(pos);
    }
    while (this.breakIndex < this.breaks.length && this.breaks[this.breakIndex] <= pos) this.breakIndex++;
    this.nextBreak = this.breakIndex < this.breaks.length ? this.breaks[this.breakIndex] : Infinity;
  }

  private tooDeep(pos: number): void {
    if (this.deepReported) return;
    this.deepReported = true;
    this.problem(nestingMessage(this.text, pos, maxNesting), pos, pos + 1);
  }

  private problem(message: string, start: number, end: number): void {
    if (this.problems++ < 100) this.sink.problem('parse_error', message, start, end);
  }

  private token(kind: Tok, aux: number, start: number, end: number, num: number): void {
    if (this.softBreak) {
      this.softBreak = false;
      if (!this.continues(kind, aux)) this.endStatement();
    }
    // An overflowing statement is not analysed: its further tokens are not worth keeping.
    if (this.overflow) return;
    if (this.buf.n >= maxStatementTokens) {
      this.overflow = true;
      return;
    }
    this.buf.push(kind, aux, start, end, num);
  }

  private endStatement(): void {
    this.softBreak = false;
    if (this.buf.n === 0) return;
    this.sink.statement(this.buf, this.overflow);
    this.buf.n = 0;
    this.overflow = false;
    const base = this.base();
    if (this.brackets.length > base) {
      this.brackets.length = base;
      this.bracketPos.length = base;
    }
  }

  /** Bracket depth at which statements of the current block live (0 outside JS blocks). */
  private base(): number {
    return this.blocks.length > 0 ? this.blocks[this.blocks.length - 1] : 0;
  }

  /** JS automatic semicolon insertion, roughly: does the token after a line break continue the statement? */
  private continues(kind: Tok, aux: number): boolean {
    const buf = this.buf;
    const last = buf.n - 1;
    if (last < 0) return false;
    const lk = buf.kind[last];
    if (lk === Tok.Op) {
      const la = buf.aux[last];
      if (la !== C.RParen && la !== C.RBracket && la !== C.RBrace && la !== Op.PlusPlus && la !== Op.MinusMinus)
        return true;
    }
    if (kind === Tok.Op) {
      return (
        aux === C.Dot ||
        aux === Op.OptChain ||
        aux === C.Comma ||
        aux === C.Eq ||
        aux === Op.FatArrow ||
        aux === C.Question ||
        aux === C.Colon ||
        aux === C.Star ||
        aux === C.Slash ||
        aux === C.Percent ||
        aux === Op.AndAnd ||
        aux === Op.OrOr ||
        aux === Op.Nullish ||
        aux === C.Pipe ||
        aux === C.Amp ||
        aux === Op.EqEq ||
        aux === Op.NotEq ||
        aux === C.Lt ||
        aux === C.Gt ||
        aux === C.RParen ||
        aux === C.RBracket
      );
    }
    if (kind === Tok.Name) {
      const h = aux;
      return h === hashAs || h === hashSatisfies;
    }
    return false;
  }

  private lineEnd(pos: number): number {
    return lineEnd(this.text, pos, this.hasCR);
  }

  private name(pos: number): number {
    const text = this.text;
    const start = pos;
    let h = 0x811c9dc5 | 0;
    let c = text.charCodeAt(pos);
    for (;;) {
      h = Math.imul(h ^ c, 16777619);
      c = text.charCodeAt(++pos);
      if (!(c < 128 ? identTable[c] !== 0 : isUnicodeIdent(c))) break;
    }
    if (
      this.py &&
      (c === C.Quote1 || c === C.Quote2) &&
      pos - start <= 2 &&
      pyPrefixes.has(text.slice(start, pos).toLowerCase())
    ) {
      return this.pyString(start, pos);
    }
    this.token(Tok.Name, h, start, pos, 0);
    return pos;
  }

  private number(pos: number): number {
    const text = this.text;
    const c = text.charCodeAt(pos);
    const d = text.charCodeAt(pos + 1) | 0x20;
    let end: number;
    let value = NaN;
    let integral = 0;
    if (c === C.Zero && (d === 120 || d === 111 || d === 98)) {
      end = pos + 2;
      const radix = d === 120 ? 16 : d === 111 ? 8 : 2;
      let v = 0;
      for (;;) {
        const e = text.charCodeAt(end);
        let k = -1;
        if (e >= 48 && e <= 57) k = e - 48;
        else if ((e | 0x20) >= 97 && (e | 0x20) <= 102) k = (e | 0x20) - 87;
        else if (e === 95) {
          end++;
          continue;
        }
        if (k < 0 || k >= radix) break;
        v = v * radix + k;
        end++;
      }
      value = v;
      integral = 1;
    } else if (parseDecimal(text, pos, true)) {
      end = lastNumber.end;
      value = lastNumber.value;
      integral = lastNumber.integral ? 1 : 0;
    } else end = pos + 1;
    // Suffixes (1j, 10n, 1L) make it something else: keep the token, lose the value.
    while (end < text.length) {
      const e = text.charCodeAt(end);
      if (e < 128 ? identTable[e] !== 0 : isUnicodeIdent(e)) {
        end++;
        value = NaN;
        integral = 0;
      } else break;
    }
    this.token(Tok.Number, integral, pos, end, value);
    return end;
  }

  /** A Python string whose prefix starts at `start` and quote is at `q`. */
  private pyString(start: number, q: number): number {
    const text = this.text;
    const len = text.length;
    const quote = text.charCodeAt(q);
    let end: number;
    if (text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote) {
      const delim = quote === C.Quote1 ? "'''" : '"""';
      let i = q + 3;
      for (;;) {
        const j = text.indexOf(delim, i);
        if (j < 0) {
          this.problem('unterminated triple-quoted string literal', start, len);
          end = len;
          break;
        }
        let k = j - 1;
        while (k >= q + 3 && text.charCodeAt(k) === C.Backslash) k--;
        if ((j - 1 - k) % 2 === 1) {
          i = j + 1;
          continue;
        }
        end = j + 3;
        break;
      }
    } else {
      let i = q + 1;
      for (;;) {
        if (i >= len) {
          this.problem('unterminated string literal', start, len);
          end = len;
          break;
        }
        const c = text.charCodeAt(i);
        if (c === quote) {
          end = i + 1;
          break;
        }
        if (c === C.Backslash) {
          i += text.charCodeAt(i + 1) === C.Cr && text.charCodeAt(i + 2) === C.Lf ? 3 : 2;
          continue;
        }
        if (c === C.Lf || c === C.Cr) {
          this.problem('unterminated string literal', start, i);
          end = i;
          break;
        }
        i++;
      }
    }
    this.token(Tok.String, 0, start, end, 0);
    return end;
  }

  private jsString(pos: number): number {
    const text = this.text;
    const len = text.length;
    const quote = text.charCodeAt(pos);
    let i = pos + 1;
    let end: number;
    for (;;) {
      if (i >= len) {
        this.problem('unterminated string literal', pos, len);
        end = len;
        break;
      }
      const c = text.charCodeAt(i);
      if (c === quote) {
        end = i + 1;
        break;
      }
      if (c === C.Backslash) {
        i += 2;
        continue;
      }
      if (c === C.Lf || c === C.Cr) {
        this.problem('unterminated string literal', pos, i);
        end = i;
        break;
      }
      i++;
    }
    this.token(Tok.String, 0, pos, end, 0);
    return end;
  }

  /** A template literal, with `${…}` expressions (and templates inside them) skipped. */
  private template(pos: number): number {
    const text = this.text;
    const len = text.length;
    const stack: number[] = [-1]; // -1: template text; n ≥ 0: brace depth inside ${…}
    let i = pos + 1;
    while (i < len && stack.length > 0) {
      const top = stack[stack.length - 1];
      const c = text.charCodeAt(i);
      if (top < 0) {
        if (c === C.Backslash) i += 2;
        else if (c === C.Backtick) {
          stack.pop();
          i++;
        } else if (c === C.Dollar && text.charCodeAt(i + 1) === C.LBrace) {
          stack.push(0);
          i += 2;
        } else i++;
      } else if (c === C.LBrace) {
        stack[stack.length - 1]++;
        i++;
      } else if (c === C.RBrace) {
        if (top === 0) stack.pop();
        else stack[stack.length - 1]--;
        i++;
      } else if (c === C.Backtick) {
        stack.push(-1);
        i++;
      } else if (c === C.Quote1 || c === C.Quote2) {
        i++;
        while (i < len) {
          const d = text.charCodeAt(i);
          if (d === C.Backslash) {
            i += 2;
            continue;
          }
          i++;
          if (d === c || d === C.Lf) break;
        }
      } else i++;
    }
    if (stack.length > 0) this.problem('unterminated template literal', pos, len);
    const end = Math.min(i, len);
    this.token(Tok.String, 0, pos, end, 0);
    return end;
  }

  /** A `/` starts a regex unless it follows a value. */
  private regexAllowed(): boolean {
    const buf = this.buf;
    const last = buf.n - 1;
    if (last < 0) return true;
    const k = buf.kind[last];
    if (k === Tok.Number || k === Tok.String || k === Tok.Literal) return false;
    if (k === Tok.Op) {
      const a = buf.aux[last];
      return a !== C.RParen && a !== C.RBracket && a !== C.RBrace;
    }
    return jsKeywordHashes.has(buf.aux[last]);
  }

  /** End of the regex literal at `pos`, or -1 when it does not close on its line. */
  private regex(pos: number): number {
    const text = this.text;
    const len = text.length;
    let i = pos + 1;
    let inClass = false;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c === C.Lf || c === C.Cr) return -1;
      if (c === C.Backslash) {
        i += 2;
        continue;
      }
      if (inClass) {
        if (c === C.RBracket) inClass = false;
      } else if (c === C.LBracket) inClass = true;
      else if (c === C.Slash) {
        i++;
        while (i < len && (text.charCodeAt(i) < 128 ? identTable[text.charCodeAt(i)] !== 0 : false)) i++;
        return i;
      }
      i++;
    }
    return -1;
  }

  /** May a bracket at this point start a value (list/tuple literal) rather than a call or subscript? */
  private valuePosition(): boolean {
    const buf = this.buf;
    const last = buf.n - 1;
    if (last < 0) return true;
    const k = buf.kind[last];
    if (k === Tok.Number || k === Tok.String || k === Tok.Literal) return false;
    if (k === Tok.Op) {
      const a = buf.aux[last];
      return a !== C.RParen && a !== C.RBracket && a !== C.RBrace;
    }
    return (this.py ? pyKeywordHashes : jsKeywordHashes).has(buf.aux[last]);
  }

  private punct(pos: number, c: number): number {
    const text = this.text;
    const py = this.py;
    const d = text.charCodeAt(pos + 1);
    switch (c) {
      case C.LBracket:
      case C.LParen: {
        // Within a bracket nest already too deep, no literal is tried: each try would read up to
        // the same depth again.
        if (
          this.brackets.length < maxNesting &&
          !this.doomed.has(pos) &&
          this.valuePosition() &&
          (c === C.LBracket || py)
        ) {
          const lit = this.literals.parse(pos);
          // `[]` (an empty list to append to) is never data worth a site.
          if (lit && lit.count > 0) {
            const id = this.sink.literal(lit, pos);
            this.token(Tok.Literal, id, pos, lit.end, 0);
            return lit.end;
          }
          if (!lit) {
            for (const p of this.literals.failure.open) this.doomed.add(p);
            if (this.literals.failure.tooDeep) this.tooDeep(this.literals.failure.pos);
          }
        }
        this.token(Tok.Op, c, pos, pos + 1, 0);
        this.brackets.push(c);
        this.bracketPos.push(pos);
        if (this.brackets.length > maxNesting) {
          // The statement is not analysed (the expression reader gives up far sooner anyway).
          this.overflow = true;
          this.tooDeep(pos);
        }
        return pos + 1;
      }
      case C.LBrace: {
        if (py || this.objectPosition()) {
          this.token(Tok.Op, c, pos, pos + 1, 0);
          this.brackets.push(c);
          this.bracketPos.push(pos);
        } else {
          this.blocks.push(this.brackets.length);
          if (this.blocks.length > maxNesting) this.tooDeep(pos);
          this.endStatement();
          this.sink.blockOpen?.(pos);
        }
        return pos + 1;
      }
      case C.RBracket:
      case C.RParen:
      case C.RBrace: {
        if (
          !py &&
          c === C.RBrace &&
          this.blocks.length > 0 &&
          this.brackets.length <= this.blocks[this.blocks.length - 1]
        ) {
          this.endStatement();
          this.brackets.length = this.blocks.pop() as number;
          this.bracketPos.length = this.brackets.length;
          this.sink.blockClose?.(pos);
          return pos + 1;
        }
        this.token(Tok.Op, c, pos, pos + 1, 0);
        if (this.brackets.length > 0) {
          this.brackets.pop();
          this.bracketPos.pop();
        }
        return pos + 1;
      }
      case C.Semi:
        if (py || this.brackets.length === this.base()) this.endStatement();
        else this.token(Tok.Op, c, pos, pos + 1, 0);
        return pos + 1;
      case C.Eq:
        if (d === C.Eq) {
          const e = text.charCodeAt(pos + 2) === C.Eq ? pos + 3 : pos + 2;
          this.token(Tok.Op, Op.EqEq, pos, e, 0);
          return e;
        }
        if (d === C.Gt && !py) {
          this.token(Tok.Op, Op.FatArrow, pos, pos + 2, 0);
          return pos + 2;
        }
        break;
      case C.Bang:
        if (d === C.Eq) {
          const e = text.charCodeAt(pos + 2) === C.Eq ? pos + 3 : pos + 2;
          this.token(Tok.Op, Op.NotEq, pos, e, 0);
          return e;
        }
        break;
      case C.Lt:
      case C.Gt:
        if (d === C.Eq) {
          this.token(Tok.Op, c === C.Lt ? Op.LessEq : Op.GreaterEq, pos, pos + 2, 0);
          return pos + 2;
        }
        if (d === c) {
          const e = text.charCodeAt(pos + 2) === C.Eq ? pos + 3 : pos + 2;
          this.token(Tok.Op, e === pos + 3 ? Op.Aug : Op.Shift, pos, e, 0);
          return e;
        }
        break;
      case C.Star:
        if (d === C.Star) {
          if (text.charCodeAt(pos + 2) === C.Eq) {
            this.token(Tok.Op, Op.Aug, pos, pos + 3, 0);
            return pos + 3;
          }
          this.token(Tok.Op, Op.Pow, pos, pos + 2, 0);
          return pos + 2;
        }
        break;
      case C.Slash:
        if (d === C.Slash && py) {
          if (text.charCodeAt(pos + 2) === C.Eq) {
            this.token(Tok.Op, Op.Aug, pos, pos + 3, 0);
            return pos + 3;
          }
          this.token(Tok.Op, Op.FloorDiv, pos, pos + 2, 0);
          return pos + 2;
        }
        break;
      case C.Minus:
        if (d === C.Gt && py) {
          this.token(Tok.Op, Op.Arrow, pos, pos + 2, 0);
          return pos + 2;
        }
        if (d === C.Minus && !py) {
          this.token(Tok.Op, Op.MinusMinus, pos, pos + 2, 0);
          return pos + 2;
        }
        break;
      case C.Plus:
        if (d === C.Plus && !py) {
          this.token(Tok.Op, Op.PlusPlus, pos, pos + 2, 0);
          return pos + 2;
        }
        break;
      case C.Colon:
        if (d === C.Eq && py) {
          this.token(Tok.Op, Op.Walrus, pos, pos + 2, 0);
          return pos + 2;
        }
        break;
      case C.Amp:
        if (d === C.Amp) {
          this.token(Tok.Op, Op.AndAnd, pos, pos + 2, 0);
          return pos + 2;
        }
        break;
      case C.Pipe:
        if (d === C.Pipe) {
          this.token(Tok.Op, Op.OrOr, pos, pos + 2, 0);
          return pos + 2;
        }
        break;
      case C.Question:
        if (d === C.Question) {
          this.token(Tok.Op, Op.Nullish, pos, pos + 2, 0);
          return pos + 2;
        }
        if (d === C.Dot && !isDigit(text.charCodeAt(pos + 2))) {
          this.token(Tok.Op, Op.OptChain, pos, pos + 2, 0);
          return pos + 2;
        }
        break;
      case C.Dot:
        if (d === C.Dot && text.charCodeAt(pos + 2) === C.Dot) {
          this.token(Tok.Op, Op.Ellipsis, pos, pos + 3, 0);
          return pos + 3;
        }
        break;
      default:
        break;
    }
    // Augmented assignment: +=, -=, *=, /=, %=, &=, |=, ^=, @=.
    if (
      d === C.Eq &&
      (c === C.Plus ||
        c === C.Minus ||
        c === C.Star ||
        c === C.Slash ||
        c === C.Percent ||
        c === C.Amp ||
        c === C.Pipe ||
        c === C.Caret ||
        c === C.At)
    ) {
      this.token(Tok.Op, Op.Aug, pos, pos + 2, 0);
      return pos + 2;
    }
    this.token(Tok.Op, c, pos, pos + 1, 0);
    return pos + 1;
  }

  /** JS: does a `{` here open an object literal (rather than a block)? */
  private objectPosition(): boolean {
    const buf = this.buf;
    const last = buf.n - 1;
    if (last < 0) return false;
    const k = buf.kind[last];
    if (k === Tok.Op) {
      const a = buf.aux[last];
      return a !== C.RParen && a !== Op.FatArrow && a !== C.RBracket && a !== C.RBrace;
    }
    if (k === Tok.Name) {
      const w = this.text.slice(buf.start[last], buf.end[last]);
      return w === 'return' || w === 'yield' || w === 'await' || w === 'default' || w === 'typeof';
    }
    return false;
  }
}

const hashAs = hashName('as');
const pyKeywordHashes = new Set([...pyKeywords].map(hashName));
const jsKeywordHashes = new Set([...jsKeywords].map(hashName));
const hashSatisfies = hashName('satisfies');

function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}

function isUnicodeIdent(c: number): boolean {
  // Anything outside ASCII except the spaces editors treat as whitespace (NBSP, BOM, LS, PS).
  return (
    c >= 128 &&
    c !== 0xa0 &&
    c !== 0xfeff &&
    c !== 0x2028 &&
    c !== 0x2029 &&
    !(c >= 0x2000 && c <= 0x200b) &&
    c !== 0x3000
  );
}
