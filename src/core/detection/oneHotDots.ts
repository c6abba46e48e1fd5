/**
 * Σ_c p[r, c] · t[r, c] with t a one-hot row: the probability p[r, hot] that the row's 1 picks (the
 * "correct confidences" of Neural Networks from Scratch, `np.sum(probs * onehot, axis=1)`, also
 * written out as `p[0]*t[0] + p[1]*t[1] + p[2]*t[2]` or `np.dot(p, t)`). Each product keeps what it
 * is (a `pt` term); a sum that covers every class of the row is the element p[r, hot] picked at the
 * target's class, exactly (the other products are p · 0 = 0 for a probability), so its log is read
 * as the log-likelihood −log p[t] is (terms.ts). Which operand is the target is told by the numbers:
 * the one whose row is one-hot; when both or neither are, the product is no term.
 */
import { classesOf, sameRoot } from './termRoots';
import type { ArrayValue, Term, TermOf } from './values';

/** An element of a source array (terms.ts `Raw`). */
interface Element {
  root: ArrayValue;
  r: number;
  c: number;
}

/** Per source (by its numbers): each row's hot class, −1 when the row is not one-hot. */
const hotRows = new WeakMap<Float64Array, Int32Array>();
/** Per source: 1 when every number of the row is in [0, 1] (probabilities), else 0. */
const unitRows = new WeakMap<Float64Array, Uint8Array>();

function rowCount(root: ArrayValue): number {
  const s = root.shape;
  return s.length === 1 ? 1 : s.length === 2 ? s[0] : 0;
}

/** The class whose number is 1 when every other number of row r is 0, else −1 (r −1: a (C) source). */
export function hotClass(root: ArrayValue, r: number): number {
  const d = root.data;
  const C = classesOf(root);
  const n = rowCount(root);
  if (!d || C === 0 || n === 0 || d.length !== n * C) return -1;
  let rows = hotRows.get(d);
  if (!rows) {
    rows = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      let hot = -1;
      for (let c = 0; c < C; c++) {
        const v = d[k * C + c];
        if (v === 1 && hot === -1) hot = c;
        else if (v !== 0) {
          hot = -2;
          break;
        }
      }
      rows[k] = hot < 0 ? -1 : hot;
    }
    hotRows.set(d, rows);
  }
  const k = r < 0 ? 0 : r;
  return k < rows.length ? rows[k] : -1;
}

function inUnit(root: ArrayValue, r: number): boolean {
  const d = root.data;
  const C = classesOf(root);
  const n = rowCount(root);
  if (!d || C === 0 || n === 0 || d.length !== n * C) return false;
  let rows = unitRows.get(d);
  if (!rows) {
    rows = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      let ok = 1;
      for (let c = 0; c < C && ok; c++) if (!(d[k * C + c] >= 0 && d[k * C + c] <= 1)) ok = 0;
      rows[k] = ok;
    }
    unitRows.set(d, rows);
  }
  const k = r < 0 ? 0 : r;
  return k < rows.length && rows[k] === 1;
}

/** Could `a * b` of these two sources multiply probabilities by one-hot rows? (A cheap test first.) */
export function mayPickByOneHot(a: ArrayValue | undefined, b: ArrayValue | undefined): boolean {
  if (!a || !b || sameRoot(a, b) || classesOf(a) !== classesOf(b) || a.terms || b.terms) return false;
  return [a, b].some((x) => rowCount(x) > 0 && hotClass(x, 0) >= 0);
}

/** p[r, c] · t[r, c] of two source elements, one row one-hot and the other probabilities; else null. */
export function elementDot(a: Element, b: Element): Term | null {
  if (a.c !== b.c || a.r !== b.r || sameRoot(a.root, b.root) || classesOf(a.root) !== classesOf(b.root)) return null;
  const ha = hotClass(a.root, a.r);
  const hb = hotClass(b.root, b.r);
  if (ha >= 0 === hb >= 0) return null;
  const [p, t, hot] = ha >= 0 ? [b, a, ha] : [a, b, hb];
  if (!inUnit(p.root, p.r)) return null;
  return { t: 'pt', src: p.root, tgt: t.root, r: p.r, cls: [p.c], hot };
}

/**
 * Products of one row added together: still a partial sum while classes are missing, the picked
 * element p[r, hot] once every class is in; null when they are not of one row of the same arrays or
 * a class is counted twice.
 */
export function joinDots(terms: TermOf<'pt'>[]): Term | null {
  const first = terms[0];
  if (!first) return null;
  const seen = new Set<number>();
  for (const t of terms) {
    if (!sameRoot(t.src, first.src) || !sameRoot(t.tgt, first.tgt) || t.r !== first.r || t.hot !== first.hot)
      return null;
    for (const c of t.cls) {
      if (seen.has(c)) return null;
      seen.add(c);
    }
  }
  if (seen.size !== classesOf(first.src))
    return { t: 'pt', src: first.src, tgt: first.tgt, r: first.r, cls: [...seen], hot: first.hot };
  const c = first.hot;
  return { t: 'x', src: first.src, r: first.r, c, at: { tgt: first.tgt, r: first.r, c } };
}
