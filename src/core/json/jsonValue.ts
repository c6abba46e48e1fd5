import type { NdArray } from '../types';

/** A JSON array of numbers (any nesting), kept flat with its shape and integer-ness. */
export class NumericArray {
  private nd: NdArray | undefined;

  constructor(
    array: NdArray | undefined,
    private readonly scalarValue = 0,
    private readonly scalarIntegral = false,
  ) {
    this.nd = array;
  }

  /**
   * A 0-d array for one number (`wrapScalars`). Its typed array is made on first use: an
   * object can have millions of members, and as many small live ArrayBuffers make every
   * garbage collection slower (parsing time grew ~16× per 4× input).
   */
  static scalar(value: number, integral: boolean): NumericArray {
    return new NumericArray(undefined, value, integral);
  }

  get array(): NdArray {
    return (this.nd ??= { data: Float64Array.of(this.scalarValue), shape: [], integral: this.scalarIntegral });
  }
}

/** A nested numeric array whose rows have different lengths (torch's wording in `message`). */
export class RaggedArray {
  constructor(readonly message: string) {}
}

/**
 * A parsed JSON value. Objects have a null prototype, so every key (`__proto__`, `constructor`,
 * `toString`) is an own data property and nothing is inherited: read them with `Object.hasOwn`.
 */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue } | NumericArray | RaggedArray;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * The text is valid JSON so far but goes past a limit of {@link ParseOptions}: too deep
 * (`limit` 'depth') or too many elements (`limit` 'elements'). Thrown as soon as the limit is
 * passed, so the cost of refusing is proportional to the limit, not to the input.
 */
export class JsonLimitError extends JsonSyntaxError {
  constructor(
    readonly limit: 'depth' | 'elements',
    message: string,
    offset: number,
    line: number,
    column: number,
  ) {
    super(message, offset, line, column);
  }
}

/** Containers deeper than this are refused (a request needs at most a few dozen levels). */
export const defaultMaxDepth = 1000;

/** The kernel's default input cap (kernel/prepare.ts), applied while reading. */
export const defaultMaxJsonElements = 50_000_000;

export interface ParseOptions {
  /**
   * Return numbers that are a member's value (or the whole document) as 0-d
   * {@link NumericArray}s too, so that `1` and `1.0` stay distinguishable (a torch LongTensor
   * scalar vs a float one), and the strings "NaN", "Infinity", "-Infinity" there as numbers.
   * Numbers inside an array that is not all numbers stay plain numbers.
   */
  wrapScalars?: boolean;
  /**
   * Every array must hold only numbers (at any depth; the strings "NaN", "Infinity",
   * "-Infinity" count as numbers), as in a loss request: anything else is an error at its
   * line and column, found in the one pass over the array, instead of a general array built
   * only to be refused.
   */
  numbersOnlyInArrays?: boolean;
  /** Most nested arrays and objects (default {@link defaultMaxDepth}). */
  maxDepth?: number;
  /**
   * Most numbers in one numeric array, and most other values (strings, literals, containers
   * outside numeric arrays) in the whole document (default {@link defaultMaxJsonElements}).
   */
  maxElements?: number;
}
