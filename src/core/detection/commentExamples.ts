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
