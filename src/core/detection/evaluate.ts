/**
 * Value evaluation: an abstract interpreter over a small value domain (values.ts). Names are
 * looked up in the scopes, constructors and array methods go to arrays.ts, loss calls to the
 * catalogue (recognise.ts), hand-written formulas to formulas.ts, arithmetic on losses to
 * scalarValues.ts. Depth is capped: hostile chains (`a.b.c…`, `x[0][0]…`) evaluate to unknown.
 */
import { tracked } from './changes';
import { arrayMethod, constructed, literalArray, logOfSoftmax, oneHot, transformed } from './arrays';
import { findRecogniser, recogniserById, recogniserForPath, unboundAliasEntry } from './catalogue';
import { comprehension } from './comprehensions';
import { dictAttribute, dictValue, valueMethod } from './dictMethods';
import { spreadCall } from './spreadArgs';
import { valueGraph } from './jsValueGraphs';
import { unboundHelperWhy } from './laterDefinitions';
import { conditionalValue, noneValue } from './conditions';
import * as steps from './evalSteps';
import { listArithmetic, tfFloatArgument, tfListOperands } from './pythonLists';
import type { DetectionContext } from './context';
import { argumentValue, opaqueCall, sourceOf, type CallNode, type Evaluation } from './evaluation';
import type { Node, NodeOf } from './expr';
import { canonical, constructors, keepsValue, lossFnName, lossyName, userLoss } from './names';
import { assertionClaims, calledAgain } from './recognisers/assertions';
import { isLibraryConstructor, unboundAlias } from './unboundAlias';
import {
  isLibraryOneHot,
  librarySoftmax,
  libraryReducer,
  otherLibraryLoss,
  softmaxModule,
} from './recognisers/functions';
import { ownArithmetic, recogniseFormula } from './recognisers/formulas';
import { negatedFormula, numberFormula } from './recognisers/floatLse';
import { criterionCall, igniteLossMetric } from './recognisers/igniteLoss';
import { metricMethod } from './recognisers/kerasMetrics';
import { unboundCallee, unboundGuess, wrappedFunction } from './recognisers/guesses';
import { lossModule, readOptions, recogniseLoss } from './recognise';
import { reducedLosses, scalarBinary, scalarFunction, scalarNegated, weighing } from './scalarValues';
import type { Scopes } from './scope';
import { reducedPair } from './reducedPairs';
import { rowReduction, rowsWhy, wholeAxis } from './maskedLosses';
import { callFunction, instanceMember, lambdaValue } from './replay';
import { asSourceOperands, complementNumber } from './scalarSources';
import { dotProduct } from './dotProducts';
import { libraryCall, sigmoidOf } from './tensorCalls';
import { getItem, indexPart, materialise, type IndexPart } from './tensorIndex';
import { binaryOp, libOf, unaryOp } from './tensorMath';
import { tensorAttribute } from './tensorMethods';
import { memberOrSpecial, specialNumber } from './numberSpellings';
import { assumedValue, isDataOf, isLossy, unknown, unknownLossy, withArray, type Value } from './values';

/** Nodes nested deeper than this evaluate to unknown (no stack overflow, no quadratic chains). */
const maxDepth = 200;
/** Longest `self.a.b` name looked up as one bound name. */
const maxDottedName = 256;

/** `exp` / `log` of a number or a loss (arrays go to tensorCalls.ts). */
const scalarFunctions = new Map<string, 'exp' | 'log'>(
  ['numpy', 'torch', 'math', 'Math'].flatMap((lib) =>
    [`${lib}.exp`, `${lib}.log`].map((f) => [f, f.endsWith('exp') ? 'exp' : 'log'] as const),
  ),
);

const softmaxFunctions = new Set([
  'torch.nn.functional.log_softmax',
  'torch.log_softmax',
  'torch.nn.functional.softmax',
  'torch.softmax',
  'scipy.special.softmax',
  'scipy.special.log_softmax',
]);

export class Evaluator implements Evaluation {
  private depth = 0;
  python = true;

  constructor(
    readonly ctx: DetectionContext,
    private readonly scopes: Scopes,
  ) {}

  evaluate(node: Node): Value {
    if (this.depth >= maxDepth) return unknown;
    this.depth++;
    try {
      return this.evaluateNode(node);
    } finally {
      this.depth--;
    }
  }
  /** At a segment's top level (not inside a definition or a followed call). */
  get topLevel(): boolean {
    return this.scopes.depth === 1;
  }

  private notComputed(text: string): Value {
    return { kind: 'unknown', lossy: true, why: `\`${text}\` is not computed in this source` };
  }

  private evaluateNode(node: Node): Value {
    switch (node.type) {
      case 'name':
        return this.name(node.id);
      case 'number':
        // A malformed number (`1e - 7` reads `1e`): Python rejects the file, so nothing is computed.
        if (Number.isNaN(node.value))
          return { kind: 'unknown', lossy: false, why: `\`${sourceOf(this, node)}\` is not a number Python reads` };
        return { kind: 'number', value: node.value, integer: node.integer };
      case 'string':
        return node.value !== null ? { kind: 'string', value: node.value } : unknown;
      case 'literal':
        return { kind: 'array', array: literalArray(this, node.site) };
      case 'attribute':
        return this.attribute(node);
      case 'call':
        return this.call(node);
      case 'subscript':
        return this.subscript(node);
      case 'binary':
        return this.binary(node);
      case 'unary':
        return this.unary(node);
      case 'sequence': {
        const items = node.items.map((x) => this.evaluate(x));
        return (node.kind === 'list' && steps.foldedList(this, node, items)) || { kind: 'sequence', items };
      }
      case 'comprehension':
        return comprehension(this, this.scopes, node);
      case 'conditional':
        return conditionalValue(this, node);
      case 'slice':
        return steps.sliceValue(this, node);
      case 'dict': {
        const entries = new Map<string, Value>();
        for (const e of node.entries) {
          // A name stored in a record (`module.exports = { logits, labels }`) is carried, not computed with.
          const v = e.value.type === 'name' ? this.name(e.value.id, false) : this.evaluate(e.value);
          if (e.key === null) continue;
          if (v.kind === 'array') {
            if (v.array.fresh && v.array.site.name === null) v.array.site.name = e.key;
            // Stored values are no longer "fresh": a later torch.tensor(d['logits']) converts, it does not re-site.
            entries.set(e.key, { kind: 'array', array: withArray(v.array, { name: e.key }) });
          } else entries.set(e.key, v);
        }
        return dictValue(this, node, entries);
      }
      default:
        return node.type === 'lambda' ? lambdaValue(this, this.scopes, node) : unknown;
    }
  }

  private name(id: string, read = true): Value {
    const v = this.scopes.lookup(id);
    if (read) this.markRead(v);
    if (v !== undefined) return v.kind === 'array' ? { kind: 'array', array: withArray(v.array, { name: id }) } : v;
    const path = unboundAlias(id, this.python, this.ctx.text, this.ctx.document);
    // An unbound `torch`, `nn` or `F` is taken to be torch's: a loss read through it says so (`assumed`).
    const torch = this.python && !!path && (path === 'torch' || path.startsWith('torch.'));
    if (path && (this.python || !['F', 'nn', 'np', 'torch'].includes(id)))
      return torch ? { kind: 'namespace', path, assumed: id } : { kind: 'namespace', path };
    if (!this.python && (id === 'Infinity' || id === 'NaN'))
      return { kind: 'number', value: id === 'NaN' ? NaN : Infinity, integer: false };
    if (this.python && id === 'None') return noneValue;
    if (this.python && (id === 'True' || id === 'False'))
      return { kind: 'number', value: id === 'True' ? 1 : 0, integer: true };
    return lossyName.test(id) ? this.notComputed(id) : unknown;
  }

  /** The call's arguments that are names bound to arrays (a followed function's pair names them). */
  private namedArrays(node: CallNode): { name: string; site: number }[] {
    const out: { name: string; site: number }[] = [];
    for (const a of node.args) {
      const v = a.type === 'name' ? this.scopes.lookup(a.id) : undefined;
      if (v?.kind === 'array' && a.type === 'name') out.push({ name: a.id, site: v.array.site.id });
    }
    return out;
  }

  /**
   * An array the code reads is no longer a candidate for a pair found by names alone: what the
   * code does with it (a softmax, an index, a formula this module does not model) is its meaning.
   */
  private markRead(v: Value | undefined): void {
    if (v?.kind === 'array') this.ctx.usedSites.add(v.array.site.id);
    else if (v?.kind === 'opaqueArray') this.ctx.usedSites.add(v.from.site.id);
  }

  private attribute(node: NodeOf<'attribute'>): Value {
    // Dotted names bound by assignment (self.logits = ...).
    if ((node.object.type === 'name' || node.object.type === 'attribute') && node.end - node.start <= maxDottedName) {
      const dotted = sourceOf(this, node);
      if (/^[\w$.]+$/.test(dotted)) {
        const bound = this.scopes.lookup(dotted);
        this.markRead(bound);
        if (bound)
          return bound.kind === 'array' ? { kind: 'array', array: withArray(bound.array, { name: dotted }) } : bound;
      }
    }
    const obj = this.evaluate(node.object);
    if (isDataOf(obj, node.name)) return obj;
    switch (obj.kind) {
      case 'namespace':
        return memberOrSpecial(obj, canonical(`${obj.path}.${node.name}`));
      case 'array':
        return tensorAttribute(obj.array, node.name, this.python) ?? { kind: 'method', receiver: obj, name: node.name };
      case 'criterion':
      case 'module':
        if (node.name === 'forward' || node.name === '__call__') return obj;
        return obj.kind === 'criterion' ? { kind: 'method', receiver: obj, name: node.name } : unknown;
      case 'dict':
        return dictAttribute(this, obj, node.name);
      case 'sequence': {
        // A named tuple's field (`x.max(1).values`).
        const k = obj.names?.indexOf(node.name) ?? -1;
        return k >= 0 ? obj.items[k] : (steps.jsLength(this, obj, node.name) ?? unknown);
      }
      case 'loss':
      case 'scalar':
      case 'number':
      case 'string':
        return { kind: 'method', receiver: obj, name: node.name };
      case 'opaqueArray':
        if (obj.maskedLog && node.name === 'filled') return { kind: 'method', receiver: obj, name: node.name };
        return { kind: 'opaqueArray', from: obj.from, why: obj.why };
      case 'unknown':
        if (obj.lossy) return obj.masked ? { kind: 'method', receiver: obj, name: node.name } : obj;
        return lossyName.test(node.name) ? this.notComputed(sourceOf(this, node)) : unknown;
      default:
        return instanceMember(obj, node.name);
    }
  }

  private subscript(node: NodeOf<'subscript'>): Value {
    const obj = this.evaluate(node.object);
    const index = this.evaluate(node.index);
    if (obj.kind === 'dict' && index.kind === 'string') return obj.entries.get(index.value) ?? unknown;
    if (obj.kind === 'sequence' && index.kind === 'number' && Number.isInteger(index.value)) {
      const i = index.value < 0 ? obj.items.length + index.value : index.value;
      return obj.items[i] ?? unknown;
    }
    if (obj.kind === 'array') {
      const tuple = node.index.type === 'sequence' && node.index.kind === 'tuple';
      const items0 = tuple && node.index.type === 'sequence' ? node.index.items : [node.index];
      const values0 = tuple && index.kind === 'sequence' ? index.items : [index];
      // `x[..., :-1, :]`: the Ellipsis as the full slices it stands for.
      const { items, values } = steps.ellipsisParts(this, items0, values0, obj.array.shape.length);
      // `m[:, None]` / `m[:, np.newaxis]`: a new axis of length 1 where the None stands.
      const newAxes = items.map((n) => steps.isNewAxis(n));
      const kept = values.filter((_, i) => !newAxes[i]);
      const parts = kept.map(indexPart);
      let got = parts.every((p) => p !== null) ? getItem(obj.array, parts as IndexPart[]) : null;
      if (got && newAxes.some(Boolean)) got = steps.withNewAxes(got, parts as IndexPart[], newAxes);
      if (got) return { kind: 'array', array: got };
    }
    if (obj.kind === 'array' || obj.kind === 'opaqueArray')
      return {
        kind: 'opaqueArray',
        from: obj.kind === 'array' ? obj.array : obj.from,
        why: 'this indexing is not modelled',
      };
    return steps.flatRead(this, node, obj, index) ?? (isLossy(obj) ? unknownLossy : unknown);
  }

  private unary(node: NodeOf<'unary'>): Value {
    const x = this.evaluate(node.operand);
    if (node.op === '+') return x;
    if (node.op !== '-') return steps.invertedMask(node.op, x) ?? (isLossy(x) ? unknownLossy : unknown);
    const scalar = scalarNegated(x);
    if (scalar) return negatedFormula(this, node, scalar) ?? scalar;
    if (x.kind === 'array') {
      const a = materialise(x.array);
      const lib = libOf(a);
      const v = lib === 'list' ? null : unaryOp('neg', a, lib);
      return v ? { kind: 'array', array: v } : { kind: 'opaqueArray', from: a, why: 'this negation is not modelled' };
    }
    if (x.kind === 'opaqueArray') return x;
    return isLossy(x) ? unknownLossy : unknown;
  }

  private binary(node: NodeOf<'binary'>): Value {
    const [l0, r0] = weighing(this.evaluate(node.left), this.evaluate(node.right));
    const op = node.op;
    const known = steps.knownBinary(this, node, l0, r0) ?? listArithmetic(this, node, l0, r0);
    if (known) return known;
    // A number bound by a literal, times a formula term, is read as the source it is (scalarSources.ts).
    const [l, r] = asSourceOperands(this, op, ...tfListOperands(l0, r0));
    const scalar = scalarBinary(op, l, r);
    if (scalar) return numberFormula(this, node, l, r, scalar) ?? complementNumber(this, op, l, r, scalar);
    // Elementwise arithmetic with numpy's / torch's broadcasting and dtype rules.
    const la = steps.argOf(l);
    const ra = steps.argOf(r);
    if (la && ra && (l.kind === 'array' || r.kind === 'array')) {
      const v =
        op === '@' && 'site' in la && 'site' in ra ? dotProduct(la, ra) : op === '@' ? null : binaryOp(op, la, ra);
      if (v) return { kind: 'array', array: v };
    }
    for (const side of [l, r]) {
      if (side.kind === 'array')
        return { kind: 'opaqueArray', from: side.array, why: `\`${op}\` here is not modelled` };
      if (side.kind === 'opaqueArray') return side;
    }
    return isLossy(l) || isLossy(r) ? unknownLossy : unknown;
  }

  private call(written: CallNode): Value {
    const node = spreadCall(this, written, this.scopes);
    if ('kind' in node) return node;
    if (assertionClaims(this, node)) return unknown;
    // TensorFlow 1.x: `sess.run(z)` evaluates the graph tensor it is given, so it prints z itself.
    const run = steps.sessionRun(this, node);
    if (run) return run;
    const fn = this.evaluate(node.callee);
    // A call that may change data in place (`cfg.update(…)`, `np.copyto(w, …)`): changes.ts.
    return tracked(this, this.scopes, node, fn, () => this.callOf(node, fn));
  }

  private callOf(node: CallNode, fn: Value): Value {
    const wrapped = wrappedFunction(this, node, fn) ?? valueGraph(this, this.scopes, node, fn) ?? undefined;
    if (wrapped !== undefined) return wrapped;
    switch (fn.kind) {
      case 'namespace':
        return assumedValue(this.namespaceCall(fn.path, node, fn.assumed), fn.assumed, fn.path);
      case 'criterion':
        return criterionCall(this, fn, node);
      case 'module': {
        const x = argumentValue(this, node, { position: 0, keyword: 'input' });
        if (x.kind === 'array' && fn.module === 'Sigmoid') {
          // `nn.Sigmoid()(x)`: torch's logistic function, elementwise (a list or an ndarray raises).
          return libOf(x.array) === 'torch' ? sigmoidOf(materialise(x.array), 'torch') : unknown;
        }
        if (x.kind === 'array')
          return transformed(x.array, fn.module === 'LogSoftmax' ? 'log_softmax' : 'softmax', fn.dim);
        return isLossy(x) ? unknownLossy : unknown;
      }
      case 'userFunction': {
        // A JavaScript function named as a loss: its body is not followed, so never torch's number.
        const named = userLoss(fn.name);
        const why = `the body of \`${fn.name}\` is not followed`;
        if (named) return recogniseLoss(this, recogniserById(named), node, {}, 'known', why);
        return opaqueCall(this, node, lossyName.test(fn.name));
      }
      case 'method':
        return this.methodCall(fn.receiver, fn.name, node);
      case 'function': {
        let v = callFunction(this, this.scopes, fn.record, node);
        // A reduced hand-written loss is its pair at the call, so that `round(f(p, y), 4)` keeps it.
        if (v.kind === 'array' && v.array.terms && v.array.data?.length === 1)
          v = recogniseFormula(this, v, node, {
            callee: fn.record.name,
            argName: null,
            args: this.namedArrays(node),
            likelihood: lossyName.test(fn.record.name),
          });
        // A loss or per-example losses by the code's own arithmetic, not a formula recognised.
        if (v.kind === 'array' && ownArithmetic(v.array, !this.topLevel) && userLoss(fn.record.name))
          v = {
            kind: 'unknown',
            lossy: true,
            why: `what \`${fn.record.name}\` returns is not a loss formula this module recognises`,
          };
        if (v.kind !== 'unknown') return v;
        // Not followed: a function named as a loss is its pair, unverified with the reason (its body decides the number).
        const named = userLoss(fn.record.name);
        if (!named) return v;
        const why = v.why ?? `the call to \`${fn.record.name}\` is not followed`;
        return recogniseLoss(this, recogniserById(named), node, {}, 'known', why);
      }
      case 'opaqueArray':
        // `x.clamp(0).float()`: still the same literal behind an unmodelled step.
        opaqueCall(this, node, false);
        return fn;
      case 'unknown': {
        // A library function whose module the snippet does not bind (`losses.categoricalCrossentropy`),
        // never a name the source binds (`sparse_softmax_cross_entropy_with_logits = Net()`, 3.75).
        const lookup = (name: string): unknown => this.scopes.lookup(name);
        const library = findRecogniser(unboundGuess(this, node, lookup) ?? '');
        if (library) {
          const r = recogniseLoss(this, library, node, {}, 'guessed');
          if (r.kind === 'loss') return r;
        }
        const callee =
          node.callee.type === 'name' ? node.callee.id : node.callee.type === 'attribute' ? node.callee.name : '';
        const guess =
          /nll/i.test(callee) && node.callee.type === 'name'
            ? 'user.nll'
            : lossFnName.test(callee)
              ? 'user.cross_entropy'
              : null;
        if (guess && node.args.length >= 2 && unboundCallee(this, node.callee, lookup)) {
          // Defined elsewhere: a pair, never torch's number (it may take probabilities, add an epsilon, sum).
          const why = unboundHelperWhy(this, callee, node.callee);
          const r = recogniseLoss(this, recogniserById(guess), node, {}, 'guessed', why);
          return r.kind === 'loss' ? r : { kind: 'unknown', lossy: true, why };
        }
        return calledAgain(this, opaqueCall(this, node, fn.lossy || lossyName.test(callee), fn));
      }
      default:
        return opaqueCall(this, node, false);
    }
  }

  private namespaceCall(path: string, node: CallNode, assumed: string | undefined): Value {
    if (constructors.has(path) || isLibraryConstructor(path)) return constructed(this, path, node);
    const entry = recogniserForPath(path) ?? unboundAliasEntry(this, path, assumed);
    const took = assumed === undefined || !recogniserForPath(path) ? {} : { assumed: { name: assumed, path } };
    const m = igniteLossMetric(this, path, node) ?? (entry?.form === 'module' ? lossModule(this, entry, node) : null);
    if (m) return m.kind === 'criterion' ? { ...m, options: { ...m.options, ...took } } : m;
    if (entry) return recogniseLoss(this, entry, node, { ...readOptions(this, node, entry.options), ...took }, 'known');
    const sm = softmaxModule(path);
    if (sm) {
      const d = argumentValue(this, node, { position: 0, keyword: sm.keyword });
      return { kind: 'module', module: sm.module, dim: d.kind === 'number' ? d.value : sm.defaultDim };
    }
    if (path === 'torch.nn.Sigmoid') return { kind: 'module', module: 'Sigmoid', dim: null };
    if (path === 'tf.oneHot' || isLibraryOneHot(path, node)) return oneHot(this, node);
    if (softmaxFunctions.has(path)) {
      const scipy = path.startsWith('scipy');
      const x = argumentValue(this, node, { position: 0, keyword: 'input' });
      const d = argumentValue(this, node, { position: 1, keyword: scipy ? 'axis' : 'dim' });
      if (x.kind !== 'array') return isLossy(x) ? unknownLossy : unknown;
      return transformed(
        x.array,
        path.endsWith('log_softmax') ? 'log_softmax' : 'softmax',
        d.kind === 'number' ? d.value : scipy ? -2 : null,
      );
    }
    const libSoftmax = librarySoftmax(path);
    if (libSoftmax) {
      const x = tfFloatArgument(path, argumentValue(this, node, { position: 0 }));
      const d = argumentValue(this, node, { position: 1, keyword: 'axis' });
      if (x.kind !== 'array') return isLossy(x) ? unknownLossy : x.kind === 'opaqueArray' ? x : unknown;
      if (d.kind !== 'number' && libSoftmax.defaultAxis === 'all' && x.array.shape.length > 1)
        return { kind: 'opaqueArray', from: x.array, why: 'a softmax over every element at once is not modelled' };
      return transformed(x.array, libSoftmax.log ? 'log_softmax' : 'softmax', d.kind === 'number' ? d.value : -1);
    }
    const reducer = libraryReducer(path);
    if (reducer) {
      const v = argumentValue(this, node, { position: 0 });
      if (v.kind === 'loss' && v.rounded !== undefined) return unknownLossy;
      if (v.kind === 'loss' && v.pair.reduction === 'none' && node.args.length + node.keywords.length === 1)
        return reducedPair(this, v, reducer, node) ?? reducedLosses(v.pair, reducer);
      if (v.kind === 'loss' || v.kind === 'scalar')
        return node.args.length + node.keywords.length === 1 ? v : unknownLossy;
      if (isLossy(v)) return unknownLossy;
    }
    const fn = scalarFunctions.get(path);
    if (fn === 'log' && this.python) {
      const x = argumentValue(this, node, { position: 0 });
      // log of softmax output: the log-probabilities as the code computes them.
      const logProbs = x.kind === 'array' ? logOfSoftmax(x.array) : null;
      if (logProbs) return logProbs;
    }
    const step = steps.functionStep(this, path, node);
    if (step) return step;
    const lib = libraryCall(this, path, node) ?? steps.functionReshape(this, path, node);
    if (lib !== undefined) return lib;
    if (fn) {
      const x = argumentValue(this, node, { position: 0 });
      if (x.kind === 'opaqueArray') return x;
      return scalarFunction(fn, x);
    }
    if (path === 'builtins.float' || path === 'builtins.int') {
      const v = argumentValue(this, node, { position: 0 });
      if (v.kind === 'string') return specialNumber(path, v.value) ?? unknown;
      if (v.kind === 'loss' || v.kind === 'scalar' || v.kind === 'number') return v;
      if (v.kind === 'array' && v.array.data?.length === 1 && v.array.transform === null) {
        // A formula's value stays itself (it is recognised where the statement ends).
        if (v.array.terms) return { kind: 'array', array: { ...v.array, shape: [], container: 'scalar' } };
        const x = v.array.data[0];
        return {
          kind: 'number',
          value: path === 'builtins.int' ? Math.trunc(x) : x,
          integer: path === 'builtins.int',
          fromArray: v.array,
        };
      }
      return isLossy(v) ? unknownLossy : unknown;
    }
    const round = steps.rounded(this, path, node);
    if (round) return round;
    const other = otherLibraryLoss(path);
    if (other) {
      // Another loss of a library (focal, hinge, KL divergence): its operands are no pair.
      opaqueCall(this, node, true);
      return { kind: 'unknown', lossy: true, why: `\`${other}\` is not modelled` };
    }
    return opaqueCall(this, node, false);
  }

  private methodCall(receiver: Value, name: string, node: CallNode): Value {
    // In-place methods (`t.scatter_(…)`, `t.zero_()`, `metric.update_state(…)`) rebind the receiver's name.
    const target = node.callee.type === 'attribute' ? node.callee.object : null;
    const rebind = (v: Value): void => {
      if (target?.type === 'name') this.scopes.shadow(target.id, v);
    };
    if (receiver.kind === 'array')
      return arrayMethod(this, receiver.array, name, node, (array) => rebind({ kind: 'array', array }));
    if (receiver.kind === 'criterion') {
      // `crit.forward(x, y)` of a torch loss module (and `super().forward` in a subclass): the call itself.
      if (name === 'forward' && receiver.recogniser.startsWith('torch.nn.') && !receiver.ignite)
        return criterionCall(this, receiver, node);
      const m = metricMethod(this, receiver, name, node, rebind);
      if (m) return m;
    }
    if (receiver.kind === 'loss' || receiver.kind === 'scalar' || receiver.kind === 'number') {
      if (keepsValue.has(name) || steps.keepsReceiver(this, receiver, name, node)) return receiver;
      if (name !== 'mean' && name !== 'sum')
        return steps.fixed(this, receiver, name, node) ?? (isLossy(receiver) ? unknownLossy : unknown);
      if (receiver.kind !== 'loss' || receiver.pair.reduction !== 'none') return receiver;
      // `losses.mean(dim=1)`: one value per row, never the whole mean (maskedLosses.ts).
      if (node.args.length + node.keywords.length > 0 && !wholeAxis(this, receiver, node))
        return rowReduction(this, receiver, name, node) ?? { kind: 'unknown', lossy: true, why: rowsWhy };
      return reducedPair(this, receiver, name, node) ?? reducedLosses(receiver.pair, name);
    }
    // `np.ma.log(p).filled(0)`: the masked elements given the fill value.
    if (receiver.kind === 'opaqueArray' && receiver.maskedLog && name === 'filled')
      return steps.filledLog(this, receiver.from, node);
    return valueMethod(this, receiver, name, node) ?? opaqueCall(this, node, isLossy(receiver));
  }
}
