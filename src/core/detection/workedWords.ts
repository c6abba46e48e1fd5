/**
 * The words around a negative log worked by hand in page text (workedLogs.ts, docs/detection.md 3.79,
 * 3.193-3.195): the words a page uses for the loss, in English and in the languages of the pages
 * studied, and what the line says before the expression when it is some other quantity.
 *
 * `H` is the usual name of an entropy, and also the textbook name of a cross-entropy, `H(p, q)`: pages
 * in many languages write `Cross-Entropy: H = −1⋅log(0.9) = 0.105`, then go on with `H = −log(0.5) =
 * 0.693`. So `H =` / `H(` blocks a worked log unless the words before it on the line name the loss, the
 * page has already named its `H` that way on an earlier line, the `H` is of two distributions (`H(p, q) =`,
 * 3.315), or the expression is a one-hot row (which no entropy is: an entropy weighs each log by its own
 * probability). The other words for an entropy, a
 * divergence, perplexity or bits always block.
 */

/** Words other pages use for a loss, where the English words are not on the page. */
export const otherLossWords = new RegExp(
  [
    String.raw`\bCE\b|\bloss(?:es)?\b`,
    // Korean, Chinese, Japanese.
    '엔트로피|손실|오차|交叉熵|损失|損失|誤差|交差エントロピー',
    // Spanish, Portuguese, Italian, French, German.
    String.raw`entrop[íi]a (?:cruzada|incrociata)|p[ée]rdida|\bperda\b|\bperdita\b|entropie crois[ée]e|\bperte\b|kreuzentropie|verlust`,
    // Polish, Turkish, Indonesian, Vietnamese (stems: a suffix follows them, `kaybı`, `straty`).
    'entropi[aię] krzyżow|funkcj[aię] strat|çapraz entropi|\\bkay[ıi]p|\\bkayb[ıi]|lintas entropi|hàm mất mát|entropy chéo',
    // Russian and Ukrainian (no `\b`: it does not see Cyrillic letters).
    'кросс-?энтропи|перекр[её]стн\\S* энтропи|функци\\S* потерь|\\bлог-?лосс|логлосс|крос-?ентропі|функці\\S* втрат',
  ].join('|'),
  'i',
);

/** Words naming the loss itself (the English ones, then the others'). */
export function namesLossIn(words: string): boolean {
  return otherLossWords.test(words) || /cross[-\s]?entropy|log[-\s]?loss/i.test(words);
}

/**
 * What the line says before the expression when it is not a loss (`H` apart, below): an entropy in the
 * languages above (not their cross-entropy: `entropie croisée`, `çapraz entropi`, `кросс-энтропия`), a
 * divergence, perplexity, bits, a focal weight.
 */
const notLoss = new RegExp(
  [
    String.raw`(?<!cross[-\s]?)\bentropy\b(?!\s+chéo)`,
    String.raw`\bentrop(?:ie|[íi]a)\b(?!\s+(?:crois|cruzad|incrociat|krzyżow))`,
    String.raw`(?<!(?:çapraz|lintas)\s)\bentropi\b`,
    String.raw`(?<!(?:кросс|крос)-?|перекр[её]стн\S*\s)[эе]нтроп[иі]`,
    String.raw`\bKL\b|diverg[eê]n[cz]|дивергенц|perplexit|\bPPL\b|\bbits?\b|surprisal|focal`,
  ].join('|'),
  'i',
);
/** `H =`, `H(p, q) =`: an entropy's name, or a cross-entropy's. */
const hLabel = /\bH\s*[(=]/;
/**
 * `H(p, q) =`, `H(y, ŷ) ≈`: the letter of two distributions, the textbook cross-entropy (3.315). An entropy
 * has one argument; two random variables' letters (`H(X, Y)`, `H(U, V)`) are a joint entropy, and stay blocked.
 */
const hOfTwo = /^H\s*\(\s*([^\s(),|;:=]{1,6})\s*,\s*([^\s(),|;:=]{1,6})\s*\)\s*[=≈]/;
const randomVariable = /^[U-Z]$/;

/** The `H` at `at` is `H(p, q) =` of two distributions (not of two random variables). */
function crossEntropyLetter(line: string, at: number): boolean {
  const m = hOfTwo.exec(line.slice(at, at + 40));
  return m !== null && !(randomVariable.test(m[1]) && randomVariable.test(m[2]));
}

/** How the words of a line bear on the worked logs after them. */
export interface LineWords {
  /** Where the first word for another quantity ends (Infinity when there is none). */
  blocked: number;
  /** Where a label `H` ends, when it is there and not already known as the loss (Infinity otherwise). */
  hBlocked: number;
  /** The words before the `H` name the loss (`Cross-Entropy: H = …`): the page's `H` is the loss. */
  hNamed: boolean;
}

/**
 * The words of `line`. `hIsLoss`: an earlier line of the page named its `H` as the loss, so a bare
 * `H =` here is that loss too (an entropy word on the line still blocks).
 */
export function lineWords(line: string, hIsLoss: boolean): LineWords {
  const m = notLoss.exec(line);
  const blocked = m ? m.index + m[0].length : Infinity;
  const h = hLabel.exec(line);
  if (!h) return { blocked, hBlocked: Infinity, hNamed: false };
  const named = namesLossIn(line.slice(Math.max(0, h.index - 80), h.index));
  const hEnd = h.index + h[0].length;
  if (named || hIsLoss || crossEntropyLetter(line, h.index)) return { blocked, hBlocked: Infinity, hNamed: named };
  return { blocked, hBlocked: hEnd, hNamed: false };
}
