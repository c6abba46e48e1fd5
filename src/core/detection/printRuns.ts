/**
 * A block of comment lines under a run of prints, one printed value a line and as many lines as
 * prints, is read in order: the k-th value line is the k-th print's output.
 *
 *     print(F.cross_entropy(a, t))
 *     print(F.nll_loss(b, t))
 *     # output
 *     # tensor(0.5698)
 *     # tensor(0.6012)
 *
 * A heading comment that only names the output (`# output`, `# 输出：`, `# Expected`, 3.317) may stand
 * above the values, and one blank line may part the block from the last print. A value line that
 * repeats its print's label (`print(f"Loss 1: {a:.4f}")` above `# Loss 1: 0.3567`) is read after the
 * label, whose digits are then no claim (3.317). Any other shape (fewer or more value
 * lines than prints, a print whose value is not known, a commented-out line of code among them)
 * leaves the comments to the readers that bind one comment to the print right above it.
 */
import { claimInComment } from './claims';
import { isCommentedOutCode } from './commentedCode';
import type { DetectionContext, Printed } from './context';
import { outputLabel, printedLabel } from './fenceOutputs';
import { labelEnd } from './printLabels';
import { bindVector } from './vectorClaims';

/** Longest run read this way: a block of more lines is a log, not the outputs of a few prints. */
const maxPrints = 16;

/** Consecutive prints (no other statement, blank or comment line between them). */
export class PrintRun {
  private prints: (Printed | null)[] = [];
  private labels: (string | null)[] = [];
  private lastLine = -2;
  private lastCommented = false;

  /**
   * Adds a print starting on `firstLine` and ending on `lastLine`, with comments on its lines or
   * below it (`commented`); any other statement ends the run (its lines are not read), and so does
   * a print whose own comment already shows its value.
   */
  add(
    isPrint: boolean,
    printed: Printed | null,
    firstLine: number,
    lastLine: number,
    commented: boolean,
    label: string | null = null,
  ): void {
    if ((!isPrint || firstLine !== this.lastLine + 1 || this.lastCommented) && this.prints.length) {
      this.prints = [];
      this.labels = [];
    }
    this.lastLine = isPrint ? lastLine : -2;
    this.lastCommented = commented;
    if (!isPrint) return;
    if (this.prints.length >= maxPrints) {
      this.prints.shift();
      this.labels.shift();
    }
    this.prints.push(printed);
    this.labels.push(label);
  }

  /** The prints of the run ending with the statement just added. */
  get current(): readonly (Printed | null)[] {
    return this.prints;
  }

  /** The label each print of the run writes before its value (printLabels.ts), or null. */
  get currentLabels(): readonly (string | null)[] {
    return this.labels;
  }
}

/**
 * Binds the value lines below the last print of `prints` (its statement ends at `lastEnd`; `cs`
 * are the comments after it as [start, end] pairs) to the prints in order. Returns the comment
 * offsets used, or null when the block is not one value line per print.
 */
export function bindInOrder(
  ctx: DetectionContext,
  prints: readonly (Printed | null)[],
  lastEnd: number,
  cs: number[],
  ownLine: (pos: number) => boolean,
  labels: readonly (string | null)[] = [],
): number[] | null {
  const k = prints.length;
  if (k < 2 || prints.some((p) => p === null || p.spaced)) return null;
  const text = ctx.text;
  const lines = ctx.lines;
  let expect = lines.lineAt(lastEnd) + 1;
  const values: number[] = [];
  let heading = false;
  for (let i = 0; i < cs.length; i += 2) {
    if (cs[i] < lastEnd) continue;
    const line = lines.lineAt(cs[i]);
    const first = values.length === 0 && !heading;
    // One blank line may stand between the last print and the block.
    if (first && line === expect + 1 && text.slice(lastEnd, lines.lineStartOf(cs[i])).trim() === '') expect++;
    if (line !== expect || !ownLine(cs[i])) break;
    const body = text.slice(cs[i], cs[i + 1]);
    if (isCommentedOutCode(body)) return null;
    if (first && isHeading(body)) {
      heading = true;
      expect++;
      continue;
    }
    if (!/\d|\bnan\b|\binf\b/.test(body)) break;
    if (values.length === k) return null;
    values.push(i);
    expect++;
  }
  if (values.length !== k) return null;
  // A line that repeats another print's label and not its own: the block is not in the prints' order.
  const repeats = (i: number, m: number) => labels[m] && labelEnd(text, cs[i], cs[i + 1], labels[m] as string) >= 0;
  if (values.some((i, n) => !repeats(i, n) && labels.some((_, m) => m !== n && repeats(i, m)))) return null;
  const used: number[] = [];
  values.forEach((i, n) => {
    const printed = prints[n] as Printed;
    const body = text.slice(cs[i], cs[i + 1]);
    // The print's own label repeated first: the value is read after it.
    const label = labels[n];
    const from = label ? Math.max(cs[i], labelEnd(text, cs[i], cs[i + 1], label)) : cs[i];
    if (bindVector(ctx, printed, body, cs[i], 'comment', null)) used.push(cs[i]);
    else {
      const claim = claimInComment(text, from, cs[i + 1]);
      if (claim) {
        ctx.bindClaim(printed, claim, 'comment', null);
        used.push(cs[i]);
      }
    }
  });
  return used;
}

/** A comment that only names the output below it (`# output`, `# Output:`, `# 结果`). */
function isHeading(body: string): boolean {
  const t = body.replace(/^[#/\s]+/, '').trim();
  return (
    t.length > 0 &&
    t.length < 40 &&
    !/[\d=(]/.test(t) &&
    (outputLabel.test(t) || printedLabel.test(t) || /^expected\s*:?$/i.test(t))
  );
}
