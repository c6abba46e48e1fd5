/**
 * Python pasted into page text often loses its indentation: a `def` whose body lines start at the
 * header's own column (an IndentationError as written, so no valid reading is lost by reading
 * them as the body). When every line from the header's next line to the first `return` at that
 * column is a simple statement (none ends with `:`, so no nested level is lost too), those lines
 * are read one level deeper: a column shift the Python reader adds (offsets unchanged), as
 * doctest.ts does for console sessions. Anything else is left as written (the function is then
 * not followed).
 */

const header = /^([ \t]*)def [A-Za-z_]\w*\(.*\)(?:\s*->\s*[^:]+)?:[ \t]*(?:#.*)?$/gm;

/** Line starts of the body lines that lost their indentation, each with the columns to add. */
export function unindentedBodies(text: string): [number, number][] {
  if (!text.includes('def ')) return [];
  const out: [number, number][] = [];
  for (const m of text.matchAll(header)) {
    const indent = m[1];
    let at = (m.index ?? 0) + m[0].length;
    const body: number[] = [];
    let returned = false;
    while (at < text.length && !returned) {
      const start = text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1;
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
