/**
 * A call written as inline code in a sentence, with the value it returns stated in the same
 * sentence after it, in any language (`` `F.cross_entropy(torch.tensor([[2.0, 5.0, 1.0]]),
 * torch.tensor([1]))` returns about 0.0659 ``, the same with Korean or Chinese words around it):
 * the span is read as a one-line Python block, and the one decimal number after it on its line is
 * that call's output. Taken only when the line has exactly one code span that is a bare call with
 * numbers in it and balanced brackets; its output is the one decimal number after the span, and
 * with none or several (which one the call returns would be a guess) the call is read without an
 * output. Whether the call is a loss on literal numbers is
 * decided when the block is read, as for any code; a span that is not yields no pair and no claim.
 */
import type { OutputLine } from './context';
import { bracketDepth } from './doctest';

interface Line {
  start: number;
  end: number;
}

/** A sentence's call: the span's code offsets and the number stated after it. */
export interface ProseCall {
  start: number;
  end: number;
  output: OutputLine | null;
}

const span = /`([^`\r\n]+)`/g;
const bareCall = /^[A-Za-z_][\w.]*\([\s\S]*\)$/;
/** A decimal number not part of a word, a version or another number. */
const decimal = /(?<![\w.])-?\d+\.\d+(?:[eE][-+]?\d+)?(?!\w|\.\d)/g;
/**
 * A clause naming the loss, then `=` and steps of arithmetic on numbers only, ending in a number (and
 * a unit of nats): the words, the steps, the number.
 */
const lossClause =
  /(?:^|[\s*:])(?:log[\s-]?loss|cross[\s-]?entropy(?:\s+loss)?|(?<!\w\s)loss)\s*=([\d\s.()+\-−×÷*/=]*=)?\s*(\d+\.\d+)\s*(?:nats?\b)?\s*\.?\s*$/i;

/**
 * The one clause (between `;`) after a sentence's call that works the loss out to a number, or null
 * when there is none or more than one.
 */
function workedClause(rest: string): { text: string; at: number } | null {
  let found: { text: string; at: number } | null = null;
  let from = 0;
  for (const clause of rest.split(';')) {
    const m = lossClause.exec(clause);
    if (m) {
      if (found) return null;
      found = { text: m[2], at: from + m.index + m[0].lastIndexOf(m[2]) };
    }
    from += clause.length + 1;
  }
  return found;
}

/** Lines longer than this are not searched (a minified page). */
const maxLine = 4000;

/** The sentence calls of `text`, skipping the lines marked in `taken` (fences, code runs). */
export function proseCalls(text: string, lines: Line[], taken: Uint8Array): ProseCall[] {
  const out: ProseCall[] = [];
  if (!text.includes('`')) return out;
  for (let k = 0; k < lines.length; k++) {
    if (taken[k]) continue;
    const { start, end } = lines[k];
    if (end - start > maxLine) continue;
    const line = text.slice(start, end);
    if (!line.includes('`') || !line.includes('(')) continue;
    let call: { from: number; to: number } | null = null;
    let calls = 0;
    for (const m of line.matchAll(span)) {
      const code = m[1].trim();
      if (!bareCall.test(code) || !/\d/.test(code) || bracketDepth(code, 0) !== 0) continue;
      calls++;
      const from = (m.index ?? 0) + 1 + m[1].indexOf(code);
      call = { from, to: from + code.length };
    }
    if (calls !== 1 || call === null) continue;
    const rest = line.slice(call.to + 1);
    const numbers = [...rest.matchAll(decimal)];
    // No number after it, or several: the call is still read (its pair, its number), but which
    // number it returns would be a guess, so none is taken as its output.
    const at = numbers.length === 1 ? call.to + 1 + (numbers[0].index ?? 0) : -1;
    // Several: a clause after it that names the loss and works it out to a number (`log loss = (0.693
    // + 0.288) ÷ 2 = 0.490 nats`, 3.183) states what the call returns.
    const worked = numbers.length > 1 ? workedClause(rest) : null;
    out.push({
      start: start + call.from,
      end: start + call.to,
      output:
        at >= 0
          ? { text: numbers[0][0], start: start + at }
          : worked
            ? { text: worked.text, start: start + call.to + 1 + worked.at }
            : null,
    });
  }
  return out;
}
