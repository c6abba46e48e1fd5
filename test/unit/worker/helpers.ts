/**
 * Shared helpers for the worker tests: build the real worker bundle once into a temp dir, so the
 * tests do not depend on `npm run build` or on dist/, and make requests of chosen sizes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { KernelLogger } from '../../../src/worker/kernelClient';
import type { LossRequest } from '../../../src/core/types';

/** Bundles src/worker/kernelWorker.ts as the extension build does. Returns the path and a cleanup. */
export async function buildWorker(): Promise<{ workerPath: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'loss-inspector-worker-'));
  const workerPath = join(dir, 'worker.js');
  await build({
    entryPoints: [join(__dirname, '../../../src/worker/kernelWorker.ts')],
    outfile: workerPath,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  return { workerPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The article's example: torch gives tensor(2.1438) = 2.1438183784484863 (float32). */
export function seedRequest(): LossRequest {
  return {
    input: {
      data: Float64Array.from([0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544]),
      shape: [1, 10],
      integral: false,
    },
    target: { data: Float64Array.from([1]), shape: [1], integral: true },
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0,
    dtype: 'float32',
    inputKind: 'logits',
  };
}

/** (N, C) logits with index targets; the values only need to be deterministic. */
export function gridRequest(N: number, C: number): LossRequest {
  const input = new Float64Array(N * C);
  for (let i = 0; i < input.length; i++) input[i] = ((i * 7919) % 97) / 13 - 3;
  const target = new Float64Array(N);
  for (let n = 0; n < N; n++) target[n] = n % C;
  return {
    input: { data: input, shape: [N, C], integral: false },
    target: { data: target, shape: [N], integral: true },
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0,
    dtype: 'float32',
    inputKind: 'logits',
  };
}

/** A request that takes the worker well over 20 ms (4 M float32 elements with a gradient). */
export function slowRequest(): LossRequest {
  return gridRequest(400_000, 10);
}

/** A logger that records what it is told. */
export function recordingLogger(): KernelLogger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m) => warnings.push(m), info: (m) => infos.push(m) };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
