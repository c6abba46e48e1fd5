/**
 * Tokenizers for the Python and JavaScript/TypeScript families: character-code loops that skip
 * strings and comments with `indexOf`, read numeric literals whole (see {@link LiteralParser})
 * and hand statements, one at a time, to a {@link TokenSink}. Nothing is kept per token beyond
 * the current statement, so memory does not grow with the file.
 */
import { LiteralParser, maxNesting } from './literals';
import {
  isUnicodeIdent,
  jsStringEnd,
  lineStartOf,
  numberEnd,
  numberOut,
  pythonStringEnd,
  regexEnd,
  restartsStatement,
  templateEnd,
} from './tokenScanners';
import type { ProblemReport } from './tokenScanners';
import { hashAs, hashSatisfies, jsKeywordHashes, pyKeywordHashes } from './names';
import { operatorCode, operatorEnd } from './operators';
import { Char as C, Lang, Op, Tok, TokenBuffer, identTable, type TokenSink } from './tokens';
import { lineEnd, nestingMessage } from './lines';

/** Tokens kept per statement; beyond it the statement is marked as overflowing. */
const maxStatementTokens = 1 << 20;

/** Python string prefixes (lower-cased). */
const pyPrefixes = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);

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
    this.scan(this.text.charCodeAt(0) === 0xfeff ? 1 : 0, this.text.length);
  }

  /**
   * Reads `[from, len)` as if it were the whole text (with the text beyond still there to read a
   * token to its end). Python: a statement's span read again gives the statement's tokens.
   */
  scan(from: number, len: number): void {
    const text = this.text;
    const py = this.py;
    const buf = this.buf;
    let pos = from;
    // A local copy of `nextBreak` (read for every character), renewed after each hardBreak, the one
    // method that moves it.
    let nextBreak = this.nextBreak;
    while (pos < len) {
      if (pos >= nextBreak) {
        this.hardBreak(pos);
        nextBreak = this.nextBreak;
      }
      const c = text.charCodeAt(pos);
      if (c === C.Space || c === C.Tab || c === C.Ff || c === C.Vt) {
        pos++;
        continue;
      }
      if (c === C.Lf || c === C.Cr) {
        if (buf.n > 0 && this.brackets.length === this.base()) {
          if (py) this.endStatement();
          else this.softBreak = true;
        } else if (py && buf.n > 0 && restartsStatement(text, pos + 1, this.statementIndent())) {
          this.hardBreak(pos);
          nextBreak = this.nextBreak;
        }
        pos++;
        continue;
      }
      if (py && (c === 0x2013 || c === 0x2014 || (c >= 0x2018 && c <= 0x201d))) {
        // A typographic dash or quote outside a string is a SyntaxError in Python: the statement
        // is prose a page ran into the code (`f(p, q)— the same function`), and is not analysed.
        this.token(Tok.Op, 0, pos, pos + 1, 0);
        this.overflow = true;
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
          // A statement end inside the line (a block flattened onto one line) ends the comment too.
          const e = Math.min(this.lineEnd(pos), this.nextBreak);
          this.sink.comment(pos, e);
          pos = e;
          continue;
        }
        if (c === C.Quote1 || c === C.Quote2) {
          pos = this.stringToken(pos, pythonStringEnd(text, pos, pos, this.report));
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
              this.problem('unterminated comment', pos, text.length);
              e = text.length;
            } else e += 2;
            this.sink.comment(pos, e);
            pos = e;
            continue;
          }
          if (pos >= this.noRegexBefore && this.regexAllowed()) {
            const e = regexEnd(text, pos);
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
          pos = this.stringToken(pos, jsStringEnd(text, pos, this.report));
          continue;
        }
        if (c === C.Backtick) {
          pos = this.stringToken(pos, templateEnd(text, pos, this.report));
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

  /** Ends everything open: the next code block (or the statement after an unclosed bracket) starts afresh. */
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

  private readonly report: ProblemReport = (message, start, end) => this.problem(message, start, end);

  /** A string-like token from `start` to `end`; returns `end`. */
  private stringToken(start: number, end: number): number {
    this.token(Tok.String, 0, start, end, 0);
    return end;
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

  private indent = [-1, 0];
  /** Indentation of the current statement's first line (cached: linear on long lines). */
  private statementIndent(): number {
    const s = this.buf.start[0];
    if (this.indent[0] !== s) this.indent = [s, s - lineStartOf(this.text, s)];
    return this.indent[1];
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
      return this.stringToken(start, pythonStringEnd(text, start, pos, this.report));
    }
    this.token(Tok.Name, h, start, pos, 0);
    return pos;
  }

  private number(pos: number): number {
    const end = numberEnd(this.text, pos);
    // JavaScript's BigInt literal (`3n`): the integer it spells (shapes of BigInt64Array).
    if (
      !this.py &&
      this.text.charCodeAt(end - 1) === 110 &&
      end - pos <= 17 &&
      /^\d+n$/.test(this.text.slice(pos, end))
    ) {
      numberOut[0] = Number(this.text.slice(pos, end - 1));
      numberOut[1] = 1;
    }
    this.token(Tok.Number, numberOut[1], pos, end, numberOut[0]);
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
    switch (c) {
      case C.LBracket:
      case C.LParen: {
        // Within a bracket nest already too deep, no literal is tried: each try would read up to
        // the same depth again. The set of doomed brackets is asked last (calls and subscripts,
        // most brackets, are not in value position).
        if (
          this.brackets.length < maxNesting &&
          (c === C.LBracket || py) &&
          this.valuePosition() &&
          !this.doomed.has(pos)
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
          // Never longer than it is: a stray closer inside the block may have popped below its base.
          this.brackets.length = Math.min(this.brackets.length, this.blocks.pop() as number);
          this.bracketPos.length = this.brackets.length;
          this.sink.blockClose?.(pos);
          return pos + 1;
        }
        this.token(Tok.Op, c, pos, pos + 1, 0);
        // A stray closer inside a `{ … }` block does not close a bracket opened outside it.
        if (this.brackets.length > this.base()) {
          this.brackets.pop();
          this.bracketPos.pop();
        }
        return pos + 1;
      }
      case C.Semi:
        if (py || this.brackets.length === this.base()) this.endStatement();
        else this.token(Tok.Op, c, pos, pos + 1, 0);
        return pos + 1;
      default:
        break;
    }
    const end = operatorEnd(text, pos, c, py);
    this.token(Tok.Op, operatorCode, pos, end, 0);
    return end;
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
      // `import { a, b } from 'm'`: the names imported, not a block.
      return w === 'return' || w === 'yield' || w === 'await' || w === 'default' || w === 'typeof' || w === 'import';
    }
    return false;
  }
}

function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}
