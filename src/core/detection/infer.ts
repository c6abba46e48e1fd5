/**
 * Pairs found without a loss call: a logits-like name and a target-like name, near each other,
 * with compatible shapes (N rows and N class indices, C classes and one index, or probability
 * targets of the same shape). Weak names (x, y, input) need more evidence: the document must be
 * about classification, and the targets must be valid class indices.
 *
 * Names are not data flow, so this is a fallback for documents that show their arrays and no
 * loss call at all: once a document calls a loss, the caller only proposes pairs when it has none
 * (see `finish` in index.ts), because arrays shown beside a call are the call's business (an
 * earlier showcase of the same arrays, or arrays handed to a call that throws).
 */
import type { DType } from '../types';
import { classCountOf } from '../invalidTargets';
import type { ArrayValue } from './values';
import type { ArraySite } from './types';

const logitsStrong = /logit|score|pred|y_?hat|activation|^outputs?$|^out$|^model_?out|^net_?out|^output_/i;
const logitsWeak = /^(?:x|xs|inputs?|z|h|a)$/i;
const targetStrong = /target|label|^y_?true$|^gt$|ground_?truth|^class(?:es)?$|^cls$|^class_?(?:ids?|idx|indices)$/i;
const targetWeak = /^(?:y|ys|t|idx|indices|b)$/i;
const evidence = /torch|entropy|softmax|logit|nll|loss|classif|tf\.|tensor/i;

/** A pair proposed from names. */
export interface InferredPair {
  logits: ArraySite;
  target: ArraySite;
  /** A (C) logits array with one target index: viewed as (1, C). */
  unbatchedOne: boolean;
}

function isFloatSite(s: ArraySite): boolean {
  if (s.isIntegerTensor) return false;
  return !s.integral || s.dtype !== null;
}

/** Class indices: an integer tensor, or integers written in a float container (tf.tensor([0, 2])). */
function isIndexSite(s: ArraySite): boolean {
  return s.isIntegerTensor || s.integral;
}

function validIndices(t: ArraySite, C: number): boolean {
  const d = t.data as Float64Array;
  for (let i = 0; i < d.length; i++) if (!(d[i] >= 0 && d[i] < C) && d[i] !== -100) return false;
  return true;
}

function compatible(l: ArraySite, t: ArraySite, weak: boolean): { ok: boolean; unbatchedOne: boolean } {
  const ls = l.shape;
  const ts = t.shape;
  const no = { ok: false, unbatchedOne: false };
  if (ls.length === 0 || !isFloatSite(l)) return no;
  // A torch loss takes tensors: a plain list of labels beside torch logits has to pass through
  // some conversion the code does not show (often one-hot encoding), so no pair is known.
  if (/^torch\./.test(l.constructorName ?? '') && (t.constructorName === 'list' || t.constructorName === 'tuple'))
    return no;
  const C = classCountOf(ls) ?? 0;
  if (C < 2) return no;
  if (isIndexSite(t)) {
    if (weak && !validIndices(t, C)) return no;
    if (ls.length === 1) return ts.length === 1 && ts[0] === 1 ? { ok: true, unbatchedOne: true } : no;
    if (ts.length !== ls.length - 1 || ts[0] !== ls[0]) return no;
    for (let d = 2; d < ls.length; d++) if (ts[d - 1] !== ls[d]) return no;
    return { ok: true, unbatchedOne: false };
  }
  if (ts.length === ls.length && ts.every((s, i) => s === ls[i]) && !weak) return { ok: true, unbatchedOne: false };
  return no;
}

/**
 * Proposes pairs among `sites` not already used by a loss call. `text` is consulted (once, and
 * only when a weak name is involved) for evidence that the document is about classification.
 */
export function inferPairs(sites: ArraySite[], used: Set<number>, documentText: () => string): InferredPair[] {
  const cands = sites.filter((s) => !used.has(s.id) && s.data && !s.error && s.name !== null);
  if (cands.length < 2) return [];
  const logits = cands.filter((s) => logitsStrong.test(s.name as string) || logitsWeak.test(s.name as string));
  const targets = cands.filter((s) => targetStrong.test(s.name as string) || targetWeak.test(s.name as string));
  if (!logits.length || !targets.length) return [];
  let hasEvidence: boolean | null = null;
  const out: InferredPair[] = [];
  const taken = new Set<number>();
  // Only logits within a window of sites around each target are considered: nearness matters,
  // and a file with thousands of named arrays must stay linear.
  const window = 64;
  for (const t of targets) {
    if (taken.has(t.id)) continue;
    const tWeak = !targetStrong.test(t.name as string);
    let best: { l: ArraySite; score: number; unbatchedOne: boolean } | null = null;
    let lo = 0;
    let hi = logits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (logits[mid].id < t.id) lo = mid + 1;
      else hi = mid;
    }
    for (let k = Math.max(0, lo - window); k < Math.min(logits.length, lo + window); k++) {
      const l = logits[k];
      if (l.id === t.id || taken.has(l.id)) continue;
      if (l.cell !== t.cell && (l.cell === undefined) !== (t.cell === undefined)) continue;
      const weak = tWeak || !logitsStrong.test(l.name as string);
      const c = compatible(l, t, weak);
      if (!c.ok) continue;
      if (weak) {
        if (hasEvidence === null) hasEvidence = evidence.test(documentText());
        if (!hasEvidence) continue;
      }
      // Nearness in document order; logits above the target are preferred.
      const dist = Math.abs(t.id - l.id) + (l.id > t.id ? 0.5 : 0);
      if (!best || dist < best.score) best = { l, score: dist, unbatchedOne: c.unbatchedOne };
    }
    if (best) {
      taken.add(best.l.id);
      taken.add(t.id);
      out.push({ logits: best.l, target: t, unbatchedOne: best.unbatchedOne });
    }
  }
  return out;
}

const identifier = /^[A-Za-z_]\w*$/;

/** The key of an unordered pair of names in {@link callsTakingTwo}'s map. */
function twoKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/**
 * Every call the document writes with two plain names as its first two arguments (`scce(y_true,
 * y_pred)`, `criterion(out, labels)`, keywords allowed), by the unordered pair of names, each the
 * first such call as written (`print` is no such call). One pass of one regular expression over the
 * text, however many pairs are then looked up: a file with thousands of named arrays stays linear.
 */
export function callsTakingTwo(text: string): Map<string, string> {
  const arg = String.raw`(?:[A-Za-z_]\w*\s*=\s*)?([A-Za-z_]\w*)(?![\w.\[(])`;
  const re = new RegExp(String.raw`(?<![\w.])([A-Za-z_][\w.]*)\(\s*${arg}\s*,\s*${arg}\s*[,)]`, 'g');
  const calls = new Map<string, string>();
  for (const m of text.matchAll(re)) {
    const key = twoKey(m[2], m[3]);
    if (m[1] === 'print' || calls.has(key)) continue;
    calls.set(key, m[0].endsWith(',') ? `${m[0].slice(0, -1)}, …)` : m[0]);
  }
  return calls;
}

/**
 * A call the document writes with both arrays as its first two arguments (`scce(y_true, y_pred)`,
 * `criterion(out, labels)`), found in its text when no loss call was read: the arrays' loss is that
 * call's, whatever it computes (a Keras loss on probabilities, a helper of the page), so a pair
 * proposed from names must not give torch's number for it. Returns the call as written, or null.
 * `calls` is {@link callsTakingTwo} of the text, made once for all the pairs of a document.
 */
export function callTakingBoth(text: string | Map<string, string>, a: string, b: string): string | null {
  if (!identifier.test(a) || !identifier.test(b)) return null;
  return (typeof text === 'string' ? callsTakingTwo(text) : text).get(twoKey(a, b)) ?? null;
}

/**
 * A torch criterion the document builds with arguments (`nn.CrossEntropyLoss(weight = weights,
 * reduction="sum")`) when no loss call was read: the arrays' loss would be that criterion's, with
 * options a guess of the default CrossEntropyLoss does not have, so a pair proposed from names must
 * not give a number. Returns the constructor as written (shortened), or null. One regular
 * expression over the text, no nested quantifier.
 */
export function criterionWithOptions(text: string): string | null {
  const m = /(?<![\w.])((?:[A-Za-z_]\w*\.)*(?:CrossEntropyLoss|NLLLoss))\(\s*([^)\s][^)\n]{0,40})/.exec(text);
  if (!m) return null;
  return `${m[1]}(${m[2].trim()}${m[2].length >= 40 ? '…' : ''})`;
}

/** The array value of a site for an inferred pair (its own dtype, else torch's default float32). */
export function siteValue(s: ArraySite, defaultDtype: DType, role: 'input' | 'target'): ArrayValue {
  const asTarget = role === 'target';
  const integer = s.isIntegerTensor || (s.integral && (asTarget || s.dtype === null));
  return {
    site: s,
    data: s.data ?? null,
    shape: s.shape,
    integerTensor: integer,
    dtype: integer ? null : (s.dtype ?? defaultDtype),
    dtypeSource: s.dtypeSource,
    container:
      s.constructorName === 'list' || s.constructorName === 'tuple' || s.constructorName === 'array'
        ? 'list'
        : 'tensor',
    transform: null,
    name: s.name,
    fresh: false,
    derived: false,
  };
}

/** The last name of a call that computes a cross-entropy or a log loss (`CROSS_ENTROPY`, `crossEntropyLoss`, `bceLoss`). */
const lossName = /(?:cross_?entropy|log_?loss|bce|nll)(?:_?loss)?$/i;

/**
 * The first call, in JavaScript, of a function named as a cross-entropy that was not read as a loss
 * (`Perceptron.CROSS_ENTROPY(yPred, yTarget)`, a project's `crossEntropyLoss(p, t)`); its definition
 * (`function crossEntropy(`) is no call. When no loss call was read, arrays shown beside such a call are
 * its business (a test's shared fixtures, data for its other losses), so a pair proposed from names must
 * not give torch's number (docs/detection.md 3.391). Returns the callee as written, or null. One pass of
 * one regular expression: an identifier cannot start right after a word character or a dot.
 */
export function unreadLossCall(text: string): string | null {
  const re = /(?<![\w$.])(function\s+)?((?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*)\s*\(/g;
  for (const m of text.matchAll(re)) if (!m[1] && lossName.test(m[2])) return m[2];
  return null;
}
