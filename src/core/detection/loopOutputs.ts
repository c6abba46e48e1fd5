/**
 * The output block under a module-level loop that prints one labelled line per pass (docs/detection.md
 * 3.406): `for y, p in data:` / `    loss = bce(y, p)` / `    print(f"y={y} p={p:.2f} loss={loss:.4f}")`, then
 * "Output:" and one line per pass. The loop's replay made one pair per pass at the call (3.35, 3.275), in
 * the order Python runs them, after the claim binder had read the print once with the loop's names
 * unknown (3.36): so the lines are bound here, line k to pass k, once every pair exists.
 *
 * Only where nothing else can be meant: the loop is at the margin, its body holds no other print and no
 * compound statement (no nested loop, no `if` that may skip a print), the print is one f-string whose
 * words (three letters or more) every output line repeats, with exactly one field that is the loss's
 * name; and the block right under the loop (after blank lines, a fence, or one label line such as
 * "Output:") has exactly as many such lines as the loop has pairs, each pair computable (not unverified, no error). A page that
 * shows fewer or more lines, a loop the replay stopped, or two passes on the same numbers (one pair
 * for both) bind nothing. Each line is scanned once; the windows read are bounded.
 */
import { claimInOutput } from './claims';
import type { DetectionContext } from './context';
import { LineCounter } from './lines';
import { fStringParts, templateValues, type TemplatePart } from './printTemplates';
import type { DetectedPair } from './types';

/** More passes than this are a log, not a worked table. */
const maxPasses = 64;
/** Lines read above a call for its `for`, and in a loop's body. */
const maxBody = 40;
/** Lines between the loop's end and its first output line (blank lines, a fence, a label). */
const maxGap = 6;
/** A printed line longer than this is not read against a template. */
const maxLine = 2000;

interface Line {
  start: number;
  text: string;
}

/** The line holding `at`, and the lines after it while `more` says so (at most `limit`). */
function lineFrom(text: string, at: number): Line {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let end = text.indexOf('\n', at);
  if (end < 0) end = text.length;
  return { start, text: text.slice(start, Math.min(end, start + maxLine + 1)).replace(/\r$/, '') };
}

function nextLine(text: string, l: Line): Line | null {
  const eol = text.indexOf('\n', l.start);
  return eol < 0 ? null : lineFrom(text, eol + 1);
}

function previousLine(text: string, l: Line): Line | null {
  return l.start === 0 ? null : lineFrom(text, l.start - 1);
}

const indentOf = (s: string): number => /^[ \t]*/.exec(s)![0].length;
const blank = (s: string): boolean => s.trim() === '';

/** `print(f"…")` alone on its line: the words and fields of the f-string (read as printTemplates reads one), or null. */
function fStringTemplate(statement: string): { parts: TemplatePart[]; fields: string[] } | null {
  const m = /^print\(\s*([fF](["'])(?:(?!\2)[^\\\n])*\2)\s*\)\s*(?:#.*)?$/.exec(statement.trim());
  const pieces = m ? fStringParts(m[1], 0) : null;
  if (!m || !pieces) return null;
  const parts: TemplatePart[] = [];
  const fields: string[] = [];
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      if (piece) parts.push(piece);
      continue;
    }
    parts.push(fields.length);
    fields.push(m[1].slice(piece.start, piece.end));
  }
  const letters = parts.filter((p): p is string => typeof p === 'string').join('');
  return (letters.match(/[\p{L}]/gu)?.length ?? 0) >= 3 ? { parts, fields } : null;
}

/** The field showing the loss: its name, `.item()` or `float()` of it. */
function lossField(fields: string[], name: string): number {
  const shows = (e: string): boolean => e === name || e === `${name}.item()` || e === `float(${name})`;
  const at = fields.flatMap((e, i) => (shows(e) ? [i] : []));
  return at.length === 1 ? at[0] : -1;
}

/** A line that may stand between a loop and its output: a fence or a short label without digits. */
function heading(s: string): boolean {
  const t = s.trim().replace(/^#\s*/, '');
  return /^(?:`{3,}|~{3,})[\w-]*$/.test(t) || (t.length <= 40 && !/[\d=(){}[\]]/.test(t));
}

/** Binds the output lines under each module-level loop of `text` to the loop's pairs, pass by pass. */
export function bindLoopOutputs(ctx: DetectionContext, text: string): void {
  const byCall = new Map<number, DetectedPair[]>();
  for (const p of ctx.pairs) {
    const c = p.call;
    if (!c || c.cell !== undefined || !c.resultName) continue;
    const same = byCall.get(c.start);
    if (same) same.push(p);
    else byCall.set(c.start, [p]);
  }
  let counter: LineCounter | null = null;
  for (const [at, passes] of byCall) {
    if (passes.length < 2 || passes.length > maxPasses) continue;
    if (passes.some((p) => p.unverified || p.error || ctx.claimCounts[p.id] !== 0)) continue;
    const bound = outputsOf(text, at, passes[0].call!.resultName!, passes.length);
    // Lines another reader already took (a print's output bound before the replay) are left to it.
    if (
      !bound ||
      ctx.claims.some(
        (b) => b.cell === undefined && b.start >= bound[0].start && b.start <= bound[bound.length - 1].end,
      )
    )
      continue;
    counter ??= new LineCounter(text);
    const lines = counter;
    bound.forEach((claim, k) =>
      ctx.bindClaim(
        {
          value: { kind: 'loss', pair: ctx.pairRefs[passes[k].id] },
          exprText: passes[k].call!.resultName!,
          direct: true,
        },
        claim,
        'output',
        null,
        { line: lines.lineAt(claim.start), cell: undefined },
      ),
    );
  }
}

/** The claims of the `count` output lines under the loop whose body computes `name` at offset `at`. */
function outputsOf(text: string, at: number, name: string, count: number) {
  const call = lineFrom(text, at);
  const bodyIndent = indentOf(call.text);
  if (bodyIndent === 0) return null;
  // Up to the loop's header: every line between is the body's, at its indentation, and simple.
  let header: Line | null = call;
  for (let k = 0; header && k < maxBody; k++) {
    header = previousLine(text, header);
    if (!header || blank(header.text)) continue;
    if (indentOf(header.text) < bodyIndent) break;
    if (/\bprint\s*\(/.test(header.text)) return null;
    if (indentOf(header.text) > bodyIndent || /^\s*(?:for|while|if|elif|else|with|try|def|class)\b/.test(header.text))
      return null;
  }
  if (!header || indentOf(header.text) !== 0 || !/^for\s[^#]*:\s*(?:#.*)?$/.test(header.text)) return null;
  // The rest of the body: one print, at the body's indentation, after the call.
  let print: string | null = null;
  let last: Line = call;
  for (let l = nextLine(text, call), k = 0; l && k < maxBody; l = nextLine(text, l), k++) {
    if (blank(l.text)) continue;
    if (indentOf(l.text) === 0) break;
    if (indentOf(l.text) !== bodyIndent || /^\s*(?:for|while|if|elif|else|with|try|def|class)\b/.test(l.text))
      return null;
    if (/\bprint\s*\(/.test(l.text)) {
      if (print !== null || !/^\s*print\(/.test(l.text)) return null;
      print = l.text;
    }
    last = l;
  }
  if (print === null || /\bprint\s*\(/.test(call.text)) return null;
  const template = fStringTemplate(print);
  if (!template) return null;
  const field = lossField(template.fields, name);
  if (field < 0) return null;
  // The output block: after blank lines, a fence or one label, `count` lines that follow the template.
  let l = nextLine(text, last);
  let labels = 0;
  for (let k = 0; l && k < maxGap; k++, l = nextLine(text, l)) {
    if (blank(l.text)) continue;
    if (!heading(l.text) || (!/^\s*(?:`{3}|~{3})/.test(l.text) && ++labels > 1)) break;
  }
  const claims = [];
  const read = (line: Line) => {
    const comment = /^\s*#\s?/.exec(line.text);
    const from = comment ? comment[0].length : indentOf(line.text);
    if (line.text.length > maxLine) return null;
    const values = templateValues(template.parts, line.text, from);
    const v = values?.find((x) => x.field === field);
    const claim = v ? claimInOutput(v.text, line.start + v.start) : null;
    return claim && claim.text === v!.text ? claim : null;
  };
  for (let k = 0; k < count; k++, l = l && nextLine(text, l)) {
    const claim = l ? read(l) : null;
    if (!claim) return null;
    claims.push(claim);
  }
  // A block longer than the loop is another run's output.
  return l && read(l) ? null : claims;
}
