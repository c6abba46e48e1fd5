/**
 * Page text copied from a page that renders its formulas with MathJax holds each equation twice, glued
 * (the rendered text, then the same again from its accessible copy): `L=−log(0.7)L=−log(0.7)L=0.357L=0.357`
 * (docs/detection.md 3.147). Read as one line, no `=` follows the worked expression, so its value was
 * never read. When every equation of a line is so doubled, the line is read as the chain it shows,
 * `L=−log(0.7)          =0.357         `: the copies and the labels after the first become spaces,
 * so offsets stay those of the page.
 */

/** Longer lines are left as they are. */
const maxLine = 4000;

/** `label =`: the left side of an equation (a word, at most 32 characters). */
const labelled = /([A-Za-z_][\w]{0,31})[ \t]*=/;

/** `line` with its doubled equations read as one chain; `line` itself when it is not doubled. */
export function undoubledLine(line: string): string {
  // A minified page's line is no equation (workedLogs.ts reads no longer line either).
  if (line.length > maxLine) return line;
  const first = labelled.exec(line);
  if (!first) return line;
  const label = first[1];
  // The starts of each `label=` on the line (a bounded scan: indexOf from each previous one).
  const starts: number[] = [];
  for (let i = line.indexOf(label, first.index); i >= 0; i = line.indexOf(label, i + label.length)) {
    const before = i > 0 ? line[i - 1] : '';
    if (/[A-Za-z_]/.test(before)) continue;
    const rest = /^[ \t]*=/.exec(line.slice(i + label.length, i + label.length + 8));
    if (rest) starts.push(i);
    if (starts.length > 64) return line;
  }
  // Pairs of equal equations, at least two pairs, nothing before the first.
  if (starts.length < 4 || starts.length % 2 || line.slice(0, starts[0]).trim() !== '') return line;
  const eq = (k: number): string => line.slice(starts[k], k + 1 < starts.length ? starts[k + 1] : line.length);
  for (let k = 0; k < starts.length; k += 2) if (eq(k).trim() !== eq(k + 1).trim()) return line;
  let out = '';
  for (let k = 0; k < starts.length; k += 2) {
    const own = eq(k);
    // The first equation keeps its label; the later ones keep only their `=`.
    out += k === 0 ? own : ' '.repeat(own.indexOf('=')) + own.slice(own.indexOf('='));
    out += ' '.repeat(eq(k + 1).length);
  }
  return out;
}
