/**
 * A notebook rendered as Markdown page text (`In [n]:` headers, the code not fenced): what each cell
 * printed, read as page text read as Python is read (pageOutputs.ts' cells), for the cells whose
 * output the Markdown readers left (docs §3.130): a bare name ending the cell (`loss` above
 * `0.3567`), a comment line between the code and its values, or one value line per print under a run
 * of prints. A line some Markdown reader already took as output, or a line inside a code block, keeps
 * that reading: the cell is then left alone.
 */
import { bindOutputs } from './claimBinding';
import type { DetectionContext, Producer } from './context';
import type { MarkdownBlock } from './markdown';
import { lastStarting } from './lines';
import { pageGroups } from './pageOutputs';

const cellHeader = /^[ \t]*In\s?\[\s*(?:\d*|None)\s*\]:[ \t]*$/m;

/** Binds the outputs of a Markdown notebook page's cells to the prints and last expression of each. */
export function bindPageCells(
  ctx: DetectionContext,
  text: string,
  producers: Producer[],
  blocks: MarkdownBlock[],
): void {
  if (producers.length === 0 || (!text.includes('In [') && !text.includes('In[')) || !cellHeader.test(text)) return;
  const taken = new Set<number>();
  for (const b of blocks) {
    for (const o of b.outputs ?? []) if (o.start !== null) taken.add(o.start);
    for (const g of b.pyconGroups ?? []) for (const o of g.outputs) if (o.start !== null) taken.add(o.start);
  }
  // Whether an offset lies in a code block: a binary search over the blocks by start (linear input stays linear).
  const spans = [...blocks].sort((a, b) => a.start - b.start);
  const inBlock = (offset: number): boolean => {
    // Blocks do not overlap: only the last one starting at or before the offset can hold it.
    const at = lastStarting(spans, offset);
    return spans.length > 0 && spans[at].start <= offset && offset < spans[at].end;
  };
  let next = 0;
  for (const g of pageGroups(text)) {
    while (next < producers.length && producers[next].start < g.codeStart) next++;
    const own: Producer[] = [];
    while (next < producers.length && producers[next].start < g.codeEnd) own.push(producers[next++]);
    if (own.length === 0 || g.outputs.length === 0) continue;
    if (g.outputs.some((o) => o.start !== null && (taken.has(o.start) || inBlock(o.start)))) continue;
    const shown = own.filter((p, i) => p.kind === 'print' || i === own.length - 1);
    bindOutputs(ctx, shown, g.outputs);
  }
}
