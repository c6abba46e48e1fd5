/**
 * Examples written inside block comments: JSDoc and Javadoc `@example` sections (`/** … *​/` whose
 * lines start with ` * `) holding a fenced block, or a Python console session under `<pre>`. The
 * example is read as a Markdown page would be, from a copy of the text where each such line keeps
 * what follows its leading `*` (the star itself turned into a space, so columns and lines are
 * unchanged) and every other line is blanked.
 */
import { blanked } from './lines';

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
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '`' || text[i - 1] === '\\') continue;
    let j = i + 1;
    while (j < text.length && !(text[j] === '`' && text[j - 1] !== '\\')) j++;
    const body = text.slice(i + 1, j);
    out.push(blanked(text.slice(from, i + 1)));
    out.push(
      /(?:\\`){3}/.test(body)
        ? body.replace(/(?:\\`)+/g, (run) => ' '.repeat(run.length / 2) + '`'.repeat(run.length / 2))
        : blanked(body),
    );
    from = j;
    i = j;
  }
  out.push(blanked(text.slice(from)));
  return out.join('');
}

/** A Python comment line: its indentation, then `#`. */
const hashed = /^([ \t]*)#/;
/** What follows a comment's `#` when it is a console prompt: `# >>> x = …`. */
const hashedPrompt = /^ ?>>>(?= |$)/;

/** Does the text hold a `#` comment line that is a console prompt (`# >>> loss(x, y)`)? */
export function hasHashedSessions(text: string): boolean {
  // A substring check first: most files hold no prompt at all.
  return text.includes('>>>') && /^[ \t]*# ?>>>(?= |$)/m.test(text);
}

/**
 * A console session kept in `#` comments (a developer's note of what a call gave, in a function
 * body): the comment lines of every run of consecutive comment lines that holds a prompt, each with
 * its `#` turned into a space (columns and lines unchanged), everything else blanked, for the console
 * reader (doctest.ts). Linear in the text.
 */
export function dehashed(text: string): string {
  const parts = text.split(/(\r\n|\r|\n)/);
  const keep = new Uint8Array(parts.length);
  let runStart = -1;
  let prompt = false;
  const close = (end: number): void => {
    if (runStart >= 0 && prompt) for (let k = runStart; k < end; k += 2) keep[k] = 1;
    runStart = -1;
    prompt = false;
  };
  for (let k = 0; k < parts.length; k += 2) {
    const m = hashed.exec(parts[k]);
    if (!m) {
      close(k);
      continue;
    }
    if (runStart < 0) runStart = k;
    if (hashedPrompt.test(parts[k].slice(m[0].length))) prompt = true;
  }
  close(parts.length);
  return parts
    .map((p, k) => (k % 2 === 1 ? p : keep[k] ? p.replace(hashed, '$1 ') : p.replace(/[^\r\n]/g, ' ')))
    .join('');
}
