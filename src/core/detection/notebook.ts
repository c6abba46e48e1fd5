/**
 * Jupyter notebooks (.ipynb, nbformat 4): the cells and their stored outputs.
 */
import type { NotebookCellInput } from './types';

export interface ParsedNotebook {
  cells: NotebookCellInput[];
  /** The kernel's language (python unless the metadata says javascript/typescript). */
  language: 'python' | 'js';
}

function joined(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : '')).join('');
  return '';
}

/** Reads nbformat JSON. Throws (a SyntaxError with the parser's message) on malformed JSON. */
export function parseNotebook(text: string): ParsedNotebook {
  const doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>;
  const meta = (doc.metadata ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const lang = String(meta.kernelspec?.language ?? meta.language_info?.name ?? 'python').toLowerCase();
  const language = /javascript|typescript|^js$|^ts$/.test(lang) ? 'js' : 'python';
  const rawCells = Array.isArray(doc.cells)
    ? (doc.cells as Record<string, unknown>[])
    : Array.isArray((doc.worksheets as { cells?: unknown[] }[] | undefined)?.[0]?.cells)
      ? (doc.worksheets as { cells: Record<string, unknown>[] }[])[0].cells
      : [];
  const cells: NotebookCellInput[] = rawCells.map((c) => {
    const kind = c.cell_type === 'code' ? 'code' : 'markdown';
    const outputs: string[] = [];
    if (Array.isArray(c.outputs)) {
      for (const o of c.outputs as Record<string, unknown>[]) {
        if (o.output_type === 'stream' && (o.name === undefined || o.name === 'stdout')) outputs.push(joined(o.text));
        else if (o.output_type === 'execute_result' || o.output_type === 'display_data') {
          const data = (o.data ?? {}) as Record<string, unknown>;
          if (data['text/plain'] !== undefined) outputs.push(joined(data['text/plain']));
        } else if (o.output_type === 'pyout') outputs.push(joined(o.text));
      }
    }
    return { source: joined(c.source ?? c.input), kind, outputs };
  });
  return { cells, language };
}
