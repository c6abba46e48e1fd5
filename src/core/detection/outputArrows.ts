/**
 * A page that shows what a line printed after an arrow on the same line (`print(loss) --> 0.8312`,
 * `print(ce(p, y)) --> # tensor(0.8312)`, docs/detection.md 3.146). Python has no `-->`: outside a
 * string or a comment it can only be the page's arrow, so the line's code ends before it. The arrow
 * becomes a comment marker when a value follows it (`#  0.8312`, read as a comment on a print is)
 * and spaces when a comment already follows it or nothing does; offsets are unchanged.
 */

/** `text` with each output arrow of its code rewritten; `text` itself when it has none. */
export function withoutOutputArrows(text: string): string {
  if (!text.includes('-->')) return text;
  let out: string[] | null = null;
  let last = 0;
  // The quote that opened the string we are in (`'''` and `"""` span lines), or '' outside strings.
  let quote = '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      } else if (c === '\n' && quote.length === 1) quote = '';
      continue;
    }
    if (c === '#') {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (c === '"' || c === "'") {
      quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    } else if (c === '-' && text.startsWith('-->', i)) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      const rest = text.slice(i + 3, end).trimStart();
      out ??= [];
      out.push(text.slice(last, i), rest === '' || rest.startsWith('#') ? '   ' : '#  ');
      last = i + 3;
      i = end - 1;
    }
  }
  if (!out) return text;
  out.push(text.slice(last));
  return out.join('');
}
