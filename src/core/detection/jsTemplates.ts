/**
 * JavaScript template literals printed (`console.log(`loss = ${loss.toFixed(3)}`)  // loss = 0.348`):
 * the expression inside `${…}` is what the statement prints, so it is read as the call's argument, as
 * Python's printed f-strings are (fstrings.ts, docs/detection.md 3.286). The rewrite keeps every offset:
 * the backticks and the words become spaces, `${` two spaces and `}` one, so the line reads as
 * `console.log(         loss.toFixed(3) )`. Only a one-line template that opens the print's argument
 * list, with one field and no digit in its words (a number in the words, `epoch 3: …`, could be taken
 * for the value), and a field without quotes, backticks or braces of its own; any other template is left
 * as it is (a string: no claim is judged on it).
 */

/** A print whose argument list opens with a template literal; the match ends at the backtick. */
const printedTemplate = /\bconsole\s*\.\s*(?:log|info|debug|warn|error)\s*\(\s*`/g;

/** Does the text hold a printed template literal at all (the cheap test before {@link rewritePrintedTemplates})? */
export function hasPrintedTemplate(text: string): boolean {
  return text.includes('console') && text.includes('${');
}

/** The text with each printed one-field template literal's field read as the print's argument (same offsets). */
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
    out.push(text.slice(copied, open), ' '.repeat(t.field - open), text.slice(t.field, t.fieldEnd));
    out.push(' '.repeat(t.close + 1 - t.fieldEnd));
    copied = t.close + 1;
  }
  if (!out) return text;
  out.push(text.slice(copied));
  return out.join('');
}

/** The one field of the template literal opening at `open` (its expression's span and the closing backtick), or null. */
function template(text: string, open: number): { field: number; fieldEnd: number; close: number } | null {
  let field = -1;
  let fieldEnd = -1;
  for (let k = open + 1; k < text.length; k++) {
    const c = text[k];
    if (c === '\n' || c === '\r') return null;
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === '`') return field >= 0 ? { field, fieldEnd, close: k } : null;
    if (c >= '0' && c <= '9') return null;
    if (c === '$' && text[k + 1] === '{') {
      if (field >= 0) return null;
      field = k + 2;
      let e = field;
      while (e < text.length && text[e] !== '}') {
        if ('{`\'"\n\r'.includes(text[e])) return null;
        e++;
      }
      if (e >= text.length || e === field || !text.slice(field, e).trim()) return null;
      fieldEnd = e;
      k = e;
    }
  }
  return null;
}
