/**
 * The Python statement reader: indentation (which defs and blocks a statement is in), imports
 * and their aliases, `def`/`class` scopes with their parameters, loop and `with` targets; every
 * other statement is an assignment or an expression (statements.ts).
 */
import type { Printed } from './context';
import { overwritten } from './changes';
import { asDezero, dezeroClonePackage } from './dezeroClones';
import { ExprParser } from './expr';
import {
  loopRecord,
  madeRecord,
  pendingBody,
  type ClassInfo,
  type FunctionRecord,
  type FunctionRecorder,
} from './functions';
import { classOnce, decorated, definedOnce, instanceCall, staticDecorated } from './methods';
import { torchLossBase } from './lossSubclasses';
import { plainBase } from './objects';
import {
  asyncHash,
  canonical,
  classHash,
  compoundHeadHashes,
  defaultNames,
  defHash,
  fromHash,
  importHash,
  pyStatementHashes,
} from './names';
import type { TopLevelLoops } from './loops';
import { valuesBefore } from './accumulators';
import { parametrizeCases, type Parametrized } from './parametrize';
import { assertedCondition } from './recognisers/assertions';
import { python2PrintTokens } from './python2Print';
import { assignmentOrExpression, printStatement, type ReaderState } from './statements';
import { Op, Tok, TokenBuffer } from './tokens';
import { unknown, type Value } from './values';

const otherKeywords = new Set([
  'if',
  'elif',
  'while',
  'else',
  'try',
  'except',
  'finally',
  'assert',
  'del',
  'pass',
  'global',
  'nonlocal',
  'raise',
  'break',
  'continue',
  'match',
  'case',
  'lambda',
]);

/** Methods that run before each test (or on construction): what they assign to `self` holds in every method. */
const setupMethods = new Set(['setUp', 'setup', 'setup_method', 'setUpClass', 'setup_class', '__init__']);

/** Python's reader state beyond the shared one. */
export interface PythonState extends ReaderState {
  /** Indentation of the compound statements (if/for/def/…) enclosing the current one. */
  readonly blocks: number[];
  /** For each of `blocks`: is it a `with` statement's body (run once, in order, like the code around it)? */
  readonly blockWith: boolean[];
  /**
   * For each of `blocks`: does its body run once, in order, where it is read (a `with`, a `def` or a
   * `class` body: a test function's straight code)? A loop's or a branch's body does not.
   */
  readonly blockOnce: boolean[];
  /** Is this statement worth parsing (a literal, or a name that is bound or known)? */
  interesting(buf: TokenBuffer): boolean;
  /** The bodies of the functions being read, recorded so that calls to them can be followed. */
  readonly functions: FunctionRecorder;
  /** `@pytest.mark.parametrize` cases, run once their function's body has been read. */
  readonly parametrized: Parametrized;
  /** Module-level `for` loops over known values, run once their body has been read (loops.ts). */
  readonly loops: TopLevelLoops;
}

function isWord(r: ReaderState, buf: TokenBuffer, i: number, word: string): boolean {
  return (
    i < buf.n &&
    buf.kind[i] === Tok.Name &&
    buf.end[i] - buf.start[i] === word.length &&
    r.ctx.text.startsWith(word, buf.start[i])
  );
}

/** Reads one Python statement; returns what it prints, if a claim may be about it. */
export function pythonStatement(r: PythonState, buf: TokenBuffer, hasComment: boolean): Printed | null {
  const n = buf.n;
  const ctx = r.ctx;
  const lineStart = ctx.lines.lineStartOf(buf.start[0]);
  const indent = buf.start[0] - lineStart + (ctx.indentShift?.get(lineStart) ?? 0);
  // A kept loop whose body ended here runs in the scope it was written in (a method's, 3.41),
  // before the statement's dedent closes that scope.
  r.functions.enter(indent);
  r.loops.run(r.evaluator, r.scopes);
  r.scopes.dedent(indent);
  if (ctx.loopHeader && indent <= ctx.loopHeader.indent) ctx.loopHeader = null;
  // A parametrized test whose body ended here runs its cases, in the scope around its `def`.
  r.parametrized.run(r.evaluator, r.scopes);
  const blocks = r.blocks;
  while (blocks.length && indent <= blocks[blocks.length - 1]) {
    blocks.pop();
    r.blockWith.pop();
    r.blockOnce.pop();
  }
  // The body of a module-level `with` (`with tf.Session() as sess:`) runs once, in order: its prints
  // are ordered as the top level's are (docs/detection.md 3.96).
  const topLevel = r.blockWith.every(Boolean);
  const once = r.blockOnce.every(Boolean);
  // Keywords are recognised by the name hash the tokenizer computed (no string per statement).
  const h0 = buf.kind[0] === Tok.Name ? buf.aux[0] : 0;
  if ((buf.kind[n - 1] === Tok.Op && buf.aux[n - 1] === 58) || compoundHeadHashes.has(h0)) {
    blocks.push(indent);
    r.blockWith.push(isWord(r, buf, 0, 'with'));
    r.blockOnce.push(isWord(r, buf, 0, 'with') || isWord(r, buf, 0, 'def') || isWord(r, buf, 0, 'class'));
  }
  if (buf.kind[0] === Tok.Op && buf.aux[0] === 64) {
    // A decorator; `@pytest.mark.parametrize(…)` keeps its cases for the `def` below.
    if (n > 2 && ctx.text.slice(buf.start[0], buf.end[n - 1]).includes('parametrize'))
      r.parametrized.decorator(parametrizeCases(ctx, new ExprParser(ctx.text, buf, true).parse(1, n)));
    return null;
  }
  if (
    (h0 === defHash && isWord(r, buf, 0, 'def')) ||
    (h0 === classHash && isWord(r, buf, 0, 'class')) ||
    (h0 === asyncHash && isWord(r, buf, 1, 'def'))
  ) {
    definition(r, buf, indent);
    return null;
  }
  r.parametrized.clear();
  const inBody = r.functions.enter(indent);
  const always = (h0 === importHash && isWord(r, buf, 0, 'import')) || (h0 === fromHash && isWord(r, buf, 0, 'from'));
  const keyword = always || pyStatementHashes.has(h0) ? ctx.text.slice(buf.start[0], buf.end[0]) : null;
  // Every statement of a function body is kept (a call may bind its parameters to arrays).
  if (inBody || r.functions.inMethod()) r.functions.statement(buf, indent, keyword);
  // A loop outside any recorded function (module code, or a method's body, which is read as code
  // and never followed) is also kept whole, to be run item by item (loops.ts); a `while` is kept
  // only so that a `for` inside it is not taken for a loop that runs once.
  if (!inBody && (keyword === 'for' || keyword === 'while')) topLevelLoop(r, buf, indent, keyword === 'for');
  // Most statements of a long file touch nothing we track: skip them without parsing.
  if (!always && !hasComment && !r.interesting(buf)) return null;
  const p = new ExprParser(ctx.text, buf, true);
  if (python2PrintTokens(p, n) && r.scopes.lookup('print') === undefined) return printStatement(r, p, n, topLevel);
  switch (keyword) {
    case 'import':
      importNames(r, p, 1, n, null);
      return null;
    case 'from':
      fromImport(r, p, n);
      return null;
    case 'return':
    case 'yield':
      if (n > 1) r.evaluator.evaluate(p.parseList(1, n));
      return null;
    case 'for': {
      // `for x in ...:` rebinds x.
      const names = new Set<string>();
      for (let i = 1; i < n && !p.isName(i, 'in'); i++) if (p.isName(i)) names.add(p.tokText(i));
      for (const name of names) r.scopes.shadow(name, unknown);
      if (topLevel) ctx.loopHeader = { names, line: ctx.lines.lineAt(buf.start[0]), indent };
      return null;
    }
    case 'with':
      for (let i = 1; i < n; i++) if (p.isName(i, 'as') && p.isName(i + 1)) r.scopes.shadow(p.tokText(i + 1), unknown);
      return null;
    default:
      // Other headers and simple keywords (if, while, assert, pass, …); a body on the same line
      // (`if x: y = 1`) is rare in the code this tool reads and is skipped.
      // `assert torch.allclose(F.cross_entropy(z, k), expected), "message"`: the test's condition
      // is read like an expression statement (its loss calls and the value they are checked against).
      if (keyword === 'assert' && n > 1) {
        const [condStart, condEnd] = p.split(1, n, 44)[0];
        if (condEnd <= condStart) return null;
        // `assert abs(loss.item() - expected) < 1e-4`, `assert loss == approx(v)`: claims with their tolerance.
        if (assertedCondition(r.evaluator, p.parseList(condStart, condEnd))) return null;
        return assignmentOrExpression(r, p, condStart, condEnd, topLevel);
      }
      if (keyword === 'del' && n > 1) {
        const targets = p.split(1, n, 44).filter(([a, b]) => b > a);
        overwritten(
          r.evaluator,
          r.scopes,
          targets.map(([a, b]) => p.parse(a, b)),
        );
      }
      if (keyword !== null && otherKeywords.has(keyword)) return null;
      return assignmentOrExpression(r, p, 0, n, topLevel, once);
  }
}

function bindImport(r: ReaderState, name: string, value: Value): void {
  r.scopes.bindGlobal(name, value);
}

function importNames(r: ReaderState, p: ExprParser, from: number, n: number, base: string | null): void {
  for (const [a, b] of p.split(from, n, 44)) {
    let i = a;
    let path = '';
    while (i < b && ((p.isName(i) && !p.isName(i, 'as')) || p.isOp(i, 46))) {
      path += p.tokText(i);
      i++;
    }
    if (!path) continue;
    const alias = p.isName(i, 'as') && p.isName(i + 1) ? p.tokText(i + 1) : null;
    const full = asDezero(base ? `${base}.${path}` : path, dezeroClonePackage(r.ctx.whole));
    if (alias) bindImport(r, alias, { kind: 'namespace', path: canonical(full) });
    else if (base) bindImport(r, path, { kind: 'namespace', path: canonical(full) });
    else {
      const top = path.split('.')[0];
      bindImport(r, top, { kind: 'namespace', path: top });
    }
  }
}

function fromImport(r: ReaderState, p: ExprParser, n: number): void {
  let i = 1;
  let base = '';
  while (i < n && (p.isName(i) || p.isOp(i, 46)) && !p.isName(i, 'import')) {
    base += p.tokText(i);
    i++;
  }
  if (!p.isName(i, 'import')) return;
  i++;
  let end = n;
  if (p.isOp(i, 40)) {
    end = Math.min(p.match[i], n);
    i++;
  }
  importNames(r, p, i, end, base);
}

/** Keeps a module-level `for` statement (header and body) as a function's body, run once it ends. */
function topLevelLoop(r: PythonState, buf: TokenBuffer, indent: number, run: boolean): void {
  const record = loopRecord({ pending: pendingBody(r.ctx.text, r.functions.source) });
  r.functions.open(record, indent, false, true);
  r.functions.statement(buf, indent, run ? 'for' : 'while');
  // Names the loop sums into keep the numbers they hold now (accumulators.ts, docs §3.178).
  if (run) r.loops.add(record, valuesBefore(r.ctx.text, buf.end[buf.n - 1], indent, r.scopes));
}

/** `def f(a, b):` / `class C:` — a new scope; parameters shadow outer names of the same spelling. */
function definition(r: PythonState, buf: TokenBuffer, indent: number): void {
  const n = buf.n;
  const text = r.ctx.text;
  // Keywords compared in place (isWord): only the defined name is copied out of the text.
  const isAsync = isWord(r, buf, 0, 'async');
  const i = isAsync ? 1 : 0;
  const isClass = isWord(r, buf, i, 'class');
  const name = i + 1 < n && buf.kind[i + 1] === Tok.Name ? text.slice(buf.start[i + 1], buf.end[i + 1]) : null;
  if (name === null) return;
  // A function is recorded so that a call can be followed (replay.ts); so is a method of a class
  // (methods.ts, its body also read as code); a class's name is bound when its instances are followed.
  const method = r.functions.inClass();
  r.functions.enter(indent);
  const owner = method ? r.functions.classBody() : undefined;
  let info: ClassInfo | undefined;
  if (isClass) {
    r.parametrized.attach(null);
    info = classInfo(r, buf, i, name);
    r.functions.open(null, indent, false, false, info);
    if (info.call !== null || info.plain) r.scopes.bind(name, { kind: 'function', record: constructor(info) });
    else if (r.scopes.lookup(name) !== undefined) r.scopes.bind(name, unknown);
  } else if (method) {
    r.parametrized.attach(null);
    if (owner) methodDefinition(r, buf, i + 2, name, indent, owner);
    else r.functions.open(null, indent, true);
  } else {
    const open = i + 2;
    const record: FunctionRecord = {
      name,
      params: [],
      body: [],
      unsupported: isAsync ? 'it is a coroutine (`async def`)' : null,
      complete: false,
      returns: 0,
      pending: pendingBody(text, r.functions.source),
      home: r.scopes.current(),
    };
    // The parameters are read when a call is followed (functions.ts, settled).
    if (buf.kind[open] === Tok.Op && buf.aux[open] === 40) r.functions.header(record, buf, open);
    r.functions.open(record, indent);
    // `def log_softmax(x): return x - x.logsumexp(-1, keepdim=True)`: the return after the header's
    // `:` on the same line is the whole body (other one-line bodies are not kept: not followed).
    const ret = oneLineReturn(buf, open, text);
    if (ret > 0) r.functions.statement(tokensFrom(buf, ret), indent + 1, 'return');
    r.parametrized.attach(record);
    r.scopes.bind(name, { kind: 'function', record });
  }
  const shadowed: string[] = [];
  if (!isClass && buf.kind[i + 2] === Tok.Op && buf.aux[i + 2] === 40) {
    // Parameter names: names at depth 1 that follow `(` or `,` (after * / **).
    let depth = 0;
    let expectName = true;
    for (let k = i + 2; k < n; k++) {
      if (buf.kind[k] === Tok.Op) {
        const a = buf.aux[k];
        if (a === 40 || a === 91 || a === 123) {
          depth++;
          if (depth === 1) expectName = true;
          continue;
        }
        if (a === 41 || a === 93 || a === 125) {
          if (--depth === 0) break;
          continue;
        }
        if (depth === 1 && a === 44) {
          expectName = true;
          continue;
        }
        if (a === 42 || a === Op.Pow) continue;
        expectName = false;
      } else if (buf.kind[k] === Tok.Name && depth === 1 && expectName) {
        const param = text.slice(buf.start[k], buf.end[k]);
        if (r.scopes.lookup(param) !== undefined || defaultNames.has(param)) shadowed.push(param);
        expectName = false;
      } else expectName = false;
    }
  }
  const kind = isClass ? 'class' : method && setupMethods.has(name) ? 'setup' : 'block';
  const vars = r.scopes.push(indent, kind, undefined, undefined, isClass ? name : undefined);
  // The class's scope is the one its followed methods see (methods.ts).
  if (info) info.vars = vars;
  for (const param of shadowed) vars.set(param, unknown);
}

/** A class header (`class Net(nn.Cell):`, the name at token i + 1): what its instances run when called. */
function classInfo(r: PythonState, buf: TokenBuffer, i: number, name: string): ClassInfo {
  const header = /^\s*\(([^()]*)\)\s*:/.exec(r.ctx.text.slice(buf.end[i + 1], buf.end[buf.n - 1]));
  const once = classOnce(r.ctx.whole, name);
  const lossBase = header && once ? torchLossBase(header[1], (n) => r.scopes.lookup(n)) : null;
  const call = header && once ? (instanceCall(header[1]) ?? (lossBase ? 'forward' : null)) : null;
  const info: ClassInfo = { name, vars: new Map(), home: r.scopes.current(), methods: new Map(), call };
  if (lossBase) info.lossBase = lossBase;
  if (once && call === null) plainBase(info, header ? header[1] : '', (n) => r.scopes.lookup(n));
  return info;
}

/** What a class's name stands for when its instances are followed: called, it makes an instance (methods.ts). */
function constructor(info: ClassInfo): FunctionRecord {
  return madeRecord(info.name, { instance: info });
}

/**
 * A `def` right inside a class body (`open`: its `(`): recorded so that `self.name(…)` and an
 * instance's call are followed (methods.ts), when its name is defined once in the file and no
 * decorator changes what it is; its body is read as code as well, as every method's is.
 */
function methodDefinition(
  r: PythonState,
  buf: TokenBuffer,
  open: number,
  name: string,
  indent: number,
  owner: ClassInfo,
): void {
  const text = r.ctx.text;
  if (name === '__init__') owner.ownInit = true;
  // A plain class's method is its instances' whatever other classes define (objects.ts, 3.155).
  const once = definedOnce(r.ctx.whole, name);
  // `@staticmethod def bce(y, p)` of a class the file defines once: `Loss.bce(y, p)` runs it as a plain
  // function, its names resolved where the class is defined (a class body's names are no method's, 3.366).
  if (once && owner.plain && staticDecorated(text, buf.start[0])) {
    (owner.statics ??= new Map()).set(name, openMethod(r, buf, open, name, indent, { home: owner.home }));
    return;
  }
  if ((!once && !owner.plain) || decorated(text, buf.start[0])) {
    r.functions.open(null, indent, true);
    return;
  }
  const record = openMethod(r, buf, open, name, indent, { home: r.scopes.current(), owner });
  owner.methods.set(name, record);
  if (once) r.scopes.bind(`self.${name}`, { kind: 'function', record });
}

/** Records a method's `def` (or a `@staticmethod`'s, `where` without its owner) and opens its body. */
function openMethod(
  r: PythonState,
  buf: TokenBuffer,
  open: number,
  name: string,
  indent: number,
  where: Pick<FunctionRecord, 'home' | 'owner'>,
): FunctionRecord {
  const text = r.ctx.text;
  const record: FunctionRecord = {
    name,
    params: [],
    body: [],
    unsupported: isWord(r, buf, 0, 'async') ? 'it is a coroutine (`async def`)' : null,
    complete: false,
    returns: 0,
    pending: pendingBody(text, r.functions.source),
    ...where,
  };
  if (buf.kind[open] === Tok.Op && buf.aux[open] === 40) r.functions.header(record, buf, open);
  r.functions.open(record, indent, true);
  const ret = oneLineReturn(buf, open, text);
  if (ret > 0) r.functions.statement(tokensFrom(buf, ret), indent + 1, 'return');
  return record;
}

/** The index of `return` right after a `def` header's closing `:` on the same line, else -1. */
function oneLineReturn(buf: TokenBuffer, open: number, text: string): number {
  let depth = 0;
  for (let k = open; k < buf.n; k++) {
    if (buf.kind[k] !== Tok.Op) continue;
    const a = buf.aux[k];
    if (a === 40 || a === 91 || a === 123) depth++;
    else if (a === 41 || a === 93 || a === 125) depth--;
    else if (a === 58 && depth === 0) {
      const next = k + 1;
      const word = next < buf.n && buf.kind[next] === Tok.Name ? text.slice(buf.start[next], buf.end[next]) : '';
      return word === 'return' ? next : -1;
    }
  }
  return -1;
}

/** The tokens of `buf` from index `from` on, as a buffer of their own (the arrays are shared, not copied). */
function tokensFrom(buf: TokenBuffer, from: number): TokenBuffer {
  const t = new TokenBuffer(1);
  t.kind = buf.kind.subarray(from, buf.n);
  t.aux = buf.aux.subarray(from, buf.n);
  t.start = buf.start.subarray(from, buf.n);
  t.end = buf.end.subarray(from, buf.n);
  t.num = buf.num.subarray(from, buf.n);
  t.n = buf.n - from;
  return t;
}
