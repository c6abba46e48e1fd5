/**
 * Console examples inside a Python file's docstrings (`>>> ` prompts, `... ` continuations, the
 * output on the lines below): the API documentation of Keras, TensorFlow, MLX and scikit-learn
 * shows its losses this way. Prompt lines are code, read as one more program over a copy of the
 * file where everything else is blanked (offsets and lines unchanged); the lines below a prompt,
 * up to a blank line, a line of prose or the next prompt, are its printed output. Pages that pasted
 * a session lose its shape in two ways read here: block bodies without their indentation after the
 * `...` prompts (re-indented by a column shift the Python reader adds), and whole sessions
 * flattened onto one line (edited in place to `;` and spaces, same length).
 */
import type { OutputLine } from './context';
import { blanked } from './lines';

export interface DoctestGroup {
  /** Offsets of the prompt's first and last code line. */
  codeStart: number;
  codeEnd: number;
  outputs: OutputLine[];
  /** Ranges of the code read as other characters (a session flattened onto one line). */
  edits: { start: number; end: number; text: string }[];
  /** Columns added to the indentation of a code line, by its start offset (a body that lost it). */
  shifts: [number, number][];
}

/**
 * A prompt: `>>> ` (also glued to the code, `>>>y = [...]`, as pages flattened from HTML show it),
 * or a continuation `... ` / `… ` (a typographic ellipsis, as some blogs render the prompt).
 */
const promptRe = /^([ \t]*)(>>>(?= |$|[A-Za-z_])|\.\.\.(?= |$)|\u2026(?= |$)) ?/;

/** Block headers whose body a pasted session may have lost the indentation of. */
const headerRe = /^(?:def|class|for|while|if|with|async\s+def)\b[^#]*:\s*(?:#.*)?$/;

/**
 * The bracket depth after one line of console code, starting from `depth`: pasted sessions often
 * continue a literal on lines without a `... ` prompt, and those lines are code while a bracket
 * is open. Strings on the line are skipped and a `#` ends it (a triple-quoted string spanning
 * lines is not tracked: such lines are not literals a loss reads).
 */
export function bracketDepth(line: string, depth: number): number {
  let d = depth;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '#') break;
    if (c === '"' || c === "'") {
      const close = line.indexOf(c, i + 1);
      if (close < 0) break;
      i = close;
    } else if (c === '(' || c === '[' || c === '{') d++;
    else if (c === ')' || c === ']' || c === '}') d = Math.max(0, d - 1);
  }
  return d;
}

/**
 * The prompts of every console example in `text`, in order (none when no line starts with `>>>`).
 * Linear in the text: one pass over its lines.
 */
export function doctestGroups(text: string): DoctestGroup[] {
  const groups: DoctestGroup[] = [];
  if (!/^[ \t]*>>>/m.test(text)) return groups;
  let indent = -1;
  let depth = 0;
  let open: DoctestGroup | null = null;
  /** Continuation lines of the open group: start of their code, its column and text. */
  let body: { start: number; col: number; text: string }[] = [];
  let header = -1;
  const settle = (): void => {
    if (open && header >= 0) open.shifts = lostIndentation(header, body);
    body = [];
    header = -1;
  };
  const lineRe = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  for (let m = lineRe.exec(text); m && m[0] !== ''; m = lineRe.exec(text)) {
    const start = m.index;
    const raw = m[0].replace(/[\r\n]+$/, '');
    const end = start + raw.length;
    const p = promptRe.exec(raw);
    if (p && p[2] === '>>>') {
      settle();
      indent = p[1].length;
      open = { codeStart: start, codeEnd: end, outputs: [], edits: [], shifts: [] };
      groups.push(open);
      const code = raw.slice(p[0].length);
      if (headerRe.test(code)) header = p[0].length;
      depth = bracketDepth(code, 0);
      if (depth === 0 && (code.includes(' >>> ') || code.includes(' ... ') || /[)\]] +[.\d]/.test(code))) {
        let at = start + p[0].length;
        let rest = code;
        for (;;) {
          const next = flattened(open, rest, at);
          if (next === null) break;
          if (next < 0) {
            // Its output was on the same line: the session moves on.
            settle();
            open = null;
            indent = -1;
            break;
          }
          // A further prompt after that output, on the same line: a group of its own, so each
          // output is bound to the statements before it and to no other call's number.
          open = { codeStart: at + next, codeEnd: end, outputs: [], edits: [], shifts: [] };
          groups.push(open);
          at += next + 4;
          rest = rest.slice(next + 4);
          depth = bracketDepth(rest, 0);
          if (depth !== 0) break;
        }
      }
    } else if (p && open && p[1].length === indent && open.outputs.length === 0) {
      open.codeEnd = end;
      const code = raw.slice(p[0].length);
      if (depth === 0) body.push({ start, col: p[0].length, text: code });
      depth = bracketDepth(code, depth);
    } else if (open && depth > 0 && open.outputs.length === 0 && raw.trim() !== '') {
      // A literal continued without a prompt.
      open.codeEnd = end;
      depth = bracketDepth(raw, depth);
    } else if (raw.trim() === '' || /"""|'''/.test(raw)) {
      settle();
      open = null;
      indent = -1;
    } else if (open && raw.length - raw.trimStart().length >= indent && !isProse(raw))
      open.outputs.push({ text: raw, start });
    else {
      settle();
      open = null;
      indent = -1;
    }
  }
  settle();
  return groups;
}

/**
 * A line of prose after a session pasted into page text (`Then we change y.`, `で、もう一度実行。`):
 * no digit, and CJK or Hangul script or at least three words. It ends the output above it, so
 * the next prompt's output is not read as this one's.
 */
function isProse(line: string): boolean {
  if (/\d/.test(line)) return false;
  return /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(line) || /[A-Za-z]+,? +[A-Za-z]+,? +[A-Za-z]+/.test(line);
}

/**
 * A block header's continuation lines written without indentation (`>>> def f(y, t):` then
 * `... d = 1e-8` and `... return …`: a page that dropped the spaces after the prompt): each is
 * read one level deeper than the header, as the session must have had it. Only when every
 * line lost it and none opens a block of its own (a nested level cannot be told apart).
 */
function lostIndentation(header: number, body: { start: number; col: number; text: string }[]): [number, number][] {
  if (body.length === 0) return [];
  for (const b of body) {
    if (b.text.trim() === '' || /^\s/.test(b.text) || /:\s*(?:#.*)?$/.test(b.text)) return [];
  }
  return body.map((b) => [b.start, header + 4 - b.col]);
}

/**
 * A console session flattened onto one line, as HTML-to-text pages show documentation examples:
 * `>>> from m import f >>> f([1, 0], ... [[.2, .8], [.6, .4]]) 0.36…`. A ` >>> ` between
 * statements reads as `;`, a ` ... ` inside brackets as spaces, and a number (or a printed repr:
 * `array(…`, `tensor(…`, `Tensor(0.57…`, `variable(0.44…`) after a statement's closing bracket is
 * its output. The output runs to the next ` >>> ` when the page printed one after each call
 * (`>>> f(a) Tensor(0.57…) >>> f(a, reduction="none") Tensor([…])`). Returns null when no output
 * was found, -1 when the output ends the line, else the index in `code` of that next prompt.
 */
function flattened(group: DoctestGroup, code: string, at: number): number | null {
  let depth = 0;
  let closed = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '#') break;
    if (c === '"' || c === "'") {
      const close = code.indexOf(c, i + 1);
      if (close < 0) break;
      i = close;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
      closed = depth === 0;
    } else if (c === ' ' && depth === 0 && code.startsWith(' >>> ', i)) {
      group.edits.push({ start: at + i + 1, end: at + i + 4, text: ';  ' });
      i += 3;
      closed = false;
    } else if (c === ' ' && depth > 0 && code.startsWith(' ... ', i)) {
      group.edits.push({ start: at + i + 1, end: at + i + 4, text: '   ' });
      i += 3;
    } else if (c === ' ' && depth === 0 && closed) {
      const rest = outputRe.exec(code.slice(i));
      if (rest) {
        const from = i + rest[0].length - rest[1].length;
        group.codeEnd = at + i;
        const prompt = rest[1].indexOf(' >>> ');
        group.outputs.push({ text: prompt < 0 ? rest[1] : rest[1].slice(0, prompt), start: at + from });
        return prompt < 0 ? -1 : from + prompt + 1;
      }
    } else if (c !== ' ') closed = false;
  }
  return null;
}

/**
 * What a console prints after a call: a number, or a repr that opens on a number or a bracket
 * (`tensor(0.5`, `Tensor([0.3`, `variable(0.44`, `array([`, `tf.Tensor(`). A negative bare number
 * is not one (`f(x) -1` is code).
 */
const outputRe = /^ +((?:\d|\.\d|[A-Za-z_][\w.]*\((?=[-\d.[<])).*)$/;

/**
 * `text` with only the prompts' code kept (the prompt marker and its indentation turned into
 * spaces) and everything else blanked, line breaks kept.
 */
export function maskedDoctests(text: string, groups: DoctestGroup[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const g of groups) {
    const gap = blanked(text.slice(at, g.codeStart));
    // A group that starts on the line its predecessor's output ended (a flattened session with an
    // output after each call): the blanked output separates two statements, as `;` does.
    parts.push(at > 0 && gap.length > 0 && !/[\r\n]/.test(gap) ? ';' + gap.slice(1) : gap);
    const code = text
      .slice(g.codeStart, g.codeEnd)
      .split(/(\r\n|\r|\n)/)
      .map((line) => {
        if (/^(\r\n|\r|\n)$/.test(line)) return line;
        // Inside a prompt's code, a line without a prompt continues an open bracket.
        const p = promptRe.exec(line);
        return p ? ' '.repeat(p[0].length) + line.slice(p[0].length) : line;
      })
      .join('');
    parts.push(withEdits(code, g));
    at = g.codeEnd;
  }
  parts.push(blanked(text.slice(at)));
  return parts.join('');
}

/** The group's code with its edits applied (same length: offsets unchanged). */
function withEdits(code: string, g: DoctestGroup): string {
  if (g.edits.length === 0) return code;
  let out = '';
  let at = 0;
  for (const e of g.edits) {
    out += code.slice(at, e.start - g.codeStart) + e.text;
    at = e.end - g.codeStart;
  }
  return out + code.slice(at);
}

/**
 * A page flattened from HTML glues the sentence before a <pre> to its first prompt: `of output.>>> a
 * = ...` (the full stop starting the line), `。>>> pred = ...` (a CJK full stop), `设置为 False:>>>
 * pred = ...` (the whole sentence on the prompt's line). The punctuation, and any prose before it
 * on that line (no quote, `#` or other prompt in it), become spaces: same length, offsets unchanged.
 */
export function gluedPrompts(page: string): string {
  return page.replace(
    /^(?:[.:;,)\]\u3001\u3002\uff0c\uff1a\uff1b\uff09\u300d\u300f\u3011]{1,2}|[^\r\n'"#>`]*[^\s'"#>`][.:;,\u3001\u3002\uff0c\uff1a\uff1b])(?=>>> )/gm,
    (m) => ' '.repeat(m.length),
  );
}
