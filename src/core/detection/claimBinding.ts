/**
 * Claim binding: which printed statement (or pair) a claimed number is about. A comment on the
 * print's last line or on the comment-only lines right below it; printed output lines (a
 * notebook's stored outputs, a Markdown output block) zipped with the prints that made them; and
 * comment lines no print took (`// loss: 2.1438` below two arrays), kept for the pair right above.
 */
import { scaledPrintHead, claimInComment, claimInOutput, type ClaimText } from './claims';
import { labelledBelow, qualifiedClaim } from './commentWords';
import type { DetectionContext, OutputLine, Printed, Producer } from './context';
import { isCommentedOutCode } from './commentedCode';
import { labelPastCode } from './labelPastCode';
import { outputLabel, printedLabel } from './fenceOutputs';
import type { PairRef } from './values';
import { bindSpaced, bindTuple, bindVector, joinedOutputs } from './vectorClaims';
import { bindInOrder, PrintRun } from './printRuns';
import { maxHead, printHead } from './printHead';
import { labelEnd, printLabel, selfDocumentedLabel } from './printLabels';
import { oneRun } from './sharedLabels';
import { joinVariablePrints } from './variablePrints';

/** A word naming the output before what a print wrote (`Output:`, `Result ->`), in a comment on the print's line. */
const outputMarker = /^(?:output|out|result|prints?|输出|輸出|出力|결과|출력|salida|resultado)\s*(?:[:：]|->|=>|→)\s*/i;
/** A statement, for claims in the comments around it. */
export interface StatementComments {
  firstStart: number;
  lastEnd: number;
  printed: Printed | null;
  /** Comments seen inside the statement or after it, before the next one: [start, end] pairs. */
  comments: number[];
}

interface StandaloneClaim {
  claim: ClaimText;
  line: number;
  cell: number | undefined;
  /** The comment names a loss (`# loss: 2.14`): it may sit a little further from its pair. */
  labelled: boolean;
}

/** Comment claims that wait for their pair (few are kept: a hostile file may have one per line). */
const maxStandalone = 1000;

/** A print of the run of prints the comment lines below may answer (`print(f"{out=}")` × 4, then `# out=…`). */
interface RunPrint {
  printed: Printed | null;
  /** What Python writes before the value of a self-documenting f-string (`out=`). */
  label: string;
  answered: boolean;
}

/** Prints in one run that a comment block below may answer (a longer run keeps its last ones). */
const maxRun = 64;

export class CommentClaims {
  private standalone: StandaloneClaim[] = [];
  /** The run of prints on consecutive lines (comment lines between them count), ending on `runEnd`. */
  private run: RunPrint[] = [];
  private runEnd = -1;
  /** Consecutive prints of any kind, for a block of value lines below them ({@link bindInOrder}). */
  private prints = new PrintRun();

  constructor(private readonly ctx: DetectionContext) {}

  /** Binds the claims in a finished statement's comments; the rest may be standalone claims. */
  statementDone(st: StatementComments | null, orphanComments: number[]): void {
    if (st) {
      const isPrint = printHead(this.ctx.text, st.firstStart, st.lastEnd);
      const lines = this.ctx.lines;
      // Lines matter only for a print (a run of them): most statements are not one.
      this.prints.add(
        isPrint,
        st.printed,
        isPrint ? lines.lineAt(st.firstStart) : -1,
        isPrint ? lines.lineAt(st.lastEnd) : -1,
        st.comments.length > 0,
        isPrint ? printLabel(statementHead(this.ctx.text, st.firstStart, st.lastEnd)) : null,
      );
      const joined = this.extendRun(st, isPrint);
      const inRun = joined && this.run.length > 1;
      if (st.comments.length === 0) return;
      const inOrder =
        isPrint && !inRun
          ? bindInOrder(
              this.ctx,
              this.prints.current,
              st.lastEnd,
              st.comments,
              (p) => this.ownLine(p),
              this.prints.currentLabels,
            )
          : null;
      if (inOrder) return this.collectStandalone(st.comments, inOrder);
      const used = [st.printed ? this.fromComments(st, !inRun) : -1];
      // A print whose own line's comment answered it takes no line of the block below.
      if (used[0] >= 0 && joined) this.run[this.run.length - 1].answered = true;
      if (inRun) this.fromRun(st, used);
      this.collectStandalone(st.comments, used);
    } else {
      if (this.run.length) this.run = [];
      this.collectStandalone(orphanComments, []);
    }
  }

  /**
   * Adds a print to the run (a statement of any other kind, or a blank line, ends it); true when
   * it is a self-documenting print, the kind a run keeps.
   */
  private extendRun(st: StatementComments, isPrint: boolean): boolean {
    const lines = this.ctx.lines;
    if ((!isPrint || lines.lineAt(st.firstStart) > this.runEnd + 1) && this.run.length) this.run = [];
    this.runEnd = -1;
    if (!isPrint) return false;
    const label = selfDocumentedLabel(statementHead(this.ctx.text, st.firstStart, st.lastEnd));
    if (label !== null) {
      if (this.run.length >= maxRun) this.run.shift();
      this.run.push({ printed: st.printed, label, answered: false });
    }
    // The run goes on below the comment lines under this print.
    let end = lines.lineAt(st.lastEnd);
    const cs = st.comments;
    for (let i = 0; i < cs.length; i += 2) {
      if (cs[i] < st.lastEnd) continue;
      if (lines.lineAt(cs[i]) !== end + 1 || !this.ownLine(cs[i])) break;
      end++;
    }
    this.runEnd = end;
    return label !== null;
  }

  /**
   * Comment lines right below the last of a run of self-documenting prints, each starting with
   * one print's label (`# out=tensor(0.4921)` under `print(f"{out=}")`, `print(f"{outab=}")`): the
   * value after the label is that print's claim; prints with the same label take their lines in order.
   */
  private fromRun(st: StatementComments, used: number[]): void {
    const text = this.ctx.text;
    const lines = this.ctx.lines;
    const cs = st.comments;
    let expectLine = lines.lineAt(st.lastEnd) + 1;
    for (let i = 0; i < cs.length; i += 2) {
      if (cs[i] < st.lastEnd) continue;
      if (lines.lineAt(cs[i]) !== expectLine++ || !this.ownLine(cs[i])) break;
      if (used.includes(cs[i])) continue;
      for (const p of this.run) {
        if (p.answered) continue;
        const end = labelEnd(text, cs[i], cs[i + 1], p.label);
        if (end < 0) continue;
        p.answered = true;
        used.push(cs[i]);
        const claim = p.printed && !p.printed.spaced ? claimInComment(text, end, cs[i + 1]) : null;
        if (claim) this.ctx.bindClaim(p.printed as Printed, claim, 'comment', null);
        break;
      }
    }
  }

  /** Claims about a printed statement; returns the offset of the comment used, or -1. */
  private fromComments(st: StatementComments, below: boolean): number {
    const cs = st.comments;
    if (cs.length === 0) return -1;
    if (st.printed?.spaced) return this.fromSpaced(st);
    const lines = this.ctx.lines;
    const endLine = lines.lineAt(st.lastEnd);
    // A comment on the statement's last line, after it.
    for (let i = 0; i < cs.length; i += 2) {
      if (cs[i] >= st.lastEnd && lines.lineAt(cs[i]) === endLine) {
        const body = this.ctx.text.slice(cs[i], cs[i + 1]);
        if (isCommentedOutCode(body)) break;
        const own = this.ownValue(st, cs[i], cs[i + 1]);
        if (own < 0) break;
        if (bindVector(this.ctx, st.printed as Printed, body.slice(own - cs[i]), own, 'comment', null)) return cs[i];
        // Words before the number (`# good 0.35 low loss`) are read on the print's own line only.
        const claim = this.claimAfter(st, own, cs[i + 1]) ?? qualifiedClaim(this.ctx.text, own, cs[i + 1], st.printed);
        if (claim) {
          this.ctx.bindClaim(st.printed as Printed, claim, 'comment', null);
          return cs[i];
        }
        break;
      }
    }
    // Else comment-only lines right below it (`print(loss)` / `# tensor(2.1438)`); under a run of
    // self-documenting prints they are matched by label instead ({@link fromRun}).
    if (!below) return -1;
    let expectLine = endLine + 1;
    let last = endLine + 3;
    for (let i = 0; i < cs.length && expectLine <= last; i += 2) {
      if (cs[i] < st.lastEnd) continue;
      if (lines.lineAt(cs[i]) !== expectLine || !this.ownLine(cs[i])) {
        // One blank line may part the print from a comment that names the output and shows it
        // (`# Output: tensor(1.0986, grad_fn=…)`, docs/detection.md 3.41).
        if (expectLine === endLine + 1 && this.labelledAfterBlank(st, cs[i], cs[i + 1], expectLine)) {
          const claim = this.claimAfter(st, cs[i], cs[i + 1]);
          if (claim) {
            this.ctx.bindClaim(st.printed as Printed, claim, 'comment', null);
            return cs[i];
          }
        }
        // One blank line may part the print from a comment that only names the output below it
        // (`# 输出`, `# Output:`): the value is on the comment lines under that heading.
        // Two blank lines part a notebook's exported cells (`# **Expected Output**:` under the cell's print, 3.134).
        const heading = expectLine === endLine + 1 ? this.headingAfterBlank(st, cs[i], cs[i + 1]) : -1;
        if (heading < 0) break;
        expectLine = heading + 1;
        last = heading + 3;
        continue;
      }
      const body = this.ctx.text.slice(cs[i], cs[i + 1]);
      // A Markdown fence exported as comments (`# ```python` … `# ````) around the value under a heading.
      if (last > endLine + 3 && /^[#\s]*```\w*\s*$/.test(body)) {
        expectLine++;
        continue;
      }
      // Code someone commented out ends the comments that may show the value, but for one repeating the print's label (3.148).
      if (isCommentedOutCode(body)) return this.pastCode(st, i, expectLine);
      // Old torch's scaled print wrapped over two comment lines (3.334): read as one, or not at all.
      if (scaledPrintHead.test(body)) {
        const next = i + 2 < cs.length && lines.lineAt(cs[i + 2]) === expectLine + 1 && this.ownLine(cs[i + 2]);
        const claim = next ? claimInComment(this.ctx.text, cs[i], cs[i + 3]) : null;
        if (claim) this.ctx.bindClaim(st.printed as Printed, claim, 'comment', null);
        return claim ? cs[i] : -1;
      }
      const own = this.ownValue(st, cs[i], cs[i + 1]);
      if (own >= 0 && bindVector(this.ctx, st.printed as Printed, body.slice(own - cs[i]), own, 'comment', null))
        return cs[i];
      const claim =
        own < 0
          ? null
          : (this.claimAfter(st, own, cs[i + 1]) ??
            (expectLine === endLine + 1 ? labelledBelow(this.ctx.text, own, cs[i + 1], st.printed) : null));
      if (claim) {
        this.ctx.bindClaim(st.printed as Printed, claim, 'comment', null);
        return cs[i];
      }
      expectLine++;
    }
    return -1;
  }

  /** The comment past switched-off code that repeats the print's label, bound; its offset or -1. */
  private pastCode(st: StatementComments, i: number, line: number): number {
    const text = this.ctx.text;
    const label = printLabel(statementHead(text, st.firstStart, st.lastEnd));
    if (label === null) return -1;
    const own = (p: number) => this.ownLine(p);
    const at = labelPastCode(text, this.ctx.lines, st.comments, i, line, own, (f, t) => labelEnd(text, f, t, label));
    const claim = at && claimInComment(text, at.from, st.comments[at.index + 1]);
    if (!at || !claim) return -1;
    this.ctx.bindClaim(st.printed as Printed, claim, 'comment', null);
    return st.comments[at.index];
  }

  /** A comment alone on the line after one blank line below the statement that starts with an output label and a colon. */
  private labelledAfterBlank(st: StatementComments, from: number, to: number, blankLine: number): boolean {
    const lines = this.ctx.lines;
    if (lines.lineAt(from) !== blankLine + 1 || !this.ownLine(from)) return false;
    if (this.ctx.text.slice(st.lastEnd, lines.lineStartOf(from)).trim() !== '') return false;
    return /^[#/\s]*(?:output|out|result|prints?|输出|輸出|出力|결과|출력|salida|resultado)\s*[:：]/i.test(
      this.ctx.text.slice(from, to),
    );
  }

  /**
   * A comment alone on its line after one blank line below the statement (two for an `Expected
   * output` heading, a notebook's next cell), naming the output and holding no value (`# 输出`,
   * `# Output:`, `# **Expected Output**:`): its line (the printed value follows it), or -1.
   */
  private headingAfterBlank(st: StatementComments, from: number, to: number): number {
    const text = this.ctx.text;
    const lines = this.ctx.lines;
    const line = lines.lineAt(from);
    const gap = line - lines.lineAt(st.lastEnd);
    if (gap > 3 || !this.ownLine(from)) return -1;
    if (text.slice(st.lastEnd, lines.lineStartOf(from)).trim() !== '') return -1;
    const t = text
      .slice(from, to)
      .replace(/^[#/\s]+/, '')
      .trim();
    const named = t.length > 0 && t.length < 40 && !/[\d=(]/.test(t) && (outputLabel.test(t) || printedLabel.test(t));
    // Two blank lines part sections of a script too: only an `Expected output` heading reaches over them.
    return named && (gap < 3 || /^\W*expected\b/i.test(t)) ? line : -1;
  }

  /**
   * Where the value a comment shows for this print starts: after the print's label when the print
   * is a self-documenting f-string and the comment repeats the label; -1 when the comment starts
   * with another expression's label (`# out=…` under `print(f"{outab=}")`); else the comment's start.
   */
  private ownValue(st: StatementComments, from: number, to: number): number {
    const text = this.ctx.text;
    const label = selfDocumentedLabel(statementHead(text, st.firstStart, st.lastEnd));
    if (label === null) return from;
    const end = labelEnd(text, from, to, label);
    if (end >= 0) return end;
    return /^[#/\s]*[\w.]+(?:\([^()\n]*\)|\[[^\]\n]*\])*\s*=(?!=)/.test(text.slice(from, to)) ? -1 : from;
  }

  /** The claim a comment shows from `from` on (the print's label repeated before it is read too). */
  private claimAfter(st: StatementComments, from: number, to: number): ClaimText | null {
    return claimInComment(this.ctx.text, from, to) ?? this.labelled(st, from, to);
  }

  /** The values one print of several losses showed, in its comment or the comment line below. */
  private fromSpaced(st: StatementComments): number {
    const cs = st.comments;
    const endLine = this.ctx.lines.lineAt(st.lastEnd);
    for (let i = 0; i < cs.length; i += 2) {
      if (cs[i] < st.lastEnd) continue;
      const line = this.ctx.lines.lineAt(cs[i]);
      if (line > endLine + 1 || (line === endLine + 1 && !this.ownLine(cs[i]))) break;
      const body = this.ctx.text.slice(cs[i], cs[i + 1]);
      if (bindSpaced(this.ctx, st.printed as Printed, body, cs[i], 'comment', null)) return cs[i];
    }
    return -1;
  }

  /**
   * A comment that repeats the print's own label before the value (`print('Final result: ', v)`
   * with `# Final result: 1.176`): the number after the label is the claim.
   */
  private labelled(st: StatementComments, from: number, to: number): ClaimText | null {
    const text = this.ctx.text;
    const label = printLabel(text.slice(st.firstStart, st.lastEnd))?.replace(/[\s:=]+$/, '');
    if (!label) return null;
    let k = from;
    while (k < to && (text[k] === '#' || text[k] === '/' || text[k] === ' ' || text[k] === '\t')) k++;
    const at = (i: number): boolean => text.slice(i, i + label.length).toLowerCase() === label.toLowerCase();
    // The label may stand behind a word naming the output (`# Output: Loss for this batch: 8.97`, 3.341).
    const marker = at(k) ? null : outputMarker.exec(text.slice(k, Math.min(to, k + 24)));
    if (marker) k += marker[0].length;
    if (!at(k)) return null;
    return claimInComment(text, k + label.length, to);
  }

  private collectStandalone(cs: number[], used: number[]): void {
    const text = this.ctx.text;
    for (let i = 0; i < cs.length; i += 2) {
      if (used.includes(cs[i]) || !claimLike(text, [cs[i], cs[i + 1]]) || !this.ownLine(cs[i])) continue;
      if (isCommentedOutCode(text.slice(cs[i], cs[i + 1]))) continue;
      // A console prompt kept in a comment (`# >>> f(x)  # tensor(…)`): the session reader judges it.
      if (/^# ?>>>(?= |$)/.test(text.slice(cs[i], cs[i] + 6))) continue;
      const claim = claimInComment(text, cs[i], cs[i + 1]);
      if (!claim) continue;
      const before = text.slice(cs[i], claim.start);
      const labelled = /\b(?:loss|cross[-_ ]?entropy|nll|xent|ce)\b/i.test(before);
      if (this.standalone.length < maxStandalone)
        this.standalone.push({ claim, line: this.ctx.lines.lineAt(cs[i]), cell: this.ctx.cell, labelled });
    }
  }

  /** Attaches the standalone comment claims to the nearest claim-less pair ending just above them. */
  attachStandalone(): void {
    if (this.standalone.length === 0) return;
    const ctx = this.ctx;
    // Pairs keyed by the line they end on, so each claim looks at three lines only.
    const byAnchor = new Map<string, number[]>();
    for (const pair of ctx.pairs) {
      const anchor = Math.max(
        ctx.sites[pair.logits.id].endLine,
        ctx.sites[pair.target.id].endLine,
        pair.call?.line ?? 0,
      );
      const key = `${pair.cell ?? ''}:${anchor}`;
      const list = byAnchor.get(key);
      if (list) list.push(pair.id);
      else byAnchor.set(key, [pair.id]);
    }
    for (const c of this.standalone) {
      let best: PairRef | null = null;
      for (let gap = 1; gap <= (c.labelled ? 3 : 1) && !best; gap++) {
        const here = (byAnchor.get(`${c.cell ?? ''}:${c.line - gap}`) ?? []).filter(
          (id) => ctx.pairs[id].cell === c.cell,
        );
        // Several pairs end on that line (a loop's passes, 3.276): which one the number is of is not
        // known, so it is bound to none of them (nor to a pair further up).
        if (here.length > 1) break;
        if (here.length === 1 && ctx.claimCounts[here[0]] === 0) best = ctx.pairRefs[here[0]];
      }
      if (best) {
        const printed: Printed = {
          value: { kind: 'loss', pair: best },
          exprText: best.resultName ?? 'the loss',
          direct: true,
        };
        ctx.bindClaim(printed, c.claim, 'comment', null, { line: c.line, cell: c.cell });
      }
    }
    this.standalone = [];
  }

  private ownLine(pos: number): boolean {
    const text = this.ctx.text;
    for (let i = pos - 1; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) return true;
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }
}

/** Does any of these comments ([start, end] pairs) hold a digit, or nan/inf as a word: could it be a claim? */
export function claimLike(text: string, cs: number[]): boolean {
  for (let i = 0; i < cs.length; i += 2) {
    for (let k = cs[i], end = cs[i + 1]; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c >= 48 && c <= 57) return true;
      const l = c | 0x20;
      // `nan` / `inf` as words (not "information").
      if (
        (l === 110 && (text.charCodeAt(k + 1) | 0x20) === 97 && (text.charCodeAt(k + 2) | 0x20) === 110) ||
        (l === 105 && (text.charCodeAt(k + 1) | 0x20) === 110 && (text.charCodeAt(k + 2) | 0x20) === 102)
      ) {
        const before = text.charCodeAt(k - 1) | 0x20;
        const after = text.charCodeAt(k + 3) | 0x20;
        if (!(before >= 97 && before <= 122) && !(after >= 97 && after <= 122)) return true;
      }
    }
  }
  return false;
}

/** Most prints of one label bound in order (a longer run is a log). */
const maxShared = 16;

/**
 * Binds printed output lines to the producers (prints, then a final bare expression) of one
 * cell or code block: zipped in order when the counts match, else the single loss print gets the
 * single line that reads as a value.
 */
export function bindOutputs(ctx: DetectionContext, producers: Producer[], all: OutputLine[]): void {
  // A label heading the output (`result:`, `Output:`, `输出：`) is no line any producer printed.
  // A value wrapped over several lines (a long `tensor([…])`) is one line here.
  const outputs = joinedOutputs(joinVariablePrints(all)).filter(
    (o) => !/^\s*[^\d\s(\[][^\d(\[]{0,30}[:：]\s*$/.test(o.text),
  );
  if (outputs.length === 0 || !producers.some((p) => p.printed)) return;
  // Which print owns a lone value line is told by single values only.
  const lossy = producers.filter((p) => p.printed && !p.printed.spaced);
  const savedCell = ctx.cell;
  ctx.cell = producers[0].cell;
  try {
    const claimAt = (p: Producer, line: OutputLine): void => {
      const at = line.start === null ? { start: p.start, end: p.end } : null;
      // A self-documenting print's line starts with its label (`out=tensor(0.4921)`); the value follows it.
      const label = p.kind === 'print' ? selfDocumentedLabel(statementHead(ctx.text, p.start, p.end)) : null;
      const skip = label === null ? 0 : labelEnd(line.text, 0, line.text.length, label);
      if (skip < 0) return;
      // A print that writes a label (`print(f"Loss: {v}")`) wrote no line that lacks it: a page's prose
      // under the cell (`**Observation**: … predicted 'Cat' (0.9) …`) is not its output (docs §3.365).
      const written = label === null && p.kind === 'print' ? printLabel(ctx.text.slice(p.start, p.end), 1) : null;
      if (written !== null && line.start !== null && labelEnd(line.text, 0, line.text.length, written) < 0) return;
      const o = { text: line.text.slice(skip), start: line.start === null ? null : line.start + skip };
      if (bindVector(ctx, p.printed as Printed, o.text, o.start ?? 0, 'output', at)) return;
      if (bindTuple(ctx, p.printed as Printed, o.text, o.start ?? 0, 'output', at)) return;
      if (bindSpaced(ctx, p.printed as Printed, o.text, o.start ?? 0, 'output', at)) return;
      // A print of several values binds them together or not at all.
      if (p.printed?.spaced) return;
      const claim = claimInOutput(o.text, o.start ?? 0);
      if (!claim) return;
      ctx.bindClaim(p.printed as Printed, claim, 'output', at, line.place);
    };
    if (producers.every((p) => p.topLevel) && producers.length === outputs.length) {
      producers.forEach((p, i) => {
        if (p.printed) claimAt(p, outputs[i]);
      });
      return;
    }
    // A print that labels its value (`print("loss with wrong labels:", v)`) owns the one output
    // line that starts with that label, wherever the other prints' lines fall.
    // Prints sharing one label own its lines in order when they run once each, in order (3.382).
    // Each label's prints and lines are gathered once: a page of many prints stays linear.
    let labelled = 0;
    const byLabel = new Map<string, Producer[]>();
    for (const p of lossy) {
      const label = p.kind === 'print' ? printLabel(ctx.text.slice(p.start, p.end)) : null;
      if (label === null) continue;
      const same = byLabel.get(label);
      if (same) same.push(p);
      else byLabel.set(label, [p]);
    }
    for (const [label, same] of byLabel) {
      const lines = outputs.filter((o) => o.text.trimStart().startsWith(label));
      if (lines.length === 1) same.forEach((p) => claimAt(p, lines[0]));
      else if (
        same.length <= maxShared &&
        lines.length === same.length &&
        // Every print wrote its line: fewer lines than prints is another run's output (a print missing).
        outputs.length >= producers.length &&
        oneRun(
          ctx.text,
          same.map((q) => q.start),
        )
      )
        same.forEach((p, i) => claimAt(p, lines[i]));
      else continue;
      labelled += same.length;
    }
    if (labelled) return;
    const valued = outputs.filter((o) => claimInOutput(o.text, 0));
    if (lossy.length === 1 && valued.length === 1) claimAt(lossy[0], valued[0]);
  } finally {
    ctx.cell = savedCell;
  }
}

/** A statement's first characters (a print's label is on its first line), not a 10 MB literal's copy. */
function statementHead(text: string, start: number, end: number): string {
  return text.slice(start, Math.min(end, start + maxHead));
}
