/**
 * Statement forms both language families share: assignments (`a = b = expr`, `x: T = expr`,
 * tuple targets, `self.x = …`, `+=`), expression statements, and prints (`print(…)`,
 * `console.log(…)`, tfjs `t.print()`, f-strings and `%` formatting) whose output a claim may be
 * about. The per-language readers call these with the reader's state.
 */
import { freshLocal, overwritten } from './changes';
import type { DetectionContext, Printed } from './context';
import type { Evaluator } from './evaluate';
import type { ExprParser, Node } from './expr';
import { lossyName } from './names';
import { formatLineArguments } from './formatLines';
import { rememberPick } from './pickSums';
import { plainRead, printTemplate } from './printTemplates';
import { jsPrintTemplate, severalFields } from './jsTemplates';
import { python2PrintCall } from './python2Print';
import { sessionRunArgument } from './evalSteps';
import { pickedPair } from './recognisers/floatPicks';
import { recogniseFormula } from './recognisers/formulas';
import { literalBinding } from './scalarSources';
import { noteAssignment } from './recognisers/namedDifferences';
import { assignIndexed, augmentedItem } from './indexedAssign';
import type { Scopes } from './scope';
import { Op } from './tokens';
import { typedMeanOfLosses } from './typedMeans';
import { severalNumbers } from './vectorClaims';
import { positionalPrint, shownAfterAnother, shownBefore } from './positionalPrints';
import { accumulated } from './accumulators';
import { isLossy, unknown, unknownLossy, type Value } from './values';

/** What a statement reader holds while it reads one segment. */
export interface ReaderState {
  readonly ctx: DetectionContext;
  readonly scopes: Scopes;
  readonly evaluator: Evaluator;
  readonly python: boolean;
  /** JS: braces open around the statement (its output order is not knowable inside one). */
  readonly blockDepth: number;
}

/** `a = b = expr`, `x: T = expr`, `a += 1`, or an expression statement. */
export function assignmentOrExpression(
  r: ReaderState,
  p: ExprParser,
  from: number,
  n: number,
  topLevel: boolean,
  once = topLevel,
): Printed | null {
  const parts = p.split(from, n, 61);
  if (parts.length > 1) {
    const [vs, ve] = parts[parts.length - 1];
    const valueNode = p.parseList(vs, ve);
    const one = parts.length === 2 && p.isName(parts[0][0]) ? p.tokText(parts[0][0]) : null;
    const value = assignedFormula(r, one, r.evaluator.evaluate(valueNode), valueNode);
    for (let k = 0; k < parts.length - 1; k++) assignTarget(r, p, parts[k][0], parts[k][1], value, valueNode);
    if (isLossy(value) && (value.kind === 'loss' || value.kind === 'scalar')) {
      return {
        value,
        exprText: r.ctx.text.slice(valueNode.start, valueNode.end),
        direct: value.kind === 'loss' && valueNode.type === 'call',
      };
    }
    return null;
  }
  for (let i = from; i < n; i = p.skip(i)) {
    if (p.isOp(i, Op.Aug)) {
      // `total += loss`: the target is no longer what it was. Run once (top level, outside any block), a
      // sum or difference is computed as `total = total + loss` is (docs §3.178). A test function's
      // straight code runs once too: `y_true *= 2` on a list its body bound is that list doubled (§3.250);
      // a name the body did not bind would raise (UnboundLocalError) and stays unknown.
      if (i === from + 1 && p.isName(from)) {
        const runs = topLevel || (once && r.scopes.inFunction() && r.scopes.current().has(p.tokText(from)));
        const sum = runs ? accumulated(r.evaluator, p.parseList(from, i), p.tokText(i), p.parseList(i + 1, n)) : null;
        if (sum) r.scopes.bind(p.tokText(from), sum);
        else r.scopes.shadow(p.tokText(from), unknownLossy);
        if (sum) return null;
      } else if (p.isName(from) && p.isOp(from + 1, 91)) {
        // `q[0] += 1 - eps`, `g[np.arange(n), y] -= 1` on a float array: computed (indexedAssign.ts augmentedItem).
        const aug = p.tokText(i);
        if (
          aug.length === 2 &&
          augmentedItem(r.evaluator, r.scopes, p.parseList(from, i), aug[0], p.parseList(i + 1, n))
        )
          return null;
        // Otherwise an element changed in place: the array is no longer the one written.
        const name = p.tokText(from);
        const old = r.scopes.lookup(name);
        if (old?.kind === 'array') {
          const why =
            'an element of it is changed in place (`' + r.ctx.text.slice(p.buf.start[from], p.buf.end[n - 1]) + '`)';
          r.scopes.shadow(name, { kind: 'opaqueArray', from: old.array, why });
        } else if (old !== undefined) r.scopes.shadow(name, unknownLossy);
      }
      r.evaluator.evaluate(p.parseList(i + 1, n));
      return null;
    }
  }
  return expressionStatement(r, p.parseList(from, n), topLevel);
}

/** Python 2's `print a, b` (tokens [1, n) are what it prints): read as `print(a, b)`. */
export function printStatement(r: ReaderState, p: ExprParser, n: number, topLevel: boolean): Printed | null {
  return expressionStatement(r, python2PrintCall(p, n), topLevel);
}

function expressionStatement(r: ReaderState, node: Node, topLevel: boolean): Printed | null {
  const ctx = r.ctx;
  const produce = (kind: 'print' | 'expr', printed: Printed | null): void => {
    ctx.producers.push({
      kind,
      printed,
      start: node.start,
      end: node.end,
      topLevel: topLevel && r.blockDepth === 0,
      cell: ctx.cell,
    });
  };
  // tfjs: `loss.print()` prints the tensor.
  if (
    !r.python &&
    node.type === 'call' &&
    node.callee.type === 'attribute' &&
    node.callee.name === 'print' &&
    node.args.length === 0
  ) {
    const value = r.evaluator.evaluate(node.callee.object);
    const printed = isLossy(value) ? printedOf(r, node.callee.object, value) : null;
    produce('print', printed);
    return printed;
  }
  if (node.type === 'call' && isPrint(r, node.callee)) {
    // One print writing one value per line (`'a = {}\nb = {}'.format(a, b)`): a producer per line.
    const perLine = r.python ? formatLineArguments(ctx.text, node) : null;
    if (perLine) {
      for (const a of perLine) {
        const v = formulaOf(r, r.evaluator.evaluate(a), a);
        produce('print', isLossy(v) ? printedOf(r, a, v) : null);
      }
      return null;
    }
    // What several fields of one format argument computed (`'{:.4f} {:.4f}'.format(ce(a, k), ce(b, k))`, 3.189).
    const fieldValues = new Map<Node, Value>();
    const values = node.args.map((a) => ({ node: a, value: formulaOf(r, printArgument(r, a, fieldValues), a) }));
    const lossy = values.filter((v) => isLossy(v.value));
    // An array printed before the loss (`f"Loss for {q}: {ce(p, q)}"`) puts its numbers first on
    // the output line: which of them is the loss is not told by position, so nothing is claimed.
    const before = lossy.length === 1 ? values.slice(0, values.indexOf(lossy[0])) : [];
    const arrayFirst = before.some(
      (v) => v.value.kind === 'sequence' || (v.value.kind === 'array' && (v.value.array.data?.length ?? 2) > 1),
    );
    let printed = lossy.length === 1 && !arrayFirst ? printedOf(r, lossy[0].node, lossy[0].value) : null;
    // An array printed after the loss (`print(crit.mean_loss, crit.per_sample)`, docs §3.177) puts its
    // numbers last on the line: the loss is read at its place among the values shown, or nothing is.
    const after = lossy.length === 1 ? values.slice(values.indexOf(lossy[0]) + 1) : [];
    if (printed && after.some((v) => severalNumbers(v.value)))
      printed = values.every((v) => v.value.kind !== 'string' && v.value.kind !== 'unknown')
        ? {
            value: {
              kind: 'sequence',
              items: values.map((v) => (v === lossy[0] ? (printed as Printed).value : v.value)),
            },
            exprText: printed.exprText,
            direct: false,
            spaced: true,
          }
        : null;
    // `print(val_1, val_2)` beside an argument not computed here (3.383): Python writes the values
    // in order, one space apart, so the loss is read at its place when every part shown is a value.
    if (printed && !printed.spaced && positionalPrint(node, values, lossy[0]))
      printed = {
        value: { kind: 'sequence', items: values.map((v) => (v === lossy[0] ? (printed as Printed).value : v.value)) },
        exprText: printed.exprText,
        direct: false,
        spaced: true,
        positional: true,
      };
    else if (printed && !printed.spaced && lossy.length === 1 && shownBefore(values, lossy[0]))
      printed = {
        value: { kind: 'unknown', lossy: false, why: shownAfterAnother },
        exprText: printed.exprText,
        direct: false,
      };
    // `print(ce, nll)`: every argument a loss, shown one after another on one line.
    if (lossy.length >= 2 && lossy.length === values.length) {
      const names = lossy.map((v) => ctx.text.slice(v.node.start, v.node.end));
      printed = {
        value: { kind: 'sequence', items: lossy.map((v) => v.value), names },
        exprText: names.join(', '),
        direct: false,
        spaced: true,
      };
    }
    // Several losses, each with its own words (`'BCE: {:.4f}'.format(a), 'CE: {:.4f}'.format(b)`, 3.189).
    const several = !r.python && severalFields(ctx.text, node);
    const template = r.python ? printTemplate(ctx.text, node) : several ? jsPrintTemplate(ctx.text, node) : null;
    if (template) {
      const items = template.fields.map((f) => {
        const i = node.args.indexOf(f);
        if (i >= 0) return values[i].value;
        const seen = fieldValues.get(f);
        if (seen) return formulaOf(r, seen, f);
        return plainRead(f) ? formulaOf(r, r.evaluator.evaluate(f), f) : unknown;
      });
      if (items.filter(isLossy).length >= 2) {
        const names = template.fields.map((f) => ctx.text.slice(f.start, f.end));
        printed = {
          value: { kind: 'sequence', items, names },
          exprText: names.join(', '),
          direct: false,
          spaced: true,
          template: template.parts,
        };
      }
    }
    // A JavaScript template literal of several fields: read only against its own words (3.303), or not at all.
    if (several && !printed?.template) printed = null;
    produce('print', printed);
    return printed;
  }
  // A tuple shown as a cell's last expression or at a prompt (`ce(y_hat, y), y_hat, y`): each item
  // is read as a print argument is, so a loss function's per-row result is its pair there too.
  const value =
    r.python && node.type === 'sequence' && node.kind === 'tuple'
      ? tupleShown(r, node.items)
      : formulaOf(r, r.evaluator.evaluate(node), node);
  const printed = isLossy(value) ? printedOf(r, node, value) : null;
  if (node.type !== 'call' || printed) produce('expr', printed);
  return printed;
}

/** The items of a displayed tuple, each a pair when it is a hand-written loss. */
function tupleShown(r: ReaderState, items: Node[]): Value {
  return { kind: 'sequence', items: items.map((item) => formulaOf(r, r.evaluator.evaluate(item), item)) };
}

/**
 * Per-row losses written by hand and assigned to a name (`loss = -np.log(p[range(n), y])`) stay an
 * array, since a later `np.mean(loss)` makes them one reduced pair; when the name itself is printed
 * or shown, the pair of those per-row losses is the assignment's, on its line (where a reader looks
 * for the loss, and where a hover shows it), not the print's.
 */
const formulaSites = new WeakMap<object, { node: Node; name: string; cell: number | undefined }>();

/**
 * The value assigned (to `name` alone, or null): a hand-written loss is a pair once reduced, or as a
 * function's result (per-row values computed inline may still be reduced later, or printed by name).
 */
export function assignedFormula(r: ReaderState, name: string | null, value: Value, valueNode: Node): Value {
  if (value.kind === 'number' && value.picked) return pickedPair(r.evaluator, value, valueNode) ?? value;
  if (value.kind !== 'array' || !value.array.terms) return value;
  if (value.array.data?.length === 1 || valueNode.type === 'call') {
    const made = formulaOf(r, value, valueNode);
    rememberPick(made, value);
    return made;
  }
  if (name !== null) formulaSites.set(value.array.terms, { node: valueNode, name, cell: r.ctx.cell });
  return value;
}

/** A value that is a hand-written cross-entropy becomes its pair where the statement ends. */
function formulaOf(r: ReaderState, value: Value, written: Node): Value {
  if (value.kind === 'number' && value.picked) return pickedPair(r.evaluator, value, written) ?? value;
  if (value.kind !== 'array' || !value.array.terms) return value;
  const node = sessionRunArgument(written) ?? written;
  const assigned = node.type === 'name' ? formulaSites.get(value.array.terms) : undefined;
  if (assigned && node.type === 'name' && assigned.name === node.id && assigned.cell === r.ctx.cell) {
    const v = recogniseFormula(r.evaluator, value, assigned.node, { callee: null, argName: null, args: [] });
    if (v.kind === 'loss') r.ctx.nameResult(v.pair, assigned.name);
    return v;
  }
  const callee =
    node.type === 'call' && node.callee.type === 'name' && r.scopes.lookup(node.callee.id)?.kind === 'function'
      ? node.callee.id
      : null;
  const args: { name: string; site: number }[] = [];
  if (callee !== null && node.type === 'call')
    for (const a of node.args) {
      const v = a.type === 'name' ? r.scopes.lookup(a.id) : undefined;
      if (v?.kind === 'array' && a.type === 'name') args.push({ name: a.id, site: v.array.site.id });
    }
  return recogniseFormula(r.evaluator, value, node, { callee, argName: null, args });
}

/** The printed form of a value: direct when it is the loss itself (`loss`, `loss.item()`, `float(loss)`). */
function printedOf(r: ReaderState, node: Node, value: Value): Printed {
  let direct = false;
  if (value.kind === 'loss') {
    let inner = node;
    // loss.item(), float(loss), loss.detach() print the same number.
    while (
      inner.type === 'call' &&
      inner.callee.type === 'attribute' &&
      ['item', 'detach', 'cpu', 'numpy', 'clone', 'tolist'].includes(inner.callee.name)
    )
      inner = inner.callee.object;
    if (inner.type === 'call' && inner.callee.type === 'name' && inner.callee.id === 'float' && inner.args.length === 1)
      inner = inner.args[0];
    direct = (inner.type === 'name' && inner.id === value.pair.resultName) || inner.type === 'call';
  }
  return { value, exprText: r.ctx.text.slice(node.start, node.end), direct };
}

function isPrint(r: ReaderState, callee: Node): boolean {
  if (callee.type === 'name')
    return (callee.id === 'print' || callee.id === 'display') && r.scopes.lookup(callee.id) === undefined;
  // `tf.print(a, b)` writes its arguments as print does, one space between them (3.189).
  if (r.python && callee.type === 'attribute' && callee.name === 'print' && callee.object.type === 'name') {
    const tf = callee.object.id === 'tf' ? r.scopes.lookup('tf') : null;
    return tf === undefined || (tf?.kind === 'namespace' && tf.path === 'tensorflow');
  }
  return (
    callee.type === 'attribute' &&
    callee.object.type === 'name' &&
    callee.object.id === 'console' &&
    (callee.name === 'log' || callee.name === 'info')
  );
}

/** A print argument: f-strings and `'%.4f' % loss` print the loss inside them. */
function printArgument(r: ReaderState, node: Node, fields?: Map<Node, Value>): Value {
  if (node.type === 'string' && node.value === null) {
    const raw = r.ctx.text.slice(node.start, node.end);
    const names = raw.match(/\{\s*([A-Za-z_$][\w$]*)/g) ?? raw.match(/\$\{\s*([A-Za-z_$][\w$]*)/g);
    for (const m of names ?? []) {
      const name = m.replace(/^[${\s]+/, '');
      const v = r.scopes.lookup(name);
      if (v && isLossy(v)) return v;
      if (!v && lossyName.test(name))
        return { kind: 'unknown', lossy: true, why: `\`${name}\` is not computed in this source` };
    }
    return unknown;
  }
  if (node.type === 'binary' && node.op === '%' && node.left.type === 'string') {
    const right = r.evaluator.evaluate(node.right);
    if (right.kind === 'sequence') {
      const lossy = right.items.filter(isLossy);
      const items = node.right.type === 'sequence' ? node.right.items : [];
      if (lossy.length > 1 && items.length === right.items.length)
        items.forEach((x, i) => fields?.set(x, right.items[i]));
      return lossy.length === 1 ? lossy[0] : unknown;
    }
    return right;
  }
  // `'{:.4}'.format(x)`: the line prints what it formats, a loss or a formula written inside the
  // call (read as the print's own argument would be) when exactly one of its arguments is one. A
  // formula assigned to a name earlier has its pair where it was assigned (formulaOf), not here.
  if (
    node.type === 'call' &&
    node.callee.type === 'attribute' &&
    node.callee.name === 'format' &&
    node.callee.object.type === 'string'
  ) {
    const raw = node.args.map((x) => r.evaluator.evaluate(x));
    const shown = raw.filter(
      (v) => isLossy(v) || (v.kind === 'array' && v.array.terms && !formulaSites.has(v.array.terms)),
    );
    // Several shown: the print's template may read each at its own field (3.189), not evaluated again.
    if (shown.length > 1) raw.forEach((v, i) => fields?.set(node.args[i], v));
    return shown.length === 1 ? shown[0] : unknown;
  }
  // `"cost = " + str(compute_cost(aL, Y))`: the line prints str() of the one value between its labels (3.134).
  const joined = r.python && r.scopes.lookup('str') === undefined ? strBetweenLabels(node) : null;
  if (joined) {
    const v = r.evaluator.evaluate(joined);
    if (isLossy(v)) return v;
  }
  // `print((0.6382 + 0.1698) / 2)`: a pair's per-sample losses typed in and averaged (3.88).
  return (r.python ? typedMeanOfLosses(r.evaluator, node) : null) ?? r.evaluator.evaluate(node);
}

/**
 * A string joined with `+` from plain literals and one `str(x)` (`"cost = " + str(c)`, `str(c) +
 * " nats"`): `x`, whose str() the print writes as it would write `x` itself; null for anything else.
 */
function strBetweenLabels(node: Node): Node | null {
  if (node.type !== 'binary' || node.op !== '+') return null;
  const leaves: Node[] = [];
  const walk = (n: Node): boolean => {
    if (leaves.length > 8) return false;
    if (n.type === 'binary' && n.op === '+') return walk(n.left) && walk(n.right);
    leaves.push(n);
    return true;
  };
  if (!walk(node)) return null;
  const shown = leaves.filter((n) => n.type !== 'string');
  if (shown.length !== 1 || leaves.some((n) => n.type === 'string' && n.value === null)) return null;
  const call = shown[0];
  const str = call.type === 'call' && call.callee.type === 'name' && call.callee.id === 'str';
  return str && call.type === 'call' && call.args.length === 1 && call.keywords.length === 0 ? call.args[0] : null;
}

function assignTarget(r: ReaderState, p: ExprParser, a: number, b: number, value: Value, valueNode: Node): void {
  if (b <= a) return;
  const span: [number, number] = [valueNode.start, valueNode.end];
  if ((b === a + 1 && p.isName(a)) || (r.python && p.isName(a) && p.isOp(a + 1, 58))) {
    const name = p.tokText(a);
    const local = r.python && valueNode.type === 'call' && r.scopes.inFunction();
    // A function's local gets a binding object of its own (never the shared `unknown`): changes.ts marks it.
    const own = local && value === unknown ? { ...unknown } : value;
    const bound = r.python ? literalBinding(own, valueNode, name, r.ctx.cell) : own;
    r.scopes.bind(name, bound, span);
    if (local) freshLocal(r.evaluator, valueNode, name, r.scopes.lookup(name));
    if (r.python) noteAssignment(r.evaluator, name, bound, valueNode);
    return;
  }
  // Tuple targets: a, b = x, y.
  const names = p.split(a, b, 44).filter(([s, e]) => e > s);
  if (names.length > 1) {
    names.forEach(([s, e], i) => {
      if (e === s + 1 && p.isName(s))
        r.scopes.bind(
          p.tokText(s),
          value.kind === 'sequence' && value.items.length === names.length ? value.items[i] : unknown,
        );
    });
    return;
  }
  // `out[i] = v`, `t[range(n), y] = 1`: the array bound to the name, updated.
  if (r.python && p.isName(a) && p.isOp(a + 1, 91) && p.match[a + 1] === b - 1) {
    assignIndexed(r.evaluator, r.scopes, p.parseList(a, b), value);
    return;
  }
  // `w[0][1] = 2.0` on a tensor or ndarray: `w[0, 1] = 2.0` (indexedAssign.ts chainedItem); else as below.
  if (r.python && p.isName(a) && p.isOp(a + 1, 91) && assignIndexed(r.evaluator, r.scopes, p.parseList(a, b), value))
    return;
  // obj.attr targets (self.logits = ...): keyed by their dotted text.
  const dotted = dottedText(r, p, a, b);
  if (dotted) r.scopes.bind(dotted, value, span);
  // `cfg["w"][0] = 5.0`, `self.w[0] = 1.0`: an element changed in an object held elsewhere.
  else if (r.python) overwritten(r.evaluator, r.scopes, [p.parseList(a, b)]);
}

function dottedText(r: ReaderState, p: ExprParser, a: number, b: number): string | null {
  if ((b - a) % 2 === 0) return null;
  for (let i = a; i < b; i++) {
    if ((i - a) % 2 === 0 ? !p.isName(i) : !p.isOp(i, 46)) return null;
  }
  return r.ctx.text.slice(p.buf.start[a], p.buf.end[b - 1]);
}
