/**
 * Arrays made from flat data and a shape given beside it, in JavaScript / TypeScript tests:
 * - mlx-node's `MxArray.fromFloat32(data, shape)`, `fromInt32`, `fromInt64`, `fromUint32` (data a
 *   typed array, shape a `BigInt64Array`), imported from `@mlx-node/core`;
 * - a test helper imported from the test's own module (`createFloat32Array(flat, [3, 3])`,
 *   `createInt32Array`, `createFloat32Tensor`): its body is in another file, so it is read by its
 *   name, which names the typed array it fills, and only when the shape is a list of whole numbers
 *   whose product is the number of values given (a helper that allocates, fills with random
 *   numbers or takes other arguments is not this). A helper of that name defined in the file itself
 *   is not read this way: its body, not its name, would say what it does, and it is not followed.
 * The values keep their order (row-major), in the typed array's dtype.
 */
import type { DType } from '../types';
import type { CallNode, Evaluation } from './evaluation';
import type { Node } from './expr';
import type { ArrayValue } from './values';
import { perTextMemo } from './textMemo';

/** Canonical paths of the makers whose data comes first and shape second, and their dtype. */
const makers = new Map<string, DType | 'int'>([
  ['mlx.MxArray.fromFloat32', 'float32'],
  ['mlx.MxArray.fromInt32', 'int'],
  ['mlx.MxArray.fromInt64', 'int'],
  ['mlx.MxArray.fromUint32', 'int'],
]);

/** A helper's name that says which typed array it fills from (data, shape). */
const helperName = /^create(Float32|Float64|Int32|Int64|Uint32|Int16|Int8|Uint8)(?:Array|Tensor)$/;

/** The namespace an unbound JavaScript helper of that name stands for (`shaped.createFloat32Array`). */
export function shapedHelperAlias(id: string): string | undefined {
  return helperName.test(id) ? `shaped.${id}` : undefined;
}

/** The dtype of a (data, shape) maker's path, or undefined when the path is no such maker. */
export function shapedMaker(path: string): DType | 'int' | undefined {
  const own = makers.get(path);
  if (own) return own;
  const m = path.startsWith('shaped.') ? helperName.exec(path.slice(7)) : null;
  if (!m) return undefined;
  return m[1].startsWith('Float') ? (m[1] === 'Float64' ? 'float64' : 'float32') : 'int';
}

/**
 * Is a function of this name defined in the text (`function createFloat32Array(`, `const
 * createFloat32Array = (`)? One scan of the text per name, however many calls.
 */
const definedHere = perTextMemo((text: string, name: string): boolean => {
  const re = new RegExp(
    `(?:\\bfunction\\s*\\*?\\s*${name}\\b|\\b${name}\\s*[:=]\\s*(?:async\\s+)?(?:function\\b|\\())`,
  );
  return text.includes(name) && re.test(text);
});

/**
 * The shape a (data, shape) maker gives `count` values, or a reason it is not read: the shape must
 * be whole numbers whose product is `count`; a helper defined in this text is not read by its name.
 */
export function shapeFor(ev: Evaluation, path: string, call: CallNode, count: number): number[] | string {
  if (path.startsWith('shaped.') && definedHere(ev.ctx.text, path.slice(7)))
    return `${path.slice(7)} is defined in this file and its body is not followed`;
  const extra = call.args.length - 2;
  if (call.args.length < 2 || call.keywords.length > 0 || (path.startsWith('shaped.') ? extra > 1 : extra > 0))
    return 'only (data, shape) arguments are read';
  const dims = dimsOf(ev, call.args[1], 0);
  if (!dims || dims.some((d) => !Number.isInteger(d) || d < 0)) return 'the shape is not known here';
  if (dims.reduce((p, x) => p * x, 1) !== count) return `the shape [${dims.join(', ')}] does not hold ${count} values`;
  return dims;
}

/**
 * An MLX port's `mx.array(new Float32Array(flat), [2, 2])` (JavaScript, docs/detection.md 3.408): a flat
 * typed array and its shape beside it, read only on the port's namespace (node-mlx's `mx.array` takes a
 * dtype second). null when the call is not this form (the data keep their own shape); a reason when the
 * shape does not hold the values.
 */
export function typedDataShape(ev: Evaluation, path: string, call: CallNode, a: ArrayValue): number[] | string | null {
  if (ev.python || path !== 'mlx.core.array' || call.args.length !== 2 || call.keywords.length > 0) return null;
  const port = call.callee.type === 'attribute' ? ev.evaluate(call.callee.object) : null;
  if (port?.kind !== 'namespace' || port.path !== 'mlx.flat') return null;
  if (a.container !== 'typed' || a.shape.length !== 1) return null;
  const dims = dimsOf(ev, call.args[1], 0);
  if (!dims) return null;
  if (dims.some((d) => !Number.isInteger(d) || d < 0) || dims.reduce((p, x) => p * x, 1) !== (a.data?.length ?? -1))
    return `the shape [${dims.join(', ')}] does not hold ${a.data?.length ?? 'these'} values`;
  return dims;
}

/** Is this call `BigInt64Array.from(x)`, `BigInt64Array.of(a, b)` or `new BigInt64Array(x)`? */
function bigIntArrayCall(node: Node): 'from' | 'of' | null {
  if (node.type !== 'call') return null;
  const c = node.callee;
  if (c.type === 'name' && c.id === 'BigInt64Array' && node.isNew) return 'from';
  if (c.type !== 'attribute' || c.object.type !== 'name' || c.object.id !== 'BigInt64Array') return null;
  return c.name === 'from' ? 'from' : c.name === 'of' ? 'of' : null;
}

/**
 * The dimensions a shape argument spells: a list of whole numbers (`[3, 3]`, `[3n]`), a
 * `BigInt64Array` of one (`BigInt64Array.from([3n])`, `.of(2n, 3n)`), or the test helper
 * `shape(2, 3)` of numbers; null when it is none of these or not known.
 */
function dimsOf(ev: Evaluation, node: Node | undefined, depth: number): number[] | null {
  if (!node || depth > 2) return null;
  const big = bigIntArrayCall(node);
  const helper = node.type === 'call' && node.callee.type === 'name' && node.callee.id === 'shape';
  if (
    node.type === 'call' &&
    (big === 'of' || (helper && !definedHere(ev.ctx.text, 'shape') && ev.evaluate(node.callee).kind === 'unknown'))
  ) {
    const out: number[] = [];
    for (const a of node.args) {
      const v = ev.evaluate(a);
      if (v.kind !== 'number') return null;
      out.push(v.value);
    }
    return node.keywords.length === 0 ? out : null;
  }
  if (node.type === 'call' && big === 'from')
    return node.args.length === 1 ? dimsOf(ev, node.args[0], depth + 1) : null;
  const v = ev.evaluate(node);
  if (v.kind === 'sequence')
    return v.items.every((x) => x.kind === 'number') ? v.items.map((x) => (x.kind === 'number' ? x.value : NaN)) : null;
  if (v.kind !== 'array' || !v.array.data || v.array.shape.length !== 1) return null;
  ev.ctx.usedSites.add(v.array.site.id);
  return Array.from(v.array.data);
}
