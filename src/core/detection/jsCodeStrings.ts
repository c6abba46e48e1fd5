/**
 * JavaScript kept in the strings of a JavaScript/TypeScript data file: a course's exercise table whose
 * `solutionCode` is a multi-line template literal defining the function, and whose test cases call it in one-line
 * strings (`input: 'Math.round(crossEntropyLoss([1, 0, 1], [0.9, 0.1, 0.8]) * 1000) / 1000'`), docs/detection.md
 * 3.419. Each template literal that opens with a function definition is read as JavaScript together with the
 * one-line strings after it (up to the next such template) that call a function it defines: a copy of the file with
 * only those in place, every offset and line kept, read on its own, so one exercise's names never reach another's.
 *
 * Only a template without `${` or a backslash (its text is then the code as written), a string without a backslash,
 * the first such string of a line (two on one line would read as one statement). Quotes, comments and templates
 * are skipped as JavaScript's scanner skips them; a regular expression holding a quote may start a false string,
 * which calls no function defined in a template and is dropped. Linear in the text for each program returned.
 */
import type { DetectionContext } from './context';
import { hasPythonStrings, readPythonStrings } from './jsPythonStrings';
import { blanked } from './lines';
import { StatementReader } from './statementReader';
import { Lang } from './tokens';

/** At most this many programs are read (each read is linear in the file). */
export const maxCodeStrings = 64;
/** And at most this many characters read over all of them (a long file holds fewer programs). */
const maxWork = 32_000_000;

/** A function definition at a line's start: `function f(`, `export async function f(`, `const f = (…) =>`. */
const definition =
  /^[ \t]*(?:export[ \t]+)?(?:(?:async[ \t]+)?function[ \t]*\*?[ \t]*([A-Za-z_$][\w$]*)[ \t]*\(|(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*=[ \t]*(?:async[ \t]+)?(?:function\b|\([^()\n]*\)[ \t]*=>|[A-Za-z_$][\w$]*[ \t]*=>))/gm;

/** Does the text hold a template literal that may define a function (the cheap test)? */
export function hasCodeStrings(text: string): boolean {
  return text.includes('`') && /`[ \t\r\n]*(?:export[ \t]+)?(?:async[ \t]+)?(?:function|const|let|var)\b/.test(text);
}

interface Literal {
  /** The first and one-past-last offsets of the content (inside the quotes). */
  start: number;
  end: number;
  template: boolean;
}

/** The string and template literals of the text, in order, skipping comments (one pass). */
function literals(text: string): Literal[] {
  const out: Literal[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      const oneLine = c !== '`';
      while (j < text.length && text[j] !== c && !(oneLine && (text[j] === '\n' || text[j] === '\r')))
        j += text[j] === '\\' ? 2 : 1;
      if (j < text.length && text[j] === c) out.push({ start: i + 1, end: j, template: !oneLine });
      i = j + 1;
    } else i++;
  }
  return out;
}

/** The names a template's code defines, or null when the template is not code read here. */
function definedNames(content: string): Set<string> | null {
  if (content.includes('${') || content.includes('\\')) return null;
  definition.lastIndex = 0;
  const first = definition.exec(content);
  // The template must open with a definition (after blank lines): prose that mentions one is not code.
  if (!first || content.slice(0, first.index).trim() !== '') return null;
  const names = new Set<string>();
  for (let m: RegExpExecArray | null = first; m; m = definition.exec(content)) names.add(m[1] ?? m[2]);
  return names;
}

/** Does a string's content call one of `names` (`name(` as a word)? */
function callsOne(content: string, names: Set<string>): boolean {
  const call = /([A-Za-z_$][\w$]*)[ \t]*\(/g;
  for (let m = call.exec(content); m; m = call.exec(content)) {
    const before = m.index > 0 ? content[m.index - 1] : '';
    if (names.has(m[1]) && before !== '.' && !/[\w$]/.test(before)) return true;
  }
  return false;
}

/** The line of each literal's start, in one forward walk (the literals are in order). */
function startLines(text: string, found: Literal[]): number[] {
  const lines: number[] = [];
  let at = 0;
  let line = 0;
  for (const l of found) {
    for (; at < l.start; at++) if (text.charCodeAt(at) === 10) line++;
    lines.push(line);
  }
  return lines;
}

/**
 * The JavaScript programs kept in the file's template literals, each as a copy of the file with only that
 * template's code and the strings after it that call what it defines in place (at most {@link maxCodeStrings}).
 */
export function codeStrings(text: string): string[] {
  const found = literals(text);
  const programs: string[] = [];
  const most = Math.min(maxCodeStrings, Math.floor(maxWork / Math.max(1, text.length)));
  const lines = startLines(text, found);
  // Each template's defined names, read once: a template both opens its own program and ends the one before.
  const defined = found.map((l) => (l.template ? definedNames(text.slice(l.start, l.end)) : null));
  for (let k = 0; k < found.length && programs.length < most; k++) {
    const t = found[k];
    const names = defined[k];
    if (!names) continue;
    const calls: Literal[] = [];
    let lastLine = -1;
    for (let n = k + 1; n < found.length; n++) {
      const s = found[n];
      if (defined[n]) break;
      const content = text.slice(s.start, s.end);
      const at = lines[n];
      if (s.template || at === lastLine || content.includes('\\') || !callsOne(content, names)) continue;
      calls.push(s);
      lastLine = at;
    }
    if (calls.length === 0) continue;
    const out = blanked(text).split('');
    for (const part of [t, ...calls]) for (let i = part.start; i < part.end; i++) out[i] = text[i];
    programs.push(out.join(''));
  }
  return programs;
}

/**
 * Reads the programs a JavaScript/TypeScript file keeps in strings, each with a reader of its own: Python in
 * one-line strings (3.395) by `readPython`, then JavaScript in templates (3.419).
 */
export function stringPrograms(ctx: DetectionContext, text: string, readPython: (program: string) => void): void {
  if (hasPythonStrings(text)) readPythonStrings(ctx, text, readPython);
  if (hasCodeStrings(text)) for (const program of codeStrings(text)) new StatementReader(ctx).read(program, Lang.Js);
}
