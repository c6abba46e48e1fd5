/**
 * Worked losses written in TeX (docs/detection.md 3.181): course pages and notes put the same
 * arithmetic as `-log(0.7) = 0.357` inside math delimiters, with TeX's names for the signs:
 * `$-\log(0.7) \approx 0.357$`, `L = - \left( 0 \times \log 0.1 + 1 \times \log 0.7 \right)`,
 * `\mathcal{L} = -\ln 0.25 = 1.386`. The line is read as the plain line those signs spell, every
 * command replaced by spaces and the one character it stands for, so that offsets stay those of the
 * page (a claim is shown where it is written). Only the signs a worked log uses are read (and `\exp`, for a
 * log-sum-exp worked from scores, 3.322); `\log_2`,
 * `\frac{…}{…}` and anything else stay as written, and so are not read as a worked loss.
 */

/** The plain character each TeX command stands for (the command becomes spaces, then it). */
const signs: Record<string, string> = {
  log: 'log',
  ln: 'ln',
  exp: 'exp',
  times: '×',
  cdot: '·',
  approx: '≈',
  simeq: '≃',
  left: '',
  right: '',
  bigl: '',
  bigr: '',
  Bigl: '',
  Bigr: '',
  quad: '',
};

/**
 * A command (letters, or one of `\,` `\;` `\:` `\!` `\[` `\]` `\(` `\)` `\\`), a `$` delimiter, or an
 * alignment's `&` (`&= -\log 0.7 \\` on the lines of an `align`). `\( … \)` are inline mathematics'
 * delimiters (`berechnet als \(- (1 \cdot \log 0,9) = 0,105\)`, 3.194). An alignment's `\begin{aligned}` /
 * `\end{aligned}` (and align, split, gather, equation, eqnarray) delimits as `\[` does: a first row written
 * on the same line as it (`\begin{aligned} −\log(0.2185)&=1.5210\\ …`) opens there (3.387).
 */
const tex =
  /\\(?:begin|end)\{(?:aligned|align|split|gathered|gather|equation|eqnarray)\*?\}|\\([A-Za-z]+)|\\[,;:![\]()\\]|\$|&/g;

/** `line` with the TeX signs of a worked log as plain characters, the same length as `line`. */
export function plainTexSigns(line: string): string {
  if (!line.includes('\\') && !line.includes('$')) return line;
  return line.replace(tex, (m: string, name: string | undefined, at: number) => {
    // A row break ends the row's chain and opens the next row as a table cell does (3.387), unless the next row
    // goes on with the same chain (`\\ &= 0.5514`, an align's later steps).
    if (m === '\\\\' && !/^[ \t]*(?:&|$)/.test(line.slice(at + 2, at + 42))) return ' |';
    if (name === undefined) return ' '.repeat(m.length);
    const plain = signs[name];
    // A command not listed is kept as written (it is not a sign of a worked log).
    if (plain === undefined) return m;
    return ' '.repeat(m.length - plain.length) + plain;
  });
}
