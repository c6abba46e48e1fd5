/**
 * Words around the number in a comment on a print of a loss (docs/detection.md §3.123):
 * `print(f'{l1:.4f}')  # good 0.35 low loss`, `# roughly 0.42`, `# 약 0.42`. A comment that starts
 * with the number (`# 0.35 low loss`, `# ~0.35 (lower is better)`) or with the words claims.ts knows
 * (`# loss ≈ 0.35`) is read there; this reads one to three other words before it, when the print
 * shows one loss and the comment holds that one number and nothing that makes it another quantity:
 * no other digit, no unit after it (`%`, `s`, `ms`, `x`, `bits`), and no word naming something else
 * or a condition (`accuracy 0.35`, `lr 0.35`, `before 0.35`, `below 0.35`, `not 0.35`).
 */
import { claimInComment, type ClaimText } from './claims';
import type { Printed } from './context';

/** The words before the number (letters of any script, a colon or comma after one). */
const qualifier = /^[#/*\s]*((?:\p{L}[\p{L}'-]{0,15}[,:：]?\s+){1,3})(?=(?:[~≈]\s*)?[-+]?(?:\d+\.\d|\.\d))/u;
/** Words that make the number something other than the printed loss. */
const otherWord =
  /^(?:accuracy|acc|prob\w*|p|lr|learning|rate|grad\w*|epochs?|steps?|iter\w*|time|secs?|seconds?|ms|batch\w*|size|samples?|class(?:es)?|labels?|targets?|logits?|softmax|weights?|bias|entropy|not|never|no|should|would|could|than|below|above|under|over|less|more|max|min|threshold|before|after|initial|init|previous|prev|old|baseline|random|chance|goal|ideal|want|if|when|at|by|from|to|of|per|top|index|norm|std|var|step|eps|epsilon|temperature|temp|margin|smoothing|alpha|beta|gamma|정확도|확률|학습률|准确率|概率|学习率|正解率|確率|学習率|genauigkeit|pr[ée]cision|precisi[óo]n|exactitud|acur[áa]cia|precis[ãa]o|точность|dokładność|doğruluk|akurasi|accuratezza|xác)$/iu;
/** A unit after the number: it is a measure of something else. */
const unitAfter = /^\s*(?:%|‰|s\b|secs?\b|ms\b|x\b|×|bits?\b|times\b|epochs?\b|steps?\b)/i;

/** The claim of a comment `from`–`to` in `text` with words before its number, or null. */
export function qualifiedClaim(text: string, from: number, to: number, printed: Printed | null): ClaimText | null {
  if (printed === null || !showsOneLoss(printed)) return null;
  const body = text.slice(from, to);
  const m = qualifier.exec(body);
  if (!m) return null;
  const words = m[1].split(/[\s,:：]+/).filter((w) => w !== '');
  if (words.some((w) => otherWord.test(w))) return null;
  const at = m[0].length;
  const claim = claimInComment(text, from + at, to);
  if (!claim || claim.start < from + at) return null;
  const rest = text.slice(claim.end, to);
  if (/\d/.test(rest) || unitAfter.test(rest)) return null;
  return claim;
}

/** A label of one to three words of any script ending in a colon: `Kết quả:`, `Ergebnis:`, `Résultat :`. */
const labelBelow = /^[#/*\s]*(?:\p{L}[\p{L}'-]{0,15}\s+){0,2}\p{L}[\p{L}'-]{0,15}\s*[:：]\s/u;

/**
 * The claim of a comment line right below a print of one loss that names the value with a label of
 * its own words and a colon (`print(avg)` / `# Kết quả: 0.38506088...`, `# Ergebnis: 0.357`), in any
 * language (docs/detection.md §3.136): read as {@link qualifiedClaim} reads words before a number on
 * the print's own line, with the colon required, so that a note below the print (`# then 0.35`) is not.
 */
export function labelledBelow(text: string, from: number, to: number, printed: Printed | null): ClaimText | null {
  return labelBelow.test(text.slice(from, to)) ? qualifiedClaim(text, from, to, printed) : null;
}

/** The print shows one loss (a loss, or a number computed from one loss, as `loss.item()`). */
function showsOneLoss(printed: Printed): boolean {
  const v = printed.value;
  return v.kind === 'loss' || (v.kind === 'scalar' && v.pairs.length === 1);
}
