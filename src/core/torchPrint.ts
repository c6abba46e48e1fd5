/**
 * `str(tensor)` as PyTorch prints a float tensor with the default print options (precision 4,
 * threshold 1000, edgeitems 3, linewidth 80): the "what torch prints" line of the reduction card.
 * A port of torch/_tensor_str.py (`_Formatter`, `_vector_str`, `_tensor_str_with_formatter`,
 * `_add_suffixes`) for float tensors. Pure: no editor or Node imports.
 */

const precision = 4;
const threshold = 1000;
const edgeItems = 3;
const lineWidth = 80;

/** Python's `'{:.4f}'.format(v)`: JS rounds exact ties up, Python to even. */
function fixed(v: number, digits: number): string {
  // A double is an exact tie at 4 decimals only when it is an odd multiple of 1/32.
  if (digits === precision && Number.isInteger(v * 32) && Math.abs(v * 32) % 2 === 1) {
    const down = (Math.trunc(v * 1e4) / 1e4).toFixed(digits);
    const last = Number(down[down.length - 1]);
    if (last % 2 === 0) return down;
  }
  return v.toFixed(digits);
}

/** Python's `'{:.4e}'.format(v)`: at least two exponent digits. */
function scientific(v: number): string {
  const [mantissa, exp] = v.toExponential(precision).split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function special(v: number): string | null {
  if (v !== v) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return null;
}

/** torch's `_Formatter`: one width and one mode for every element printed. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(values: number[]) {
    const nonzeroFinite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (nonzeroFinite.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const v of nonzeroFinite) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
      if (v !== Math.ceil(v)) this.intMode = false;
    }
    if (this.intMode) {
      if (max / min > 1000 || max > 1e8) {
        this.sciMode = true;
        for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, scientific(v).length);
      } else {
        for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, v.toFixed(0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      this.sciMode = true;
      for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, scientific(v).length);
    } else {
      for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, fixed(v, precision).length);
    }
  }

  width(): number {
    return this.maxWidth;
  }

  format(v: number): string {
    let out: string;
    const s = special(v);
    if (this.sciMode) out = s ?? scientific(v);
    else if (this.intMode) out = s ?? `${v.toFixed(0)}.`;
    else out = s ?? fixed(v, precision);
    return out.padStart(this.maxWidth, ' ');
  }
}

interface View {
  values: ArrayLike<number>;
  shape: number[];
  strides: number[];
}

/** The indices torch keeps along one dimension when summarizing. */
function keptIndices(size: number, summarize: boolean): number[] | null {
  if (!summarize || size <= 2 * edgeItems) return null;
  return [0, 1, 2, size - 3, size - 2, size - 1];
}

/** `get_summarized_data`: the values the formatter sees. */
function summarizedValues(v: View, dim: number, offset: number, summarize: boolean, out: number[]): void {
  if (dim === v.shape.length) {
    out.push(v.values[offset]!);
    return;
  }
  const size = v.shape[dim]!;
  const kept = keptIndices(size, summarize) ?? Array.from({ length: size }, (_, i) => i);
  for (const i of kept) summarizedValues(v, dim + 1, offset + i * v.strides[dim]!, summarize, out);
}

function vectorStr(v: View, offset: number, indent: number, summarize: boolean, f: Formatter): string {
  const dim = v.shape.length - 1;
  // dim < v.shape.length everywhere below: the shapes and strides have an entry per dimension.
  const size = v.shape[dim]!;
  const stride = v.strides[dim]!;
  const elementsPerLine = Math.max(1, Math.floor((lineWidth - indent) / (f.width() + 2)));
  const kept = keptIndices(size, summarize);
  const data: string[] = [];
  if (kept) {
    for (const i of kept.slice(0, edgeItems)) data.push(f.format(v.values[offset + i * stride]!));
    data.push(' ...');
    for (const i of kept.slice(edgeItems)) data.push(f.format(v.values[offset + i * stride]!));
  } else {
    for (let i = 0; i < size; i++) data.push(f.format(v.values[offset + i * stride]!));
  }
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += elementsPerLine) lines.push(data.slice(i, i + elementsPerLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function tensorStr(v: View, dim: number, offset: number, indent: number, summarize: boolean, f: Formatter): string {
  const remaining = v.shape.length - dim;
  if (remaining === 1) return vectorStr(v, offset, indent, summarize, f);
  const size = v.shape[dim]!;
  const slice = (i: number) => tensorStr(v, dim + 1, offset + i * v.strides[dim]!, indent + 1, summarize, f);
  const kept = keptIndices(size, summarize);
  const slices = kept
    ? [...kept.slice(0, edgeItems).map(slice), '...', ...kept.slice(edgeItems).map(slice)]
    : Array.from({ length: size }, (_, i) => slice(i));
  return `[${slices.join(`,${'\n'.repeat(remaining - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/**
 * What `print(t)` shows for a float tensor `t` of `shape` holding `values` (row-major), e.g.
 * `tensor(2.3519)`, `tensor([2.1438, 2.5601])` or `tensor(2.1438, dtype=torch.float64)`.
 * Values should already be rounded to the dtype (Math.fround for float32).
 */
export function torchPrint(values: ArrayLike<number>, shape: readonly number[], dtype: 'float32' | 'float64'): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const numel = shape.reduce((a, b) => a * b, 1);
  const strides = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  const view: View = { values, shape: [...shape], strides };
  let body: string;
  if (numel === 0) {
    body = '[]';
  } else {
    const summarize = numel > threshold;
    const seen: number[] = [];
    summarizedValues(view, 0, 0, summarize, seen);
    const f = new Formatter(seen);
    body = shape.length === 0 ? f.format(values[0]!) : tensorStr(view, 0, 0, indent, summarize, f);
  }
  let out = prefix + body;
  if (dtype === 'float64') {
    const suffix = 'dtype=torch.float64';
    const lastLine = out.length - out.lastIndexOf('\n') + 1;
    out += lastLine + suffix.length + 2 > lineWidth ? `,\n${' '.repeat(indent)}${suffix}` : `, ${suffix}`;
  }
  return `${out})`;
}
