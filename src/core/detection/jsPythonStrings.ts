/**
 * Python programs kept in JavaScript/TypeScript string literals, one line each with `\n` escapes: the case
 * tables of an in-browser Python sandbox's tests (`{ src: "import torch\nx = torch.tensor(…)\nprint(…)\n",
 * stdout: "tensor(0.3143)\n" }`), a course platform's runnable examples. Each such string is read as the Python
 * it holds (docs/detection.md 3.395), on the line it is written: every `\n` between two statements becomes
 * `; ` (two characters for two, so every offset and line of the file is kept), the quotes and the rest of the
 * file are blanked. One string is one program: each is read on its own, so a name one case defines never
 * reaches another.
 *
 * Only what Python reads the same joined by `;` is kept: from the first line that opens a block (ends with
 * `:`), is indented, continues with a backslash or opens a triple-quoted string, the rest of the string is
 * blanked (a prefix of a program computes what it computes). A line inside open brackets is joined with
 * spaces, a `#` comment is blanked to the end of its line. A string with any escape other than `\n`, `\t`,
 * `\\`, `\"` and `\'` is left alone. A string is Python only if one of its lines imports torch, numpy,
 * TensorFlow, Keras or JAX. Linear in the text.
 */
import type { DetectionContext, OutputLine } from './context';
import { bindOutputs } from './claimBinding';
import { blanked } from './lines';

/** At most this many strings are read, each as its own program (each read is linear in the file). */
export const maxPythonStrings = 64;
/** And at most this many characters read over all of them (a long file holds fewer programs). */
const maxWork = 32_000_000;

/** A line of the string that imports a library whose losses are read. */
const importLine = /^(?:import|from)[ \t]+(?:torch|numpy|tensorflow|keras|jax)\b/;

/** A string body whose first line, or a line after a `\n` escape, imports such a library. */
const bodyImports = /(?:^|\\n)(?:import|from)[ \t]+(?:torch|numpy|tensorflow|keras|jax)\b/;

/** Does the text hold a quoted string with a `\n` escape and a Python import at all (the cheap test)? */
export function hasPythonStrings(text: string): boolean {
  return text.includes('\\n') && /(?:["']|\\n)(?:import|from)[ \t]+(?:torch|numpy|tensorflow|keras|jax)\b/.test(text);
}

/** One string's content with its escapes read, each character at the offset of the text it came from. */
interface Decoded {
  /** The characters Python would read; `\n` stands where the escape was (at its backslash's offset). */
  chars: string[];
  /** For each character, its offset in the file. */
  at: number[];
}

/** Reads the escapes of the string body [from, to); undefined when an escape cannot be kept in place. */
function decode(text: string, from: number, to: number): Decoded | undefined {
  const chars: string[] = [];
  const at: number[] = [];
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c !== '\\') {
      chars.push(c);
      at.push(i);
      continue;
    }
    const e = text[i + 1];
    if (e === 'n') chars.push('\n');
    else if (e === 't') chars.push(' ');
    else if (e === '\\' || e === '"' || e === "'") chars.push(e);
    else return undefined;
    at.push(i);
    i++;
  }
  return { chars, at };
}

/**
 * The Python statements of one decoded string, by the offset each character is written at: each statement's
 * characters, `;` at the escape between two statements. False when no line imports a library or
 * when fewer than two statements come before the first block.
 */
function lay(d: Decoded, out: Map<number, string>): boolean {
  const lines: { start: number; end: number }[] = [];
  let s = 0;
  for (let k = 0; k <= d.chars.length; k++)
    if (k === d.chars.length || d.chars[k] === '\n') {
      lines.push({ start: s, end: k });
      s = k + 1;
    }
  if (!lines.some((l) => importLine.test(d.chars.slice(l.start, Math.min(l.end, l.start + 40)).join('')))) return false;
  let depth = 0;
  let statement = false;
  let kept = 0;
  for (const l of lines) {
    const first = d.chars[l.start];
    const continued = depth > 0;
    if (!continued && (first === ' ' || first === '\t')) break;
    let quote = '';
    let comment = false;
    let last = '';
    let stop = false;
    const put: number[] = [];
    for (let k = l.start; k < l.end; k++) {
      const c = d.chars[k];
      if (comment) continue;
      if (quote) {
        if (c === quote) quote = '';
        put.push(k);
        continue;
      }
      if (c === '"' || c === "'") {
        if (d.chars[k + 1] === c && d.chars[k + 2] === c) {
          stop = true;
          break;
        }
        quote = c;
      } else if (c === '#') {
        comment = true;
        continue;
      } else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      put.push(k);
      if (c !== ' ' && c !== '\t') last = c;
    }
    // A string left open at the end of a line, a block opener or a continuation: the program stops here.
    if (stop || quote || (depth === 0 && (last === ':' || last === '\\'))) break;
    if (statement && !continued && last !== '') {
      // The escape before this line (its backslash) separates the statement before it from this one.
      out.set(d.at[l.start - 1], ';');
    }
    for (const k of put) out.set(d.at[k], d.chars[k] === '\t' ? ' ' : d.chars[k]);
    if (last !== '') {
      statement = true;
      kept++;
    }
  }
  return kept > 1;
}

/** A key naming what the program printed: `stdout:`, `"output":`, `expectedOutput:`. */
const outputKey =
  /^[ \t\r\n,]*["']?(?:stdout|output|out|printed|expected(?:_?(?:output|stdout))?)["']?[ \t]*:[ \t]*(["'])/i;

/**
 * The lines of the string that follows a program under an output key, each at its own offset; undefined
 * when there is none or a line holds an escape (its characters would not sit at their offsets).
 */
function outputLines(text: string, after: number): OutputLine[] | undefined {
  const m = outputKey.exec(text.slice(after, after + 120));
  if (!m) return undefined;
  const q = m[1];
  const from = after + m[0].length;
  const lines: OutputLine[] = [];
  let start = from;
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '\n' || c === '\r') return undefined;
    if (c === q || (c === '\\' && text[j + 1] === 'n')) {
      if (j > start) lines.push({ text: text.slice(start, j), start });
      if (c === q) return lines;
      start = j + 2;
      j++;
    } else if (c === '\\') return undefined;
  }
  return undefined;
}

/** One program held in a string: the file blanked but for it, and the output a sibling key says it printed. */
export interface PythonString {
  program: string;
  outputs: OutputLine[];
}

/**
 * The Python programs held in the file's one-line string literals, each as a copy of the file with only that
 * program in place (at most {@link maxPythonStrings}), with the lines of an output string written after it
 * (`src: "…", stdout: "…"`). A string starts at a quote and ends at the same quote without a backslash before
 * it, on the same line; a quote in a comment or a regular expression may start a false string, which holds no
 * import line and is dropped. Linear in the text for each program returned.
 */
export function pythonStrings(text: string): PythonString[] {
  const programs: PythonString[] = [];
  let i = 0;
  // A long file holds fewer programs (each read is linear in the file).
  const most = Math.min(maxPythonStrings, Math.floor(maxWork / Math.max(1, text.length)));
  while (i < text.length && programs.length < most) {
    const q = text[i];
    if (q !== '"' && q !== "'") {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length && text[j] !== q && text[j] !== '\n' && text[j] !== '\r') j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length || text[j] !== q) {
      i = j;
      continue;
    }
    if (bodyImports.test(text.slice(i + 1, j))) {
      const d = decode(text, i + 1, j);
      if (d) {
        const laid = new Map<number, string>();
        // The whole file is copied only for a program kept (at most maxPythonStrings of them).
        if (lay(d, laid)) {
          const out = blanked(text).split('');
          for (const [k, c] of laid) out[k] = c;
          programs.push({ program: out.join(''), outputs: outputLines(text, j + 1) ?? [] });
        }
      }
    }
    i = j + 1;
  }
  return programs;
}

/**
 * Reads each Python program kept in a string of `text` with `read` (a reader of its own each, so a
 * name one case defines never reaches another) and binds its prints to the outputs beside it.
 */
export function readPythonStrings(ctx: DetectionContext, text: string, read: (program: string) => void): void {
  for (const s of pythonStrings(text)) {
    const before = ctx.producers.length;
    read(s.program);
    const prints = ctx.producers.slice(before).filter((p) => p.kind === 'print');
    bindOutputs(ctx, prints, s.outputs);
  }
}
