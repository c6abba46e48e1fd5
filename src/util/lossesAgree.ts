/**
 * Whether our recomputation agrees with the program's own loss to the precision of the coarser
 * of the two dtypes: a bfloat16 loss was rounded to 8 significant bits, and a program that summed
 * float32 logits in float64 differs from a float32 recomputation in the seventh digit. Shared by
 * the panel's live badge and the live hover.
 */
export function lossesAgree(ours: number, oursDtype: string, program: number, programDtype: string): boolean {
  const table: Record<string, number> = { bfloat16: 2 ** -8, float16: 2 ** -10, float64: 1e-12 };
  const eps = (dtype: string) => table[dtype] ?? 2 ** -20;
  const tolerance = Math.max(eps(oursDtype), eps(programDtype)) * Math.max(1, Math.abs(program));
  return Math.abs(ours - program) <= tolerance;
}
