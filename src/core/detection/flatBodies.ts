/**
 * Python pasted into page text often loses its indentation: a `def` whose body lines start at the
 * header's own column (an IndentationError as written, so no valid reading is lost by reading
 * them as the body). When every line from the header's next line to the first `return` at that
 * column is a simple statement (none ends with `:`, so no nested level is lost too), those lines
 * are read one level deeper: a column shift the Python reader adds (offsets unchanged), as
 * doctest.ts does for console sessions. Anything else is left as written (the function is then
 * not followed).
 */

/** The start of a `def` line (the rest of the line is checked without a regular expression's backtracking). */
const header = /^([ \t]*)def [A-Za-z_]\w*\(/gm;

/** The line ends its header with `:` (after any comment is taken off). */
function endsHeader(line: string): boolean {
  const hash = line.indexOf('#');
  return (hash < 0 ? line : line.slice(0, hash)).trimEnd().endsWith(':');
}

/** Line starts of the body lines that lost their indentation, each with the columns to add. */
export function unindentedBodies(text: string): [number, number][] {
  if (!text.includes('def ')) return [];
  const out: [number, number][] = [];
  for (const m of text.matchAll(header)) {
    const indent = m[1];
    const from = m.index ?? 0;
    const eol = text.indexOf('\n', from);
    let at = eol < 0 ? text.length : eol;
    if (!endsHeader(text.slice(from, at).replace(/\r$/, ''))) continue;
    const body: number[] = [];
    let returned = false;
    while (at < text.length && !returned) {
      const start = at + 1;
      if (start >= text.length) break;
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end).replace(/\r$/, '');
      at = end;
      if (line.trim() === '') {
        if (body.length === 0) continue;
        break;
      }
      // Exactly the header's column: deeper lines are an indented body (nothing lost).
      if (!line.startsWith(indent) || /^[ \t]/.test(line.slice(indent.length))) break;
      const code = line.slice(indent.length);
      if (/:[ \t]*(?:#.*)?$/.test(code) || /^(?:def|class|@)/.test(code)) break;
      body.push(start);
      returned = /^return\b/.test(code);
    }
    if (returned) for (const s of body) out.push([s, 4]);
  }
  return out;
}
