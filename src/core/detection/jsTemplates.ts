/**
 * JavaScript template literals printed (`console.log(`loss = ${loss.toFixed(3)}`)  // loss = 0.348`):
 * the expression inside `${…}` is what the statement prints, so it is read as the call's argument, as
 * Python's printed f-strings are (fstrings.ts, docs/detection.md 3.286). The rewrite keeps every offset:
 * the backticks and the words become spaces, `${` two spaces and `}` one, so the line reads as
 * `console.log(         loss.toFixed(3) )`. Only a one-line template that opens the print's argument
 * list, with fields without quotes, backticks or braces of their own; any other template is left as it is
 * (a string: no claim is judged on it). One field among words with a digit (`epoch 3: ${loss}`: the number
 * in the words could be taken for the value) is read as an argument too, so that a loss computed in the
 * field makes its pair, but like a template of several fields its output is read only by its own words
 * (statements.ts), which one field never is: no claim (docs/detection.md 3.327).
 */

import type { Node } from './expr';
import type { PrintTemplate, TemplatePart } from './printTemplates';

/** A print whose argument list opens with a template literal; the match ends at the backtick. */
const printedTemplate = /\bconsole\s*\.\s*(?:log|info|debug|warn|error)\s*\(\s*`/g;

/** Does the text hold a printed template literal at all (the cheap test before {@link rewritePrintedTemplates})? */
export function hasPrintedTemplate(text: string): boolean {
  return text.includes('console') && text.includes('${');
}

/** The text with each printed template literal's fields read as the print's arguments (same offsets). */
export function rewritePrintedTemplates(text: string): string {
  let out: string[] | null = null;
  let copied = 0;
  printedTemplate.lastIndex = 0;
  for (let m = printedTemplate.exec(text); m; m = printedTemplate.exec(text)) {
    const open = m.index + m[0].length - 1;
    const t = template(text, open);
    // Scanning resumes after the template (or the line) either way: every character is read once.
    printedTemplate.lastIndex = t ? t.close + 1 : Math.max(printedTemplate.lastIndex, open + 1);
    if (!t) continue;
    out ??= [];
    out.push(text.slice(copied, open));
    // Each field its own argument (`console.log( a , b )`), the words kept for the output line's template
    // (jsPrintTemplate); several fields, or one among words with a digit: that template is the only reading.
    let at = open;
    t.fields.forEach(([a, b], k) => {
      out!.push((k === 0 ? ' ' : ',') + ' '.repeat(a - at - 1), text.slice(a, b));
      at = b;
    });
    out.push(' '.repeat(t.close + 1 - at));
    copied = t.close + 1;
  }
  if (!out) return text;
  out.push(text.slice(copied));
  return out.join('');
}

/**
 * The words and fields of a printed template literal of two or more fields, read from the source as written
 * (`text`), for the output line (printTemplates.ts templateValues): each field must be the print's argument
 * at the same place (the rewrite above made it so); null for any other print.
 */
export function jsPrintTemplate(text: string, print: Node): PrintTemplate | null {
  if (print.type !== 'call' || print.args.length < 2) return null;
  const open = text.indexOf('(', print.callee.end);
  if (open < 0) return null;
  let k = open + 1;
  while (k < print.end && (text[k] === ' ' || text[k] === '\t')) k++;
  if (text[k] !== '`') return null;
  const t = template(text, k);
  if (!t || t.fields.length !== print.args.length) return null;
  const parts: TemplatePart[] = [];
  let at = k + 1;
  for (const [i, [a, b]] of t.fields.entries()) {
    const words = text.slice(at, a - 2);
    const arg = print.args[i];
    const src = text.slice(a, b);
    const s0 = a + (src.length - src.trimStart().length);
    if (words.includes('\\') || arg.start !== s0 || arg.end !== a + src.trimEnd().length) return null;
    if (words) parts.push(words);
    parts.push(i);
    at = b + 1;
  }
  const tail = text.slice(at, t.close);
  if (tail.includes('\\')) return null;
  if (tail) parts.push(tail);
  return { parts, fields: print.args };
}

/**
 * Is the print at `print` a template literal of two or more fields, or of one among words with a digit (its
 * output is read only by its template: 3.303, 3.327)?
 */
export function severalFields(text: string, print: Node): boolean {
  if (print.type !== 'call') return false;
  const open = text.indexOf('(', print.callee.end);
  if (open < 0 || open >= print.end) return false;
  let k = open + 1;
  while (k < print.end && (text[k] === ' ' || text[k] === '\t')) k++;
  if (text[k] !== '`') return false;
  const t = template(text, k);
  return !!t && (t.fields.length >= 2 || t.digits);
}

/** Fields per template at most. */
const maxFields = 16;

/** The fields of the one-line template literal opening at `open` (expression spans), its closing backtick, or null. */
function template(text: string, open: number): { fields: [number, number][]; digits: boolean; close: number } | null {
  const fields: [number, number][] = [];
  let digits = false;
  for (let k = open + 1; k < text.length; k++) {
    const c = text[k];
    if (c === '\n' || c === '\r') return null;
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === '`') return fields.length ? { fields, digits, close: k } : null;
    if (c >= '0' && c <= '9') digits = true;
    if (c === '$' && text[k + 1] === '{') {
      if (fields.length >= maxFields) return null;
      const field = k + 2;
      let e = field;
      while (e < text.length && text[e] !== '}') {
        if ('{`\'"\n\r'.includes(text[e])) return null;
        e++;
      }
      if (e >= text.length || e === field || !text.slice(field, e).trim()) return null;
      fields.push([field, e]);
      k = e;
    }
  }
  return null;
}
