/**
 * Small composable checks for untrusted messages: each names the field path and what is wrong
 * with it, or answers null. ./webviewGuards.ts builds the webview messages' schemas from them.
 */
/** A guard's answer: null when the value is fine, or what is wrong with it. */
export type Problem = string | null;
export type Check = (x: unknown, path: string) => Problem;
/** One check per field of T: the compiler keeps schema and interface in step. */
export type Schema<T> = { [K in keyof T]-?: Check };

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export const anyNumber: Check = (x, p) => (typeof x === 'number' ? null : `${p} is not a number`);

export function finite(min = -Number.MAX_VALUE, max = Number.MAX_VALUE): Check {
  return (x, p) => (typeof x === 'number' && x >= min && x <= max ? null : `${p} is not a number in [${min}, ${max}]`);
}

export function int(min = 0, max = Number.MAX_SAFE_INTEGER): Check {
  return (x, p) =>
    typeof x === 'number' && Number.isSafeInteger(x) && x >= min && x <= max
      ? null
      : `${p} is not an integer in [${min}, ${max}]`;
}

export const bool: Check = (x, p) => (typeof x === 'boolean' ? null : `${p} is not a boolean`);

export function text(max: number): Check {
  return (x, p) =>
    typeof x === 'string' && x.length <= max ? null : `${p} is not a string of at most ${max} characters`;
}

export function oneOf(...values: readonly string[]): Check {
  return (x, p) => (typeof x === 'string' && values.includes(x) ? null : `${p} is not one of ${values.join(', ')}`);
}

export function nullable(check: Check): Check {
  return (x, p) => (x === null ? null : check(x, p));
}

/** A field that may be absent (added after the first version of a message: older senders omit it). */
export function optional(check: Check): Check {
  return (x, p) => (x === undefined ? null : check(x, p));
}

export function arrayOf(check: Check, maxLength: number): Check {
  return (x, p) => {
    if (!Array.isArray(x)) return `${p} is not an array`;
    if (x.length > maxLength) return `${p} has ${x.length} entries, more than ${maxLength}`;
    for (let i = 0; i < x.length; i++) {
      const problem = check(x[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return null;
  };
}

/** A list of numbers (NaN and ±Infinity allowed: they are results), in one tight loop. */
export function numbers(maxLength: number): Check {
  return (x, p) => {
    if (!Array.isArray(x)) return `${p} is not an array`;
    if (x.length > maxLength) return `${p} has ${x.length} entries, more than ${maxLength}`;
    for (let i = 0; i < x.length; i++) if (typeof x[i] !== 'number') return `${p}[${i}] is not a number`;
    return null;
  };
}

/** Checks every field with `schema`, rejects unknown fields, then runs `refine` for cross-field rules. */
export function object<T>(schema: Schema<T>, refine?: (x: T, p: string) => Problem): Check {
  const keys = Object.keys(schema) as (keyof T & string)[];
  return (x, p) => {
    if (!isRecord(x)) return `${p} is not an object`;
    for (const key of Object.keys(x))
      if (!Object.hasOwn(schema, key)) return `${p} has an unknown field ${JSON.stringify(key.slice(0, 40))}`;
    for (const key of keys) {
      const problem = schema[key](x[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return refine ? refine(x as T, p) : null;
  };
}

/** Like {@link object}, but every field is optional (a partial update). */
export function partial<T>(schema: Schema<T>): Check {
  return (x, p) => {
    if (!isRecord(x)) return `${p} is not an object`;
    for (const key of Object.keys(x)) {
      if (!Object.hasOwn(schema, key)) return `${p} has an unknown field ${JSON.stringify(key.slice(0, 40))}`;
      const problem = schema[key as keyof T](x[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return null;
  };
}

export function sameLength(p: string, length: number, fields: Record<string, unknown[] | null>): Problem {
  for (const [name, values] of Object.entries(fields)) {
    if (values !== null && values.length !== length) return `${p}.${name} has ${values.length} entries, not ${length}`;
  }
  return null;
}

export function ascendingBelow(values: number[], limit: number, p: string): Problem {
  let previous = -Infinity;
  for (const v of values) {
    if (v >= limit || v <= previous) return `${p} is not ascending below ${limit}`;
    previous = v;
  }
  return null;
}
