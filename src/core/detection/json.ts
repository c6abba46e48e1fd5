/**
 * JSON (and JSONC) documents: numeric arrays under keys (logits / outputs / scores / targets /
 * labels …), objects that hold a whole request (`{"input": …, "target": …, "reduction": "sum"}`),
 * and arrays of records (`[{"logits": […], "label": 3}, …]`, stacked into a batch).
 * An iterative walk over the text: hostile nesting cannot overflow the stack.
 */
import { lastNumber, parseDecimal } from '../numbers';
import { type ClaimText } from './claims';
import type { DetectionContext } from './context';
import { LineCounter, nestingMessage } from './lines';
import { LiteralParser, maxNesting } from './literals';
import { Lang } from './tokens';
import type { ArraySite } from './types';
import type { ArrayValue, OptionValues } from './values';

type Entry =
  | { kind: 'site'; site: ArraySite }
  | { kind: 'num'; value: number; integral: boolean; start: number; end: number }
  | { kind: 'str'; value: string }
  | { kind: 'obj'; entries: Map<string, Entry> }
  | { kind: 'other' };

interface Frame {
  kind: 'object' | 'array';
  start: number;
  key: string | null;
  /** Object: its entries. Array: the records it holds (when they are objects). */
  entries: Map<string, Entry>;
  records: Map<string, Entry>[];
  /** Array: elements that are not objects. */
  others: number;
  /** Key under which this container sits in its parent. */
  parentKey: string | null;
}

const logitsKey = /^(?:logits?|outputs?|scores?|predictions?|preds?|y_?pred|y_?hat|input|inputs|log_?probs)$/i;
const targetKey = /^(?:targets?|labels?|y|y_?true|class(?:es)?|gt|ground_?truth|target_?ids?|label_?ids?)$/i;
const lossKey = /^(?:(?:expected_?|reference_?|torch_?)?loss(?:_?value)?|expected)$/i;

/**
 * Walks the JSON in [from, to) of `text`, registering numeric arrays as sites on `ctx`, and
 * pairing the arrays of each object that has a logits-like and a target-like key (with the
 * options and claimed loss the object states).
 */
export function readJson(ctx: DetectionContext, text: string, from: number, to: number, lines: LineCounter): void {
  const literals = new LiteralParser(text, Lang.Json, ctx.options.maxElements);
  const stack: Frame[] = [];
  const doomed = new Set<number>();
  let pos = from;
  if (text.charCodeAt(pos) === 0xfeff) pos++;
  let pendingKey: string | null = null;
  let errors = 0;
  const fail = (message: string, at: number): void => {
    if (errors++ === 0)
      ctx.addFinding({ code: 'parse_error', severity: 'error', start: at, end: Math.min(at + 1, to), message });
  };
  const attach = (entry: Entry): void => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (top.kind === 'object') {
      if (pendingKey !== null) top.entries.set(pendingKey, entry);
    } else if (entry.kind === 'obj') top.records.push(entry.entries);
    else top.others++;
    pendingKey = null;
  };
  while (pos < to) {
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 44) {
      pos++;
      continue;
    }
    if (c === 47 && text.charCodeAt(pos + 1) === 47) {
      const e = text.indexOf('\n', pos);
      pos = e < 0 || e > to ? to : e;
      continue;
    }
    if (c === 47 && text.charCodeAt(pos + 1) === 42) {
      const e = text.indexOf('*/', pos + 2);
      pos = e < 0 || e > to ? to : e + 2;
      continue;
    }
    if (c === 34) {
      const end = stringEnd(text, pos, to);
      if (end < 0) {
        fail('unterminated string', pos);
        break;
      }
      const top = stack[stack.length - 1];
      let k = end;
      while (
        k < to &&
        (text.charCodeAt(k) === 32 ||
          text.charCodeAt(k) === 9 ||
          text.charCodeAt(k) === 10 ||
          text.charCodeAt(k) === 13)
      )
        k++;
      const raw = text.slice(pos + 1, end - 1);
      if (top && top.kind === 'object' && text.charCodeAt(k) === 58 && pendingKey === null) {
        pendingKey = raw.indexOf('\\') >= 0 ? safeUnescape(raw) : raw;
        pos = k + 1;
      } else {
        attach({ kind: 'str', value: raw });
        pos = end;
      }
      continue;
    }
    if (c === 91) {
      // Brackets known to fail (still open where an enclosing literal failed) are not retried: O(n).
      const lit = doomed.has(pos) || stack.length >= maxNesting ? null : literals.parse(pos);
      if (!lit && !doomed.has(pos)) for (const p of literals.failure.open) doomed.add(p);
      if (lit) {
        const site = ctx.sites[ctx.addSite(lit, pos, 'json')];
        const top = stack[stack.length - 1];
        if (top && top.kind === 'object' && pendingKey !== null) site.name = pendingKey;
        else if (top && top.kind === 'array' && top.parentKey !== null && stack.length >= 1) site.name = null;
        attach({ kind: 'site', site });
        pos = lit.end;
        continue;
      }
      if (stack.length >= maxNesting) {
        fail(nestingMessage(text, pos, maxNesting), pos);
        break;
      }
      stack.push({
        kind: 'array',
        start: pos,
        key: null,
        entries: new Map(),
        records: [],
        others: 0,
        parentKey: pendingKey,
      });
      pendingKey = null;
      pos++;
      continue;
    }
    if (c === 123) {
      if (stack.length >= maxNesting) {
        fail(nestingMessage(text, pos, maxNesting), pos);
        break;
      }
      stack.push({
        kind: 'object',
        start: pos,
        key: null,
        entries: new Map(),
        records: [],
        others: 0,
        parentKey: pendingKey,
      });
      pendingKey = null;
      pos++;
      continue;
    }
    if (c === 93 || c === 125) {
      const frame = stack.pop();
      if (!frame) {
        fail(`unexpected '${text[pos]}'`, pos);
        pos++;
        continue;
      }
      pendingKey = frame.parentKey;
      const parent = stack[stack.length - 1];
      if (frame.kind === 'object') {
        // Records in an array are paired when the array closes (stacked into one batch).
        if (!parent || parent.kind === 'object') pairObject(ctx, frame.entries);
        attach({ kind: 'obj', entries: frame.entries });
      } else {
        const stacked = stackRecords(ctx, frame, pos + 1, lines);
        if (stacked && pairObject(ctx, stacked)) {
          for (const r of frame.records)
            for (const e of r.values()) if (e.kind === 'site') ctx.usedSites.add(e.site.id);
        } else {
          for (const r of frame.records) pairObject(ctx, r);
        }
        attach({ kind: 'other' });
      }
      pos++;
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45) {
      if (parseDecimal(text, pos)) {
        attach({
          kind: 'num',
          value: lastNumber.value,
          integral: lastNumber.integral,
          start: pos,
          end: lastNumber.end,
        });
        pos = lastNumber.end;
        continue;
      }
    }
    if (c === 116 || c === 102 || c === 110 || c === 78 || c === 73) {
      // true false null NaN Infinity
      let e = pos;
      while (e < to && /[A-Za-z]/.test(text[e])) e++;
      const word = text.slice(pos, e);
      attach(
        word === 'NaN' || word === 'Infinity'
          ? { kind: 'num', value: word === 'NaN' ? NaN : Infinity, integral: false, start: pos, end: e }
          : { kind: 'other' },
      );
      pos = Math.max(e, pos + 1);
      continue;
    }
    if (c === 58) {
      pos++;
      continue;
    }
    fail(`unexpected character '${text[pos]}'`, pos);
    pos++;
  }
  if (stack.length > 0 && errors === 0) fail(`'${text[stack[0].start]}' was never closed`, stack[0].start);
}

function stringEnd(text: string, pos: number, to: number): number {
  let i = pos + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0 || q >= to) return -1;
    let k = q - 1;
    while (k > pos && text.charCodeAt(k) === 92) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    i = q + 1;
  }
}

function safeUnescape(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function arrayOf(site: ArraySite, dtype: ArrayValue['dtype'] | undefined): ArrayValue {
  const integer = site.integral && dtype === undefined;
  return {
    site,
    data: site.data ?? null,
    shape: site.shape,
    integerTensor: integer,
    dtype: integer ? null : (dtype ?? 'float32'),
    dtypeSource: dtype ? 'explicit' : 'default',
    container: 'json',
    transform: null,
    name: site.name,
    fresh: false,
    derived: false,
  };
}

/** An object holding logits and targets: a pair, with the options and claim it states. Returns whether it made one. */
function pairObject(ctx: DetectionContext, entries: Map<string, Entry>): boolean {
  let logits: ArraySite | null = null;
  let target: ArraySite | null = null;
  for (const [key, e] of entries) {
    if (e.kind !== 'site' || !e.site.data) continue;
    if (!logits && logitsKey.test(key) && (!e.site.integral || key.toLowerCase().includes('logit'))) logits = e.site;
    else if (!target && targetKey.test(key)) target = e.site;
  }
  let scalarTarget: { value: number; start: number; end: number } | null = null;
  if (logits && !target) {
    for (const [key, e] of entries) if (targetKey.test(key) && e.kind === 'num' && e.integral) scalarTarget = e;
  }
  if (!logits || (!target && !scalarTarget) || ctx.usedSites.has(logits.id)) return false;
  const options: OptionValues = {};
  const red = entries.get('reduction');
  if (red?.kind === 'str') options.reduction = red.value;
  const ig = entries.get('ignore_index');
  if (ig?.kind === 'num') options.ignoreIndex = ig.value;
  const ls = entries.get('label_smoothing');
  if (ls?.kind === 'num') options.labelSmoothing = ls.value;
  const w = entries.get('weight');
  if (w?.kind === 'site') {
    options.weight = arrayOf(w.site, 'float32');
    ctx.usedSites.add(w.site.id);
  }
  const dt = entries.get('dtype');
  const dtype = dt?.kind === 'str' && (dt.value === 'float64' || dt.value === 'float32') ? dt.value : undefined;
  const kind = entries.get('input_kind');
  const nll = kind?.kind === 'str' && kind.value === 'log_probs';
  const input = arrayOf(logits, dtype ?? 'float32');
  input.dtypeSource = dtype ? 'explicit' : 'default';
  let targetVal: ArrayValue;
  if (target) targetVal = arrayOf(target, target.integral ? undefined : 'float32');
  else {
    const st = scalarTarget as { value: number; start: number; end: number };
    const outcome = {
      end: st.end,
      shape: [],
      data: Float64Array.of(st.value),
      integral: true,
      count: 1,
      error: null,
      tuple: false,
    };
    const site = ctx.sites[ctx.addSite(outcome, st.start, 'json')];
    targetVal = arrayOf(site, undefined);
  }
  const ref = ctx.addPair({
    recogniser: 'json',
    kind: 'inferred',
    input,
    target: targetVal,
    reads: nll ? 'log_probs' : 'logits',
    options,
    call: null,
  });
  // A claimed loss next to the data: {"loss": 2.1438} / {"expected_loss": 2.143818427948945}.
  for (const [key, e] of entries) {
    if (!lossKey.test(key) || e.kind !== 'num') continue;
    const numText = ctx.text.slice(e.start, e.end);
    const claim = plainClaim(numText, e.start, e.value);
    ctx.bindClaim({ value: { kind: 'loss', pair: ref }, exprText: key, direct: true }, claim, 'comment', null);
  }
  return true;
}

function plainClaim(numText: string, start: number, value: number): ClaimText {
  const [mant, exp] = numText.toLowerCase().split('e');
  const dot = mant.indexOf('.');
  const digits = mant.replace(/[-+.]/g, '').replace(/^0+/, '');
  return {
    start,
    end: start + numText.length,
    text: numText,
    numText,
    numOffset: 0,
    value,
    decimals: dot < 0 ? 0 : mant.length - dot - 1,
    significant: Math.max(digits.length, 1),
    exponent: exp ? Number(exp) : 0,
    style: 'plain',
  };
}

/**
 * `[{"logits": [...], "label": 3}, ...]`: every record has the key → one stacked site per key
 * (shape [N, ...]). Returns the stacked entries, or null when the array is not records.
 */
function stackRecords(ctx: DetectionContext, frame: Frame, end: number, lines: LineCounter): Map<string, Entry> | null {
  const recs = frame.records;
  if (recs.length === 0 || frame.others > 0) return null;
  const out = new Map<string, Entry>();
  for (const key of recs[0].keys()) {
    if (!logitsKey.test(key) && !targetKey.test(key)) continue;
    const first = recs[0].get(key) as Entry;
    if (first.kind === 'site' && first.site.data) {
      const shape = first.site.shape;
      const size = first.site.data.length;
      const parts: Float64Array[] = [];
      let integral = true;
      for (const r of recs) {
        const e = r.get(key);
        if (
          !e ||
          e.kind !== 'site' ||
          !e.site.data ||
          e.site.data.length !== size ||
          e.site.shape.length !== shape.length
        ) {
          parts.length = 0;
          break;
        }
        parts.push(e.site.data);
        if (!e.site.integral) integral = false;
      }
      if (parts.length !== recs.length) continue;
      const data = new Float64Array(size * parts.length);
      parts.forEach((p, i) => data.set(p, i * size));
      // Positioned at the first record's array (where the reader looks for it), spanning to the end.
      const firstSite = first.site;
      const outcome = {
        end,
        shape: [parts.length, ...shape],
        data,
        integral,
        count: data.length,
        error: null,
        tuple: false,
      };
      const site = ctx.sites[ctx.addSite(outcome, firstSite.start, 'json-records')];
      site.name = key;
      site.literalEnd = firstSite.literalEnd;
      site.endLine = lines.lineAt(end);
      out.set(key, { kind: 'site', site });
    } else if (first.kind === 'num') {
      const vals: number[] = [];
      let integral = true;
      for (const r of recs) {
        const e = r.get(key);
        if (!e || e.kind !== 'num') {
          vals.length = 0;
          break;
        }
        vals.push(e.value);
        if (!e.integral) integral = false;
      }
      if (vals.length !== recs.length) continue;
      const outcome = {
        end,
        shape: [vals.length],
        data: Float64Array.from(vals),
        integral,
        count: vals.length,
        error: null,
        tuple: false,
      };
      const site = ctx.sites[ctx.addSite(outcome, first.start, 'json-records')];
      site.name = key;
      out.set(key, { kind: 'site', site });
    }
  }
  return out.size ? out : null;
}
