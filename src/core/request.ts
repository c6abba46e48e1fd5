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
  const input = arrayField(obj, 'input', true) as NdArray;
  const target = arrayField(obj, 'target', true) as NdArray;
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
