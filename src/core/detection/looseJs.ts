/**
 * JavaScript written as plain lines in a page without code blocks: a page copied from a site that
 * shows its examples under a "Javascript" tab keeps the lines and loses the fence (docs/detection.md
 * 3.113). looseCode.ts reads such runs as Python; a run that opens with what only JavaScript writes
 * (`import * as tf from "@tensorflow/tfjs"`, `const a = …`, `require(…)`) is read as a JavaScript
 * block instead. Linear in the text: each line is read once, and a blank line looks ahead at most
 * a few lines.
 */
import { bracketDepth } from './doctest';

interface Line {
  start: number;
  end: number;
  next: number;
}

/** A run of plain lines that reads as JavaScript: its span, and where the text after it starts. */
export interface LooseJsRun {
  start: number;
  end: number;
  after: number;
}

/** A line at the margin that only JavaScript code has. */
const jsStart =
  /^(?:import\s+(?:\*\s+as\s+[\w$]+|\{[^}]*\}|[\w$]+)\s+from\s+['"][^'"]+['"];?\s*$|(?:const|let|var)\s+(?:[A-Za-z_$][\w$]*|\{[^}]*\}|\[[^\]]*\])\s*=\s*\S.*$)/;

/** A statement that continues a run: a comment, an assignment, a call, a closing bracket. */
const jsContinuation =
  /^(?:\/\/.*|[A-Za-z_$][\w$.]*(?:\[[^\]]*\])?\s*=(?!=)\s*\S.*|[A-Za-z_$][\w$.]*\(.*\)[\w$.()]*;?\s*(?:\/\/.*)?|[)\]}]+\)?;?\s*)$/;

/** How many lines a blank line looks ahead for the run's next statement. */
const blankLookahead = 3;

export function looseJsCode(text: string, lines: Line[], fenced: [number, number][]): LooseJsRun[] {
  const out: LooseJsRun[] = [];
  const inFence = new Uint8Array(lines.length);
  for (const [a, b] of fenced) for (let k = a; k <= b && k < lines.length; k++) inFence[k] = 1;
  const raw = (k: number): string => text.slice(lines[k].start, lines[k].end);
  let run: [number, number] | null = null;
  let opened = false;
  let depth = 0;
  const flush = (): void => {
    // A run counts only when a line that JavaScript alone writes opened it.
    if (run && opened) out.push({ start: lines[run[0]].start, end: lines[run[1]].end, after: lines[run[1]].next });
    run = null;
    opened = false;
    depth = 0;
  };
  const nextStatement = (k: number): boolean => {
    for (let j = k + 1; j < lines.length && j <= k + blankLookahead; j++) {
      const r = raw(j).trim();
      if (r !== '') return !inFence[j] && (jsStart.test(r) || jsContinuation.test(r));
    }
    return false;
  };
  for (let k = 0; k < lines.length; k++) {
    const line = raw(k);
    const r = line.trim();
    if (inFence[k]) {
      flush();
      continue;
    }
    if (depth > 0 && run) {
      run[1] = k;
      depth = bracketDepth(line.replace(/\/\/.*$/, ''), depth);
      continue;
    }
    if (r === '') {
      if (run && !nextStatement(k)) flush();
      continue;
    }
    const start = line === line.trimStart() && jsStart.test(r);
    const cont = run !== null && line === line.trimStart() && jsContinuation.test(r);
    // A comment line right above a start opens the run with it (`// Creating logits tensor`).
    const lead = run === null && r.startsWith('//') && nextStatement(k);
    if (!start && !cont && !lead) {
      flush();
      continue;
    }
    run = run ? [run[0], k] : [k, k];
    if (start) opened = true;
    depth = bracketDepth(line.replace(/\/\/.*$/, ''), 0);
  }
  flush();
  return out;
}
