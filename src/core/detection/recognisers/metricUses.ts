/**
 * Stateful metric objects (Keras's metric classes, pytorch-ignite's `Loss`): a read of the metric
 * (`result()`, `compute()`) is the one update's loss only when no other update can have happened.
 * Detection sees the updates it follows, not those of a function the metric is handed to whose
 * changes stay there, an alias, a loop or an engine. So the read is trusted only when the metric,
 * its update and the read are in one segment, and the metric's name is written nowhere but at the
 * margin as `name = …`, `name.<change>(`, or in `name.<read>(`, and between the update and the read
 * only in `name.<read>(`.
 */
import type { CallNode, Evaluation } from '../evaluation';

/** Where a metric's only update ran: its segment and the update call's end. */
export interface UpdateSite {
  text: string;
  cell: number | undefined;
  updateEnd: number;
}

/** The segment being evaluated, as an update site records it (`updateEnd` is the call's end). */
export const updateSite = (ev: Evaluation, call: CallNode): UpdateSite => ({
  text: ev.ctx.text,
  cell: ev.ctx.cell,
  updateEnd: call.end,
});

export const sameSegment = (ev: Evaluation, site: { text: string; cell: number | undefined }): boolean =>
  ev.ctx.text === site.text && ev.ctx.cell === site.cell;

/**
 * Why the metric read by `call` (`name.<read>(…)`) may have been updated where detection does not
 * see it, or null when it cannot have been. `read` and `change` are method names (a regex
 * alternation for `change`, e.g. `update|reset`). `passedOnly`: only a use of the bare name (handed
 * to a call, aliased, returned) counts, not a method call off the margin, for metrics whose updates
 * detection follows wherever they are written (Keras's, whose pages also indent and prompt them).
 */
export function hiddenUse(
  ev: Evaluation,
  site: UpdateSite,
  call: CallNode,
  read: string,
  change: string,
  passedOnly = false,
): string | null {
  const receiver = call.callee.type === 'attribute' ? call.callee.object : null;
  if (receiver?.type !== 'name' || !sameSegment(ev, site))
    return 'the metric is not read in the segment it was built in';
  const why = `\`${receiver.id}\` is used where it may be updated again (passed on, aliased, or in a loop or function)`;
  const uses = usesOf(ev.ctx.text, receiver.id, read, change, passedOnly);
  if (uses.anywhere) return why;
  if (passedOnly) return null;
  // The first use (not a read) after the update: hidden when it comes before this read.
  const after = uses.others;
  let lo = 0;
  let hi = after.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after[mid] <= site.updateEnd) lo = mid + 1;
    else hi = mid;
  }
  return lo < after.length && after[lo] < call.start ? why : null;
}

/** The uses of a metric's name in a text that matter wherever the read is (see {@link usesOf}). */
interface NameUses {
  /** A use that hides an update wherever the update and the read are. */
  anywhere: boolean;
  /** The offsets of the uses that are not reads (in order): hidden when between the update and the read. */
  others: number[];
}

let usesKept: { text: string; byKey: Map<string, NameUses> } = { text: '', byKey: new Map() };

/**
 * The uses of `name` in `text`, found by one scan per text and name however many reads ask (a file
 * reading a metric a thousand times stays linear): a use in a comment or in `name.<read>(` is
 * none; with `passedOnly` a use not followed by `.` or `=` hides an update anywhere; otherwise a
 * use that is not `name = …` or `name.<change>(` at the margin does, and every other use does
 * when it comes between the update and the read.
 */
function usesOf(text: string, id: string, read: string, change: string, passedOnly: boolean): NameUses {
  if (usesKept.text !== text) usesKept = { text, byKey: new Map() };
  const key = `${id}\u0000${read}\u0000${change}\u0000${passedOnly}`;
  const kept = usesKept.byKey.get(key);
  if (kept) return kept;
  const name = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const uses = new RegExp(`(?<![\\w.])${name}(?!\\w)`, 'g');
  const reads = new RegExp(`^\\s*\\.\\s*${read}\\s*\\(`);
  const changes = new RegExp(`^\\s*(=(?!=)|\\.\\s*(${change})\\s*\\()`);
  const found: NameUses = { anywhere: false, others: [] };
  // Whether the line so far holds a `#` and a quote, carried from use to use (one pass in all).
  let [at, hash, quote] = [0, false, false];
  for (let m = uses.exec(text); m !== null && !found.anywhere; m = uses.exec(text)) {
    for (; at < m.index; at++) {
      const c = text[at];
      if (c === '\n') [hash, quote] = [false, false];
      else if (c === '#') hash = true;
      else if (c === '"' || c === "'") quote = true;
    }
    if (hash && !quote) continue; // in a comment
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 24);
    if (reads.test(after)) continue;
    if (passedOnly) found.anywhere = !/^\s*(\.|=(?!=))/.test(after);
    else {
      const atMargin = m.index === 0 || text[m.index - 1] === '\n';
      found.anywhere = !atMargin || !changes.test(after);
      found.others.push(m.index);
    }
  }
  usesKept.byKey.set(key, found);
  return found;
}
