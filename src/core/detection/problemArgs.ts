/**
 * The inputs of one worked example on an exercise page, as the page writes them: `Input: [0.7, 0.2,
 * 0.1], 0`, `Input: {"y_pred": [[…]], "y_true": [[1, 0, 0]]}`, `y_true=[1, 0], y_pred=[0.9, 0.2]`,
 * `cross_entropy([0, 1, 0], [0.1, 0.8, 0.1])`, or `name = [...]` lines followed by `f(a, b) → 0.17`.
 * Each argument keeps its offsets (it becomes an array site) and the name the page gives it; a
 * call's identifiers are resolved to the assignments above them. A hand-written scanner, linear in
 * the region: nested brackets are counted, numbers read once.
 */

export interface Literal {
  start: number;
  end: number;
  shape: number[];
  data: Float64Array;
  /** Every element written as an integer. */
  integral: boolean;
}

export interface ExampleArg {
  name: string | null;
  value: Literal;
  /** The text of the line the value is on (a `# predicted probabilities` comment says what it is). */
  line: string;
}

export interface ExampleInputs {
  args: ExampleArg[];
  /** The function the example calls (`cross_entropy(...)`), if any. */
  callee: string | null;
  /** A call argument that is neither a literal nor a name given above (the example is not read). */
  unresolved: string | null;
  /** Where the call is (`f(a, b)`, its name to its closing parenthesis), if the example writes one. */
  callAt: { start: number; end: number } | null;
}

const numberRe = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;

/** A bracketed list of numbers (nested, rectangular) at `at`, or null. */
export function readList(text: string, at: number, to: number): Literal | null {
  const flat: number[] = [];
  const stack: number[] = [];
  const lengths: (number | null)[] = [];
  let integral = true;
  let i = at;
  let depth = 0;
  let maxDepth = 0;
  let leaf = -1;
  while (i < to) {
    const c = text[i];
    if (c === '[' || (c === '(' && depth > 0)) {
      if (leaf !== -1 && depth >= leaf) return null;
      if (depth > 0) stack[depth - 1]++;
      stack[depth] = 0;
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      i++;
    } else if (c === ']' || (c === ')' && depth > 1)) {
      depth--;
      const n = stack[depth];
      if (lengths[depth] === undefined || lengths[depth] === null) lengths[depth] = n;
      else if (lengths[depth] !== n) return null;
      i++;
      if (depth === 0) break;
    } else if (c === ',' || c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else {
      const m = numberRe.exec(text.slice(i, Math.min(to, i + 40)));
      if (!m || depth === 0) return null;
      const v = Number(m[0]);
      if (!Number.isFinite(v)) return null;
      if (!/^[-+]?\d+$/.test(m[0])) integral = false;
      flat.push(v);
      stack[depth - 1]++;
      i += m[0].length;
      // Numbers sit at one depth only (no ragged mixes of numbers and lists).
      if (leaf === -1) leaf = depth;
      else if (depth !== leaf) return null;
    }
  }
  if (depth !== 0 || flat.length === 0) return null;
  const shape = lengths.slice(0, maxDepth).map((n) => n ?? 0);
  if (shape.reduce((a, b) => a * b, 1) !== flat.length) return null;
  return { start: at, end: i, shape, data: Float64Array.from(flat), integral };
}

function scalarAt(text: string, at: number, to: number): Literal | null {
  const m = numberRe.exec(text.slice(at, Math.min(to, at + 40)));
  if (!m || (at + m[0].length < to && /[\w.]/.test(text[at + m[0].length]))) return null;
  const v = Number(m[0]);
  if (!Number.isFinite(v)) return null;
  return { start: at, end: at + m[0].length, shape: [], data: Float64Array.of(v), integral: /^[-+]?\d+$/.test(m[0]) };
}

/** A line is looked at up to this many characters either side of a position (a page without line breaks stays linear). */
export const lineReach = 400;

/** Where the line holding `at` starts, at most {@link lineReach} characters back. */
export function lineStartOf(text: string, at: number): number {
  const from = Math.max(0, at - lineReach);
  return from + text.slice(from, at).lastIndexOf('\n') + 1;
}

/** Where the line holding `at` ends, at most {@link lineReach} characters on. */
export function lineEndOf(text: string, at: number): number {
  const to = Math.min(text.length, at + lineReach);
  const e = text.slice(at, to).indexOf('\n');
  return e < 0 ? to : at + e;
}

function lineAround(text: string, at: number): string {
  return text.slice(lineStartOf(text, at), lineEndOf(text, at));
}

/**
 * The arguments written in `text[from, to)`. Assignments (`name = [...]`, `"name": [...]`) and
 * literals are read in order; a call `f(...)` gives the example's arguments in its own order, with
 * names resolved to the assignments before it. Prose between them is skipped.
 */
export function readInputs(text: string, from: number, to: number): ExampleInputs {
  const named = new Map<string, Literal>();
  const found: ExampleArg[] = [];
  let callArgs: ExampleArg[] | null = null;
  let callee: string | null = null;
  let unresolved: string | null = null;
  let callAt: { start: number; end: number } | null = null;
  let callDepth = -1;
  let depth = 0;
  let pendingName: string | null = null;
  let i = from;
  const push = (arg: ExampleArg): void => {
    if (callArgs && depth === callDepth) callArgs.push(arg);
    else if (!callArgs) found.push(arg);
    if (arg.name !== null) named.set(arg.name, arg.value);
  };
  while (i < to) {
    const c = text[i];
    if (c === '#' && !callArgs) {
      // A comment runs to the end of its line.
      const e = text.slice(i, to).indexOf('\n');
      i = e < 0 ? to : i + e;
      continue;
    }
    if (c === '[') {
      const lit = readList(text, i, to);
      if (!lit) return { args: [], callee, unresolved: 'a list that is not rectangular numbers', callAt };
      push({ name: pendingName, value: lit, line: lineAround(text, i) });
      pendingName = null;
      i = lit.end;
      continue;
    }
    const id = /^["']?([A-Za-z_]\w*)["']?/.exec(text.slice(i, i + 64));
    if (id && !/[\w.]/.test(text[i - 1] ?? '')) {
      const after = i + id[0].length;
      const rest = text.slice(after, after + 4);
      if (/^\s*[=:](?!=)/.test(rest)) {
        pendingName = id[1];
        i = after + /^\s*[=:]\s*/.exec(text.slice(after, after + 64))![0].length;
        continue;
      }
      if (/^\(/.test(rest) && !callArgs) {
        callee = id[1];
        callAt = { start: i, end: to };
        callArgs = [];
        depth++;
        callDepth = depth;
        i = after + 1;
        continue;
      }
      if (callArgs && depth === callDepth) {
        const v = named.get(id[1]);
        if (v) callArgs.push({ name: id[1], value: v, line: lineAround(text, v.start) });
        else unresolved ??= id[1];
      }
      pendingName = null;
      i = after;
      continue;
    }
    if (/[-+.\d]/.test(c) && !/[\w.]/.test(text[i - 1] ?? '')) {
      const lit = scalarAt(text, i, to);
      if (lit) {
        push({ name: pendingName, value: lit, line: lineAround(text, i) });
        pendingName = null;
        i = lit.end;
        continue;
      }
    }
    if (c === '(') depth++;
    else if (c === ')') {
      if (callArgs && depth === callDepth) {
        depth--;
        i++;
        if (callAt) callAt.end = i;
        break;
      }
      depth--;
    }
    if (c === '\n') pendingName = null;
    i++;
  }
  return { args: callArgs ?? found, callee, unresolved, callAt };
}

/** Parameter names of `callee` as the page writes its signature (`def f(y_true, y_pred)`, `f(y_true, y_pred)`). */
export function signatureOf(page: string, callee: string): string[] | null {
  const re = new RegExp(`\\b${callee}\\s*\\(\\s*([A-Za-z_]\\w*)\\s*(?::[^,()]*)?,\\s*([A-Za-z_]\\w*)`, 'g');
  for (const m of page.matchAll(re)) return [m[1], m[2]];
  return null;
}
