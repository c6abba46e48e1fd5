/**
 * A number printed alone on the first line after a block of page code (a notebook rendered as a
 * page, an API page's example: `f(np.array(y), np.array(t))`, a blank line, `0.5108254570993380`):
 * the output of the block's last line, when that line is one that shows a value (a bare expression
 * or a `print(…)` at the margin). A number literal alone on a line computes nothing in a program,
 * so after code it is output; a second number line under it (a table, a list of values) is not
 * read, since which line the code printed is then a guess.
 */
import type { OutputLine } from './context';

/** A number alone on its line (`0.8135988`, `-1.2e-05`, `2.302`). */
const numberAlone = /^[ \t]*-?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?[ \t]*$/;
/** A line at the margin that shows a value: `print(…)` or a bare call / name chain, not an assignment. */
const shows = /^(?:print\(.*\)|[A-Za-z_][\w.]*\s*\(.*\))\s*(?:#.*)?$/;
const statement = /^(?:import|from|def|class|for|while|if|elif|else|try|except|finally|with|return|assert|raise|del)\b/;

/**
 * The output line of a block that ends at `blockEnd`, from the line at index `k` on (the first
 * line after the block; blank lines skipped), or null. `lineText(n)` is line n without its
 * break, `lineStart(n)` its offset, `count` the number of lines.
 */
export function numberAfterBlock(
  code: string,
  k: number,
  count: number,
  lineText: (n: number) => string,
  lineStart: (n: number) => number,
): (OutputLine & { start: number }) | null {
  const lastLine = lastCodeLine(code);
  if (lastLine === null || !shows.test(lastLine) || statement.test(lastLine) || /^[\w.]+\s*=[^=]/.test(lastLine))
    return null;
  let n = k;
  while (n < count && lineText(n).trim() === '') n++;
  if (n - k > 2 || !onlyNumberLine(n, count, lineText)) return null;
  return { text: lineText(n), start: lineStart(n) };
}

/** Python's words a line may hold alone without naming a value the code assigned. */
const notAName = /^(?:None|True|False|pass|break|continue|return|else|try|finally)$/;
/** A label line between a shown name and its value (`Output:`, `**Out:**`). */
const valueLabel = /^\s*(?:\*\*)?(?:output|out|result)(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*$/i;

/**
 * A name alone at the margin on the first line after a block of page code that assigns it (`loss`), perhaps a
 * label line (`Output:`), then a number alone (`0.56`): what a notebook shows for that name, as tutorial posts
 * copy it under their plain code (docs/detection.md 3.368). The name's span and the number's line, or null
 * (a second number line under it is a table or a list, which line is the name's a guess).
 */
export function echoedNumber(
  code: string,
  k: number,
  count: number,
  lineText: (n: number) => string,
  lineStart: (n: number) => number,
): { start: number; end: number; output: OutputLine & { start: number } } | null {
  const blank = (n: number): boolean => n < count && lineText(n).trim() === '';
  let n = k;
  while (blank(n)) n++;
  if (n >= count) return null;
  const m = /^([A-Za-z_]\w*)[ \t]*$/.exec(lineText(n));
  if (!m || notAName.test(m[1]) || !new RegExp(`^[ \\t]*${m[1]}[ \\t]*=(?!=)`, 'm').test(code)) return null;
  let v = n + 1;
  while (blank(v)) v++;
  if (v < count && valueLabel.test(lineText(v))) for (v++; blank(v);) v++;
  if (v - n > 4 || !onlyNumberLine(v, count, lineText)) return null;
  return { start: lineStart(n), end: lineStart(n) + m[1].length, output: { text: lineText(v), start: lineStart(v) } };
}

/**
 * Whether line `n` is a number alone and the line under it is not one too (two number lines are a table
 * or a list: which one the code printed is a guess).
 */
function onlyNumberLine(n: number, count: number, lineText: (n: number) => string): boolean {
  return n < count && numberAlone.test(lineText(n)) && !(n + 1 < count && numberAlone.test(lineText(n + 1)));
}

/** The block's last line that is neither blank nor a comment, or null. */
function lastCodeLine(code: string): string | null {
  const lines = code.split(/\r\n|\r|\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const s = lines[i];
    if (s.trim() === '' || s.trim().startsWith('#')) continue;
    return s;
  }
  return null;
}

/** A print at the margin: its arguments. */
const printAtMargin = /^print\((.*)\)\s*(?:#.*)?$/;
/**
 * A print under a `with` (or another block that runs once): its arguments; Python 2's statement
 * form too (`print "loss:", x`). Read only in code with no loop or function, where it prints once.
 */
const printIndented = /^\s+print(?:\((.*)\)|\s+((?:['"]).*?))\s*(?:#.*)?$/;
const repeats = /^\s*(?:for|while|def|async)\b/m;
/**
 * The text a print writes before its value, when its first argument is a string that starts with
 * words: `print("Loss:", x)`, `print(f"loss = {x}")`, `print("loss %.4f" % x)`, `'…{}'.format(x)`.
 * Up to the closing quote, a `{` or a `%`; null when that text has no letter (`print(x)`).
 */
function labelOf(args: string): string | null {
  const m = /^(?:[fFrR]{0,2})(['"])((?:(?!\1)[^\\{%])*)/.exec(args.trim());
  if (!m) return null;
  const label = m[2].trim();
  return /\p{L}/u.test(label) ? label : null;
}

/**
 * The lines a page shows after a block of page code that ends in prints of labelled values:
 * `print("Cross Entropy Loss:", loss.item())` then, after a blank line, `Cross Entropy Loss: 0.3122`.
 * Each trailing print of the block must find its own label starting the next output line, in
 * order, with a value after it; the lines so matched are returned (none when the first does not
 * match). A line starting with the print's own words is that print's output, whatever the page.
 */
export function labelledAfterBlock(
  code: string,
  k: number,
  count: number,
  lineText: (n: number) => string,
  lineStart: (n: number) => number,
): (OutputLine & { start: number })[] {
  const labels: string[] = [];
  const lines = code.split(/\r\n|\r|\n/);
  const once = !repeats.test(code);
  for (let i = lines.length - 1; i >= 0 && labels.length < 16; i--) {
    const s = lines[i];
    if (s.trim() === '' || s.trim().startsWith('#')) continue;
    const m = printAtMargin.exec(s);
    const inner = m || !once ? null : printIndented.exec(s);
    const label = m ? labelOf(m[1]) : inner ? labelOf(inner[1] ?? inner[2]) : null;
    if (label === null) break;
    labels.unshift(label);
  }
  let first = k;
  while (first < count && first - k <= 2 && lineText(first).trim() === '') first++;
  const matched = (labels: string[]): (OutputLine & { start: number })[] => {
    const out: (OutputLine & { start: number })[] = [];
    for (let n = first, i = 0; i < labels.length && n < count; i++, n++) {
      const line = lineText(n);
      const rest = line.trimStart();
      // The value: a number, a tensor, or numpy's print of a vector (`[ 0.0499 3.0499]`).
      if (
        !rest.startsWith(labels[i]) ||
        !/^\s*[:=]?\s*(?:tensor\(|-?\d|-?\.\d|\[\s*-?\.?\d)/.test(rest.slice(labels[i].length))
      )
        break;
      out.push({ text: line, start: lineStart(n) });
    }
    return out;
  };
  if (labels.length === 0) return echoedAfter(lines, first, count, lineText, lineStart);
  const out = matched(labels);
  // Only when a print ends the block: a bare expression's value would be shown too, unlabelled.
  if (out.length || !once || labels.length === 0) return out;
  // Every print at the margin, when each labels its value and other statements stand between them
  // (`ce = …` / `print("manual:", ce)` / `bce = …` / `print("keras:", bce(…))`): their lines in order (§3.131).
  const all: string[] = [];
  for (const s of lines) {
    const m = printAtMargin.exec(s);
    if (!m) continue;
    const label = labelOf(m[1]);
    if (label === null || all.length >= 16) return out;
    all.push(label);
  }
  return all.length > labels.length ? matched(all) : out;
}

/** A print of one string literal and nothing else (`print("--- far ---")`): the text it writes. */
const printsText = /^(['"])([^'"\\{%]*)\1$/;
/** A value as a run shows it alone on a line: a number, or torch's print of a tensor. */
const valueLine = /^[ \t]*(?:-?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?|tensor\(.*\))[ \t]*$/;

/**
 * The lines after a block whose trailing prints alternate a heading and a value (`print("--- far ---")`,
 * `print(f(p_1, t))`, `print("--- near ---")`, `print(f(p_2, t))`; §3.243): each heading print's own text on
 * its line, each value print's number (or tensor) on the next, every line in order, or none at all. The
 * lines from `first` on are matched; a line that is not what its print writes refuses the whole run, and
 * so does any other print in the block (a print in a loop or a function writes lines of its own). Prints
 * at the margin run once even when the block defines a function.
 */
function echoedAfter(
  lines: string[],
  first: number,
  count: number,
  lineText: (n: number) => string,
  lineStart: (n: number) => number,
): (OutputLine & { start: number })[] {
  const trail: (string | null)[] = [];
  for (let i = lines.length - 1; i >= 0 && trail.length < 32; i--) {
    const s = lines[i];
    if (s.trim() === '' || s.trim().startsWith('#')) continue;
    const m = printAtMargin.exec(s);
    if (!m) break;
    const text = printsText.exec(m[1].trim());
    if (text && text[2].trim() !== '') trail.unshift(text[2].trim());
    else if (!text && !/['"]/.test(m[1])) trail.unshift(null);
    else break;
  }
  // Every print of the block is one of these (nothing else writes a line before them), at least one of each kind.
  const prints = lines.reduce((n, s) => n + (s.match(/\bprint\s*\(/g)?.length ?? 0), 0);
  if (prints !== trail.length || !trail.includes(null) || trail.every((p) => p === null)) return [];
  const out: (OutputLine & { start: number })[] = [];
  for (let i = 0, n = first; i < trail.length; i++, n++) {
    const line = n < count ? lineText(n) : '';
    if (trail[i] === null ? !valueLine.test(line) : line.trim() !== trail[i]) return [];
    out.push({ text: line, start: lineStart(n) });
  }
  return out;
}
