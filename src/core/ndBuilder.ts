import type { NdArray } from './types';

/**
 * Builds an {@link NdArray} from a stream of bracket/number events, the way `torch.tensor`
 * reads nested lists: the shape is taken from the first element at each depth and every
 * later list must match it. Iterative (no recursion), so nesting depth cannot overflow
 * the stack. Reports raggedness with torch's wording.
 */
export class NdBuilder {
  private data = new Float64Array(64);
  private size = 0;
  private readonly shape: number[] = [];
  /** Element count of each open list, innermost last. */
  private readonly counts: number[] = [];
  /** Depth at which numbers live, once known (number of enclosing brackets). */
  private leafDepth = -1;
  private allIntegral = true;
  /** First raggedness found, in torch's words. */
  error: string | undefined;

  /**
   * @param capacityLimit the most numbers the caller will push (its element cap): storage grows
   * by doubling but never past this, so a capped array never holds twice the memory it needs.
   */
  constructor(private readonly capacityLimit = Infinity) {}

  get depth(): number {
    return this.counts.length;
  }

  open(): void {
    const depth = this.counts.length;
    if (depth > 0) this.counts[depth - 1]++;
    if (this.leafDepth >= 0 && depth >= this.leafDepth && !this.error) {
      this.error = `expected a number at dim ${depth} (got a sequence)`;
    }
    this.counts.push(0);
  }

  close(): void {
    const depth = this.counts.length;
    const count = this.counts.pop() as number;
    if (this.leafDepth < 0 && count === 0) {
      // `[]` before any number: an empty innermost dimension.
      this.leafDepth = depth;
    }
    const dim = depth - 1;
    if (dim >= this.shape.length) {
      while (this.shape.length < dim) this.shape.push(-1);
      this.shape[dim] = count;
    } else if (this.shape[dim] === -1) {
      this.shape[dim] = count;
    } else if (this.shape[dim] !== count && !this.error) {
      this.error = `expected sequence of length ${this.shape[dim]} at dim ${dim} (got ${count})`;
    }
  }

  push(value: number, integral: boolean): void {
    const depth = this.counts.length;
    if (depth > 0) this.counts[depth - 1]++;
    if (this.leafDepth < 0) this.leafDepth = depth;
    else if (depth !== this.leafDepth && !this.error) {
      this.error =
        depth < this.leafDepth
          ? `expected sequence of length ${this.shape[depth] ?? 0} at dim ${depth} (got a number)`
          : `expected a number at dim ${depth} (got a sequence)`;
    }
    if (!integral) this.allIntegral = false;
    if (this.size === this.data.length) {
      const grown = new Float64Array(Math.max(this.size + 1, Math.min(this.data.length * 2, this.capacityLimit)));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = value;
  }

  /** The finished array, or undefined when ragged (see {@link error}). */
  finish(): NdArray | undefined {
    if (this.error) return undefined;
    const shape = this.shape.slice(0, Math.max(this.leafDepth, 0)).map((s) => Math.max(s, 0));
    return {
      data: this.size === this.data.length ? this.data : this.data.slice(0, this.size),
      shape,
      integral: this.allIntegral,
    };
  }
}

/** Product of sizes; 1 for a scalar. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/**
 * Converts a nested JS array (or number) to an {@link NdArray}. Numbers are taken as integral
 * when `Number.isInteger`, unless `integral` overrides that (JSON loses `1.0` vs `1`).
 * Iterative: deep nesting cannot overflow the stack.
 */
export function ndFromNested(value: unknown, integral?: boolean): { array?: NdArray; error?: string } {
  const b = new NdBuilder();
  if (typeof value === 'number')
    return { array: { data: Float64Array.of(value), shape: [], integral: integral ?? Number.isInteger(value) } };
  if (!Array.isArray(value)) return { error: 'expected a number or a nested array of numbers' };
  const stack: { arr: unknown[]; i: number }[] = [{ arr: value, i: 0 }];
  b.open();
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.arr.length) {
      stack.pop();
      b.close();
      continue;
    }
    const v = top.arr[top.i++];
    if (typeof v === 'number') b.push(v, integral ?? Number.isInteger(v));
    else if (Array.isArray(v)) {
      b.open();
      stack.push({ arr: v, i: 0 });
    } else return { error: `expected a number, got ${v === null ? 'null' : typeof v}` };
  }
  const array = b.finish();
  return array ? { array } : { error: b.error };
}

/** Nested JS arrays from flat data and a shape (for JSON output). Scalars come back as numbers. */
export function toNested(
  data: ArrayLike<number>,
  shape: readonly number[],
  map: (v: number) => unknown = (v) => v,
): unknown {
  if (shape.length === 0) return map(data[0]);
  const build = (dim: number, offset: number): unknown[] => {
    const n = shape[dim];
    const out = new Array(n);
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = map(data[offset + i]);
    } else {
      let stride = 1;
      for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
    }
    return out;
  };
  return build(0, 0);
}
