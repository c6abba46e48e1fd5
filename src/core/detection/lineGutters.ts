/**
 * A listing whose line numbers were copied glued to its lines (docs/detection.md 3.332): a page's code
 * viewer draws a gutter of line numbers, and the page's text keeps them as the first characters of each
 * line, with no space between: `1import tensorflow as tf`, `2`, `4def bce(y, p):`, `5    return …`,
 * `10y_true = tf.constant(…)`. Python cannot read such lines at all, so nothing is read differently when
 * the numbers are taken away.
 *
 * A run is read as a gutter only when all of these hold:
 * - at least `minRun` lines in a row, each starting at the margin with the number one more than the line
 *   above (the first of them any number), the number not followed by another digit;
 * - no line of the run has exactly one blank between its number and its text (`1 apple` is a list);
 * - at least two lines of the run have a letter, `_` or `#` right after the number (`1import`), and at
 *   least two read as code (an import, a `def`/`class`/`return`/`print(`, an assignment or a call).
 * A gutter's number is moved to the end of its line as blanks, so every line keeps its offsets and length
 * (the positions reported stay on the same line). Linear in the text.
 */

const minRun = 3;
/** A line's text that reads as Python code (after the number). */
const codeLike =
  /^[ \t]*(?:import\s|from\s+[\w.]+\s+import\s|def\s|class\s|return\b|print\s*\(|[A-Za-z_][\w.]*\s*(?:=(?!=)|\())/;

interface Numbered {
  start: number;
  end: number;
  /** Length of the number at the line's start (0: none). */
  digits: number;
  value: number;
}

function lineAt(text: string, start: number): Numbered {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  let k = start;
  // Line numbers of a listing: at most five digits.
  while (k < end && k - start < 6 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
  const digits = k - start;
  if (digits === 0 || digits > 5 || text.charCodeAt(start) === 48) return { start, end, digits: 0, value: 0 };
  return { start, end, digits, value: Number(text.slice(start, k)) };
}

/** Does the text hold a line starting `1` and a letter (the cheap test before the full reading)? */
export function hasLineGutter(text: string): boolean {
  return /^\d{1,5}[A-Za-z_#]/m.test(text);
}

/** The text with every glued line-number gutter moved out of the code (same length, same line starts). */
export function withoutLineGutters(text: string): string {
  if (!hasLineGutter(text)) return text;
  const lines: Numbered[] = [];
  for (let start = 0; start <= text.length;) {
    const l = lineAt(text, start);
    lines.push(l);
    const nl = text.indexOf('\n', l.end);
    if (nl < 0) break;
    start = nl + 1;
  }
  const runs: [number, number][] = [];
  let i = 0;
  while (i < lines.length) {
    if (!lines[i].digits) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < lines.length && lines[j].digits && lines[j].value === lines[j - 1].value + 1) j++;
    if (j - i >= minRun && isGutter(text, lines, i, j)) runs.push([i, j]);
    i = j;
  }
  if (!runs.length) return text;
  const parts: string[] = [];
  let at = 0;
  for (const [a, b] of runs)
    for (let k = a; k < b; k++) {
      const l = lines[k];
      parts.push(text.slice(at, l.start), text.slice(l.start + l.digits, l.end), ' '.repeat(l.digits));
      at = l.end;
    }
  parts.push(text.slice(at));
  return parts.join('');
}

function isGutter(text: string, lines: Numbered[], a: number, b: number): boolean {
  let glued = 0;
  let code = 0;
  for (let k = a; k < b; k++) {
    const l = lines[k];
    const rest = text.slice(l.start + l.digits, l.end);
    if (/^[ \t]\S/.test(rest)) return false;
    if (/^[A-Za-z_#]/.test(rest)) glued++;
    if (codeLike.test(rest)) code++;
  }
  return glued >= 2 && code >= 2;
}
