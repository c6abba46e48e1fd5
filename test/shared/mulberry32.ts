/**
 * mulberry32: a tiny seedable 32-bit PRNG giving numbers in [0, 1). One copy for every test-side
 * user: the kernel's fixture tests rebuild their Python generators' inputs with it operation for
 * operation (test/fixtures/fixture_meta.py writes the same stream), the kernel's row tests draw
 * their rows from it, and the benchmarks build their data with it. Here rather than under
 * test/unit so that the bench bundle (test/bench, dist/bench.js) imports it too.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
