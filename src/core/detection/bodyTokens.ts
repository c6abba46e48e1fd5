/**
 * The tokens of a recorded function-body statement, read again from the text when a call first
 * follows the function (functions.ts, settled). Keeping every body statement's tokens as the file
 * was read cost a copy of most of a file's tokens, for functions most of which are never followed;
 * a statement's span read again gives the same tokens (a Python statement starts at bracket depth
 * 0, and everything the tokenizer decides inside it depends only on the text), and its literals
 * the ids of the sites made when they were first read.
 */
import { Tokenizer } from './tokenizer';
import { Lang, TokenBuffer, type LiteralOutcome, type TokenSink } from './tokens';

/** One Python text the tokenizer read: what reading a span of it again needs. */
export interface TokenSource {
  /** The text the tokenizer read (printed f-strings rewritten: fstrings.ts), same offsets as the document's. */
  readonly code: string;
  readonly maxElements: number;
  /** Site id of each literal the tokenizer read, by its start offset. */
  readonly literalIds: Map<number, number>;
  /** The reader of its spans, made once per text (a tokenizer's set-up reads the whole text). */
  reader?: StatementTokens;
}

/** The reader of `source`'s statement spans. */
export function statementTokens(source: TokenSource): StatementTokens {
  source.reader ??= new StatementTokens(source);
  return source.reader;
}

/** Reads statement spans of one {@link TokenSource} again (one tokenizer for all of them). */
export class StatementTokens implements TokenSink {
  private readonly tokenizer: Tokenizer;
  private out: TokenBuffer | null = null;

  constructor(private readonly source: TokenSource) {
    this.tokenizer = new Tokenizer(source.code, Lang.Python, this, source.maxElements);
  }

  /** The tokens of the statement spanning `[start, end)` (its first token's start, its last token's end). */
  read(start: number, end: number): TokenBuffer {
    this.out = null;
    this.tokenizer.scan(start, end);
    return this.out ?? new TokenBuffer(0);
  }

  statement(tokens: TokenBuffer): void {
    // Kept whole: the tokenizer reuses its buffer.
    const copy = new TokenBuffer(tokens.n);
    copy.append(tokens, tokens.n);
    this.out = copy;
  }

  literal(_outcome: LiteralOutcome, start: number): number {
    return this.source.literalIds.get(start) ?? -1;
  }

  comment(): void {}

  problem(): void {}
}
