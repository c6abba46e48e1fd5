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
  const text = ev.ctx.text;
  const name = receiver.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const uses = new RegExp(`(?<![\\w.])${name}(?!\\w)`, 'g');
  const reads = new RegExp(`^\\s*\\.\\s*${read}\\s*\\(`);
  const changes = new RegExp(`^\\s*(=(?!=)|\\.\\s*(${change})\\s*\\()`);
  const why = `\`${receiver.id}\` is used where it may be updated again (passed on, aliased, or in a loop or function)`;
  for (let m = uses.exec(text); m !== null; m = uses.exec(text)) {
    const before = text.slice(text.lastIndexOf('\n', m.index - 1) + 1, m.index);
    if (before.includes('#') && !/["']/.test(before)) continue; // in a comment
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 24);
    if (reads.test(after)) continue;
    if (passedOnly) {
      if (/^\s*(\.|=(?!=))/.test(after)) continue;
      return why;
    }
    const atMargin = m.index === 0 || text[m.index - 1] === '\n';
    const between = m.index > site.updateEnd && m.index < call.start;
    if (between || !atMargin || !changes.test(after)) return why;
  }
  return null;
}
