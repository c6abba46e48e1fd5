/**
 * Claim binding: which printed statement (or pair) a claimed number is about. A comment on the
 * print's last line or on the comment-only lines right below it; printed output lines (a
 * notebook's stored outputs, a Markdown output block) zipped with the prints that made them; and
 * comment lines no print took (`// loss: 2.1438` below two arrays), kept for the pair right above.
 */
import { claimInComment, claimInOutput, type ClaimText } from './claims';
import type { DetectionContext, OutputLine, Printed, Producer } from './context';
import { isCommentedOutCode } from './commentedCode';
import type { PairRef } from './values';
import { bindSpaced, bindTuple, bindVector } from './vectorClaims';

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

export class CommentClaims {
  private standalone: StandaloneClaim[] = [];

  constructor(private readonly ctx: DetectionContext) {}

  /** Binds the claims in a finished statement's comments; the rest may be standalone claims. */
  statementDone(st: StatementComments | null, orphanComments: number[]): void {
    if (st) {
      if (st.comments.length === 0) return;
      const used = st.printed ? this.fromComments(st) : -1;
      this.collectStandalone(st.comments, used);
    } else this.collectStandalone(orphanComments, -1);
  }

  /** Claims about a printed statement; returns the offset of the comment used, or -1. */
  private fromComments(st: StatementComments): number {
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
        if (bindVector(this.ctx, st.printed as Printed, body, cs[i], 'comment', null)) return cs[i];
        const claim = claimInComment(this.ctx.text, cs[i], cs[i + 1]) ?? this.labelled(st, cs[i], cs[i + 1]);
        if (claim) {
          this.ctx.bindClaim(st.printed as Printed, claim, 'comment', null);
          return cs[i];
        }
        break;
      }
    }
    // Else comment-only lines right below it (`print(loss)` / `# tensor(2.1438)`).
    let expectLine = endLine + 1;
    for (let i = 0; i < cs.length && expectLine <= endLine + 3; i += 2) {
      if (cs[i] < st.lastEnd) continue;
      if (lines.lineAt(cs[i]) !== expectLine || !this.ownLine(cs[i])) break;
      const body = this.ctx.text.slice(cs[i], cs[i + 1]);
      // A line of code someone commented out ends the comments that may show the value.
      if (isCommentedOutCode(body)) break;
      if (bindVector(this.ctx, st.printed as Printed, body, cs[i], 'comment', null)) return cs[i];
      const claim = claimInComment(this.ctx.text, cs[i], cs[i + 1]) ?? this.labelled(st, cs[i], cs[i + 1]);
      if (claim) {
        this.ctx.bindClaim(st.printed as Printed, claim, 'comment', null);
        return cs[i];
      }
      expectLine++;
    }
    return -1;
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
    if (text.slice(k, k + label.length).toLowerCase() !== label.toLowerCase()) return null;
    return claimInComment(text, k + label.length, to);
  }

  private collectStandalone(cs: number[], used: number): void {
    const text = this.ctx.text;
    for (let i = 0; i < cs.length; i += 2) {
      if (cs[i] === used || !claimLike(text, [cs[i], cs[i + 1]]) || !this.ownLine(cs[i])) continue;
      if (isCommentedOutCode(text.slice(cs[i], cs[i + 1]))) continue;
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
        for (const id of byAnchor.get(`${c.cell ?? ''}:${c.line - gap}`) ?? []) {
          if (ctx.claimCounts[id] === 0 && ctx.pairs[id].cell === c.cell) {
            best = ctx.pairRefs[id];
            break;
          }
        }
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

/**
 * Binds printed output lines to the producers (prints, then a final bare expression) of one
 * cell or code block: zipped in order when the counts match, else the single loss print gets the
 * single line that reads as a value.
 */
export function bindOutputs(ctx: DetectionContext, producers: Producer[], all: OutputLine[]): void {
  // A label heading the output (`result:`, `Output:`, `输出：`) is no line any producer printed.
  const outputs = all.filter((o) => !/^\s*[^\d\s(\[][^\d(\[]{0,30}[:：]\s*$/.test(o.text));
  if (outputs.length === 0 || !producers.some((p) => p.printed)) return;
  // Which print owns a lone value line is told by single values only.
  const lossy = producers.filter((p) => p.printed && !p.printed.spaced);
  const savedCell = ctx.cell;
  ctx.cell = producers[0].cell;
  try {
    const claimAt = (p: Producer, o: OutputLine): void => {
      const at = o.start === null ? { start: p.start, end: p.end } : null;
      if (bindVector(ctx, p.printed as Printed, o.text, o.start ?? 0, 'output', at)) return;
      if (bindTuple(ctx, p.printed as Printed, o.text, o.start ?? 0, 'output', at)) return;
      if (bindSpaced(ctx, p.printed as Printed, o.text, o.start ?? 0, 'output', at)) return;
      // A print of several values binds them together or not at all.
      if (p.printed?.spaced) return;
      const claim = claimInOutput(o.text, o.start ?? 0);
      if (!claim) return;
      ctx.bindClaim(p.printed as Printed, claim, 'output', at);
    };
    if (producers.every((p) => p.topLevel) && producers.length === outputs.length) {
      producers.forEach((p, i) => {
        if (p.printed) claimAt(p, outputs[i]);
      });
      return;
    }
    // A print that labels its value (`print("loss with wrong labels:", v)`) owns the one output
    // line that starts with that label, wherever the other prints' lines fall.
    let labelled = 0;
    for (const p of lossy) {
      const label = p.kind === 'print' ? printLabel(ctx.text.slice(p.start, p.end)) : null;
      if (label === null) continue;
      const lines = outputs.filter((o) => o.text.trimStart().startsWith(label));
      if (lines.length !== 1) continue;
      claimAt(p, lines[0]);
      labelled++;
    }
    if (labelled) return;
    const valued = outputs.filter((o) => claimInOutput(o.text, 0));
    if (lossy.length === 1 && valued.length === 1) claimAt(lossy[0], valued[0]);
  } finally {
    ctx.cell = savedCell;
  }
}

/**
 * The text a print writes before its value: a leading string literal argument (up to its first
 * `%` conversion), or an f-string's text before its first field. Null when the print has none worth matching (fewer than three
 * letters or digits, so `:` or `=` alone never ties a print to a line).
 */
export function printLabel(call: string): string | null {
  const m = /^print\(\s*([fF]?)(["'])(?:\\n|\s)*((?:(?!\2)[^\\\r\n{])*)([\s\S]?)/.exec(call);
  if (!m) return null;
  // A plain string ends at its quote; an f-string may end its label at its first field.
  if (m[4] !== m[2] && !(m[1] && m[4] === '{')) return null;
  // `'H(P, Q): %.3f bits' % h`: the label is the text before the first conversion.
  const label = m[3].replace(/%[-+ 0#]*\d*(?:\.\d+)?[dfFgGeEirs][\s\S]*$/, '').trimEnd();
  return (label.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 3 ? label : null;
}
