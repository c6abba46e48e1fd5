/**
 * A table of binary cross-entropies worked one example per row, under the formula it uses
 * (docs/detection.md §3.138): explainers in many languages state `L = −[y log(ŷ) + (1−y) log(1−ŷ)]`
 * and then tabulate, per row, the true label, the predicted probability and the loss:
 * `| Poprawny, pewny siebie | 1 | 0,95 | 0,051 |`. Each row is one example's BCE: −log ŷ for a label
 * of 1, −log(1 − ŷ) for 0, i.e. −log of the probability the example gave its true class, which is how
 * the row becomes a worked loss (`workedLogs.ts`) with the loss column as its claim.
 *
 * Read only when nothing is a guess: the binary formula (a `log(1 − ŷ)` term) is written within the
 * lines above the table; the header has one column headed by the prediction symbol (`ŷ`, `p̂`, `p`,
 * optionally followed by words); one other column holds 0 or 1 in every row (the label) and the last
 * column a decimal number in every row (the loss); every prediction is a number in (0, 1). Numbers
 * may be written with a decimal comma (`0,95`). Any row that does not read leaves the whole table
 * unread. Linear in the text.
 *
 * A table whose header itself says what a column holds, `| Predicted p | -log(p) |` (an interview
 * page's per-sample contributions, §3.410), is read without a formula above: each row is −log p of its
 * prediction in (0, 1], the `-log(p)` cell its claim.
 */
/** One row as a worked loss: the shape workedLogs.ts reads (kept here so the two files import one way). */
export interface WorkedRow {
  start: number;
  end: number;
  terms: { p: number; weight: number }[];
  form: 'one';
  value: number;
  claim: { text: string; start: number; approximate: boolean };
}

/** A worked row, with its line and the line's offset. */
type TableRow = { w: WorkedRow; line: string; at: number };

interface Line {
  start: number;
  end: number;
}

/** The binary formula's second term: `(1−y) log(1−ŷ)`, `log(1 - p)`, `ln(1−ŷ)`. */
const binaryTerm = /\b(?:log|ln)\s*\(?\s*1\s*[-−–]\s*(?:ŷ|y\u0302|p̂|\\hat\{?[yp]\}?|[yp]_?hat|p)(?![\p{L}\d])/u;
/** A header naming the prediction: `ŷ`, `ŷ (przewidywany)`, `p̂`, `p`, `p (predicted)`. */
const predictionHeader = /^(?:ŷ|y\u0302|p̂|p)(?:\s*\(.*\))?$/u;
/** A header `-log(p)`, `−ln(ŷ)`, `-log p` (a natural log, negated, of one prediction symbol). */
const negLogHeader = /^[-−–]\s*(?:log|ln)\s*(?:\(\s*(ŷ|y\u0302|p̂|p|q)\s*\)|\s(ŷ|y\u0302|p̂|p|q))$/u;
/** A cell's number: `0,95`, `0.051`, `1`. */
const numberCell = /^[-+]?(\d+)(?:[.,](\d+))?$/;
/** How many lines above the table the formula may be. */
const formulaWindow = 12;
/** Rows of one table read at most. */
const maxRows = 64;

/** Lines of `text` with their offsets. */
function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let at = 0;
  for (;;) {
    const end = text.indexOf('\n', at);
    out.push({ start: at, end: end < 0 ? text.length : end });
    if (end < 0) return out;
    at = end + 1;
  }
}

/** A row's cells with their offsets in the row (outer pipes dropped), or null when it is no table row. */
function cells(row: string): { text: string; start: number }[] | null {
  if (!row.trim().startsWith('|')) return null;
  const out: { text: string; start: number }[] = [];
  let from = 0;
  for (let i = 0; i <= row.length; i++) {
    if (i < row.length && row[i] !== '|') continue;
    out.push({ text: row.slice(from, i), start: from });
    from = i + 1;
  }
  if (out.length && out[0].text.trim() === '') out.shift();
  if (out.length && out[out.length - 1].text.trim() === '') out.pop();
  return out;
}

function numberOf(cell: string): number | null {
  const m = numberCell.exec(cell.trim());
  return m ? Number(m[2] === undefined ? m[1] : `${m[1]}.${m[2]}`) : null;
}

/**
 * Calls `add` with each worked row of every such table in `text` (lines in `taken`'s spans — pairs
 * read already — are skipped).
 */
export function readWorkedTables(
  text: string,
  taken: [number, number][],
  add: (w: WorkedRow, line: string, at: number) => void,
): void {
  if (!text.includes('|') || !/l(?:og|n)/.test(text)) return;
  const lines = splitLines(text);
  let formulaLine = -Infinity;
  for (let k = 0; k + 2 < lines.length; k++) {
    const s = text.slice(lines[k].start, lines[k].end);
    if (binaryTerm.test(s)) formulaLine = k;
    const header = cells(s);
    const rule = text.slice(lines[k + 1].start, lines[k + 1].end);
    if (!header || header.length < 2 || !/^\s*\|?[\s:|-]*-[\s:|-]*$/.test(rule)) continue;
    let rows: TableRow[] | null = null;
    if (k - formulaLine <= formulaWindow && header.length >= 3) {
      const pred = header.map((c, i) => (predictionHeader.test(c.text.trim()) ? i : -1)).filter((i) => i >= 0);
      if (pred.length === 1 && pred[0] !== header.length - 1)
        rows = readRows(text, lines, k + 2, header.length, pred[0]);
    }
    // Else a column headed `-log(p)` beside the column of p (3.410): no formula above is needed.
    const logColumn = rows === null ? negLogColumn(header) : null;
    if (logColumn) rows = readLogRows(text, lines, k + 2, header.length, logColumn);
    if (rows === null) continue;
    for (const r of rows) {
      if (taken.some(([a, b]) => a < r.at + r.w.end && b > r.at + r.w.start)) continue;
      add(r.w, r.line, r.at);
    }
    k += 1 + rows.length;
  }
}

/**
 * A header with one column headed by the negated log of a prediction symbol (`-log(p)`, `−ln(ŷ)`,
 * `-log p`) and one other column headed by that symbol (`p`, `Predicted p`, `ŷ (model)`): the two
 * columns' places, or null.
 */
function negLogColumn(header: { text: string }[]): { pred: number; log: number } | null {
  const logs: { at: number; sym: string }[] = [];
  header.forEach((c, i) => {
    const m = negLogHeader.exec(c.text.trim());
    if (m) logs.push({ at: i, sym: m[1] ?? m[2] });
  });
  if (logs.length !== 1) return null;
  const { at, sym } = logs[0];
  const pred = header
    .map((c, i) => {
      // The header's last word, a remark in parentheses after it dropped (`ŷ (model)`).
      const t = c.text.trim();
      const open = t.endsWith(')') ? t.indexOf('(') : -1;
      const words = (open >= 0 ? t.slice(0, open) : t).trim().split(/\s+/);
      return i !== at && words[words.length - 1] === sym ? i : -1;
    })
    .filter((i) => i >= 0);
  return pred.length === 1 ? { pred: pred[0], log: at } : null;
}

/**
 * The rows under a `-log(p)` header: each prediction a number in (0, 1] and its log cell a decimal
 * number, its claim; null when any row does not read (the whole table is then left unread).
 */
function readLogRows(
  text: string,
  lines: Line[],
  first: number,
  width: number,
  col: { pred: number; log: number },
): TableRow[] | null {
  const out: TableRow[] = [];
  for (let r = first; r < lines.length && out.length <= maxRows; r++) {
    const line = text.slice(lines[r].start, lines[r].end);
    const row = cells(line);
    if (!row) break;
    if (row.length !== width) return null;
    const p = numberOf(row[col.pred].text);
    const cell = row[col.log];
    const claimed = numberOf(cell.text);
    if (p === null || !(p > 0 && p <= 1) || claimed === null || !/[.,]/.test(cell.text)) return null;
    out.push({
      w: {
        start: row[col.pred].start,
        end: row[col.pred].start + row[col.pred].text.length,
        terms: [{ p, weight: 1 }],
        form: 'one',
        value: -Math.log(p),
        claim: { text: cell.text.trim(), start: cell.start + cell.text.indexOf(cell.text.trim()), approximate: false },
      },
      line,
      at: lines[r].start,
    });
  }
  return out.length && out.length <= maxRows ? out : null;
}

/** The worked rows under a header of `width` columns, or null when any row does not read. */
function readRows(text: string, lines: Line[], first: number, width: number, pred: number): TableRow[] | null {
  const out: TableRow[] = [];
  let label = -1;
  for (let r = first; r < lines.length && out.length <= maxRows; r++) {
    const line = text.slice(lines[r].start, lines[r].end);
    const row = cells(line);
    if (!row) break;
    if (row.length !== width) return null;
    const p = numberOf(row[pred].text);
    const loss = row[width - 1];
    const claimed = numberOf(loss.text);
    if (p === null || !(p > 0 && p < 1) || claimed === null || !/[.,]/.test(loss.text)) return null;
    // The label column: the one other column holding 0 or 1 (the same column in every row).
    const labels = row.map((c, i) => (i !== pred && i !== width - 1 && /^\s*[01]\s*$/.test(c.text) ? i : -1));
    const found = labels.filter((i) => i >= 0);
    if (found.length !== 1 || (label >= 0 && found[0] !== label)) return null;
    label = found[0];
    const y = Number(row[label].text.trim());
    const q = y === 1 ? p : 1 - p;
    const lossStart = loss.start + loss.text.indexOf(loss.text.trim());
    out.push({
      w: {
        start: row[pred].start,
        end: row[pred].start + row[pred].text.length,
        terms: [{ p: q, weight: 1 }],
        form: 'one',
        value: -Math.log(q),
        claim: { text: loss.text.trim(), start: lossStart, approximate: false },
      },
      line,
      at: lines[r].start,
    });
  }
  return out.length && out.length <= maxRows ? out : null;
}
