/**
 * Markdown: fenced code blocks are the program (in document order, as one program, since
 * tutorials define `criterion` in one block and use it in the next), and an output block right
 * after a code block is its printed output. Positions stay those of the Markdown file: the code
 * is analysed in a copy of the text where everything outside code blocks is blanked out.
 */
import type { OutputLine } from './context';
import { looseCode, notebookPage } from './looseCode';
import { looseJsCode } from './looseJs';
import { isNumpyVector } from './pageOutputs';
import { reprRun } from './labelledReprs';
import { printLast } from './printLast';
import { echoedNumber, labelledAfterBlock, numberAfterBlock } from './numberOutputs';
import { proseCalls } from './proseCalls';
import { flattenedFences } from './flattenedFences';
import { flatPageBlocks, flattenedPageCode } from './flattenedPageCode';
import { echoedName, outputLabel, printedLabel, splitInnerOutput, labelledOutput } from './fenceOutputs';
import { pyconLine, pyconOutputs } from './pyconBlocks';
import { quotedOutput } from './quotedOutputs';
import { spanCode, spanRuns } from './spanLines';
import { bareSession, promptFirst } from './bareSessions';
import { closesTemplate, templateOpening } from './templateBlocks';
import {
  bareLanguage,
  codeOnFence,
  contentKind,
  infoLanguage,
  jsLine,
  onlyOutput,
  printedAssignments,
  promptedValues,
  valuePrompt,
  type BlockLanguage,
} from './fenceKinds';
import { blanked, isJsSpace, lastStarting } from './lines';
import { diffCode, diffInfo, diffPython } from './diffBlocks';

export type { BlockLanguage } from './fenceKinds';

export interface MarkdownBlock {
  language: BlockLanguage;
  /** Offsets of the block's content (between the fences). */
  start: number;
  end: number;
  /** Offset just after the closing fence line. */
  after: number;
  /** A Python console transcript (`>>> ` prompts): prompts are code, other lines are output. */
  pycon: boolean;
  /** Output lines that follow the block (an output fence, `Out:` lines, or pycon output). */
  outputs: OutputLine[];
  /** pycon: output lines grouped by the prompt statement they follow (offset of that statement). */
  pyconGroups?: { codeStart: number; codeEnd: number; outputs: OutputLine[] }[];
  /** Code written one line per inline code span (spanLines.ts): start offsets of its output lines. */
  spanOutputs?: number[];
  /** The output was pasted inside the fence, under a label line (`运行结果：`, `Output:`): `outputs` holds it. */
  innerOutputs?: boolean;
  /** A name alone heading an output block, read as code (the console's echo of it): `outputs` is what it showed. */
  echo?: boolean;
  /** A ```` ```diff ```` block read as the code after the change (diffCode). */
  diff?: boolean;
  /** A block flattened onto one line (flattenedFences.ts): where its statements end inside the line. */
  breaks?: number[];
}

interface Line {
  start: number;
  end: number;
  next: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let i = 0;
  const len = text.length;
  while (i <= len) {
    let e = i;
    while (e < len) {
      const c = text.charCodeAt(e);
      if (c === 10 || c === 13) break;
      e++;
    }
    const next = e >= len ? len + 1 : text.charCodeAt(e) === 13 && text.charCodeAt(e + 1) === 10 ? e + 2 : e + 1;
    lines.push({ start: i, end: e, next });
    i = next;
  }
  return lines;
}

/** A sentence that introduces the output below it ("The output is", "which prints"). */
const proseLabel =
  /\b(?:output|result|prints?|printed|returns?|gives?)\b[^`]*[:.]?$|(?:结果|結果|输出|輸出|出力|결과|출력)/i;
/** A sentence that says what the code printed and gives it: `… output of this code is tensor(-0.3150).` */
const proseRepr = /^[^`]{0,40}\b(?:output|result)\b[^`]{0,40}?\b(?:is|was)\s+(tensor\([^()]*\))/i;
function fenceAt(text: string, line: Line): boolean {
  return openingFence(text, line.start, line.end) !== undefined;
}

/** The fence that opens at a line: its character (` or ~), its length (≥ 3) and where its info string starts. */
function openingFence(
  text: string,
  start: number,
  end: number,
): { char: number; length: number; infoStart: number } | undefined {
  let k = start;
  while (k < end && isSpace(text.charCodeAt(k))) k++;
  const char = text.charCodeAt(k);
  if (char !== 96 && char !== 126) return undefined;
  let e = k;
  while (e < end && text.charCodeAt(e) === char) e++;
  return e - k >= 3 ? { char, length: e - k, infoStart: e } : undefined;
}

/** A line that is only a run of the fence's character, at least as long as the fence (spaces around allowed). */
function closesFence(text: string, start: number, end: number, char: number, length: number): boolean {
  let k = start;
  while (k < end && isSpace(text.charCodeAt(k))) k++;
  let e = end;
  while (e > k && isSpace(text.charCodeAt(e - 1))) e--;
  if (e - k < length) return false;
  for (let c = k; c < e; c++) if (text.charCodeAt(c) !== char) return false;
  return true;
}

/** The characters `\s` matches (and `trim()` removes) that can stand inside a line: all but CR. */
function isSpace(c: number): boolean {
  return c !== 13 && isJsSpace(c);
}

/** The fenced blocks of a Markdown text, with the output that follows each code block. */
export function markdownBlocks(text: string): MarkdownBlock[] {
  const lines = splitLines(text);
  const blocks: MarkdownBlock[] = [];
  const fenced: [number, number][] = [];
  const inRun = new Uint8Array(lines.length);
  for (const run of spanRuns(text, lines)) {
    for (let k = run.first; k <= run.through; k++) inRun[k] = 1;
    fenced.push([run.first, run.through]);
    const [first, last] = [lines[run.first], lines[run.last]];
    blocks.push({
      language: 'python',
      start: first.start,
      end: last.end,
      after: Math.min(lines[run.through].next, text.length),
      pycon: false,
      outputs: [],
      pyconGroups: run.groups,
      spanOutputs: run.outputStarts,
    });
  }
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    if (inRun[i]) {
      i++;
      continue;
    }
    // Read by character codes, not slices: a page of thousands of lines allocates nothing per line here.
    const tag = fenceAt(text, l) ? undefined : templateOpening(text, l.start, l.end);
    const open = tag ? { char: -1, length: 0, infoStart: l.end } : openingFence(text, l.start, l.end);
    const info = tag ? tag.info : open ? text.slice(open.infoStart, l.end) : '';
    if (!open || (open.char === 96 && info.includes('`'))) {
      i++;
      continue;
    }
    let j = i + 1;
    let closed = false;
    for (; j < lines.length; j++) {
      const [a, b] = [lines[j].start, lines[j].end];
      if (tag ? closesTemplate(text, a, b, tag) : closesFence(text, a, b, open.char, open.length)) {
        closed = true;
        break;
      }
    }
    // Code written on the fence line itself (```` ```m = Metric() ````, as some rendered API pages
    // keep it): that line is the block's first line of code, not a language name.
    const glued = open.char === 96 && infoLanguage(info) === 'other' && codeOnFence.test(info.trim());
    const start = glued ? open.infoStart : i + 1 < lines.length ? lines[i + 1].start : l.end;
    const contentEnd = j < lines.length ? lines[j].start : text.length;
    const after = closed ? Math.min(lines[j].next, text.length) : text.length;
    const head = text.slice(start, Math.min(contentEnd, start + 200));
    const bare = info.trim() === '' && promptFirst(head);
    const language = glued
      ? jsLine.test(info.trim())
        ? 'js'
        : 'python'
      : bare
        ? 'python'
        : info.trim() === ''
          ? bareLanguage(text.slice(start, contentEnd))
          : infoLanguage(info);
    // A unified diff of Python (a pull request's review thread): read as the code after the change.
    const diff = language === 'other' && diffInfo.test(info.trim()) && diffPython(text.slice(start, contentEnd));
    const pyconHead = /^\s*>>> /m.test(head) && !valuePrompt(text.slice(start, contentEnd));
    const isPycon = language === 'python' && (info.trim().startsWith('pycon') || pyconHead);
    const session = language === 'output' && info.trim() === '' ? bareSession(text, lines, i + 1, j) : null;
    const block: MarkdownBlock = {
      ...session,
      language: diff || session ? 'python' : language,
      start,
      end: Math.max(start, contentEnd),
      after,
      pycon: isPycon,
      outputs: [],
    };
    if (diff) block.diff = true;
    if (language === 'python' && !isPycon) splitInnerOutput(text, block, lines, i + 1, j);
    blocks.push(block);
    fenced.push([i, closed ? j : lines.length - 1]);
    i = closed ? j + 1 : lines.length;
  }
  // A block a page flattened onto one line of prose, fence glued to the code.
  const inFence = new Uint8Array(lines.length);
  for (const [a, b] of fenced) inFence.fill(1, a, b + 1);
  for (const f of flattenedFences(text, lines, inFence))
    blocks.push({ language: 'python', ...f, after: f.end + 3, pycon: false, outputs: [] });
  if (blocks.length > 1) blocks.sort((a, b) => a.start - b.start);
  // A program flattened onto one line of the page's text, no fence (flattenedPageCode.ts): a block per statement.
  const flatPage = flattenedPageCode(text, lines, inFence);
  for (const f of flatPage) fenced.push([f.line, f.line]);
  const indented = indentedCode(text, lines, fenced);
  // A page without any code block may hold its code as plain lines between the prose; so does a
  // notebook rendered as page text (`In [2]:` headers), whose markdown cells may hold fences.
  const pyOrJs = blocks.some((b) => b.language === 'python' || b.language === 'js');
  // Plain JavaScript lines (a copied page's "Javascript" tab) are a JavaScript block; the Python
  // reader does not read them again.
  const js = !indented.length && !pyOrJs ? looseJsCode(text, lines, fenced) : [];
  const jsLines = js.map((r): [number, number] => [lastStarting(lines, r.start), lastStarting(lines, r.end)]);
  if (!indented.length && (!pyOrJs || notebookPage(text, lines, fenced)))
    for (const r of looseCode(text, lines, [...fenced, ...jsLines]))
      indented.push({ language: 'python', ...r, pycon: false, outputs: [] });
  else if (pyOrJs || indented.length) {
    // A thread whose question is in a block and whose answer is plain lines (or the reverse).
    const held = indented.map((b): [number, number] => [lastStarting(lines, b.start), lastStarting(lines, b.end)]);
    // Only runs of two lines or more that call something: a lone `nll = 2.1438` under a block is its output.
    for (const r of looseCode(text, lines, [...fenced, ...jsLines, ...held]))
      if (text.slice(r.start, r.end).includes('(') && lastStarting(lines, r.end) > lastStarting(lines, r.start))
        indented.push({ language: 'python', ...r, pycon: false, outputs: [] });
  }
  for (const r of js) indented.push({ language: 'js', ...r, pycon: false, outputs: [] });
  indented.push(...flatPageBlocks(flatPage, lines, text.length));
  // A call in a sentence's inline code, with the value it returns stated after it.
  const taken = new Uint8Array(lines.length);
  for (const [a, b] of fenced) for (let k = a; k <= b && k < lines.length; k++) taken[k] = 1;
  for (const b of [...blocks, ...indented])
    for (let k = lastStarting(lines, b.start); k < lines.length && lines[k].start <= b.end; k++) taken[k] = 1;
  for (const c of proseCalls(text, lines, taken))
    indented.push({
      language: 'python',
      start: c.start,
      end: c.end,
      after: c.end,
      pycon: false,
      outputs: [],
      pyconGroups: [{ codeStart: c.start, codeEnd: c.end, outputs: c.output ? [c.output] : [] }],
      spanOutputs: [],
    });
  if (indented.length) {
    blocks.push(...indented);
    blocks.sort((a, b) => a.start - b.start);
  }
  attachOutputBlocks(text, blocks, lines);
  return blocks;
}

const indentRe = /^(?: {4}|\t)/;
/**
 * A compound statement's header at the margin, shaped as Python writes it: `def name(…):`, `class Name:`,
 * `for a, b in xs:` / `in f(…):`, `with f(…) as x:`, `if` / `elif` / `while` with an operator or a bracket
 * (`if y.ndim == 1:`). Prose that opens with the same word and ends in a colon (`for the rows below, …:`,
 * `if you want the mean:`) has none of these shapes.
 */
const blockHeader = new RegExp(
  '^(?:(?:async\\s+)?def\\s+[A-Za-z_]\\w*\\s*\\(.*\\)\\s*(?:->[^:]*)?' +
    '|class\\s+[A-Za-z_]\\w*\\s*(?:\\([^)]*\\))?' +
    '|for\\s+[A-Za-z_]\\w*(?:\\s*,\\s*[A-Za-z_]\\w*)*\\s+in\\s+(?:[A-Za-z_][\\w.]*\\s*(?:\\(.*\\)|\\[.*\\])?|\\(.*\\)|\\[.*\\])' +
    '|with\\s+[A-Za-z_][\\w.]*\\s*\\(.*\\)(?:\\s+as\\s+[A-Za-z_]\\w*)?' +
    '|(?:if|elif|while)\\s+[^:]*(?:==|!=|<=|>=|[<>([])[^:]*)\\s*:[ \\t]*(?:#.*)?$',
);
/** Longer lines are not read as a header (no code line is this long; it bounds the pattern's work). */
const maxHeaderLine = 1000;
const listItem = /^\s*(?:[-*+]|\d+[.)])\s/;

/** A name echoed alone under a block with its number (3.368): a code block of its own. */
const echoBlock = { language: 'python', pycon: false, echo: true } as const;

/**
 * CommonMark's indented code blocks (four spaces or a tab, after a blank line, not in a list
 * item and not right after a fence, where an indented block is that fence's output) that read
 * as a program: code like a fenced block's.
 */
function indentedCode(text: string, lines: Line[], fenced: [number, number][]): MarkdownBlock[] {
  const out: MarkdownBlock[] = [];
  const inFence = new Uint8Array(lines.length);
  for (const [a, b] of fenced) for (let k = a; k <= b && k < lines.length; k++) inFence[k] = 1;
  const raw = (k: number): string => text.slice(lines[k].start, lines[k].end);
  const blank = (k: number): boolean => raw(k).trim() === '';
  let k = 0;
  while (k < lines.length) {
    if (inFence[k] || blank(k) || !indentRe.test(raw(k)) || (k > 0 && !blank(k - 1))) {
      k++;
      continue;
    }
    // The line before the blank ones: prose, not a list item and not a fence.
    let p = k - 1;
    while (p >= 0 && blank(p)) p--;
    const first = k;
    let last = k;
    while (k < lines.length && !inFence[k] && (blank(k) || indentRe.test(raw(k)))) {
      if (!blank(k)) last = k;
      k++;
    }
    if (p >= 0 && (inFence[p] || listItem.test(raw(p)) || indentRe.test(raw(p)))) continue;
    // Under a Python block header at the margin (`def f(y, t) :`, `for x in xs:`) the indented lines,
    // blank lines between, are its body as a page's plain code writes it (3.335), not a block of their own.
    if (p >= 0 && raw(p).length <= maxHeaderLine && blockHeader.test(raw(p))) continue;
    const content = text.slice(lines[first].start, lines[last].end);
    const kind = contentKind(content);
    if (kind !== 'python' && kind !== 'js') continue;
    const after = Math.min(lines[last].next, text.length);
    out.push({ language: kind, start: lines[first].start, end: lines[last].end, after, pycon: false, outputs: [] });
  }
  return out;
}

function attachOutputBlocks(text: string, blocks: MarkdownBlock[], lines: Line[]): void {
  const lineIndexAt = (offset: number): number => lastStarting(lines, offset);
  const lineOf = (n: number): string => text.slice(lines[n].start, lines[n].end);
  const startOf = (n: number): number => lines[n].start;
  const nextStart = (b: number): number => blocks[b + 1]?.start ?? Infinity;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b];
    if (
      (block.language !== 'python' && block.language !== 'js') ||
      block.spanOutputs ||
      block.innerOutputs ||
      block.echo ||
      block.breaks
    )
      continue;
    if (block.pycon) {
      pyconOutputs(text, block, lines, lineIndexAt);
      continue;
    }
    let k = lineIndexAt(block.after);
    if (block.after >= text.length) continue;
    const isBlank = (n: number): boolean => n < lines.length && text.slice(lines[n].start, lines[n].end).trim() === '';
    while (isBlank(k)) k++;
    if (k >= lines.length) continue;
    let t = text.slice(lines[k].start, lines[k].end).trim();
    // `Out: tensor(2.1438)`, `Out[3]: 2.1438`; `Output: tensor(1.0763)`, `输出:tensor(1.0763)` (3.305).
    const shown = labelledOutput(t, lineOf(k), startOf(k), block.language === 'python');
    if (shown) {
      block.outputs.push(shown);
      continue;
    }
    // An indented block right after the fence (a notebook exported to Markdown prints this way).
    if (/^(?: {4}|\t)/.test(text.slice(lines[k].start, lines[k].end)) && !fenceAt(text, lines[k])) {
      const next = blocks[b + 1];
      for (; k < lines.length && (isBlank(k) || /^(?: {4}|\t)/.test(text.slice(lines[k].start, lines[k].end))); k++) {
        if (next && lines[k].start >= next.start) break;
        if (!isBlank(k)) block.outputs.push({ text: text.slice(lines[k].start, lines[k].end), start: lines[k].start });
      }
      continue;
    }
    // A sentence that gives the printed repr inline: "The output of this code is tensor(-0.3150). …" (3.41).
    const inline = proseRepr.exec(t);
    if (inline) {
      const at = lines[k].start + text.slice(lines[k].start, lines[k].end).indexOf(inline[1]);
      block.outputs.push({ text: inline[1], start: at });
      continue;
    }
    // A column of line numbers (1, 2, 3, …) copied with the code from a blog's listing: not output.
    k = afterLineNumbers(k, lines.length, (n) => text.slice(lines[n].start, lines[n].end).trim());
    t = text.slice(lines[k]?.start ?? 0, lines[k]?.end ?? 0).trim();
    // A rule (`-----`) between the code and what it printed, as issue threads paste a run; or the
    // lone `|` a copied page leaves where its code sat in a table cell (3.237).
    if (/^(?:-{3,}|={3,}|_{3,}|\|)$/.test(t) && k + 1 < lines.length) {
      k++;
      t = text.slice(lines[k].start, lines[k].end).trim();
    }
    // An optional label line ("Output:", "**Result:**", "运行结果", "The output is") before the output.
    // A paragraph may end with that label ("… However, the output of the above is:"): its last sentence.
    const last = t.endsWith(':') ? t.slice(t.lastIndexOf('. ') + 1).trim() : t;
    const underLabel =
      (t.length < 40 && (outputLabel.test(t) || printedLabel.test(t))) ||
      (t.length < 60 && proseLabel.test(t) && !t.startsWith('```')) ||
      (last !== t && last.length < 60 && proseLabel.test(last) && !last.includes('`'));
    if (underLabel) {
      k++;
      while (isBlank(k)) k++;
      if (k >= lines.length) continue;
      t = text.slice(lines[k].start, lines[k].end).trim();
    }
    // The output quoted (`> loss:  Variable containing:`), as issue threads paste a run (3.380).
    const quoted = quotedOutput(text, lines, k, underLabel, blocks[b + 1]?.start ?? text.length);
    if (quoted.length) {
      block.outputs.push(...quoted);
      continue;
    }
    // tfjs's `t.print()` under the label: a `Tensor` line, then its value lines (3.237).
    if (block.language === 'js' && /^Tensor\b/.test(t)) {
      const next = blocks[b + 1];
      for (; k < lines.length && !isBlank(k) && (!next || lines[k].start < next.start); k++)
        block.outputs.push({ text: lineOf(k), start: lines[k].start });
      continue;
    }
    // numpy's print of a vector, one line (`[0.10536 0.80467 0.06188]`), under a `print(…)` line (3.103).
    if (
      block.language === 'python' &&
      isNumpyVector(t) &&
      t.endsWith(']') &&
      printLast(text.slice(block.start, block.end))
    ) {
      block.outputs.push({ text: text.slice(lines[k].start, lines[k].end), start: lines[k].start });
      continue;
    }
    // Printed reprs written as plain lines (`tf.Tensor(0.51, shape=(), dtype=float32)`), not fenced.
    // Under a label, values a paragraph each or under a short name (`softmax:`) go on (labelledReprs.ts, 3.428).
    const reprs = reprRun(k, { count: lines.length, line: lineOf, start: startOf, limit: nextStart(b) }, underLabel);
    if (reprs) {
      block.outputs.push(...reprs);
      continue;
    }
    // `loss` alone under the code, perhaps `Output:`, then its number (3.368): the name is read as code.
    const code = text.slice(block.start, block.end);
    const echoed = block.language === 'python' ? echoedNumber(code, k, lines.length, lineOf, startOf) : null;
    if (echoed && (!blocks[b + 1] || echoed.output.start < blocks[b + 1].start)) {
      const { start, end, output } = echoed;
      blocks.splice(b + 1, 0, { ...echoBlock, start, end, after: end, outputs: [output] });
      continue;
    }
    const number =
      block.language === 'python'
        ? numberAfterBlock(text.slice(block.start, block.end), k, lines.length, lineOf, startOf)
        : null;
    if (number && (!blocks[b + 1] || number.start < blocks[b + 1].start)) {
      block.outputs.push(number);
      continue;
    }
    const next = blocks[b + 1];
    const args = [text.slice(block.start, block.end), k, lines.length, lineOf, startOf] as const;
    const labelled = block.language === 'python' ? labelledAfterBlock(...args) : [];
    if (labelled.length && (!next || labelled[labelled.length - 1].start < next.start)) {
      block.outputs.push(...labelled);
      continue;
    }
    // A block labelled `python` that holds only printed values (`loss: tf.Tensor(0.51, ...)`) is output.
    // So is one whose `name = value` lines are what the block's labelled prints wrote (`'loss = {}'.format(…)`).
    const nextText = next ? text.slice(next.start, next.end) : '';
    if (
      next &&
      next.language === 'python' &&
      !next.pycon &&
      (onlyOutput(nextText) || printedAssignments(text.slice(block.start, block.end), nextText))
    )
      next.language = 'output';
    if (next && next.language === 'output' && next.start > lines[k].start && next.start <= lines[k].next + 1) {
      const shown: OutputLine[] = [];
      for (let n = lineIndexAt(next.start); n < lines.length && lines[n].start < next.end; n++) {
        const s = text.slice(lines[n].start, lines[n].end);
        if (s.trim() !== '') shown.push({ text: s, start: lines[n].start });
      }
      // `output` alone above its value: the name is read as code after the block (fenceOutputs.ts).
      const echo = block.language === 'python' ? echoedName(text, block, shown) : null;
      if (echo) blocks.splice(b + 1, 0, { language: 'python', ...echo, after: echo.end, pycon: false, echo: true });
      else block.outputs.push(...shown);
    }
  }
}

/**
 * A copy of `text` with only the code of the given blocks kept (pycon prompts blanked) and
 * everything else replaced by spaces, line breaks kept: offsets and lines are unchanged.
 */
export function maskedCode(text: string, blocks: MarkdownBlock[]): string {
  const parts: string[] = [];
  let at = 0;
  const blank = blanked;
  for (const b of blocks) {
    parts.push(blank(text.slice(at, b.start)));
    let code = text.slice(b.start, b.end);
    if (b.spanOutputs) code = spanCode(code, b.start, b.spanOutputs);
    if (b.diff) code = diffCode(code);
    if (!b.pycon && b.language === 'python') code = code.replace(promptedValues, '#  ');
    if (b.pycon) {
      let depth = 0;
      let previous: string | null = null;
      code = code
        .split(/(\r\n|\r|\n)/)
        .map((line) => {
          if (/^(\r\n|\r|\n)$/.test(line)) return line;
          const kind = pyconLine(line, depth, previous);
          depth = kind.depth;
          previous = kind.role === 'output' ? null : kind.role === 'prompt' ? line.slice(4) : previous;
          if (kind.role === 'output') return blank(line);
          if (line.startsWith('>>> ') || line.startsWith('... ')) return '    ' + line.slice(4);
          if (line === '...' || line === '>>>') return '   ';
          return kind.role === 'continuation' ? line : blank(line);
        })
        .join('');
    }
    parts.push(code);
    at = b.end;
  }
  parts.push(blank(text.slice(at)));
  return parts.join('');
}

/**
 * The line after a run of lines holding 1, 2, 3, … (two or more, consecutive from 1), which blogs
 * print beside their code and a copy of the page keeps under it; `k` itself when there is none.
 */
function afterLineNumbers(k: number, count: number, line: (n: number) => string): number {
  let n = k;
  while (n < count && line(n) === String(n - k + 1)) n++;
  return n - k >= 2 ? n : k;
}
