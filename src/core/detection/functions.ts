/**
 * Python functions defined in the source, recorded statement by statement as their bodies are
 * read, so that a call can be followed (replay.ts): `def cross_entropy_error(y, t): … return …`
 * is evaluated with the call's arguments, and what it computes decides whether it is a loss — its
 * name never does. Bodies with constructs the replay does not model (`while`, `try`, nested
 * functions, generators, methods) are recorded as such, and a call says why it is not followed.
 */
import { statementTokens, type TokenSource } from './bodyTokens';
import { ExprParser, type Node } from './expr';
import { python2PrintCall, python2PrintTokens } from './python2Print';
import { Op, Tok, type TokenBuffer } from './tokens';

/**
 * An expression of a recorded statement, parsed on first use: most functions of a file are never
 * called with arrays, and parsing every body up front was most of the time spent on plain code.
 */
export type Later = () => Node;

export type RecordedStmt =
  | { k: 'assign'; targets: Later[]; value: Later; aug: string | null }
  | { k: 'expr'; node: Later }
  | { k: 'return'; node: Later | null }
  /** `if` / `elif` / `else` (cond null) branches, tried in order. */
  | { k: 'if'; tests: { cond: Later | null; body: RecordedStmt[] }[] }
  /** `js`: JavaScript's `for…of` / `forEach`, which cannot iterate a tfjs tensor (jsBlocks.ts). */
  | { k: 'for'; target: Later; iter: Later; body: RecordedStmt[]; js?: true }
  /** JavaScript's `for (…; cond; update)` and `while (cond)`: the body, then the update, while `cond` holds (jsBlocks.ts). */
  | { k: 'loop'; cond: Later; body: RecordedStmt[]; update: RecordedStmt[] }
  /** A function defined inside the body, bound where the replay meets it (its free names read at call time). */
  | { k: 'def'; record: FunctionRecord }
  | { k: 'unsupported'; what: string };

export interface Param {
  name: string;
  default: Node | null;
  /** `*args` / `**kwargs`. */
  star: boolean;
}

export interface FunctionRecord {
  name: string;
  /** The parameters; read from the `def` line by {@link settled}, as the body is. */
  params: Param[];
  /** The body as statements; read from {@link pending} by {@link settled} before a call uses it. */
  body: RecordedStmt[];
  /** Why calls are not followed (a construct the replay does not model), or null. */
  unsupported: string | null;
  /** The body has been read to its end (a call inside the body itself is recursion). */
  complete: boolean;
  returns: number;
  /**
   * The body's statements as spans of the text, in order, not yet read into {@link body}: most
   * functions of a file are never called with arrays, and reading every body as it was met was a
   * third of the time spent on plain code. Null once settled.
   */
  pending: Pending | null;
  /** The scope the `def` (or `lambda`) was met in: where a call resolves the names the body does not bind (scope.ts). */
  home?: ReadonlyMap<string, unknown>;
  /** A method of a class of the file (methods.ts): its first parameter (`self`) is the instance, not an argument. */
  owner?: ClassInfo;
  /** A class's name called (`Net()`): the instance, which runs {@link ClassInfo.call} when called. */
  instance?: ClassInfo;
  /** An instance's `forward` of a torch loss subclass: the base module `super()` stands for (lossSubclasses.ts). */
  superLoss?: unknown; // a values.ts CriterionValue (unknown here: values.ts imports this file)
  /** `super` itself inside such a `forward`: called, it is this module with `self`'s options. */
  superOf?: unknown;
  /** An instance of a plain class of the file (`crit = Loss()`): its methods are read as `crit.m` (methods.ts). */
  object?: ClassInfo;
  /**
   * The attributes of that instance its followed methods assigned (`self.loss = …`), shared by the
   * instance and the methods read from it; cleared when a method of it is not followed to its end.
   */
  fields?: Map<string, unknown>;
  /** A JavaScript body's statements, read into `into`'s body when a call first needs them (jsFunctions.ts). */
  settle?: (into: FunctionRecord) => void;
  /** A block-bodied arrow handed to `.map` / `.reduce` (jsBlockCallbacks.ts): run by that call only. */
  callback?: 'map' | 'reduce';
}

/**
 * A loop statement at a program's top level kept as a body of its own (no parameters, named `for`),
 * which loops.ts runs once the loop ends: Python's (pythonStatements.ts) and JavaScript's (jsFunctions.ts).
 */
export function loopRecord(more: Pick<FunctionRecord, 'pending'> & Partial<FunctionRecord>): FunctionRecord {
  return { name: 'for', params: [], body: [], unsupported: null, complete: false, returns: 0, ...more };
}

/** A record with no body of the source's (a class's constructor, an instance, `super`): complete, nothing pending. */
export function madeRecord(name: string, more: Partial<FunctionRecord>): FunctionRecord {
  return { name, params: [], body: [], unsupported: null, complete: true, returns: 0, pending: null, ...more };
}

/** A class of the file whose methods may be followed (methods.ts). */
export interface ClassInfo {
  name: string;
  /** The class's scope: its body's names and the `self.` attributes its set-up methods assign (values.ts's values). */
  vars: ReadonlyMap<string, unknown>;
  /** The scope the class was defined in, where its methods resolve the names they do not bind. */
  home: ReadonlyMap<string, unknown>;
  /** The methods recorded, by name (only names defined once in the file). */
  methods: Map<string, FunctionRecord>;
  /** What calling an instance runs (`forward`, `construct`), or null when instances are not followed. */
  call: string | null;
  /**
   * A plain class (no base, `object`, or one plain class of the file: `base`), whose instances'
   * methods are followed (`crit.calculate(p, y)`, docs/detection.md 3.154).
   */
  plain?: boolean;
  base?: ClassInfo;
  /** A subclass of a torch loss module (lossSubclasses.ts): the base's catalogue id. */
  lossBase?: string;
  /** The class body defines `__init__` (its constructor's arguments are not the base's). */
  ownInit?: boolean;
  /** Its `@staticmethod`s, by name (names defined once in the file): `Loss.bce(y, p)` runs one as a function (3.366). */
  statics?: Map<string, FunctionRecord>;
}

/** A recorded statement's span (first token's start, last token's end), or a nested definition (start -1) at `indent`. */
interface PendingStmt {
  start: number;
  end: number;
  indent: number;
  keyword: string | null;
  /** A nested `def`'s own record (a nested class has none). */
  nested?: FunctionRecord;
  /** A loop in a method's body, kept as a loop of its own (its statements are not the method's). */
  loop?: boolean;
}

interface Pending {
  text: string;
  /** The text as the tokenizer read it, whose spans {@link settled} reads again (bodyTokens.ts). */
  source: TokenSource;
  /** The `def` line's span, from which {@link settled} reads the parameters (at token `open`, their `(`). */
  header: { start: number; end: number; open: number } | null;
  stmts: PendingStmt[];
  /** Statements met (nested definitions not counted). */
  count: number;
  /** Statements beyond {@link maxStatements} were met: nothing after them is kept. */
  tooLong: boolean;
}

/** A new, empty {@link Pending} for a function of `text`, read by the tokenizer as `source`. */
export function pendingBody(text: string, source: TokenSource): Pending {
  return { text, source, header: null, stmts: [], count: 0, tooLong: false };
}

/** The record with its body read from the tokens kept for it (once; later calls reuse it). */
export function settled(record: FunctionRecord): FunctionRecord {
  const settle = record.settle;
  if (settle) {
    record.settle = undefined;
    settle(record);
  }
  const pending = record.pending;
  if (pending === null) return record;
  record.pending = null;
  const tokens = statementTokens(pending.source);
  const h = pending.header;
  if (h) {
    const buf = tokens.read(h.start, h.end);
    record.params = parameters(new ExprParser(pending.text, buf, true), h.open, buf.n);
    if (record.owner) record.params = record.params.slice(1);
  }
  const frame: Frame = { record, indent: -1, blocks: [{ indent: -1, list: record.body }] };
  for (const s of pending.stmts) {
    if (s.start < 0 && s.nested) add(frame, s.indent, { k: 'def', record: s.nested });
    else if (s.start < 0 && s.loop) {
      record.unsupported ??= 'it has a loop inside it';
      add(frame, s.indent, { k: 'unsupported', what: 'a for loop' });
    } else if (s.start < 0) {
      record.unsupported ??= 'it defines a function or class inside its body';
      add(frame, s.indent, { k: 'unsupported', what: 'a nested definition' });
    } else {
      const buf = tokens.read(s.start, s.end);
      readStatement(frame, new ExprParser(pending.text, buf, true), buf.n, s.indent, s.keyword);
    }
  }
  if (pending.tooLong) record.unsupported ??= `its body is longer than ${maxStatements} statements`;
  return record;
}

/** Statements recorded per function at most (longer bodies are not followed). */
const maxStatements = 400;

interface Block {
  /** Indentation of the header that opened the block (the `def`, an `if`, a `for`). */
  indent: number;
  list: RecordedStmt[];
}

interface Frame {
  record: FunctionRecord | null;
  indent: number;
  /** While a body is read into statements (see {@link settled}): the open blocks. */
  blocks: Block[];
}

const binaryOps = new Map<number, string>([
  [43, '+'],
  [45, '-'],
  [42, '*'],
  [47, '/'],
]);

/** Parses expressions of one recorded statement, when a call first needs them. */
class Deferred {
  constructor(private readonly parser: ExprParser) {}

  /** A node built by `make`, once, when asked. */
  call(make: () => Node): Later {
    let node: Node | null = null;
    return () => (node ??= make());
  }

  /** The expression over tokens [from, to) (a comma list as one node with `list`), parsed once, when asked. */
  node(from: number, to: number, list: boolean): Later {
    let node: Node | null = null;
    return () => {
      node ??= list ? this.parser.parseList(from, to) : this.parser.parse(from, to);
      return node;
    };
  }
}

/** Records the bodies of the functions being read (their statements' spans; see {@link settled}). */
export class FunctionRecorder {
  /**
   * The definitions a statement is in: a function's or loop's record, a class (null), a method of
   * a class (its record, `method`: its body is also read as code, not as a function's), or a
   * definition inside a method (null, `method`: not followed).
   */
  private frames: { record: FunctionRecord | null; indent: number; method: boolean; cls?: ClassInfo }[] = [];
  /** The text being read, set for each text by the statement reader: the spans recorded are of it. */
  source: TokenSource = { code: '', maxElements: 0, literalIds: new Map() };

  /** Drops frames a statement at `indent` is no longer inside; is a function body being read? */
  enter(indent: number): boolean {
    while (this.frames.length && indent <= this.frames[this.frames.length - 1].indent) {
      const f = this.frames.pop() as { record: FunctionRecord | null };
      if (f.record) f.record.complete = true;
    }
    return this.frames.some((f) => f.record !== null && !f.method);
  }

  /** Is the innermost definition a method whose body is being recorded? */
  inMethod(): boolean {
    const top = this.frames[this.frames.length - 1];
    return top !== undefined && top.method && top.record !== null;
  }

  /** Outside every definition and kept loop (module-level code). */
  idle(): boolean {
    return this.frames.length === 0;
  }

  /** Inside a class body or a method (a `def` there is read as a method's: not bound as a function). */
  inClass(): boolean {
    const top = this.frames[this.frames.length - 1];
    return top !== undefined && (top.record === null || top.method);
  }

  /** The class whose body a `def` here is right inside (one of its methods), if any. */
  classBody(): ClassInfo | undefined {
    const top = this.frames[this.frames.length - 1];
    return top !== undefined && top.record === null && !top.method ? top.cls : undefined;
  }

  /**
   * A `def` (record) or `class` (null) header at `indent`; `method`: a method's (its record, or null
   * for a definition inside one); `loop`: a loop kept to be run as the module's (loops.ts).
   */
  open(record: FunctionRecord | null, indent: number, method = false, loop = false, cls?: ClassInfo): void {
    const outerFrame = this.frames[this.frames.length - 1];
    const outer = outerFrame?.record?.pending;
    if (outer && !outer.tooLong)
      outer.stmts.push(
        loop && outerFrame.method
          ? { start: -1, end: -1, indent, keyword: null, loop: true }
          : { start: -1, end: -1, indent, keyword: null, nested: record ?? undefined },
      );
    this.frames.push({ record, indent, method, cls });
  }

  /**
   * The innermost frame's pending body, if any. The length is checked first: reading index −1 of an
   * empty array (module-level code) is a property lookup V8 does not optimise, and was a tenth of
   * the time spent on each `def` of a long file.
   */
  private innermost(): Pending | null | undefined {
    const frames = this.frames;
    return frames.length === 0 ? undefined : frames[frames.length - 1].record?.pending;
  }

  /** Ends every open definition (the end of a segment). */
  close(): void {
    this.enter(-1);
  }

  /** Keeps the span of `record`'s `def` line, whose `(` is token `open` (see {@link settled}). */
  header(record: FunctionRecord, buf: TokenBuffer, open: number): void {
    if (!record.pending) return;
    record.pending.header = { start: buf.start[0], end: buf.end[buf.n - 1], open };
    this.keepLiteralIds(buf);
  }

  /** Keeps one statement of the innermost function (`keyword`: its first word, if a keyword). */
  statement(buf: TokenBuffer, indent: number, keyword: string | null): void {
    const pending = this.innermost();
    if (!pending || pending.tooLong) return;
    if (++pending.count > maxStatements) {
      pending.tooLong = true;
      return;
    }
    pending.stmts.push({ start: buf.start[0], end: buf.end[buf.n - 1], indent, keyword });
    this.keepLiteralIds(buf);
  }

  /** The site ids of a kept statement's literals, for reading it again (only kept statements': most literals are in none). */
  private keepLiteralIds(buf: TokenBuffer): void {
    const { kind, aux, start } = buf;
    for (let i = 0, n = buf.n; i < n; i++) if (kind[i] === Tok.Literal) this.source.literalIds.set(start[i], aux[i]);
  }
}

/** Reads one kept statement into the body being settled. */
function readStatement(frame: Frame, p: ExprParser, n: number, indent: number, keyword: string | null): void {
  const rec = frame.record as FunctionRecord;
  const blocks = frame.blocks;
  while (blocks.length > 1 && indent <= blocks[blocks.length - 1].indent) blocks.pop();
  const deferred = new Deferred(p);
  const later = (from: number, to: number, list: boolean): Later => deferred.node(from, to, list);
  const headerEnd = (): number => {
    // The `:` that ends a compound header (at bracket depth 0), or -1.
    for (let i = 1; i < n; i = p.skip(i)) if (p.isOp(i, 58)) return i;
    return -1;
  };
  const withBody = (stmt: RecordedStmt, body: RecordedStmt[], colon: number): void => {
    if (colon < 0 || colon !== n - 1) {
      // `if x: y = 1` on one line: not followed.
      add(frame, indent, { k: 'unsupported', what: 'a one-line compound statement' });
      return;
    }
    add(frame, indent, stmt);
    blocks.push({ indent, list: body });
  };
  switch (keyword) {
    case 'return':
      rec.returns++;
      add(frame, indent, { k: 'return', node: n > 1 ? later(1, n, true) : null });
      return;
    case 'if': {
      const colon = headerEnd();
      const body: RecordedStmt[] = [];
      withBody({ k: 'if', tests: [{ cond: later(1, Math.max(colon, 1), false), body }] }, body, colon);
      return;
    }
    case 'elif':
    case 'else': {
      const list = blocks[blocks.length - 1].list;
      const last = list[list.length - 1];
      const colon = headerEnd();
      if (last?.k !== 'if' || colon < 0) {
        add(frame, indent, { k: 'unsupported', what: `an ${keyword} outside an if` });
        return;
      }
      const body: RecordedStmt[] = [];
      last.tests.push({ cond: keyword === 'elif' ? later(1, colon, false) : null, body });
      if (colon === n - 1) blocks.push({ indent, list: body });
      else add(frame, indent, { k: 'unsupported', what: 'a one-line compound statement' });
      return;
    }
    case 'for': {
      const colon = headerEnd();
      let inAt = -1;
      for (let i = 1; i < n; i = p.skip(i))
        if (p.isName(i, 'in')) {
          inAt = i;
          break;
        }
      if (inAt < 0 || colon < 0) {
        add(frame, indent, { k: 'unsupported', what: 'a for loop' });
        return;
      }
      const body: RecordedStmt[] = [];
      withBody({ k: 'for', target: later(1, inAt, true), iter: later(inAt + 1, colon, true), body }, body, colon);
      return;
    }
    case 'with': {
      // `with torch.no_grad():` changes no value: its body belongs to the enclosing block.
      if (headerEnd() !== n - 1) add(frame, indent, { k: 'unsupported', what: 'a one-line with' });
      else blocks.push({ indent, list: blocks[blocks.length - 1].list });
      return;
    }
    case 'pass':
    case 'assert':
    case 'import':
    case 'from':
    case 'break':
    case 'continue':
      if (keyword === 'break' || keyword === 'continue') add(frame, indent, { k: 'unsupported', what: keyword });
      return;
    case null:
      break;
    default:
      add(frame, indent, { k: 'unsupported', what: `\`${keyword}\`` });
      return;
  }
  // Python 2's `print x` in a body (a name `print` bound in the body is not known here; an unbound
  // one followed by a name is a SyntaxError in Python 3, as at the top level).
  if (python2PrintTokens(p, n)) {
    add(frame, indent, { k: 'expr', node: deferred.call(() => python2PrintCall(p, n)) });
    return;
  }
  const parts = p.split(0, n, 61);
  if (parts.length > 1) {
    const [vs, ve] = parts[parts.length - 1];
    add(frame, indent, {
      k: 'assign',
      targets: parts.slice(0, -1).map(([a, b]) => later(a, b, true)),
      value: later(vs, ve, true),
      aug: null,
    });
    return;
  }
  for (let i = 0; i < n; i = p.skip(i)) {
    if (p.isOp(i, Op.Aug)) {
      const text = p.tokText(i);
      const op = binaryOps.get(text.charCodeAt(0));
      add(
        frame,
        indent,
        op && text.length === 2
          ? { k: 'assign', targets: [later(0, i, true)], value: later(i + 1, n, true), aug: op }
          : { k: 'unsupported', what: `\`${text}\`` },
      );
      return;
    }
  }
  // A docstring or a bare string changes nothing. Only a statement that starts with a string or
  // a parenthesis can be one: those are parsed now, every other when a call needs it.
  const k0 = p.buf.kind[0];
  if (k0 === Tok.String || (k0 === Tok.Op && p.buf.aux[0] === 40)) {
    const node = p.parseList(0, n);
    if (node.type !== 'string') add(frame, indent, { k: 'expr', node: () => node });
  } else add(frame, indent, { k: 'expr', node: later(0, n, true) });
}

function add(frame: Frame, indent: number, stmt: RecordedStmt): void {
  const blocks = frame.blocks;
  while (blocks.length > 1 && indent <= blocks[blocks.length - 1].indent) blocks.pop();
  blocks[blocks.length - 1].list.push(stmt);
  if (stmt.k === 'unsupported' && frame.record) frame.record.unsupported ??= `its body has ${stmt.what}`;
}

/** The parameters of a `def` header: names, defaults, stars (tokens between its parentheses). */
export function parameters(p: ExprParser, open: number, n: number): Param[] {
  const close = Math.min(p.match[open], n);
  const out: Param[] = [];
  for (const [a, b] of p.split(open + 1, close, 44)) {
    if (b <= a) continue;
    let i = a;
    let star = false;
    while (i < b && (p.isOp(i, 42) || p.isOp(i, Op.Pow))) {
      star = true;
      i++;
    }
    if (!p.isName(i)) continue;
    const name = p.tokText(i);
    const eq = p.split(i, b, 61);
    out.push({ name, default: eq.length > 1 ? p.parse(eq[1][0], eq[1][1]) : null, star });
  }
  return out;
}
