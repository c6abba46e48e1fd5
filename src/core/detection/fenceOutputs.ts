/**
 * Output labels in Markdown pages (`Output:`, `**Result:**`, `运行结果`), and output pasted inside a
 * Python fence after such a label (docs/detection.md 3.29).
 */
import type { OutputLine } from './context';

/**
 * A short line naming the output below it, in the languages of the pages studied; also in square
 * brackets, as Korean and Japanese blogs mark a run's cells (`[In]` … `[Out]`, §3.243).
 */
export const outputLabel =
  /^(?:\*\*|__|_|\*|#+\s*|\[\s*)?(?:expected\s+)?(?:output|out|result|prints?|console|stdout|salida|resultado|sortie|résultat|ausgabe|ergebnis)\b|^[^`=()]{0,12}(?:结果|結果|输出|輸出|出力|결과|출력)[^`=()]{0,6}$/i;

/**
 * A short line in Chinese or Japanese saying that what follows is what the code printed or gave
 * (`它打印：`, `这给出了：`, `会得到：`, `出力は次のように表示されます：`): a verb of printing, giving or
 * showing, then a colon (docs/detection.md 3.38). The colon is required: without it such verbs
 * start sentences of prose.
 */
export const printedLabel =
  /^[^`=()\d]{0,12}(?:打印|列印|印出|给出|給出|给你|給你|得到|显示|顯示|表示)[^`=()\d]{0,10}[:：]$/;

/**
 * A word saying "output" or "result", a colon, then a printed value on the same line (`Output: tensor(1.0763)`,
 * `输出:tensor(1.0763)`, `**Result:** 0.4170`; docs/detection.md 3.305).
 */
const outputWordValue =
  /^(?:\*\*|__)?(?:output|result|输出结果|运行结果|输出|輸出|结果|結果|出力|결과|출력|salida|resultado|sortie|résultat|ausgabe|ergebnis)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(?=tensor\(|array\(|tf\.Tensor\(|-?\d)/i;

/**
 * The output a line right after a block shows with its label (`line` the line, `t` it trimmed): Jupyter's
 * `Out:` / `Out[3]:` (the whole line) or, after Python, a word saying "output" and the value (from the value).
 */
export function labelledOutput(
  t: string,
  line: string,
  start: number,
  python: boolean,
): { text: string; start: number } | null {
  if (/^Out(?:\[\d*\])?:\s*\S/.test(t)) return { text: line, start };
  const m = python ? outputWordValue.exec(t) : null;
  if (!m) return null;
  const value = t.slice(m[0].length);
  return { text: value, start: start + line.indexOf(value) };
}

interface Line {
  start: number;
  end: number;
}

/** The parts of a Markdown code block this module sets. */
export interface InnerOutputBlock {
  end: number;
  outputs: OutputLine[];
  innerOutputs?: boolean;
}

/**
 * Output pasted inside a Python fence under its code, after a label line of its own (`运行结果：`,
 * `Output:`, `输出`): the code ends at the label, and the lines after it are the block's output. The
 * label must read as a label (ending with a colon, or only non-ASCII words) and hold no `=` or `(`,
 * so that `result = f(x)` stays code; the label is searched for in the fence's lines [from, to).
 */
export function splitInnerOutput(text: string, block: InnerOutputBlock, lines: Line[], from: number, to: number): void {
  for (let k = from; k < to && k < lines.length; k++) {
    const t = text.slice(lines[k].start, lines[k].end).trim();
    // A comment (`# Out：` above commented values) is code here, not a Markdown heading.
    if (t.length === 0 || t.length >= 40 || t.startsWith('#') || /[=(`]/.test(t) || !outputLabel.test(t)) continue;
    if (!/[:：]$/.test(t) && !/^[^\x00-\x7f]+$/.test(t)) continue;
    const outputs: OutputLine[] = [];
    for (let n = k + 1; n < to && n < lines.length; n++) {
      const s = text.slice(lines[n].start, lines[n].end);
      if (s.trim() !== '') outputs.push({ text: s, start: lines[n].start });
    }
    if (outputs.length === 0) return;
    block.end = lines[k].start;
    block.outputs = outputs;
    block.innerOutputs = true;
    return;
  }
  labelledLastLine(text, block, lines, from, to);
  if (!block.innerOutputs) reprTail(text, block, lines, from, to);
}

/**
 * `result -> tensor(0.9488)`, `And the result is : tf.Tensor(0.69, …)`: the words say "the result", then
 * the value as printed (a tensor, an array, a list or a number), in the same line.
 */
const labelledValue =
  /^(?:and\s+)?(?:the\s+)?(?:result|output|out)(?:\s+is)?\s*(?:->|=>|→|[:：])\s*((?:tensor|tf\.Tensor|array|Array)\(|\[|-?\d*\.\d)/i;

/**
 * The last line of a Python fence that pastes the output after words of its own (docs/detection.md
 * 3.201): the code ends there and that value is the block's output, as under a label line. Only the
 * last line with text, so that code below it is never cut off.
 */
function labelledLastLine(text: string, block: InnerOutputBlock, lines: Line[], from: number, to: number): void {
  let k = Math.min(to, lines.length) - 1;
  while (k >= from && text.slice(lines[k].start, lines[k].end).trim() === '') k--;
  if (k < from) return;
  const raw = text.slice(lines[k].start, lines[k].end);
  const t = raw.trimStart();
  if (t.length > 200) return;
  const m = labelledValue.exec(t);
  if (!m) return;
  const at = lines[k].start + (raw.length - t.length) + m[0].length - m[1].length;
  block.end = lines[k].start;
  block.outputs = [{ text: text.slice(at, lines[k].end), start: at }];
  block.innerOutputs = true;
}

/** Python's keywords and constants a line may hold alone without naming a value the code assigned. */
const notNames = new Set(['None', 'True', 'False', 'pass', 'break', 'continue', 'return', 'else', 'try', 'finally']);

/**
 * An output block whose first line is a name alone, assigned by the code block above it (`output`,
 * then `tensor([0.6762, …])`): a notebook or console showing that name's value, as a last expression
 * of the code would. The name's line is read as one more line of the code, and the lines under it
 * as its output; null for any other output block (a name the code does not assign is prose).
 */
export function echoedName(
  text: string,
  code: { start: number; end: number },
  outputs: OutputLine[],
): { start: number; end: number; outputs: OutputLine[] } | null {
  const first = outputs[0];
  if (outputs.length < 2 || !first || first.start === null) return null;
  const m = /^\s*([A-Za-z_]\w*)\s*$/.exec(first.text);
  if (!m || notNames.has(m[1])) return null;
  const assigned = new RegExp(`^[ \\t]*${m[1]}[ \\t]*=(?!=)`, 'm');
  if (!assigned.test(text.slice(code.start, code.end))) return null;
  const start = first.start + first.text.indexOf(m[1]);
  return { start, end: start + m[1].length, outputs: outputs.slice(1) };
}

/** The head of a printed repr: numpy's / JAX's / Keras 3's `array(`, torch's `tensor(`, TensorFlow's `tf.Tensor(` / `<tf.Tensor: `. */
const reprHead = /^(?:tensor|tf\.Tensor|Tensor|array|Array|DeviceArray)\(|^<tf\.Tensor[: ]/;

/** The keyword parts a repr may carry beside its values (`dtype=float32`, `shape=(3,)`, `grad_fn=<NllLossBackward0>`). */
const reprKeywords = /\b(?:dtype|shape|device|grad_fn|requires_grad)=(?:\([^()]*\)|<[^<>]*>|'[^']*'|[\w.:]+)/g;

/** What is left of a repr once its head and keywords are gone: numbers, brackets and separators only. */
const reprBody = /^[\s\d.,eE+\-[\]()<>:]*$|^[\s\d.,eE+\-[\]()<>:]*(?:nan|inf)[\s\d.,eE+\-[\]()<>:naif]*$/;

/** A statement whose value a console shows: a print at the margin, or a bare name, attribute or call. */
const echoing = /^(?:print\(.*\)|[A-Za-z_][\w.]*(?:\(.*\))?(?:\.[A-Za-z_]\w*(?:\(.*\))?)*)$/;

/**
 * A printed repr ending a Python fence, right under a print or a bare expression at the code's margin
 * (docs/detection.md 3.268): API pages of TensorFlow, Keras 3, JAX and MLX and the tutorials that copy them
 * drop the doctest prompts and keep the value under the code (`loss.numpy()` / `array([0.916 , 0.714],
 * dtype=float32)`). The code ends there and the repr is the block's output, as under a label line. Only a
 * repr made of numbers and its keywords, closing the fence, under a one-line statement that would show it;
 * a fence with prompts is a console session (pyconBlocks.ts) and is not read this way.
 */
function reprTail(text: string, block: InnerOutputBlock, lines: Line[], from: number, to: number): void {
  const at = (k: number) => text.slice(lines[k].start, lines[k].end);
  let last = Math.min(to, lines.length) - 1;
  while (last >= from && at(last).trim() === '') last--;
  let k = last;
  // A repr spans a few lines (a matrix, `shape=` on its own line); look no further up than that.
  while (k >= from && last - k < 40 && !reprHead.test(at(k).trimStart())) k--;
  if (k <= from || last - k >= 40) return;
  const repr = lines
    .slice(k, last + 1)
    .map((l) => text.slice(l.start, l.end).trim())
    .join(' ');
  if (repr.length > 4000 || !/[)>]$/.test(repr)) return;
  const open = repr.indexOf('(') >= 0 && !repr.startsWith('<') ? repr.indexOf('(') + 1 : repr.indexOf(':') + 1;
  const body = repr
    .slice(open)
    .replace(reprKeywords, '')
    .replace(/\bnumpy=(?:array\()?/g, '');
  if (!/\d/.test(body) || !reprBody.test(body)) return;
  let j = k - 1;
  while (j >= from && at(j).trim() === '') j--;
  if (j < from) return;
  let first = from;
  while (first < j && at(first).trim() === '') first++;
  const indent = (line: string) => line.length - line.trimStart().length;
  const statement = at(j).trim();
  if (indent(at(j)) !== indent(at(first)) || !echoing.test(statement)) return;
  for (let n = from; n < k; n++) if (/^\s*>>>/.test(at(n))) return;
  block.end = lines[k].start;
  block.outputs = [];
  for (let n = k; n <= last; n++) if (at(n).trim() !== '') block.outputs.push({ text: at(n), start: lines[n].start });
  block.innerOutputs = true;
}
