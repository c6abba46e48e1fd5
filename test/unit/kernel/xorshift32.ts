/**
 * xorshift32 as test/fixtures/kernel/gen_smoothing_cases.py writes it: k / 2^32 in [0, 1). The
 * kernel tests draw their inputs from it, so a case is the same numbers in Python and here.
 */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    return s / 4294967296;
  };
}
