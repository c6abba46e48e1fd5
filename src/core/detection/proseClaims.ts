/**
 * Values a Markdown page states about a loss in its prose or in a table, away from the code block
 * that computed it (docs/detection.md §3.122). Three forms are read, each only where which loss the
 * number is about is not a guess:
 *
 * - a sentence: the first line after a code block with one loss (scalar, and printed by the block)
 *   that names the loss (`loss`, `cross-entropy`, 손실, 损失, 損失, …) and then gives the line's one
 *   decimal number within a few words (`… end up with a loss value of 1.0986.`, `… 손실 함수의 값은
 *   약 0.357이 됩니다`, `损失依旧是tensor([0.9729])`). Code blocks in between may only print other
 *   things (no loss words in them); a line with a condition or an expectation (`should`, `below`,
 *   `if`, …), with maths markup or with a unit after the number claims nothing, and stops the search;
 * - a result line: the first line after such a block is `Result: \`tensor(0.9488)\`` (a label, a
 *   colon, one value in inline code), the block's last print being that loss;
 * - a table with a column headed `Loss` (or `Cross-entropy`, 손실, 损失, 損失): its rows, each one
 *   number in that column, are the losses computed above the table (since the previous such table),
 *   in order, when their counts are equal and every one of them is a printed scalar.
 */
import { printLabel } from './printLabels';
import { claimInOutput, type ClaimText } from './claims';
import type { DetectionContext, Printed } from './context';
import { LineCounter, lastStarting } from './lines';
import type { MarkdownBlock } from './markdown';
import type { PairRef } from './values';

interface Line {
  start: number;
  end: number;
}

/** Lines longer than this are not read (a minified page). */
const maxLine = 4000;
/** Rows of one table read at most. */
const maxRows = 200;

/**
 * Words naming the loss, and the two phrases question pages use for the value the block above gave
 * (`the output is 1.1549`, `This results in a value of 0.865`, docs §3.321): the block's one loss.
 */
const lossWord =
  /\b(?:cross[- ]?entropy(?:[- ]loss)?|crossentropy|log[- ]loss|nll(?:[- ]?loss)?|loss(?:[- ]value)?|output(?=\s+(?:is|was)\s)|results?\s+in\s+a\s+value(?=\s+of\s))\b|손실|损失|損失|交叉熵|크로스\s?엔트로피|交差エントロピー/gi;
/** A decimal number not part of a word, a version or another number. */
const decimal = /(?<![\w.])-?\d+\.\d+(?:[eE][-+]?\d+)?(?!\w|\.\d)/g;
/** What may stand between the loss word and its number: a few words, no sentence end, no digit. */
const maxGap = 30;
const gapStop = /\d|[.!?](?:\s|$)|[。！？；;|$]|`(?!$)/;
/** Words that make the number another quantity than the loss. */
const otherQuantity =
  /\b(?:accuracy|acc|grad\w*|prob\w*|softmax|logits?|weights?|rate|lr|entropy|bits?|epochs?|steps?|time|ratio|percent|from|to|by|per|of\s+the\s+(?:first|second|other))\b|准确|概率|梯度|정확|확률|기울기/i;
/** A sentence about a condition, an expectation or a comparison states no computed value. */
const notAResult =
  /\b(?:should|would|could|expect\w*|ideal\w*|want\w*|suppos\w*|goal|if|when|below|above|under|over|less|more|than|threshold|at\s+least|at\s+most|up\s+to|drops?|falls?|rises?|reach\w*|converge\w*)\b|应该|应当|期望|希望|如果|目标|低于|高于|以下|以上|이상|이하|미만|초과|라면|보다|べき|以下|以上/i;
const unitAfter = /^\s*(?:%|‰|bits?\b|times\b|×|倍|배|x\b)/i;
const heading = /^\s{0,3}#/;
const outputLike =
  /^\s*[^\s:=：]+(?:\s+[^\s:=：]+){0,3}\s*[:=：]\s*(?:tensor\()?-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\)?\s*$/;
const resultLine =
  /^\s*(?:\*\*)?(?:result|output|out|运行结果|结果|結果|输出|輸出|결과|출력|出力)(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*`([^`]+)`\s*(?:\*\*)?\s*\.?\s*$/i;
const lossHeader =
  /^(?:(?:cross[- ]?entropy|ce|nll)[- ]?)?loss(?:\s*\([^)]*\))?$|^cross[- ]?entropy$|^손실(?:\s?값)?$|^损失(?:值)?$|^損失(?:値)?$/i;
const separatorRow = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$/;
const numberCell = /^(?:\*\*)?\s*(?:~|≈|about\s+|approx\.?\s+|약\s?|约)?\s*(-?\d+\.\d+)\s*(?:\*\*)?$/i;

/** A block's one loss, when it is a scalar the block prints. */
interface BlockLoss {
  ref: PairRef;
  /** The block's last print shows it. */
  printedLast: boolean;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    out.push({ start, end: end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end });
    if (nl < 0) return out;
    start = nl + 1;
  }
}

/** Binds the values stated in a Markdown page's prose and tables to the losses above them. */
export function readProseClaims(ctx: DetectionContext, text: string, blocks: MarkdownBlock[]): void {
  if (ctx.pairs.length === 0 || blocks.length === 0) return;
  const code = blocks.filter((b) => b.language === 'python' || b.language === 'js').sort((a, b) => a.start - b.start);
  if (code.length === 0) return;
  const lines = splitLines(text);
  const taken = takenLines(text, lines, blocks);
  const counter = new LineCounter(text);
  const claimedLines = new Set(ctx.claims.filter((c) => c.cell === undefined).map((c) => c.line));
  // The code block holding an offset (blocks are sorted and do not overlap), or -1.
  const blockAt = (offset: number): number => {
    const lo = lastStarting(code, offset);
    return offset >= code[lo].start && offset < code[lo].end ? lo : -1;
  };
  // Pairs in document order, each with the code block holding its call.
  const pairs = ctx.pairs
    .filter((p) => p.cell === undefined)
    .map((p) => ({ pair: p, block: blockAt(p.callSpan[0]) }))
    .filter((p) => p.block >= 0)
    .sort((a, b) => a.pair.callSpan[0] - b.pair.callSpan[0]);
  const byBlock = new Map<number, number[]>();
  for (const p of pairs) {
    const list = byBlock.get(p.block);
    if (list) list.push(p.pair.id);
    else byBlock.set(p.block, [p.pair.id]);
  }
  // Each block's prints, in order, and the words they write before their values.
  const printsOf = new Map<number, Printed[]>();
  const labelsOf = new Map<number, string[]>();
  for (const p of ctx.producers) {
    if (p.cell !== undefined) continue;
    const b = blockAt(p.start);
    if (b < 0) continue;
    // A bare expression that ends its block is what a notebook or a console shows under it (docs §3.321).
    if (p.kind !== 'print' && !(p.topLevel && text.slice(p.end, code[b].end).trim().replace(/`+$/, '') === ''))
      continue;
    const label = printLabel(text.slice(p.start, Math.min(p.end, p.start + 2000)))?.trim();
    if (label) labelsOf.set(b, [...(labelsOf.get(b) ?? []), label]);
    if (!p.printed) continue;
    const list = printsOf.get(b);
    if (list) list.push(p.printed);
    else printsOf.set(b, [p.printed]);
  }
  const scalarPrinted = (id: number, block: number): BlockLoss | null => {
    const ref = ctx.pairRefs[id];
    const pair = ctx.pairs[id];
    const prints = printsOf.get(block);
    if (!ref || ref.reduction === 'none' || pair.formulaLosses || !prints) return null;
    const shows = (printed: Printed): boolean => {
      const v = printed.value;
      return (
        (v.kind === 'loss' && v.pair.id === id) || (v.kind === 'scalar' && v.pairs.length === 1 && v.pairs[0].id === id)
      );
    };
    if (!prints.some(shows)) return null;
    return { ref, printedLast: shows(prints[prints.length - 1]) };
  };
  /** The one loss of the block, when it is a printed scalar. */
  const lossOf = (block: number): BlockLoss | null => {
    const ids = byBlock.get(block) as number[];
    return ids.length === 1 ? scalarPrinted(ids[0], block) : null;
  };
  const bind = (ref: PairRef, claim: ClaimText): void => {
    const line = counter.lineAt(claim.start);
    if (claimedLines.has(line)) return;
    claimedLines.add(line);
    const printed: Printed = {
      value: { kind: 'loss', pair: ref },
      exprText: ref.resultName ?? 'the loss',
      direct: true,
    };
    ctx.bindClaim(printed, claim, 'output', null, { line, cell: undefined });
  };

  let lastBlock = -1; // the last code block with a loss, above the line being read
  let open = false; // that block's loss may still be claimed by a sentence
  let first = false; // the line being read is the first non-blank one after that block
  let codeBetween = false; // a code block with loss words stands between
  let tableFrom = 0; // pairs above a table are counted from this offset
  let pairFrom = 0; // the first pair at or after tableFrom
  let nextBlock = 0;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k];
    while (nextBlock < code.length && code[nextBlock].start <= l.start) {
      const b = code[nextBlock];
      if (byBlock.has(nextBlock)) {
        lastBlock = nextBlock;
        open = true;
        first = true;
        codeBetween = false;
      } else if (/loss|entropy|nll|손실|损失|損失/i.test(text.slice(b.start, b.end))) codeBetween = true;
      nextBlock++;
    }
    if (taken[k] || l.end - l.start > maxLine) continue;
    const s = text.slice(l.start, l.end);
    if (s.trim() === '') continue;
    const wasFirst = first;
    first = false;
    // A table headed by a loss column.
    if (s.includes('|') && k + 1 < lines.length && !taken[k + 1] && separatorRow.test(lineText(text, lines[k + 1]))) {
      const rows = tableRows(text, lines, taken, k);
      while (pairFrom < pairs.length && pairs[pairFrom].pair.callSpan[0] < tableFrom) pairFrom++;
      let pairTo = pairFrom;
      while (pairTo < pairs.length && pairs[pairTo].pair.callSpan[0] < l.start) pairTo++;
      const above = pairs.slice(pairFrom, pairTo);
      if (rows && rows.length === above.length) {
        const losses = above.map((p) => scalarPrinted(p.pair.id, p.block));
        if (losses.every((x) => x !== null))
          rows.forEach((r, i) => {
            const claim = claimInOutput(r.text, r.start);
            if (claim) bind((losses[i] as BlockLoss).ref, claim);
          });
      }
      if (rows) tableFrom = l.start;
      open = false;
      k = skipTable(text, lines, taken, k);
      continue;
    }
    if (lastBlock < 0 || !open) continue;
    // `Result: \`tensor(0.9488)\`` right under the block.
    const result = wasFirst ? resultLine.exec(s) : null;
    if (result) {
      open = false;
      const inner = result[1].trim();
      const loss = lossOf(lastBlock);
      if (loss && loss.printedLast && code[lastBlock].outputs.length === 0 && !inner.includes('[')) {
        const claim = claimInOutput(inner, l.start + s.indexOf(result[1]) + result[1].indexOf(inner));
        if (claim && claim.text.length === inner.length) bind(loss.ref, claim);
      }
      continue;
    }
    if (heading.test(s)) continue;
    // `Loss: 2.34` alone is what some print wrote (fenceOutputs.ts, numberOutputs.ts read those), not a
    // sentence; so is a line that starts with the words a print of the block writes (docs §3.131).
    if (outputLike.test(s) || (labelsOf.get(lastBlock) ?? []).some((w) => s.trimStart().startsWith(w))) {
      open = false;
      continue;
    }
    const found = sentenceClaim(s, l.start);
    if (found === 'none') continue;
    // The first sentence that gives a number after a loss word decides, whether it is read or not.
    open = false;
    const loss = found === null || codeBetween ? null : lossOf(lastBlock);
    if (loss && found) bind(loss.ref, found);
  }
}

function lineText(text: string, l: Line): string {
  return text.slice(l.start, l.end);
}

/** Lines inside any block or its output lines. */
function takenLines(text: string, lines: Line[], blocks: MarkdownBlock[]): Uint8Array {
  const taken = new Uint8Array(lines.length);
  const at = (offset: number): number => lastStarting(lines, offset);
  for (const b of blocks) {
    // The fence lines around the content too.
    let from = at(b.start);
    const to = at(Math.max(b.start, b.after - 1));
    // A value in inline code on a prose line (`Result: \`tensor(0.9488)\``) is that line's, not a block.
    const own = lineText(text, lines[from]).trim();
    if (from === to && !isFence(text, lines[from]) && own !== text.slice(b.start, b.end).trim()) continue;
    if (from > 0 && isFence(text, lines[from - 1])) from--;
    for (let k = from; k <= to && k < lines.length; k++) taken[k] = 1;
    for (const o of b.outputs) if (o.start !== null) taken[at(o.start)] = 1;
  }
  return taken;
}

function isFence(text: string, l: Line): boolean {
  return /^\s*(?:```|~~~)/.test(text.slice(l.start, l.end));
}

/** The loss column's numbers of a table whose header is line `k`, or null when it has none that all read. */
function tableRows(
  text: string,
  lines: Line[],
  taken: Uint8Array,
  k: number,
): { text: string; start: number }[] | null {
  const header = cells(lineText(text, lines[k]));
  const columns = header.map((c, i) => (lossHeader.test(plain(c.text)) ? i : -1)).filter((i) => i >= 0);
  if (columns.length !== 1) return null;
  const column = columns[0];
  const rows: { text: string; start: number }[] = [];
  for (let r = k + 2; r < lines.length && !taken[r] && rows.length <= maxRows; r++) {
    const s = lineText(text, lines[r]);
    if (!s.includes('|')) break;
    const row = cells(s);
    if (row.length !== header.length) return null;
    const cell = row[column];
    const m = numberCell.exec(cell.text.trim());
    if (!m) return null;
    rows.push({ text: m[1], start: lines[r].start + cell.start + cell.text.indexOf(m[1]) });
  }
  return rows.length && rows.length <= maxRows ? rows : null;
}

/** The line after a table whose header is line `k`, less one (the loop adds it). */
function skipTable(text: string, lines: Line[], taken: Uint8Array, k: number): number {
  let r = k + 2;
  while (r < lines.length && !taken[r] && lineText(text, lines[r]).includes('|')) r++;
  return r - 1;
}

/** A table row's cells, with their offsets in the row (the outer pipes dropped). */
function cells(row: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let from = 0;
  for (let i = 0; i <= row.length; i++) {
    if (i < row.length && (row[i] !== '|' || row[i - 1] === '\\')) continue;
    out.push({ text: row.slice(from, i), start: from });
    from = i + 1;
  }
  if (out.length && out[0].text.trim() === '') out.shift();
  if (out.length && out[out.length - 1].text.trim() === '') out.pop();
  return out;
}

function plain(cell: string): string {
  return cell.replace(/[*_`]/g, '').trim();
}

/**
 * The claim of a sentence line: `'none'` when it gives no number after a loss word, null when it
 * does but not as a computed value (two numbers, a condition, a unit, maths markup).
 */
function sentenceClaim(s: string, offset: number): ClaimText | null | 'none' {
  const numbers = [...s.matchAll(decimal)];
  if (numbers.length === 0) return 'none';
  let word: RegExpMatchArray | null = null;
  const first = numbers[0].index ?? 0;
  for (const m of s.matchAll(lossWord)) {
    if ((m.index ?? 0) >= first) break;
    word = m;
  }
  if (word === null) return 'none';
  if (numbers.length !== 1 || s.includes('$') || s.includes('\\(') || notAResult.test(s)) return null;
  const wordEnd = (word.index ?? 0) + word[0].length;
  // The loss word in inline code is code (`loss(output, target)`), not the sentence's subject.
  if ((s.slice(0, word.index).match(/`/g) ?? []).length % 2 === 1) return null;
  let numStart = first;
  const repr = /tensor\(\[?$/i.exec(s.slice(Math.max(0, first - 8), first));
  if (repr) numStart = first - repr[0].length;
  const gap = s.slice(wordEnd, numStart);
  if (gap.length > maxGap || gapStop.test(gap) || otherQuantity.test(gap)) return null;
  const numText = numbers[0][0];
  if (unitAfter.test(s.slice(first + numText.length))) return null;
  if (repr && !repr[0].endsWith('[')) {
    const claim = claimInOutput(s.slice(numStart), offset + numStart);
    return claim && claim.start === offset + numStart ? claim : null;
  }
  // `tensor([0.9729])`: a one-element tensor, its number claimed as written.
  if (repr && !/^\s*\]\s*\)/.test(s.slice(first + numText.length))) return null;
  return claimInOutput(numText, offset + first);
}
