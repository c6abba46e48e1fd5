/**
 * Examples written inside block comments: JSDoc and Javadoc `@example` sections (`/** … *​/` whose
 * lines start with ` * `) holding a fenced block, or a Python console session under `<pre>`. The
 * example is read as a Markdown page would be, from a copy of the text where each such line keeps
 * what follows its leading `*` (the star itself turned into a space, so columns and lines are
 * unchanged) and every other line is blanked.
 */

/** A line of a starred block comment: indentation, `*`, then a space or the end of the line. */
const starred = /^([ \t]*)\*(?=[ \t]|$)/;

/** Does the text hold a starred comment line that opens a fence or a console prompt? */
export function hasCommentExamples(text: string): boolean {
  // Substring checks first: without a fence or a prompt anywhere there is none, and a multiline
  // regular expression tries every line of the text (a tenth of a 10 MB literal file's time).
  if (!text.includes('```') && !text.includes('~~~') && !text.includes('>>>')) return false;
  return /^[ \t]*\*[ \t]+(?:`{3,}|~{3,}|>>>)/m.test(text);
}

/**
 * The starred comment lines of `text` without their stars, everything else blanked (line breaks
 * kept). Linear in the text.
 */
export function destarred(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((line) => {
      if (/^(\r\n|\r|\n)$/.test(line)) return line;
      const m = starred.exec(line);
      return m ? m[1] + ' ' + line.slice(m[0].length) : line.replace(/[^\r\n]/g, ' ');
    })
    .join('');
}

/**
 * Does a JS/TS template literal hold a Markdown page with its fences escaped (a blog kept as
 * strings in code: `` content: `…\`\`\`python …` ``)?
 */
export function hasTemplatePages(text: string): boolean {
  return /^[ \t]*(?:\\`){3}/m.test(text);
}

/**
 * The text of every template literal that holds an escaped fence, with `` \` `` read as a backtick
 * (a backslash turned into a space before it; a run of three becomes three spaces then three
 * backticks, so fences stay fences); everything else blanked, line breaks and offsets kept. A
 * template starts and ends at a backtick without a backslash before it. Linear in the text.
 */
export function templatePages(text: string): string {
  const out: string[] = [];
  let from = 0;
  const blank = (s: string): string => s.replace(/[^\r\n]/g, ' ');
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '`' || text[i - 1] === '\\') continue;
    let j = i + 1;
    while (j < text.length && !(text[j] === '`' && text[j - 1] !== '\\')) j++;
    const body = text.slice(i + 1, j);
    out.push(blank(text.slice(from, i + 1)));
    out.push(
      /(?:\\`){3}/.test(body)
        ? body.replace(/(?:\\`)+/g, (run) => ' '.repeat(run.length / 2) + '`'.repeat(run.length / 2))
        : blank(body),
    );
    from = j;
    i = j;
  }
  out.push(blank(text.slice(from)));
  return out.join('');
}
