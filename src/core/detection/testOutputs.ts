/**
 * Sphinx's doctest extension pairs a `.. testcode::` block with the `.. testoutput::` block after it: the second
 * holds what the first printed (MegEngine's API docstrings, `print(loss.numpy())` then `[0.6931]`, often with an
 * `Outputs:` line between them; docs/detection.md 3.362). The testcode body is read as code already
 * (codeBlocks.ts); here each testoutput body's lines are bound to the prints of the body just above it, as a
 * notebook cell's output is bound to its prints. One pass over the lines after each body: linear.
 */
import { bindOutputs } from './claimBinding';
import type { DetectionContext, OutputLine, Producer } from './context';

/** A `.. testoutput::` directive line (options such as `:options: +NUMBER` may follow on lines of their own). */
const directiveRe = /^([ \t]*)\.\. testoutput::[ \t]*$/;
/** A short line naming the output between the two blocks: `Outputs:`, `Output:`, `Out:`, `输出：`. */
const labelRe = /^[ \t]*(?:outputs?|out|results?|输出|輸出|出力)[ \t]*[:：]?[ \t]*$/i;
/** At most this many lines are looked at between a testcode body and its testoutput directive. */
const gap = 6;

interface Line {
  start: number;
  text: string;
}

function linesFrom(text: string, from: number, limit: number): Line[] {
  const out: Line[] = [];
  let at = from;
  while (at < text.length && out.length < limit) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    out.push({ start: at, text: text.slice(at, end).replace(/\r$/, '') });
    at = end + 1;
  }
  return out;
}

/** The output lines of the testoutput block following the code body that ends at `end`; null when none does. */
export function testOutputAfter(text: string, end: number): OutputLine[] | null {
  const next = text.indexOf('\n', end);
  if (next < 0) return null;
  let at = next + 1;
  let directive: RegExpExecArray | null = null;
  let labels = 0;
  for (const line of linesFrom(text, at, gap)) {
    at = line.start + line.text.length + 1;
    if (line.text.trim() === '') continue;
    directive = directiveRe.exec(line.text);
    if (directive) break;
    if (!labelRe.test(line.text) || ++labels > 1) return null;
  }
  if (!directive) return null;
  const indent = directive[1].length;
  const outputs: OutputLine[] = [];
  // The body: lines indented deeper than the directive (options and blank lines skipped) up to one that is not.
  for (let start = at; start < text.length;) {
    let stop = text.indexOf('\n', start);
    if (stop < 0) stop = text.length;
    const raw = text.slice(start, stop).replace(/\r$/, '');
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim() !== '') {
      if (lead <= indent || /"""|'''/.test(raw)) break;
      if (!(outputs.length === 0 && /^[ \t]+:[\w-]+:/.test(raw)))
        outputs.push({ text: raw.trim(), start: start + lead });
    }
    start = stop + 1;
  }
  return outputs.length ? outputs : null;
}

/** Binds each testcode body's testoutput lines to the prints (in `producers`, document order) inside the body. */
export function readTestOutputs(
  ctx: DetectionContext,
  text: string,
  bodies: [number, number][],
  producers: Producer[],
): void {
  if (!text.includes('.. testoutput::')) return;
  let next = 0;
  for (const [start, end] of bodies) {
    while (next < producers.length && producers[next].start < start) next++;
    const own: Producer[] = [];
    while (next < producers.length && producers[next].start < end) own.push(producers[next++]);
    const prints = own.filter((p) => p.kind === 'print');
    if (!prints.length) continue;
    const outputs = testOutputAfter(text, end);
    if (outputs) bindOutputs(ctx, prints, outputs);
  }
}
