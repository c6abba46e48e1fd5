/**
 * A fence with no language holding a console session pasted without its prompts, as API pages copied
 * by mirrors keep their examples (docs/detection.md 3.311):
 *
 *     m = tf.keras.metrics.BinaryCrossentropy()
 *     m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
 *     m.result().numpy()
 *     0.81492424
 *
 * Such a block mixes code and printed values, so fenceKinds.ts reads it as output. It is a program
 * when every printed value sits right under a bare expression (a call, or a chain ending in one, not
 * assigned), as a console shows it: the code lines are Python, each value is that expression's output
 * (the span-line sessions of spanLines.ts, written on plain lines). A statement may run over several
 * lines (its brackets left open); a repr may too (`array([[…],` / `[…]])`). A value under anything
 * else (an assignment, a definition, another value's end) keeps the whole block output, as before.
 * One pass over the lines.
 */
import type { OutputLine } from './context';
import { assignment, bareCall, codeSpan, printedValue } from './spanLines';

interface TextLine {
  start: number;
  end: number;
}

export interface BareSession {
  /** Start offsets of the lines that are printed output, not code. */
  spanOutputs: number[];
  /** Each bare expression with the output lines under it. */
  pyconGroups: { codeStart: number; codeEnd: number; outputs: OutputLine[] }[];
}

/**
 * A fence without a language whose first line is a `>>> ` prompt (after any comment lines introducing
 * it): a Python console session with its prompts.
 */
export function promptFirst(head: string): boolean {
  return /^(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*[ \t]*>>> /.test(head);
}

/** Brackets still open after `line` from `depth` (quoted text and a `#` comment skipped), never below 0. */
function depthAfter(line: string, depth: number): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') break;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return Math.min(depth, 64);
}

/** A line a program has: a statement keyword, an import, an assignment, a call, a name or a chain alone. */
const statementStart =
  /^(?:(?:def|class|for|if|elif|else|while|with|try|except|finally|return|assert|del|pass|raise|print)\b|@[A-Za-z_])/;
const nameOrChain = /^[A-Za-z_](?:[\w.]|\([^()]*\)|\[[^\]]*\])*$/;

function codeLike(t: string): boolean {
  return codeSpan.test(t) || bareCall.test(t) || statementStart.test(t) || nameOrChain.test(t);
}

/** Longer lines are no console session's (and the line patterns, spanLines.ts's, are only tried on shorter ones). */
const longestLine = 1000;

/** The lines `from`..`to` (exclusive) of a bare fence read as a session without prompts, or null. */
export function bareSession(text: string, lines: TextLine[], from: number, to: number): BareSession | null {
  const session: BareSession = { spanOutputs: [], pyconGroups: [] };
  let code = false;
  // The bare expression just read (output may follow it), and the statement or repr still open.
  let open: BareSession['pyconGroups'][number] | null = null;
  let depth = 0;
  let inOutput = false;
  for (let k = from; k < to && k < lines.length; k++) {
    if (lines[k].end - lines[k].start > longestLine) return null;
    const raw = text.slice(lines[k].start, lines[k].end);
    const t = raw.trim();
    if (depth > 0) {
      // A continuation line: of the statement (its group ends here) or of the repr.
      depth = depthAfter(t, depth);
      if (inOutput) session.spanOutputs.push(lines[k].start);
      else if (open && open.outputs.length === 0) open.codeEnd = lines[k].end;
      continue;
    }
    if (t === '') continue;
    if (open && printedValue.test(t)) {
      open.outputs.push({ text: raw, start: lines[k].start });
      session.spanOutputs.push(lines[k].start);
      depth = depthAfter(t, 0);
      inOutput = depth > 0;
      continue;
    }
    if (open?.outputs.length) session.pyconGroups.push(open);
    open = null;
    inOutput = false;
    if (t.startsWith('#')) continue;
    // A value under no bare expression: this is no session.
    if (printedValue.test(t) || !codeLike(t)) return null;
    if (codeSpan.test(t)) code = true;
    depth = depthAfter(t, 0);
    if (bareCall.test(t) || (depth > 0 && /^[A-Za-z_][\w.]*\s*\(/.test(t))) {
      if (!assignment.test(t)) open = { codeStart: lines[k].start, codeEnd: lines[k].end, outputs: [] };
    }
  }
  if (open?.outputs.length) session.pyconGroups.push(open);
  return code && session.pyconGroups.length ? session : null;
}
