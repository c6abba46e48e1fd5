/**
 * The label a print writes before its value (`print("loss:", x)`, `print(f"{out=}")`,
 * `'H: %.3f' % h`), and where a comment or output line repeats it: how claim binding ties a
 * printed line to the print that wrote it.
 */
import { selfDocumentingEquals } from './fstrings';

/**
 * The text a print writes before its value: a leading string literal argument (up to its first
 * `%` conversion), or an f-string's text before its first field. Null when the print has none worth matching (fewer than
 * `least` letters or digits, three by default, so `:` or `=` alone never ties a print to a line).
 */
export function printLabel(call: string, least = 3): string | null {
  const documented = selfDocumentedLabel(call);
  if (documented !== null) return documented;
  const m = /^print\(\s*([fF]?)(["'])(?:\\n|\s)*((?:(?!\2)[^\\\r\n{])*)([\s\S]?)/.exec(call);
  if (!m) return null;
  // A plain string ends at its quote; an f-string may end its label at its first field.
  if (m[4] !== m[2] && !(m[1] && m[4] === '{')) return null;
  // `'H(P, Q): %.3f bits' % h`: the label is the text before the first conversion.
  const label = m[3].replace(/%[-+ 0#]*\d*(?:\.\d+)?[dfFgGeEirs][\s\S]*$/, '').trimEnd();
  return (label.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= least ? label : null;
}

/**
 * What Python writes before the value of a print whose f-string opens with a self-documenting field
 * (`print(f"{out=}")` writes `out=tensor(0.4921)`, `f"mean {loss.item()=:.4f}"` writes
 * `mean loss.item()=0.4921`): the text before the field, the expression as written and the `=` with
 * the spaces around it. Null for any other print (a field without `=`, escapes in the text).
 */
export function selfDocumentedLabel(call: string): string | null {
  const m = /^print\(\s*[fF][rR]?(["'])/.exec(call);
  if (!m) return null;
  const quote = m[1];
  let label = '';
  let i = m[0].length;
  for (; i < call.length; i++) {
    const c = call[i];
    if (c === quote || c === '\\' || c === '\n' || c === '}') return null;
    if (c === '{') {
      if (call[i + 1] !== '{') break;
      i++;
    }
    label += c;
  }
  const exprStart = ++i;
  let depth = 0;
  let inner: string | null = null;
  for (; i < call.length; i++) {
    const d = call[i];
    if (d === '\n' || (d === quote && inner === null)) return null;
    if (inner !== null) {
      if (d === inner) inner = null;
      continue;
    }
    if (d === "'" || d === '"') inner = d;
    else if (d === '(' || d === '[' || d === '{') depth++;
    else if (d === ')' || d === ']' || d === '}') {
      if (depth-- === 0) return null;
    } else if (depth === 0 && (d === ':' || d === '!') && call[i + 1] !== '=') return null;
    else if (depth === 0 && selfDocumentingEquals(call, i)) {
      let k = i + 1;
      while (call[k] === ' ') k++;
      const documented = label + call.slice(exprStart, k);
      return /[\p{L}\p{N}]/u.test(documented) ? documented : null;
    }
  }
  return null;
}

/**
 * The offset after `label` when the text from `from` (a comment's `#` or `//` and spaces skipped)
 * repeats it, spaces aside (`# loss = tensor(…)` repeats `loss=`); -1 otherwise.
 */
export function labelEnd(text: string, from: number, to: number, label: string): number {
  let k = from;
  while (k < to && (text[k] === '#' || text[k] === '/' || text[k] === ' ' || text[k] === '\t')) k++;
  for (let j = 0; j < label.length; j++) {
    if (label[j] === ' ') continue;
    while (k < to && text[k] === ' ') k++;
    if (k >= to || text[k] !== label[j]) return -1;
    k++;
  }
  return k;
}
