/**
 * Claims made by test assertions: the expected number (or numbers) a test compares a loss with.
 * `expectArraysClose(await loss.data(), [...])` (tfjs), `expect(x).toBeCloseTo(v, digits)` (Jest),
 * `assert.approximately(x, v, delta)` (chai), `self.assertAlmostEqual(x, v, places=…)`,
 * `np.testing.assert_allclose(x, v, rtol=…, atol=…)`, `self.assertAllClose(x, v)` (TensorFlow's
 * tests), `self.assertTrue(mx.allclose(x, v))` (MLX's tests), and a bound on an absolute
 * difference: `self.assertTrue(abs(y.data - expected) < 1e-6)`, `assert abs(loss.item() - v) < tol`,
 * `self.assertLess(abs(loss - v), tol)`, as well as pytest's `assert loss.item() == approx(v)`.
 * The expected value may be a name bound to a number (`expected = 0.4402`): the claim is then the
 * number where it is written.
 *
 * Each claim carries the assertion's own tolerance: it is wrong only when the assertion itself
 * would fail on the value the code computes (so `0.49858734` asserted with a tolerance of 1e-3 is
 * judged at 1e-3, not at eight decimals). An expected array compared with a per-example loss is
 * one claim per element.
 */
import { namedDifference } from './namedDifferences';
import { claimInComment, type ClaimText, type ClaimTolerance } from '../claims';
import type { Printed } from '../context';
import { argumentNode, type CallNode, type Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { Value } from '../values';
import { summedAbsoluteDifference } from './summedBound';
import { assertedEqual } from './assertedEqual';

export { calledAgain } from './assertedEqual';

type ToleranceRule = (ev: Evaluation, call: CallNode) => ClaimTolerance | null;

const num = (ev: Evaluation, node: Node | undefined): number | undefined => {
  if (!node) return undefined;
  const v = ev.evaluate(node);
  return v.kind === 'number' ? v.value : undefined;
};

/** Absolute and relative tolerance from optional arguments, with defaults. */
function closeness(
  absolute: { position: number; keyword?: string; fallback: number } | null,
  relative: { position: number; keyword?: string; fallback: number } | null,
  name: string,
): ToleranceRule {
  return (ev, call) => {
    const a = absolute ? (num(ev, argumentNode(call, absolute)) ?? absolute.fallback) : 0;
    const r = relative ? (num(ev, argumentNode(call, relative)) ?? relative.fallback) : 0;
    return { absolute: a, relative: r, assertion: name };
  };
}

/**
 * Python's assertAlmostEqual: round(a − b, places) == 0, or |a − b| ≤ delta. Keras 3's own TestCase
 * (`from keras.src import testing`) replaces it with numpy's assert_almost_equal at `decimal=3` (3.414).
 */
const almostEqual: ToleranceRule = (ev, call) => {
  if (kerasTestCase(ev)) {
    const decimal = num(ev, argumentNode(call, { position: 2, keyword: 'decimal' })) ?? 3;
    return { absolute: 1.5 * Math.pow(10, -decimal), relative: 0, assertion: 'assertAlmostEqual (Keras 3)' };
  }
  const delta = num(ev, argumentNode(call, { position: -1, keyword: 'delta' }));
  if (delta !== undefined) return { absolute: delta, relative: 0, assertion: 'assertAlmostEqual' };
  const places = num(ev, argumentNode(call, { position: 2, keyword: 'places' })) ?? 7;
  return { absolute: 0.5 * Math.pow(10, -places), relative: 0, assertion: 'assertAlmostEqual' };
};

/** A file of Keras 3's own tests: its TestCase imported from `keras.src.testing` (computed once per text). */
let kerasTests: { text: string; yes: boolean } | null = null;
function kerasTestCase(ev: Evaluation): boolean {
  const text = ev.ctx.text;
  if (kerasTests?.text !== text)
    kerasTests = {
      text,
      yes: /\bfrom[ \t]+keras\.src[ \t]+import[ \t(][^\n]{0,200}?\btesting\b(?![.\w])|\bkeras\.src\.testing\b(?!_)/.test(
        text,
      ),
    };
  return kerasTests.yes;
}

/** numpy's assert_almost_equal / assert_array_almost_equal: |a − b| < 1.5 · 10^−decimal. */
const almostEqualDecimal: ToleranceRule = (ev, call) => {
  const decimal = num(ev, argumentNode(call, { position: 2, keyword: 'decimal' })) ?? (6 as number);
  return { absolute: 1.5 * Math.pow(10, -decimal), relative: 0, assertion: 'assert_almost_equal' };
};

/** Jest's toBeCloseTo(v, digits = 2): |a − v| < 10^−digits / 2. */
const toBeCloseTo: ToleranceRule = (ev, call) => {
  const digits = num(ev, call.args[1]) ?? 2;
  return { absolute: Math.pow(10, -digits) / 2, relative: 0, assertion: 'toBeCloseTo' };
};

/** Functions called as `f(actual, expected, …)`, by the name the callee ends with. */
const pairwise = new Map<string, { python: boolean; rule: ToleranceRule }>([
  // tfjs's test_util: epsilon defaults to 1e-3 on a float32 backend.
  ['expectArraysClose', { python: false, rule: closeness({ position: 2, fallback: 1e-3 }, null, 'expectArraysClose') }],
  [
    'expectTensorsClose',
    { python: false, rule: closeness({ position: 2, fallback: 1e-3 }, null, 'expectTensorsClose') },
  ],
  [
    'expectNumbersClose',
    { python: false, rule: closeness({ position: 2, fallback: 1e-3 }, null, 'expectNumbersClose') },
  ],
  ['approximately', { python: false, rule: closeness({ position: 2, fallback: NaN }, null, 'approximately') }],
  ['closeTo', { python: false, rule: closeness({ position: 2, fallback: NaN }, null, 'closeTo') }],
  ['assertAlmostEqual', { python: true, rule: almostEqual }],
  ['assertAlmostEquals', { python: true, rule: almostEqual }],
  [
    'assert_allclose',
    {
      python: true,
      rule: closeness(
        { position: 3, keyword: 'atol', fallback: 0 },
        { position: 2, keyword: 'rtol', fallback: 1e-7 },
        'assert_allclose',
      ),
    },
  ],
  // torch.testing.assert_close: float32's defaults (rtol 1.3e-6, atol 1e-5), the looser of torch's.
  [
    'assert_close',
    {
      python: true,
      rule: closeness(
        { position: -1, keyword: 'atol', fallback: 1e-5 },
        { position: -1, keyword: 'rtol', fallback: 1.3e-6 },
        'assert_close',
      ),
    },
  ],
  ['assert_almost_equal', { python: true, rule: almostEqualDecimal }],
  ['assert_array_almost_equal', { python: true, rule: almostEqualDecimal }],
  [
    // TensorFlow's test case: rtol=1e-6, atol=1e-6.
    'assertAllClose',
    {
      python: true,
      rule: closeness(
        { position: 3, keyword: 'atol', fallback: 1e-6 },
        { position: 2, keyword: 'rtol', fallback: 1e-6 },
        'assertAllClose',
      ),
    },
  ],
]);

/** `allclose(a, b, rtol=1e-5, atol=1e-8)` of numpy, jax.numpy and MLX, inside assertTrue / assert. */
const allclose = closeness(
  { position: 3, keyword: 'atol', fallback: 1e-8 },
  { position: 2, keyword: 'rtol', fallback: 1e-5 },
  'allclose',
);

/**
 * Conversions that keep a loss's values: `.numpy()`, `.item()`, `await y.data()`, `float(…)`,
 * TensorFlow 1's `loss.eval()`, mlx-node's `loss.toFloat32()`.
 */
const passThrough = new Set([
  'numpy',
  'item',
  'data',
  'dataSync',
  'array',
  'arraySync',
  'tolist',
  'float',
  'eval',
  'toFloat32',
]);
/** What runs a TensorFlow graph and returns its value: `self.evaluate(loss)` (tf.test), `sess.run(loss)`. */
const graphRunners = new Set(['evaluate', 'run']);

function unwrap(node: Node): Node {
  let n = node;
  for (let depth = 0; depth < 8; depth++) {
    if (n.type !== 'call' || n.keywords.length > 0) return n;
    if (n.callee.type === 'attribute' && n.args.length === 0 && passThrough.has(n.callee.name)) n = n.callee.object;
    else if (n.callee.type === 'attribute' && n.args.length === 1 && graphRunners.has(n.callee.name)) n = n.args[0];
    else if (n.callee.type === 'name' && n.args.length === 1 && passThrough.has(n.callee.id)) n = n.args[0];
    else return n;
  }
  return n;
}

function calleeName(call: CallNode): string | null {
  const c = call.callee;
  return c.type === 'name' ? c.id : c.type === 'attribute' ? c.name : null;
}

interface Compared {
  actual: Node;
  expected: Node;
  tolerance: ClaimTolerance;
}

/** What takes an absolute value: Python's `abs`, numpy's, torch's, math's and jax.numpy's. */
const absolutes = new Set([
  'builtins.abs',
  'numpy.abs',
  'numpy.absolute',
  'numpy.fabs',
  'math.fabs',
  'torch.abs',
  'torch.absolute',
  'jax.numpy.abs',
]);

/** `abs(a - b)`, `np.abs(a - b)`, `(a - b).abs()` (a conversion around it allowed): [a, b]. */
function absoluteDifference(ev: Evaluation, node: Node): [Node, Node] | null {
  const n = unwrap(node);
  if (n.type !== 'call' || n.keywords.length > 0) return null;
  let inner: Node | null = null;
  if (n.args.length === 1 && !ev.python) {
    // JavaScript's `Math.abs(a - b)` (a global: never bound to anything else in the snippets read).
    const c = n.callee;
    if (c.type === 'attribute' && c.name === 'abs' && c.object.type === 'name' && c.object.id === 'Math')
      inner = n.args[0];
  } else if (n.args.length === 1) {
    const fn = ev.evaluate(n.callee);
    if (fn.kind === 'namespace' && absolutes.has(fn.path)) inner = n.args[0];
  } else if (n.args.length === 0 && n.callee.type === 'attribute' && n.callee.name === 'abs') inner = n.callee.object;
  // `diff = out - want` a few lines up, `abs(diff)` here (3.149).
  if (inner?.type === 'name' && ev.python) inner = namedDifference(ev, inner);
  return inner?.type === 'binary' && inner.op === '-' ? [inner.left, inner.right] : null;
}

/**
 * |a − b| bounded by a number: the claim that b is a's value within that bound. Without the `abs`
 * (`(a - b) < tol`, a slip tests make) the assertion bounds one side only, and the claim is judged
 * as the assertion runs: it fails when a − b reaches the bound, whatever b's distance below a.
 */
function boundedDifference(ev: Evaluation, difference: Node, bound: Node, assertion: string): Compared | null {
  const absolute = absoluteDifference(ev, difference);
  const d = unwrap(difference);
  const operands = absolute ?? (d.type === 'binary' && d.op === '-' ? [d.left, d.right] : null);
  if (!operands) return null;
  const tol = num(ev, bound);
  if (tol === undefined || !Number.isFinite(tol) || tol < 0) return null;
  const tolerance: ClaimTolerance = absolute
    ? { absolute: tol, relative: 0, assertion }
    : { absolute: tol, relative: 0, assertion: 'a bound on a − b (one side only: no abs)', side: 'below' };
  return { actual: operands[0], expected: operands[1], tolerance };
}

/** The comparison read the other way round (a one-sided bound changes side). */
function swapped(c: Compared): Compared {
  const side = c.tolerance.side;
  const tolerance: ClaimTolerance = side ? { ...c.tolerance, side: side === 'below' ? 'above' : 'below' } : c.tolerance;
  return { actual: c.expected, expected: c.actual, tolerance };
}

/** pytest's `approx(v, rel=1e-6, abs=1e-12)`: a tolerance of its own (abs alone turns rel off). */
function approxOf(ev: Evaluation, node: Node): { expected: Node; tolerance: ClaimTolerance } | null {
  if (node.type !== 'call' || node.args.length !== 1) return null;
  const fn = ev.evaluate(node.callee);
  if (fn.kind !== 'namespace' || fn.path !== 'pytest.approx') return null;
  if (node.keywords.some((k) => k.name !== 'rel' && k.name !== 'abs')) return null;
  const absNode = node.keywords.find((k) => k.name === 'abs')?.value;
  const relNode = node.keywords.find((k) => k.name === 'rel')?.value;
  const a = absNode ? num(ev, absNode) : 1e-12;
  const r = relNode ? num(ev, relNode) : absNode ? 0 : 1e-6;
  if (a === undefined || r === undefined || !Number.isFinite(a) || !Number.isFinite(r)) return null;
  return { expected: node.args[0], tolerance: { absolute: a, relative: r, assertion: 'pytest.approx' } };
}

/**
 * A condition that asserts closeness: `abs(a - b) < tol` (or `tol > abs(a - b)`, `<=`, `>=`), and
 * `a == approx(b)` (either side).
 */
function condition(ev: Evaluation, cond: Node, depth = 0): Compared | null {
  // `np.all(abs(a - b) < tol)`, `(abs(a - b) < tol).all()`: every element within the bound (3.149).
  const every = depth === 0 ? allOf(ev, cond) : null;
  if (every) return condition(ev, every, 1);
  if (cond.type !== 'binary') return null;
  const name = 'a bound on |a − b|';
  if (cond.op === '<' || cond.op === '<=') return boundedDifference(ev, cond.left, cond.right, name);
  if (cond.op === '>' || cond.op === '>=') return boundedDifference(ev, cond.right, cond.left, name);
  if (cond.op !== '==') return null;
  const right = approxOf(ev, cond.right);
  if (right) return { actual: cond.left, ...right };
  const left = approxOf(ev, cond.left);
  return left ? { actual: cond.right, ...left } : null;
}

/** What `numpy.all` / `torch.all` / `.all()` is called on, when it is a comparison. */
function allOf(ev: Evaluation, node: Node): Node | null {
  if (node.type !== 'call' || node.keywords.length > 0) return null;
  const c = node.callee;
  if (node.args.length === 0 && c.type === 'attribute' && c.name === 'all')
    return c.object.type === 'binary' ? c.object : null;
  if (node.args.length !== 1 || node.args[0].type !== 'binary') return null;
  const fn = ev.evaluate(c);
  return fn.kind === 'namespace' && everyOf.has(fn.path) ? node.args[0] : null;
}

const everyOf = new Set(['numpy.all', 'torch.all', 'jax.numpy.all']);

/** unittest's `assertLess(abs(a - b), tol)` and its kin: which argument is the difference. */
const boundAssertions = new Map<string, 0 | 1>([
  ['assertLess', 0],
  ['assertLessEqual', 0],
  ['assertGreater', 1],
  ['assertGreaterEqual', 1],
]);

/** The `X` of `expect(X)`, or of `expect(X).to.be` (chai's chain words), under a matcher call. */
function expectSubject(call: CallNode): Node | null {
  let n: Node = call.callee;
  for (let depth = 0; depth < 6 && n.type === 'attribute'; depth++) {
    n = n.object;
    if (n.type === 'call' && calleeName(n) === 'expect' && n.args.length === 1) return n.args[0];
  }
  return null;
}

/** Jest's `toBeLessThan` and kin: the matcher's subject is the difference, its argument the bound. */
const jsBounds = new Set(['toBeLessThan', 'toBeLessThanOrEqual']);
/** A JavaScript call that asserts its one argument true: `assert(c)`, `assert.ok(c)`, `console.assert(c)`. */
const jsTruthy = new Set(['assert', 'ok', 'isTrue']);

/**
 * JavaScript's spellings of the bounds Python's tests write (one reading, {@link condition} and
 * {@link boundedDifference}, for both): `expect(Math.abs(a - b)).toBeLessThan(tol)`,
 * `assert(Math.abs(a - b) < tol)`, `expect(Math.abs(a - b) < tol).toBe(true)`, and chai's
 * `expect(a).to.be.closeTo(v, tol)` / `.approximately(v, tol)` (|a − v| ≤ tol).
 */
function jsCompared(ev: Evaluation, call: CallNode, name: string): Compared | null | undefined {
  const subject = expectSubject(call);
  if (jsBounds.has(name)) return subject && call.args[0] ? boundedDifference(ev, subject, call.args[0], name) : null;
  const arg = call.args[0];
  const isTrue = arg?.type === 'name' && arg.id === 'true';
  if ((name === 'toBeTruthy' && call.args.length === 0) || (name === 'toBe' && isTrue))
    return subject?.type === 'binary' ? condition(ev, subject) : null;
  if (jsTruthy.has(name) && call.args.length >= 1 && call.args[0].type === 'binary') return condition(ev, call.args[0]);
  if ((name === 'closeTo' || name === 'approximately') && subject && call.args.length === 2) {
    const tol = num(ev, call.args[1]);
    if (tol === undefined || !Number.isFinite(tol) || tol < 0) return null;
    return { actual: subject, expected: call.args[0], tolerance: { absolute: tol, relative: 0, assertion: name } };
  }
  return undefined;
}

/** The (actual, expected, tolerance) an assertion call compares, if it is one. */
function compared(ev: Evaluation, call: CallNode): Compared | null {
  const name = calleeName(call);
  if (name === null) return null;
  if (!ev.python) {
    const js = jsCompared(ev, call, name);
    if (js !== undefined) return js;
  }
  const bound = ev.python ? boundAssertions.get(name) : undefined;
  if (bound !== undefined) {
    const [d, b] = [call.args[bound], call.args[1 - bound]];
    return d && b ? boundedDifference(ev, d, b, name) : null;
  }
  if (ev.python && (name === 'assertTrue' || name === 'assert_') && call.args[0]?.type === 'binary')
    return condition(ev, call.args[0]);
  if (name === 'toBeCloseTo' && !ev.python) {
    const subject = call.callee.type === 'attribute' ? call.callee.object : null;
    if (subject?.type !== 'call' || calleeName(subject) !== 'expect' || !subject.args[0] || !call.args[0]) return null;
    const tolerance = toBeCloseTo(ev, call);
    return tolerance ? { actual: subject.args[0], expected: call.args[0], tolerance } : null;
  }
  if (ev.python && (name === 'assertTrue' || name === 'assert_') && call.args[0]?.type === 'call') {
    const inner = call.args[0];
    if (calleeName(inner) !== 'allclose' || !inner.args[0] || !inner.args[1]) return null;
    const tolerance = allclose(ev, inner);
    return tolerance ? { actual: inner.args[0], expected: inner.args[1], tolerance } : null;
  }
  // `assert torch.allclose(loss, expected)` / `np.isclose(...)`, straight in an assert statement.
  if (ev.python && (name === 'allclose' || name === 'isclose')) {
    if (!call.args[0] || !call.args[1]) return null;
    return { actual: call.args[0], expected: call.args[1], tolerance: allclose(ev, call) as ClaimTolerance };
  }
  const entry = pairwise.get(name);
  if (!entry || entry.python !== ev.python || !call.args[0] || !call.args[1]) return null;
  const tolerance = entry.rule(ev, call);
  if (!tolerance || !Number.isFinite(tolerance.absolute) || !Number.isFinite(tolerance.relative)) return null;
  // `assertAlmostEqual(np.abs(e - gold).sum(), 0, delta=…)`: each element of gold within the bound.
  const summedPair = summedAbsoluteDifference(ev, call.args[0], call.args[1], absoluteDifference);
  if (summedPair) return { actual: summedPair[0], expected: summedPair[1], tolerance };
  return { actual: call.args[0], expected: call.args[1], tolerance };
}

/** A number as a claim of its own (an element of an expected array has no text of its own). */
function numberClaim(value: number, start: number, end: number, tolerance: ClaimTolerance): ClaimText {
  const text = String(value);
  const [mant, exp] = text.toLowerCase().split('e');
  const dot = mant.indexOf('.');
  return {
    start,
    end,
    text,
    numText: text,
    numOffset: 0,
    value,
    decimals: dot < 0 ? 0 : mant.length - dot - 1,
    significant: Math.max(mant.replace(/[-+.]/g, '').replace(/^0+/, '').length, 1),
    exponent: exp ? Number(exp) : 0,
    style: 'plain',
    tolerance,
  };
}

/** At most this many element claims per assertion (a test may compare hundreds of values). */
const maxElements = 64;

/**
 * Binds the claims of an assertion call and returns true (its operands are evaluated once, here),
 * or returns false when the call is not an assertion (the caller evaluates it as any other call).
 */
export function assertionClaims(ev: Evaluation, call: CallNode): boolean {
  const c = compared(ev, call);
  if (!c) return false;
  bindCompared(ev, c, call);
  return true;
}

/**
 * The condition of an `assert` statement, when it asserts closeness (`abs(a - b) < tol`,
 * `a == approx(b)`): binds its claims and returns true; false for any other condition.
 */
export function assertedCondition(ev: Evaluation, cond: Node): boolean {
  const c = ev.python ? condition(ev, cond) : null;
  if (!c) return false;
  bindCompared(ev, c, null);
  return true;
}

function bindCompared(ev: Evaluation, compared: Compared, assertion: CallNode | null): void {
  let c = compared;
  // `abs(0.3982 - loss.dataSync()[0])`: the number written first is the expected value.
  if (c.actual.type === 'number' && c.expected.type !== 'number') c = swapped(c);
  // `y.dataSync()[k]`: the k-th value of the output.
  let actualNode = unwrap(c.actual);
  let element: number | undefined;
  if (actualNode.type === 'subscript' && actualNode.index.type === 'number' && actualNode.index.integer) {
    element = actualNode.index.value;
    actualNode = unwrap(actualNode.object);
  }
  let actual: Value = ev.evaluate(actualNode);
  if (actual.kind !== 'loss' && actual.kind !== 'scalar') {
    // `allclose(expected, F.cross_entropy(z, k))`: the loss may be either operand.
    const other = element === undefined ? unwrap(c.expected) : null;
    const otherValue = other ? ev.evaluate(other) : ev.evaluate(c.expected);
    if (!other || (otherValue.kind !== 'loss' && otherValue.kind !== 'scalar')) return;
    c = swapped(c);
    actual = otherValue;
  }
  const ctx = ev.ctx;
  const printed: Printed = { value: actual, exprText: ctx.text.slice(c.actual.start, c.actual.end), direct: true };
  const expected = ev.evaluate(c.expected);
  // `assert_close(project_loss(x, t), F.cross_entropy(x, t))`: the project's call is that loss (3.86).
  if (assertion && actual.kind === 'loss' && element === undefined) assertedEqual(ev, assertion, actual, expected);
  if (expected.kind === 'number') {
    // The number as written, unless the expected value is an expression (`1700.0 / 7.0`): then
    // its value, which has no text of its own to rewrite. A name bound to a literal
    // (`expected = 0.4402`) is claimed at that literal.
    const lit = c.expected.type === 'name' ? expected.literal : undefined;
    const at = lit && lit.cell === ctx.cell ? lit : c.expected;
    const found = claimInComment(ctx.text, at.start, at.end);
    const written = found && found.value === expected.value ? found : null;
    const claim = written
      ? { ...written, tolerance: c.tolerance }
      : numberClaim(expected.value, at.start, at.end, c.tolerance);
    if (found && !written) claim.text = ctx.text.slice(at.start, at.end);
    const binding = ctx.bindClaim(printed, claim, 'comment', null);
    if (found && !written) binding.fixable = false;
    if (element !== undefined) {
      if (binding.subject.kind === 'pair') binding.subject = { ...binding.subject, element };
      else binding.subject = { kind: 'unknown', reason: 'one value of this expression is not modelled' };
    }
    return;
  }
  if (element !== undefined) return;
  if (expected.kind !== 'array' || !expected.array.data) return;
  const data = expected.array.data;
  // The numbers are claimed where they are written: `expected = mx.array([...])` a few lines up.
  const site = expected.array.site;
  const where =
    !expected.array.derived && site.cell === ctx.cell
      ? { start: site.literalStart, end: site.literalEnd }
      : { start: c.expected.start, end: c.expected.end };
  if (data.length === 1) {
    ctx.bindClaim(printed, numberClaim(data[0], where.start, where.end, c.tolerance), 'comment', null);
    return;
  }
  if (actual.kind !== 'loss' || data.length > maxElements) return;
  for (let i = 0; i < data.length; i++) {
    const binding = ctx.bindClaim(printed, numberClaim(data[i], where.start, where.end, c.tolerance), 'comment', null);
    // One element of a per-example output; the element has no span of its own to rewrite.
    if (binding.subject.kind === 'pair') binding.subject = { ...binding.subject, element: i };
    binding.fixable = false;
  }
}
