/**
 * Printed vectors of per-example losses: `array([0.0486, 0.0486], dtype=float32)`,
 * `tensor([1.3133, 0.0486])`, `numpy=array([...])`, `[0.0513, 2.3026]`. Each number is a claim
 * about one element of the loss, judged at its printed digits with a few float32 units in the last
 * place of slack (a float32 repr of another library's kernel may differ from ours in the last bit).
 */
import { claimInOutput, type ClaimText } from './claims';
import type { DetectionContext, OutputLine, Printed } from './context';
import { bracketDepth } from './doctest';
import { templateValues } from './printTemplates';
import { isLossy, type Value } from './values';

/** At most this many elements are read from one printed vector. */
const maxElements = 64;

/**
 * The numbers of the first bracketed list in `line`, each as a claim at its own offset (`offset` is
 * the line's); null when there is no list of at least two numbers, or the list is nested or unclosed.
 */
export function vectorClaims(line: string, offset: number): ClaimText[] | null {
  let open = line.indexOf('[');
  if (open < 0) return null;
  // Paddle prints its options first (`Tensor(shape=[2], dtype=float32, place=…, stop_gradient=True, [0.5, 0.2])`):
  // the shape's brackets are not the values (3.333).
  if (line.endsWith('shape=', open) && line.lastIndexOf('Tensor(', open) >= 0) open = line.indexOf('[', open + 1);
  if (open < 0) return null;
  // Old torch's scaled vector (`tensor(1.00000e-02 *` then `[-6.1403, 0.4963])`): its digits are not the values.
  if (/e[-+]?\d+\s*\*\s*$/i.test(line.slice(Math.max(0, open - 40), open))) return null;
  const column = columnClaims(line, open, offset);
  if (column !== undefined) return column;
  const close = line.indexOf(']', open);
  if (close < 0) return null;
  const text = line;
  const body = text.slice(open + 1, close);
  if (body.includes('[') || body.length === 0) return null;
  const out: ClaimText[] = [];
  // Python lists and torch separate elements with commas; numpy and TensorFlow print them
  // separated by spaces only (`[0.10536055 0.8046684  0.06187541]`).
  const separator = body.includes(',') ? /[^,]+/g : /\S+/g;
  for (const m of body.matchAll(separator)) {
    const part = m[0];
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const claim = claimInOutput(trimmed, offset + open + 1 + m.index + part.indexOf(trimmed));
    // Every element must be a number on its own (`[0.5, x]` is not a printed vector).
    if (!claim || claim.text.length !== trimmed.length || out.length >= maxElements) return null;
    const unit = Math.pow(10, claim.exponent - claim.decimals);
    out.push({
      ...claim,
      tolerance: claim.tolerance ?? { absolute: unit / 2, relative: 0, assertion: 'its digits' },
    });
  }
  return out.length >= 2 ? out : null;
}

/**
 * A column, `[[0.0486], [1.3133]]` over one line or several (paddle's and torch's print of an N×1 loss,
 * 3.333): its numbers as the vector they are, each a claim at its own offset. Undefined when the list at
 * `open` does not start as a column (`[[`); null when it starts so but is not one: a row of two numbers, a
 * word, an unclosed bracket.
 */
function columnClaims(line: string, open: number, offset: number): ClaimText[] | null | undefined {
  let i = skipBlanks(line, open + 1);
  if (line[i] !== '[') return undefined;
  const out: ClaimText[] = [];
  for (;;) {
    // One row: `[` number `]`.
    const start = skipBlanks(line, i + 1);
    const close = line.indexOf(']', start);
    if (close < 0 || out.length >= maxElements) return null;
    const cell = line.slice(start, close).trim();
    const claim = claimInOutput(cell, offset + start);
    if (!claim || claim.text.length !== cell.length || /[[,]/.test(cell)) return null;
    const unit = Math.pow(10, claim.exponent - claim.decimals);
    out.push({ ...claim, tolerance: claim.tolerance ?? { absolute: unit / 2, relative: 0, assertion: 'its digits' } });
    i = skipBlanks(line, close + 1);
    if (line[i] === ']') return out.length >= 2 ? out : null;
    if (line[i] !== ',') return null;
    i = skipBlanks(line, i + 1);
    if (line[i] !== '[') return null;
  }
}

/** The index of the first character at or after `i` that is not a blank or a line break (a comment's `#` skipped). */
function skipBlanks(line: string, i: number): number {
  let k = i;
  for (;;) {
    const c = line.charCodeAt(k);
    if (c === 32 || c === 9 || c === 10 || c === 13) k++;
    // A wrapped column in comments: `# [[0.1],` then `#  [0.2]]`.
    else if (c === 35 && k > 0 && line.charCodeAt(k - 1) === 10) k++;
    else return k;
  }
}

/**
 * Binds a printed vector to a per-example loss, one claim per element; false (nothing bound)
 * when the printed value is not a loss or the text holds no vector.
 */
export function bindVector(
  ctx: DetectionContext,
  printed: Printed,
  line: string,
  offset: number,
  source: 'comment' | 'output',
  at: { start: number; end: number } | null,
): boolean {
  if (printed.value.kind !== 'loss') return false;
  const claims = vectorClaims(line, offset);
  if (!claims) return false;
  // A reduced loss never prints as several numbers: the vector is its rows, worked out beside it,
  // which only a chain naming the loss binds (vectorComments.ts, 3.290); nothing is claimed here.
  if (printed.value.pair.reduction !== 'none' && claims.length >= 2) return true;
  claims.forEach((claim, element) => {
    const binding = ctx.bindClaim(printed, claim, source, at);
    if (binding.subject.kind === 'pair') binding.subject = { ...binding.subject, element };
  });
  return true;
}

/**
 * Binds a printed tuple of values (`l1, l2` shows `(tensor(0.4076), tensor(1.4073))` or
 * `(0.3567, 2.3026)`) element by element; false when the printed value is not a tuple of that
 * many items or the text is not a parenthesised list of as many printed values.
 */
export function bindTuple(
  ctx: DetectionContext,
  printed: Printed,
  line: string,
  offset: number,
  source: 'comment' | 'output',
  at: { start: number; end: number } | null,
): boolean {
  const value = printed.value;
  // One print of several values writes them without the tuple's parentheses (bindSpaced).
  if (printed.spaced || value.kind !== 'sequence' || value.items.length < 2 || value.items.length > maxElements)
    return false;
  const parts = tupleParts(line);
  if (!parts || parts.length !== value.items.length) return false;
  // A loss's part is one printed value; the other items (`ce(p, y), p, y` shows the arrays too,
  // over several lines when long) only need to read as printed values.
  const claimed = (i: number) => value.items[i].kind === 'loss' || value.items[i].kind === 'scalar';
  const claims = parts.map((part, i) => (claimed(i) ? wholeClaims([part], offset)?.[0] : undefined));
  // A per-row loss in the tuple prints as a vector (`(tensor([2.3026, 0.6931]), …)`).
  const vector = (i: number) => claimed(i) && !claims[i] && /^(?:tensor|array)\(\[[^[\]]*\]/.test(parts[i].text);
  if (parts.some((part, i) => (claimed(i) ? !claims[i] && !vector(i) : !shownValue.test(part.text)))) return false;
  const names = printed.exprText.split(',');
  value.items.forEach((item, i) => {
    if (!claimed(i)) return;
    const exprText = names.length === value.items.length ? names[i].trim() : `${printed.exprText}[${i}]`;
    const one: Printed = { value: item, exprText, direct: false };
    const claim = claims[i];
    if (claim) ctx.bindClaim(one, claim, source, at);
    else bindVector(ctx, one, parts[i].text, offset + parts[i].start, source, at);
  });
  return true;
}

/** The start of a value's printed form: a tensor, array or number, a list, tuple, string or constant. */
const shownValue = /^(?:tensor\(|array\(|tf\.Tensor\(|<tf\.Tensor|Tensor\(|[[(]|[-+]?\.?\d|True\b|False\b|None\b|['"])/;

/**
 * The claim of each part (at `offset` + its start in the line), or null unless every part is one
 * printed value on its own (`(0.5, x)` or `0.5 x` is not a print of values).
 */
function wholeClaims(parts: { text: string; start: number }[], offset: number): ClaimText[] | null {
  const claims: ClaimText[] = [];
  for (const p of parts) {
    const claim = claimInOutput(p.text, offset + p.start);
    if (!claim || claim.text.length !== p.text.length) return null;
    claims.push(claim);
  }
  return claims;
}

/** The top-level elements of `(a, b, …)` filling the whole line, with their offsets in it. */
function tupleParts(line: string): { text: string; start: number }[] | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open || line.slice(0, open).trim() !== '' || line.slice(close + 1).trim() !== '') return null;
  const parts: { text: string; start: number }[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < close; i++) {
    const c = line[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push({ text: line.slice(from, i), start: from });
      from = i + 1;
    }
    if (depth < 0) return null;
  }
  parts.push({ text: line.slice(from, close), start: from });
  const out = parts
    .map((p) => ({ text: p.text.trim(), start: p.start + (p.text.length - p.text.trimStart().length) }))
    .filter((p) => p.text !== '');
  return out.length >= 2 ? out : null;
}

/**
 * Binds what one print of several losses shows (`print(ce, nll)` writes `tensor(0.5389)
 * tensor(0.5389)`, or `0.5389 0.5389` for floats), value by value; false when the printed value
 * is not such a print or the text (a comment's `#` or `//` skipped) is not exactly as many printed
 * values separated by spaces.
 */
export function bindSpaced(
  ctx: DetectionContext,
  printed: Printed,
  line: string,
  offset: number,
  source: 'comment' | 'output',
  at: { start: number; end: number } | null,
): boolean {
  const value = printed.value;
  if (!printed.spaced || value.kind !== 'sequence' || value.items.length > maxElements) return false;
  let from = 0;
  while (from < line.length && (line[from] === '#' || line[from] === '/')) from++;
  const parts = spacedParts(line, from);
  // Only the losses' parts are claims (an array printed beside a loss is not judged here).
  const lossy = value.items.map(isLossy);
  let claims =
    parts && parts.length === value.items.length
      ? wholeClaims(
          parts.filter((_, i) => lossy[i]),
          offset,
        )
      : null;
  // Words around each value (`BCE: 0.3711 CE: 0.5996`): read against the print's template (3.189).
  const read = !claims && printed.template ? templateValues(printed.template, line, from) : null;
  if (read)
    claims = wholeClaims(
      read.filter((v) => lossy[v.field]),
      offset,
    );
  // Beside values not computed here, each part must read as a printed value (an integer among them), or the
  // places are not told.
  if (printed.positional && parts && !parts.every((p) => /^-?\d+$/.test(p.text) || wholeClaims([p], offset)))
    return false;
  if (!claims) return false;
  let k = 0;
  value.items.forEach((item, i) => {
    if (!lossy[i]) return;
    const exprText = value.names?.[i] ?? printed.exprText;
    ctx.bindClaim({ value: item, exprText, direct: false }, claims[k++], source, at);
  });
  return true;
}

/** A printed value that shows several numbers: a list, a tuple, an array of more than one element. */
export function severalNumbers(v: Value): boolean {
  return v.kind === 'sequence' || (v.kind === 'array' && (v.array.data?.length ?? 2) > 1) || v.kind === 'opaqueArray';
}

/** The parts of `line` from `from` separated by spaces outside brackets (`tensor(1.0, dtype=…) 2.0`). */
function spacedParts(line: string, from: number): { text: string; start: number }[] | null {
  const parts: { text: string; start: number }[] = [];
  let depth = 0;
  let start = -1;
  for (let i = from; i <= line.length; i++) {
    const c = i < line.length ? line[i] : ' ';
    if (c === '(' || c === '[' || c === '{' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') depth--;
    if (depth < 0) return null;
    const space = c === ' ' || c === '\t' || c === '\r' || c === '\n';
    if (space && depth === 0) {
      if (start >= 0) parts.push({ text: line.slice(start, i), start });
      start = -1;
    } else if (start < 0) start = i;
  }
  return depth === 0 && parts.length >= 2 ? parts : null;
}

/** Lines one printed value may span at most (a torch repr wraps about six numbers a line). */
const maxJoined = 64;

/**
 * Output lines with one printed value wrapped across them (`tensor([0.6762, 0.7114,` then
 * `        nan, 0.0000])`), joined into one line each: the lines must follow one another in the text
 * (or have no place in it, as a notebook's output lines), and the bracket opened must close within
 * {@link maxJoined} lines; otherwise the lines stay as they are.
 */
export function joinedOutputs(lines: OutputLine[]): OutputLine[] {
  const out: OutputLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    let depth = bracketDepth(lines[i].text, 0);
    let text = lines[i].text;
    let j = i;
    while (depth > 0 && j + 1 < lines.length && j - i < maxJoined) {
      const [a, b] = [lines[j], lines[j + 1]];
      const gap =
        a.start === null || b.start === null ? (a.start === b.start ? 1 : -1) : b.start - a.start - a.text.length;
      if (gap !== 1 && gap !== 2) break;
      text += (gap === 2 ? '\r\n' : '\n') + b.text;
      depth = bracketDepth(b.text, depth);
      j++;
    }
    if (j > i && depth === 0) {
      out.push({ text, start: lines[i].start });
      i = j;
    } else out.push(lines[i]);
  }
  return out;
}
