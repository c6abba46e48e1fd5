/**
 * A notebook's cells read in order as one program (docs/detection.md 3.18): each code cell's stored
 * outputs are claims for the values it prints, and a Markdown cell right under a code cell that opens
 * with an expected-output heading (`**Expected Output**:`, `**Salida esperada**`, `期待される出力`: the
 * course labs' way of giving the value a learner's run should print, 3.416) is read as that cell's
 * output too.
 */
import type { DetectionContext, OutputLine, Producer } from './context';
import { bindOutputs } from './claimBinding';
import { readProblemPages } from './problemPages';
import { readWorkedLogs } from './workedLogs';
import { readWorkedLse } from './workedLse';
import type { StatementReader } from './statementReader';
import { Lang } from './tokens';
import type { NotebookCellInput } from './types';

/**
 * An expected-output heading opening a cell, in the languages of the labs and their translations; what
 * follows its colon on the same line (group 1) is the first output line.
 */
const expectedHeading =
  /^[\s#>*_]*(?:expected\s+(?:output|result|value)s?|salida\s+esperada|resultado\s+esperado|sa[ií]da\s+esperada|sortie\s+attendue|erwartete\s+ausgabe|期待される(?:出力|結果)|期待出力|예상\s*(?:출력|결과)|预期(?:输出|结果)|期望(?:输出|结果))[\s*_]*(?:[:：][\s*_]*(.*))?$/i;

/** An output line is short and plain: no HTML, no heading, no fence, no paragraph of prose. */
const maxOutputLine = 100;

/**
 * The output lines of an expected-output cell: the rest of its heading line, then each non-blank line
 * up to the first that is no output (a paragraph, a heading, HTML, a fence). Empty when the cell does
 * not open with such a heading. Given the cell's index, each line carries its place there: the claim is
 * shown where the expected value is written.
 */
export function expectedOutputs(source: string, cell?: number): OutputLine[] {
  const lines = source.split(/\r\n|\r|\n/);
  let k = 0;
  while (k < lines.length && lines[k].trim() === '') k++;
  const head = k < lines.length ? expectedHeading.exec(lines[k].slice(0, 200)) : null;
  if (!head) return [];
  const out: OutputLine[] = [];
  const first = (head[1] ?? '').replace(/[*_]+\s*$/, '').trim();
  const at = (k: number): { place?: { line: number; cell: number } } =>
    cell === undefined ? {} : { place: { line: k + 1, cell } };
  if (first) out.push({ text: first, start: null, ...at(k) });
  for (k++; k < lines.length; k++) {
    const t = lines[k].trim();
    if (t === '') continue;
    if (t.length > maxOutputLine || /^(?:<|#|```|~~~|\|)/.test(t)) break;
    out.push({ text: t, start: null, ...at(k) });
  }
  return out;
}

export function readCells(reader: StatementReader, cells: NotebookCellInput[], lang: Lang.Python | Lang.Js): void {
  const ctx: DetectionContext = reader.ctx;
  ctx.program = cells
    .filter((c) => c.kind === 'code')
    .map((c) => c.source)
    .join('\n');
  let shown: Producer[] = [];
  cells.forEach((cell, i) => {
    if (cell.kind === 'markdown') {
      readProblemPages(ctx, cell.source, 'page', i);
      readWorkedLogs(ctx, cell.source, i);
      readWorkedLse(ctx, cell.source, i);
      // The value the cell above should print, given under an expected-output heading.
      if (shown.length) bindOutputs(ctx, shown, expectedOutputs(cell.source, i));
      shown = [];
    }
    if (cell.kind !== 'code') return;
    const before = ctx.producers.length;
    reader.read(cell.source, lang, i);
    // Prints, plus a bare expression only when it ends the cell (Jupyter shows only that one).
    const producers = ctx.producers.slice(before).filter((p) => p.kind === 'print' || p.end >= ctx.lastStatementEnd);
    const outputs: OutputLine[] = [];
    for (const o of cell.outputs ?? [])
      for (const line of o.split(/\r\n|\r|\n/)) if (line.trim() !== '') outputs.push({ text: line, start: null });
    bindOutputs(ctx, producers, outputs);
    shown = producers;
  });
}
