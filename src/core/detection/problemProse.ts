/**
 * What an exercise page says about its loss, read from its prose (problemPages.ts finds the
 * examples): which loss (binary or categorical cross-entropy, or a variant not modelled), whether
 * the predictions are probabilities or logits, mean or sum over the batch, a stated clipping
 * epsilon, and a stated rounding ("Round the result to 4 decimal places"). Each is null when the
 * page does not settle it; the examples then decide what they can from their own names and numbers,
 * and what neither settles makes the pair unverified. Every expression here is linear in the text.
 */

export interface PageSemantics {
  /** The page names a cross-entropy / log loss / negative log-likelihood. */
  namesLoss: boolean;
  /** Words for the binary loss (binary cross-entropy, BCE, log loss, logistic loss). */
  binary: boolean;
  /** Words for the categorical loss (categorical / multi-class / softmax cross-entropy). */
  categorical: boolean;
  /** A loss the page's examples compute that is not plain cross-entropy (focal, label smoothing, weights). */
  variant: string | null;
  /** The prose calls the predictions probabilities, logits (raw scores), both, or neither. */
  probabilities: boolean;
  logits: boolean;
  /** Mean or sum over the examples of a batch, when the prose says one and not the other. */
  reduction: 'mean' | 'sum' | null;
  /** A clipping epsilon stated with its value; `clipping` without one. */
  epsilon: number | null;
  clipping: boolean;
  /** Digits after the point the page rounds its answers to. */
  decimals: number | null;
}

const lossRe =
  /cross[-\s_]?entropy|\blog[-\s_]?loss\b|logistic loss|log[-\s]likelihood|\bnll\b|\b[bc]ce\b|crossentropy/i;
const binaryRe =
  /binary[-\s_]*(?:cross[-\s_]?entropy|log[-\s_]?loss|crossentropy)|\bbce\b|logistic (?:regression )?loss|sigmoid cross|\blog[-\s]?loss\b/i;
const categoricalRe =
  /(?:categorical|multi[-\s]?class|multinomial|softmax)[-\s_]*(?:cross[-\s_]?entropy|log[-\s]?loss|crossentropy)|\bcce\b|sparse[-\s_]categorical/i;
export const variantRe =
  /\bfocal\b|label[-\s_]smoothing|class[-\s_]weights?|pos_weight|sample[-\s_]weights?|weighted (?:binary |categorical )?(?:cross|bce|log)|\bkl[-\s]divergence|\bhinge\b|\bdice\b|temperature/i;
// "y_pred values are strictly in (0, 1)", "the predictions lie in the open interval (0, 1)" (3.208).
const predictionsInUnit =
  /\b(?:y_?(?:pred|hat)\w*(?: values?)?|predictions?|predicted (?:values?|outputs?))\s+(?:(?:are|is|lie|lies|all|must be|should be)\s+){0,3}(?:strictly\s+)?in\s+(?:the\s+(?:open\s+)?(?:range|interval)\s+)?[(\[]\s*0\s*,\s*1\s*[)\]]/i;
// "Clip predictions to [ε, 1 − ε] before computing the log" (3.388): only probabilities are kept off 0 and 1 for a log.
const clipPredictionsForLog =
  /\bclip(?:s|ped|ping)?\s+(?:the\s+)?(?:predictions?|predicted\s+(?:values?|outputs?)|y_?pred\w*)\b[^.\n]{0,60}?\blog(?:arithm)?s?\b/;
const probabilitiesRe = new RegExp(
  /probabilit|\bprobs?\b|sums? to (?:1|one)\b|between 0 and 1|softmax (?:outputs?|probabilities)/.source +
    '|' +
    predictionsInUnit.source +
    '|' +
    clipPredictionsForLog.source,
  'i',
);
const logitsRe =
  /\blogits?\b|raw (?:class )?scores?|unnormali[sz]ed|pre-?softmax|before (?:applying )?(?:the )?(?:softmax|sigmoid)|from_?logits\s*=\s*true|with[_\s]logits/i;
const meanRe =
  /\b(?:mean|average[ds]?|averaging|avg)\b|divided? by (?:n\b|the (?:number|batch))|-?\(?1\s*\/\s*[nmN]\)?\s*\*?\s*(?:sum|Σ|∑)/i;
const sumRe =
  /\b(?:sum(?:med)?|total)\b[^.\n,;]{0,40}\b(?:over|across)\b[^.\n,;]{0,20}\b(?:the )?(?:batch|samples|examples|observations|data ?points)\b|reduction\s*=\s*['"]?sum\b|\btotal loss\b/i;
const clipRe = /\b(?:clip\w*|clamp\w*)\b|\bepsilon\b|\beps\b|ε/i;
const epsilonRe =
  /(?:\bclip\w*|\bclamp\w*|\bepsilon\b|\beps\b|ε)[^\n]{0,60}?(\d(?:\.\d+)?\s*[eE]\s*-\s*\d+|10\s*\^\s*\(?\s*-\s*\d+\)?)/i;
const roundRe =
  /\bround(?:ed|ing)?\b[^.\n]{0,50}?\b(\d+|one|two|three|four|five|six|seven|eight)\s+(?:decimal|digits? after)/i;

const words: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8 };

/** Markdown emphasis and code marks out of the way: `**5 decimal places**`, `` `1e-15` ``. */
export function plainProse(text: string): string {
  return text.replace(/[*`_]{1,3}(?=\S)|(?<=\S)[*`]{1,3}/g, (m) => (m.includes('_') ? m : ''));
}

function epsilonOf(text: string): number | null {
  const m = epsilonRe.exec(text);
  if (!m) return null;
  const s = m[1].replace(/\s+/g, '');
  const pow = /^10\^\(?-(\d+)\)?$/.exec(s);
  const v = pow ? Math.pow(10, -Number(pow[1])) : Number(s);
  return Number.isFinite(v) && v > 0 && v < 0.5 ? v : null;
}

/** The semantics stated in `prose` (the page without its examples' own lines). */
export function readSemantics(prose: string): PageSemantics {
  const text = plainProse(prose);
  // "the sum (not the mean)": a reduction the page rules out is not one it states.
  const stated = text.replace(
    /\b(?:not|rather than|instead of)[ \t]+(?:the[ \t]+|an?[ \t]+)?(?:mean|average|sum)\b/gi,
    '',
  );
  const mean = meanRe.test(stated);
  const sum = sumRe.test(stated);
  const round = roundRe.exec(text);
  const decimals = round ? (words[round[1].toLowerCase()] ?? Number(round[1])) : null;
  const multi = /multi[-\s]?class|multinomial/i.test(text);
  const variant = variantRe.exec(text);
  return {
    namesLoss: lossRe.test(text),
    binary: binaryRe.test(text.replace(/multi[-\s]?class log[-\s]?loss/gi, '')) && !(multi && !/binary/i.test(text)),
    categorical: categoricalRe.test(text),
    variant: variant ? variant[0].toLowerCase() : null,
    probabilities: probabilitiesRe.test(text),
    logits: logitsRe.test(text),
    reduction: mean && !sum ? 'mean' : sum && !mean ? 'sum' : null,
    epsilon: epsilonOf(text),
    clipping: clipRe.test(text),
    decimals: decimals !== null && decimals >= 0 && decimals <= 12 ? decimals : null,
  };
}

/** Another loss or metric named where a title is: an MSE or accuracy exercise with the same layout. */
export const otherTaskRe =
  /mean[-\s_]squared|\bmse\b|\bmae\b|mean[-\s_]absolute|\baccuracy\b|\bprecision\b|\brecall\b|\bf1\b|\bhuber\b|\bsoftmax\b(?![-\s_]*cross)|\bsigmoid\b(?![-\s_]*cross)|(?<!cross[-\s_]?)\bentropy\b/i;

/** Names an example gives its predictions and targets, and what a name says the numbers are. */
export type Role = 'prediction' | 'target' | 'epsilon';
export type NamedKind = 'probabilities' | 'logits' | null;

const targetNames =
  /^(?:y|y_?true|ytrue|true|t|targets?|labels?|y_?labels?|true_?labels?|true_?class(?:es)?|class_?idx|index|idx|actual|actuals|y_?actual|ground_?truth|gt|one_?hot|y_?onehot|classes)$/i;
const logitNames = /^(?:logits?|scores?|z|raw(?:_?scores?)?|x|activations?|y_?logits?|outputs?_?logits)$/i;
const probNames =
  /^(?:p|q|probs?|probabilities|predicted_?probs?|pred_?probs?|y_?probs?|y_?proba|softmax_?outputs?|distribution|predicted_?distribution)$/i;
const predictionNames = /^(?:y_?pred|ypred|y_?hat|yhat|preds?|predictions?|predicted|outputs?|y_?predicted|y_?score)$/i;

/** The role a name gives its value, and for a prediction whether the name says probabilities or logits. */
export function roleOfName(name: string): { role: Role; kind: NamedKind } | null {
  if (/^(?:eps|epsilon)$/i.test(name)) return { role: 'epsilon', kind: null };
  if (targetNames.test(name)) return { role: 'target', kind: null };
  if (logitNames.test(name)) return { role: 'prediction', kind: 'logits' };
  if (probNames.test(name)) return { role: 'prediction', kind: 'probabilities' };
  if (predictionNames.test(name)) return { role: 'prediction', kind: null };
  return null;
}

/** What a short piece of text (a comment beside the numbers) says the predictions are. */
export function kindSaid(text: string): NamedKind {
  const p = probabilitiesRe.test(text);
  const l = logitsRe.test(text);
  return p && !l ? 'probabilities' : l && !p ? 'logits' : null;
}
