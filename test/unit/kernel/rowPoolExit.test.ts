/**
 * The row pool's helper threads never keep a process alive: a Node process that installed the
 * pool and split jobs across it exits on its own when its work is done, whether or not it
 * disposed of the pool (the analysis worker is terminated without a goodbye; the CLI and the
 * bench just end). Each case runs in a child process built from the sources with esbuild; a
 * helper keeping it up would show as the child killed at the hang guard.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'row-pool-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The child: installs the pool, splits forwards of a (256, 1000) pair, prints what ran where. */
function childSource(dispose: boolean): string {
  return `
import { crossEntropy, prepare } from './src/core/kernel';
import { rowJobStats } from './src/core/kernel/wasmKernel';
import { installRowPool, uninstallRowPool } from './src/worker/rowPool';
const pool = installRowPool(1);
if (!pool) throw new Error('no pool');
pool.adaptive = false;
const N = 256, C = 1000;
const data = new Float64Array(N * C).map((_, i) => Math.sin(i) * 3);
const p = prepare({
  input: { data, shape: [N, C], integral: false },
  target: { data: new Float64Array(N).map((_, i) => i % C), shape: [N], integral: true },
  weight: null, ignoreIndex: -100, reduction: 'mean', labelSmoothing: 0, dtype: 'float32', inputKind: 'logits',
});
const deadline = Date.now() + 10000;
let loss = 0;
while (pool.helperChunks === 0 && Date.now() < deadline) loss = crossEntropy(p).loss;
console.log(JSON.stringify({ helperChunks: pool.helperChunks, splitJobs: rowJobStats().splitJobs, loss }));
${dispose ? 'uninstallRowPool();' : ''}
`;
}

function runChild(dispose: boolean): { status: number | null; signal: string | null; out: string; ms: number } {
  const file = join(dir, `child-${dispose ? 'dispose' : 'keep'}.js`);
  const built = buildSync({
    stdin: { contents: childSource(dispose), resolveDir: root, sourcefile: 'child.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  writeFileSync(file, built.outputFiles[0].text);
  const t0 = Date.now();
  // The hang guard: a child still alive after 30 s is killed (signal set, status null).
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, signal: r.signal, out: `${r.stdout}${r.stderr}`, ms: Date.now() - t0 };
}

describe('row pool: the process exits by itself', () => {
  for (const dispose of [false, true]) {
    it(`after split jobs, ${dispose ? 'having disposed of the pool' : 'with the pool still installed'}`, () => {
      const r = runChild(dispose);
      expect(r.signal, r.out).toBeNull();
      expect(r.status, r.out).toBe(0);
      const line = JSON.parse(r.out.trim().split('\n')[0]) as { helperChunks: number; splitJobs: number };
      // The helper really ran: the process had a live thread to exit past.
      expect(line.helperChunks).toBeGreaterThan(0);
      expect(line.splitJobs).toBeGreaterThan(0);
    }, 60_000);
  }
});
