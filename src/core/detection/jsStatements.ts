/**
 * The JavaScript/TypeScript statement reader: `import` of tfjs (namespace, named and default
 * imports), `require`, `const`/`let`/`var` declarators, helper functions (recorded by jsFunctions.ts
 * and followed when called; one that is not recorded is bound only when its name says it computes a
 * loss); every other statement is an assignment or an expression (statements.ts).
 */
import type { Printed } from './context';
import { ExprParser } from './expr';
import type { JsFunctions } from './jsFunctions';
import { jsModuleBase } from './recognisers/constructors';
import { literalBinding } from './scalarSources';
import { assignedFormula, assignmentOrExpression, type ReaderState } from './statements';
import { Op, Tok, type TokenBuffer } from './tokens';
import { unknown } from './values';

const declarationWords = new Set([
  'function',
  'class',
  'if',
  'for',
  'while',
  'switch',
  'try',
  'catch',
  'finally',
  'else',
  'do',
]);
const typeWords = new Set(['interface', 'type', 'enum', 'namespace', 'module']);

/** Reads one JS/TS statement; returns what it prints, if a claim may be about it. */
export function jsStatement(
  r: ReaderState & { interesting(buf: TokenBuffer): boolean; readonly jsFunctions?: JsFunctions },
  buf: TokenBuffer,
  hasComment: boolean,
): Printed | null {
  const n = buf.n;
  const text = r.ctx.text;
  const first = buf.kind[0] === Tok.Name ? text.slice(buf.start[0], buf.end[0]) : null;
  const always = first === 'import' || first === 'export' || first === 'function' || first === 'declare';
  // Helper functions are recorded (and their bodies' statements kept) whether or not they look interesting.
  let p: ExprParser | null = null;
  let bound = false;
  const fns = r.jsFunctions;
  // `)` or `, 0)` after a module-level callback's block (3.375): the statement that opened it, run whole.
  if (fns && n && buf.kind[0] === Tok.Op && (buf.aux[0] === 41 || buf.aux[0] === 44)) {
    const tail = fns.callbackTail(new ExprParser(text, buf, false), 0, n, r.blockDepth);
    if (tail) {
      r.scopes.bind(tail.record.name, { kind: 'function', record: { ...tail.record, home: r.scopes.current() } });
      return jsStatement(r, tail.buf, hasComment);
    }
  }
  const kept = fns?.recording(r.blockDepth) || always || first === 'const' || first === 'let' || first === 'var';
  // A module-level `for` or `xs.forEach((v, i) =>` is kept too, to be run once its body is read (loops.ts, 3.346).
  if (fns && (kept || first === 'for' || (n >= 6 && buf.kind[n - 1] === Tok.Op && buf.aux[n - 1] === Op.FatArrow))) {
    p = new ExprParser(text, buf, false);
    let k = 0;
    while (p.isName(k, 'export') || p.isName(k, 'default')) k++;
    if (k < n) bound = fns.statement(p, k, n, r.blockDepth, r.scopes);
  }
  // A helper's header: bound to the function recorded (its name says nothing of what it computes).
  if (bound) return null;
  if (!always && !hasComment && !r.interesting(buf)) return null;
  p ??= new ExprParser(text, buf, false);
  let i = 0;
  while (p.isName(i, 'export') || p.isName(i, 'default')) i++;
  if (i >= n || p.isName(i, 'declare')) return null;
  if (buf.kind[i] === Tok.Name) {
    const w = p.tokText(i);
    if (w === 'import') {
      importTfjs(r, p, i, n);
      return null;
    }
    if (w === 'const' || w === 'let' || w === 'var') {
      let printed: Printed | null = null;
      for (const [a, b] of p.split(i + 1, n, 44)) printed = declarator(r, p, a, b) ?? printed;
      return printed;
    }
    if (w === 'return' || w === 'throw') {
      if (n > i + 1) r.evaluator.evaluate(p.parse(i + 1, n));
      return null;
    }
    if ((typeWords.has(w) && p.isName(i + 1)) || declarationWords.has(w)) {
      if (w === 'function' && p.isName(i + 1) && /nll|entropy|xent|ce_?loss/i.test(p.tokText(i + 1)))
        r.scopes.bind(p.tokText(i + 1), { kind: 'userFunction', name: p.tokText(i + 1) });
      return null;
    }
  }
  return assignmentOrExpression(r, p, i, n, true);
}

function declarator(r: ReaderState, p: ExprParser, a: number, b: number): Printed | null {
  if (!p.isName(a)) return null;
  const name = p.tokText(a);
  let eq = -1;
  for (let k = a + 1; k < b; k = p.skip(k))
    if (p.isOp(k, 61)) {
      eq = k;
      break;
    }
  if (eq < 0) {
    r.scopes.bind(name, unknown);
    return null;
  }
  const node = p.parse(eq + 1, b);
  const value = assignedFormula(r, name, r.evaluator.evaluate(node), node);
  // const tf = require('@tensorflow/tfjs')
  if (node.type === 'call' && node.callee.type === 'name' && node.callee.id === 'require') {
    const arg = node.args[0];
    const base = arg?.type === 'string' ? jsModuleBase(arg.value ?? '') : null;
    if (base !== null) {
      r.scopes.bind(name, { kind: 'namespace', path: base });
      return null;
    }
  }
  // `const p = 0.9`: a number that knows its literal, read as a source by a scalar formula (3.390).
  r.scopes.bind(name, literalBinding(value, node, name, r.ctx.cell), [node.start, node.end]);
  if (value.kind === 'loss' || (value.kind === 'scalar' && value.pairs.length))
    return { value, exprText: r.ctx.text.slice(node.start, node.end), direct: value.kind === 'loss' };
  return null;
}

/**
 * A library's own test file imports the package by a relative path (`import {core as mx, nn} from '..'`
 * in node-mlx's tests/*.spec.ts): named imports of both `core` and `nn` are MLX's node bindings
 * (docs/detection.md 3.385). `import * as mx from '../src'` in a file that calls both `mx.array(` and
 * `mx.nn.losses.` is an MLX port whose index puts core's functions at its top (`mlx.flat`, read as
 * `mlx.core` and `mlx.nn`, 3.408). Any other relative import stays unbound.
 */
function packageUnderTest(r: ReaderState, p: ExprParser, from: number, n: number): string | null {
  const names = new Set<string>();
  for (let k = from; k < n; k++) {
    if (p.isOp(k, 42) && p.isName(k + 1, 'as') && p.isName(k + 2)) {
      const alias = p.tokText(k + 2).replace(/\$/g, '\\$');
      const calls = (what: string) => new RegExp(`(?<![\\w$.])${alias}\\.${what}`).test(r.ctx.text);
      return calls('array\\(') && calls('nn\\.losses\\.') ? 'mlx.flat' : null;
    }
    if (!p.isOp(k, 123)) continue;
    for (const [a] of p.split(k + 1, Math.min(p.match[k], n), 44)) if (p.isName(a)) names.add(p.tokText(a));
    break;
  }
  return names.has('core') && names.has('nn') && /\bmx\.array\(/.test(r.ctx.text) ? 'mlx' : null;
}

/** import * as tf from '@tensorflow/tfjs';  import { tensor2d } from '@tensorflow/tfjs';  import tf from … */
function importTfjs(r: ReaderState, p: ExprParser, from: number, n: number): void {
  const text = r.ctx.text;
  let mod = '';
  for (let k = from; k < n; k++)
    if (p.buf.kind[k] === Tok.String) mod = text.slice(p.buf.start[k] + 1, p.buf.end[k] - 1);
  const base = jsModuleBase(mod) ?? (mod.startsWith('.') ? packageUnderTest(r, p, from, n) : null);
  if (base === null) return;
  for (let k = from; k < n; k++) {
    if (p.isOp(k, 42) && p.isName(k + 1, 'as') && p.isName(k + 2))
      r.scopes.bindGlobal(p.tokText(k + 2), { kind: 'namespace', path: base });
    if (p.isOp(k, 123)) {
      const close = Math.min(p.match[k], n);
      for (const [a, b] of p.split(k + 1, close, 44)) {
        if (!p.isName(a)) continue;
        const alias = b - a >= 3 && p.isName(a + 1, 'as') ? p.tokText(a + 2) : p.tokText(a);
        r.scopes.bindGlobal(alias, { kind: 'namespace', path: `${base}.${p.tokText(a)}` });
      }
    }
    if (k === from + 1 && p.isName(k) && !p.isName(k, 'type'))
      r.scopes.bindGlobal(p.tokText(k), { kind: 'namespace', path: base });
  }
}
