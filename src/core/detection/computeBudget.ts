/**
 * The numbers that computed arrays (`np.ones(n)`, `a * b`, `torch.stack(…)`, `F.one_hot(y)`) may
 * hold in all, per document. Each array is bounded on its own (`maxComputed`), but a
 * short text can ask for many: a thousand lines of `x = torch.tensor(np.ones(1_000_000))` are 40 KB
 * that would fill 8 GB. Past the budget an array is opaque (never invented), as past the per-array
 * bound. Detection is synchronous, one document at a time: index.ts starts the budget per document.
 */
/** Largest array computed (beyond it a value is opaque, never invented). */
export const maxComputed = 4_000_000;

/** Numbers per document: four of the largest arrays (128 MB of float64 at most). */
export const maxComputedPerDocument = 4 * maxComputed;

let left = maxComputedPerDocument;

/** Starts a document's budget. */
export function startComputeBudget(): void {
  left = maxComputedPerDocument;
}

/** Whether an array of `size` numbers may be computed (within both bounds); its numbers are taken from the budget. */
export function affordable(size: number): boolean {
  if (!(size <= maxComputed && size <= left)) return false;
  left -= size;
  return true;
}
