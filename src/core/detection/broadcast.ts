/** numpy's (and torch's) broadcasting of shapes, for elementwise arithmetic on arrays. */

/** numpy's broadcast of two shapes, or null. */
export function broadcastShape(a: number[], b: number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** For each flat position of `out`, the flat position in an operand of shape `s` broadcast to it. */
export function broadcastIndex(s: number[], out: number[]): Int32Array {
  const size = out.reduce((p, x) => p * x, 1);
  const idx = new Int32Array(size);
  const n = out.length;
  const strides = new Array<number>(n).fill(0);
  let st = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    const d = n - s.length + i;
    strides[d] = s[i] === 1 ? 0 : st;
    st *= s[i];
  }
  const pos = new Array<number>(n).fill(0);
  let flat = 0;
  for (let k = 0; k < size; k++) {
    idx[k] = flat;
    for (let d = n - 1; d >= 0; d--) {
      pos[d]++;
      flat += strides[d];
      if (pos[d] < out[d]) break;
      flat -= strides[d] * pos[d];
      pos[d] = 0;
    }
  }
  return idx;
}
