/**
 * Seeded randomness for the detection property tests: the same texts on every run, so a failure
 * names a text that can be found again.
 */

/** A linear congruential generator: numbers in [0, 1), the same sequence for the same seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** `count` texts, each 1 to `maxPieces` pieces drawn at random from `pieces` and joined. */
export function randomTexts(pieces: string[], seed: number, count: number, maxPieces: number): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(r() * maxPieces) }, () => pieces[Math.floor(r() * pieces.length)]).join(''),
  );
}
