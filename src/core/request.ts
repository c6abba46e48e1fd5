import { KernelError } from './errors';
import { defaultMaxElements } from './kernel/prepare';
import { parseJson } from './json/parseJson';
import { JsonLimitError, NumericArray, RaggedArray, type JsonValue } from './json/jsonValue';
import { defaultOptions, type DType, type InputKind, type LossRequest, type NdArray, type Reduction } from './types';

/**
 * Turns a parsed CLI/worker request object (docs/cli.md field names) into a {@link LossRequest}.
 * Throws {@link KernelError} naming the field that is wrong.
 */
export function decodeRequest(value: JsonValue): LossRequest {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    value instanceof NumericArray ||
    value instanceof RaggedArray
  ) {
    throw new KernelError('invalid_request', 'The request must be a JSON object with "input" and "target".');
  }
  const obj = value as { [k: string]: JsonValue };
  const input = reshaped(arrayField(obj, 'input', true) as NdArray, obj, 'input_shape');
  let target = reshaped(arrayField(obj, 'target', true) as NdArray, obj, 'target_shape');
  // An empty target has no number to tell its kind by: of the input's shape it is read as
  // probabilities (a LongTensor of that shape is only ever torch's error), else as class indices.
  if (target.data.length === 0) {
    const same = target.shape.length === input.shape.length && target.shape.every((d, i) => d === input.shape[i]);
    target = { ...target, integral: !same };
  }
  const weight = arrayField(obj, 'weight', false);
  return {
    input,
    target,
    weight,
    ignoreIndex: numberField(obj, 'ignore_index', defaultOptions.ignoreIndex),
    reduction: stringField(obj, 'reduction', defaultOptions.reduction) as Reduction,
    labelSmoothing: numberField(obj, 'label_smoothing', defaultOptions.labelSmoothing),
    dtype: stringField(obj, 'dtype', defaultOptions.dtype) as DType,
    inputKind: stringField(obj, 'input_kind', defaultOptions.inputKind) as InputKind,
  };
}

/**
 * Parses request JSON text (with `1` vs `1.0` kept apart) and decodes it. `maxElements` caps
 * every numeric array while it is read (the kernel applies the same cap to the input), so an
 * oversized request is refused before it is held in memory.
 */
export function parseRequest(text: string, maxElements = defaultMaxElements): LossRequest {
  let value: JsonValue;
  try {
    value = parseJson(text, { wrapScalars: true, numbersOnlyInArrays: true, maxElements });
  } catch (err) {
    if (err instanceof JsonLimitError) {
      throw new KernelError(err.limit === 'depth' ? 'nesting_too_deep' : 'input_too_large', err.message);
    }
    throw new KernelError('invalid_request', (err as Error).message);
  }
  return decodeRequest(value);
}

/** The field's own value: a request is data, so inherited names (`constructor`, `toString`) are absent. */
function field(obj: { [k: string]: JsonValue }, name: string): JsonValue | undefined {
  return Object.hasOwn(obj, name) ? obj[name] : undefined;
}

function arrayField(obj: { [k: string]: JsonValue }, name: string, required: boolean): NdArray | null {
  const v = field(obj, name);
  if (v === undefined || v === null) {
    if (required) throw new KernelError('invalid_request', `The request has no "${name}" field.`);
    return null;
  }
  if (v instanceof NumericArray) return v.array;
  if (v instanceof RaggedArray) throw new KernelError('ragged_array', v.message);
  if (typeof v === 'number') return { data: Float64Array.of(v), shape: [], integral: Number.isInteger(v) };
  throw new KernelError('invalid_request', `"${name}" must be a number or a nested array of numbers.`);
}

/**
 * `array` given the shape that `name` (`input_shape`, `target_shape`) says, when the request has
 * one: nested JSON arrays cannot write a shape with a zero before its last dimension (`[]` is (0),
 * never (0, 3)), so a batch without rows is written `"input": [], "input_shape": [0, 3]`. The
 * values are taken in row-major order and must be as many as the shape holds.
 */
function reshaped(array: NdArray, obj: { [k: string]: JsonValue }, name: string): NdArray {
  const v = field(obj, name);
  if (v === undefined || v === null) return array;
  const dims = v instanceof NumericArray ? v.array : null;
  if (
    !dims ||
    dims.shape.length !== 1 ||
    (dims.data.length > 0 && !dims.integral) ||
    dims.data.some((d) => !(d >= 0 && d <= 2 ** 31))
  ) {
    throw new KernelError('invalid_request', `"${name}" must be a list of non-negative integers.`);
  }
  const shape = Array.from(dims.data);
  let count = 1;
  for (const d of shape) count *= d;
  if (count !== array.data.length) {
    throw new KernelError(
      'invalid_request',
      `"${name}" [${shape.join(', ')}] holds ${count} values, but "${name.slice(0, -6)}" has ${array.data.length}.`,
    );
  }
  return { ...array, shape };
}

function numberField(obj: { [k: string]: JsonValue }, name: string, fallback: number): number {
  const v = field(obj, name);
  if (v === undefined || v === null) return fallback;
  if (v instanceof NumericArray && v.array.shape.length === 0) return v.array.data[0];
  if (typeof v === 'number') return v;
  throw new KernelError('invalid_request', `"${name}" must be a number.`);
}

function stringField(obj: { [k: string]: JsonValue }, name: string, fallback: string): string {
  const v = field(obj, name);
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string') return v;
  throw new KernelError('invalid_request', `"${name}" must be a string.`);
}
