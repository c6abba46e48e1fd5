/**
 * The statement loop of one segment: receives what the tokenizer finds (literals, comments,
 * problems, blocks, statements) and hands each statement to the reader of its language, with
 * the comments around it to the claim binder. The loop checks for cancellation between
 * statements, and a statement that fails to read becomes a finding, never a lost document.
 */
import { DetectionCancelled } from './cancellation';
import { CommentClaims, claimLike, type StatementComments } from './claimBinding';
import type { DetectionContext } from './context';
import { Evaluator } from './evaluate';
import { FunctionRecorder } from './functions';
import { hasPrintedFString, rewritePrintedFStrings } from './fstrings';
import { hasPrintedTemplate, rewritePrintedTemplates } from './jsTemplates';
import { JsFunctions } from './jsFunctions';
import { jsStatement } from './jsStatements';
import { lossFnName, lossyName, pyHotNames } from './names';
import { sumsBefore } from './countedLoops';
import { TopLevelLoops } from './loops';
import { Parametrized } from './parametrize';
import { pythonStatement, type PythonState } from './pythonStatements';
import { Scopes } from './scope';
import { Tokenizer } from './tokenizer';
import { hashName, Lang, Tok, type LiteralOutcome, type TokenBuffer, type TokenSink } from './tokens';

/**
 * The comments of a statement that has none: one shared empty list, never written to (a statement
 * gets a list of its own when comments are found), not a new array per statement.
 */
const noComments: number[] = [];

/** Comments kept between statements ([start, end] pairs); older ones are dropped. */
const maxPendingComments = 64;

export class StatementReader implements TokenSink, PythonState {
  readonly scopes: Scopes;
  readonly evaluator: Evaluator;
  readonly claims: CommentClaims;
  readonly blocks: number[] = [];
  readonly blockWith: boolean[] = [];
  readonly blockOnce: boolean[] = [];
  readonly functions = new FunctionRecorder();
  readonly jsFunctions = new JsFunctions();
  readonly parametrized = new Parametrized();
  readonly loops = new TopLevelLoops();
  python = true;
  blockDepth = 0;
  private pendingComments: number[] = [];
  private previous: StatementComments | null = null;

  constructor(readonly ctx: DetectionContext) {
    this.scopes = new Scopes(ctx);
    this.evaluator = new Evaluator(ctx, this.scopes);
    this.claims = new CommentClaims(ctx);
  }

  /** Reads one text (a file, a notebook cell, or a Markdown document with code masked in). */
  read(text: string, lang: Lang.Python | Lang.Js, cell?: number, breaks?: number[]): void {
    const ctx = this.ctx;
    ctx.begin(text, cell);
    this.previous = null;
    this.pendingComments = [];
    this.python = lang === Lang.Python;
    this.evaluator.python = this.python;
    this.blockDepth = 0;
    this.jsFunctions.reset(text);
    this.jsFunctions.onLoop = this.python
      ? null
      : (record, end) => this.loops.add(record, sumsBefore(text, end, this.scopes));
    if (!this.python) this.loops.reset();
    if (this.python) {
      this.scopes.reset();
      this.blocks.length = 0;
      this.blockWith.length = 0;
      this.blockOnce.length = 0;
      this.functions.close();
      this.parametrized.reset();
      this.loops.reset();
      for (const w of pyHotNames) this.scopes.hot.add(hashName(w));
    }
    // Expressions inside printed f-strings (JavaScript: template literals) are read as the print's arguments (same offsets).
    const code = this.python
      ? hasPrintedFString(text)
        ? rewritePrintedFStrings(text)
        : text
      : hasPrintedTemplate(text)
        ? rewritePrintedTemplates(text)
        : text;
    if (this.python) this.functions.source = { code, maxElements: ctx.options.maxElements, literalIds: new Map() };
    new Tokenizer(code, lang, this, ctx.options.maxElements, breaks).run();
    this.flushPrevious(Infinity);
    if (this.python) {
      this.functions.close();
      // A loop at the end of the text runs in the scope it was written in (a method's); a
      // parametrized test at the end of the text runs its cases in the module's scope.
      this.loops.run(this.evaluator, this.scopes);
      this.scopes.dedent(0);
      this.parametrized.run(this.evaluator, this.scopes);
    } else {
      this.jsFunctions.endLoop(this.blockDepth);
      this.loops.run(this.evaluator, this.scopes);
    }
  }

  literal(outcome: LiteralOutcome, start: number): number {
    return this.ctx.addSite(outcome, start, this.python ? (outcome.tuple ? 'tuple' : 'list') : 'array');
  }

  comment(start: number, end: number): void {
    const c = this.pendingComments;
    if (c.length >= 2 * maxPendingComments) c.splice(0, 2);
    c.push(start, end);
  }

  problem(code: 'parse_error', message: string, start: number, end: number): void {
    this.ctx.addFinding({ code, severity: 'error', start, end, message });
  }

  blockOpen(): void {
    this.scopes.push(-1);
    this.blockDepth++;
    if (!this.python) this.jsFunctions.blockOpened(this.blockDepth);
  }

  blockClose(): void {
    // JavaScript's module-level loops run in the scope they were written in (3.346): one that ended
    // before this `}` runs before the block's scope goes, one whose own block this is after.
    if (!this.python) {
      this.jsFunctions.endLoop(this.blockDepth);
      this.loops.run(this.evaluator, this.scopes);
      this.jsFunctions.blockClosed(this.blockDepth);
    }
    this.scopes.pop();
    if (this.blockDepth > 0) this.blockDepth--;
    if (!this.python) this.loops.run(this.evaluator, this.scopes);
  }

  statement(buf: TokenBuffer, overflow: boolean): void {
    const ctx = this.ctx;
    ctx.checkCancelled();
    const firstStart = buf.start[0];
    this.flushPrevious(firstStart);
    const lastEnd = buf.end[buf.n - 1];
    ctx.lastStatementEnd = lastEnd;
    const info: StatementComments = { firstStart, lastEnd, printed: null, comments: noComments };
    // Comments inside (or trailing) this statement.
    const pc = this.pendingComments;
    if (pc.length) {
      const inside: number[] = [];
      for (let i = 0; i < pc.length; i += 2) if (pc[i] >= firstStart) inside.push(pc[i], pc[i + 1]);
      if (inside.length) info.comments = inside;
      this.pendingComments = [];
    }
    if (!overflow) {
      try {
        if (!this.python) {
          this.jsFunctions.endLoop(this.blockDepth);
          this.loops.run(this.evaluator, this.scopes);
        }
        const hasComment = claimLike(ctx.text, info.comments);
        info.printed = this.python ? pythonStatement(this, buf, hasComment) : jsStatement(this, buf, hasComment);
      } catch (err) {
        if (DetectionCancelled.is(err)) throw err;
        // A bug here must not lose the rest of the document.
        ctx.addFinding({
          code: 'parse_error',
          severity: 'information',
          start: firstStart,
          end: lastEnd,
          message: `Could not analyse this statement (${(err as Error).message}).`,
        });
      }
    }
    this.previous = info;
  }

  /** Could this statement matter: a literal, or a name that is bound or known (torch, print, …)? */
  interesting(buf: TokenBuffer): boolean {
    const { kind, aux } = buf;
    const { hot, warm } = this.scopes;
    // `T = 2.0`, `IGNORE = -1`, `RED = 'sum'`: constants an option or an expression may use later;
    // and any statement that assigns a name holding a constant (its value changes).
    if (
      buf.n <= 5 &&
      kind[0] === Tok.Name &&
      ((kind[1] === Tok.Op && aux[1] === 61) || (kind[2] === Tok.Op && aux[2] === 61))
    )
      return true;
    if (kind[0] === Tok.Name && warm.has(aux[0])) return true;
    // `self.eps = 0.1` in a set-up method: an attribute a followed method may read (methods.ts).
    if (
      this.python &&
      buf.n <= 7 &&
      kind[0] === Tok.Name &&
      kind[1] === Tok.Op &&
      aux[1] === 46 &&
      kind[2] === Tok.Name &&
      kind[3] === Tok.Op &&
      aux[3] === 61
    )
      return true;
    // `eps, k = 0.1, 5`: constants bound in one statement, as `eps = 0.1` would bind one.
    if (this.python && kind[0] === Tok.Name && kind[1] === Tok.Op && aux[1] === 44 && constantsUnpacked(buf))
      return true;
    // `const a = 2.0, b = 1.0;`: JavaScript constants declared in one statement (docs/detection.md 3.226).
    if (!this.python && kind[0] === Tok.Name && constantsDeclared(buf)) return true;
    // `loss_fn = ProjectLoss(…)`: a loss-like name bound here is not a loss defined elsewhere.
    if (
      kind[0] === Tok.Name &&
      kind[1] === Tok.Op &&
      aux[1] === 61 &&
      lossFnInitial(this.ctx.text.charCodeAt(buf.start[0])) &&
      lossFnName.test(this.ctx.text.slice(buf.start[0], buf.end[0]))
    )
      return true;
    // `labels = ["spam", "ham", ...]`: class labels that are not numbers (scikit-learn's log_loss).
    if (
      buf.n > 3 &&
      kind[0] === Tok.Name &&
      kind[1] === Tok.Op &&
      aux[1] === 61 &&
      kind[2] === Tok.Op &&
      (aux[2] === 91 || aux[2] === 40) &&
      kind[3] === Tok.String
    )
      return true;
    if (buf.n > 1 && kind[1] === Tok.Name && warm.has(aux[1])) return true; // const/let/var NAME
    // `const samples = [{ p: 0.9, y: 1 }, …]`: records a callback may destructure (jsCallbacks.ts, 3.396).
    if (!this.python && buf.n > 5 && kind[1] === Tok.Name && kind[2] === Tok.Op && aux[2] === 61)
      if (kind[3] === Tok.Op && aux[3] === 91 && kind[4] === Tok.Op && aux[4] === 123) return true;
    // `y = [0.0078, 1.0 - 0.0078]`: a list the tokenizer did not read whole (an element is arithmetic).
    if (this.python && buf.n > 4 && kind[0] === Tok.Name && kind[1] === Tok.Op && aux[1] === 61) {
      if (kind[2] === Tok.Op && aux[2] === 91 && kind[3] !== Tok.String) return true;
      // `cfg = {"eps": 0.1}`: a dict of options a loss may read later (`cfg.get("eps", 0.0)`).
      if (kind[2] === Tok.Op && aux[2] === 123) return true;
      // `params = "none mean sum".split()`: words a loop may pass as an option (dictMethods.ts).
      if (kind[2] === Tok.String && kind[3] === Tok.Op && aux[3] === 46) return true;
      // `pick = lambda v: …`: a function a later statement may call (replay.ts follows it).
      if (kind[2] === Tok.Name && buf.end[2] - buf.start[2] === 6 && this.ctx.text.startsWith('lambda', buf.start[2]))
        return true;
      // `weighted = _loss(cfg)`: the result of a loss builder the source does not define, which a test
      // may assert equal to a library loss (3.86).
      if (kind[2] === Tok.Name && kind[3] === Tok.Op && aux[3] === 40) {
        const callee = this.ctx.text.slice(buf.start[2], buf.end[2]);
        if (lossyName.test(callee) && this.scopes.lookup(callee) === undefined) return true;
      }
    }
    for (let i = 0, n = buf.n; i < n; i++) {
      const k = kind[i];
      if (k === Tok.Literal || (k === Tok.Name && hot.has(aux[i]))) return true;
    }
    // `eps = 0.1 if smooth else 0.0`: a name bound by a conditional expression (conditions.ts).
    return (
      this.python && kind[0] === Tok.Name && kind[1] === Tok.Op && aux[1] === 61 && conditionalIn(this.ctx.text, buf)
    );
  }

  /** Gives the comments after the previous statement (up to `before`) to the claim binder. */
  private flushPrevious(before: number): void {
    const previous = this.previous;
    const pc = this.pendingComments;
    if (pc.length === 0) {
      // The common case (no comment since the last statement): nothing to sort out.
      this.claims.statementDone(previous, pc);
      this.previous = null;
      return;
    }
    const taken: number[] = [];
    const kept: number[] = [];
    for (let i = 0; i < pc.length; i += 2) (pc[i] < before ? taken : kept).push(pc[i], pc[i + 1]);
    if (previous && taken.length)
      previous.comments = previous.comments === noComments ? taken.slice() : [...previous.comments, ...taken];
    this.claims.statementDone(previous, taken);
    this.pendingComments = before === Infinity ? [] : kept;
    this.previous = null;
  }
}

/**
 * Can a name starting with `c` match {@link lossFnName} (every spelling it takes starts with l, c or
 * x, either case)? Most assignments bind other names: no copy of the name and no expression for them.
 */
function lossFnInitial(c: number): boolean {
  const lower = c | 0x20;
  return lower === 108 || lower === 99 || lower === 120;
}

/** Does the statement hold the word `if` (a conditional expression, in an assignment)? */
function conditionalIn(text: string, buf: TokenBuffer): boolean {
  for (let i = 2; i < buf.n; i++)
    if (buf.kind[i] === Tok.Name && buf.end[i] - buf.start[i] === 2 && text.startsWith('if', buf.start[i])) return true;
  return false;
}

/** `a, b = 0.1, 5` (names, `=`, then numbers, strings and signs only): constants bound together. */
function constantsUnpacked(buf: TokenBuffer): boolean {
  const { kind, aux } = buf;
  let i = 0;
  while (i < buf.n && (kind[i] === Tok.Name || (kind[i] === Tok.Op && aux[i] === 44))) i++;
  if (i === 0 || i >= buf.n - 1 || kind[i] !== Tok.Op || aux[i] !== 61) return false;
  for (let k = i + 1; k < buf.n; k++) {
    const ok =
      kind[k] === Tok.Number || kind[k] === Tok.String || (kind[k] === Tok.Op && (aux[k] === 44 || aux[k] === 45));
    if (!ok) return false;
  }
  return true;
}

/** `name = number, name = -number, …` after a first word (`const`, `let`, `var`): numbers only. */
function constantsDeclared(buf: TokenBuffer): boolean {
  const { kind, aux } = buf;
  let k = 1;
  while (k < buf.n) {
    if (k + 2 >= buf.n || kind[k] !== Tok.Name || kind[k + 1] !== Tok.Op || aux[k + 1] !== 61) return false;
    k += 2;
    if (kind[k] === Tok.Op && aux[k] === 45) k++;
    if (k >= buf.n || kind[k] !== Tok.Number) return false;
    k++;
    if (k < buf.n && (kind[k] !== Tok.Op || aux[k] !== 44)) return false;
    k++;
  }
  return k > 1;
}
