/**
 * Shared helpers for the worker tests: build the real worker bundle once into a temp dir, so the
 * tests do not depend on `npm run build` or on dist/, and make documents of chosen sizes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { LossRequest } from '../../../src/core/types';
import type { WorkerLogger } from '../../../src/worker/workerClient';
import { livePairId, type PanelData, type PanelDataParams } from '../../../src/protocol/worker';
import { AnalysisService } from '../../../src/worker/analysisService';
import { indexRequest } from '../requestBuilders';

/** Bundles src/worker/workerMain.ts as the extension build does. Returns the folder, the path and a cleanup. */
export async function buildWorker(): Promise<{ dir: string; workerPath: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'loss-inspector-worker-'));
  const workerPath = join(dir, 'worker.js');
  await build({
    entryPoints: [join(__dirname, '../../../src/worker/workerMain.ts')],
    outfile: workerPath,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  return { dir, workerPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a worker script into `dir` and returns its path (for workers that misbehave on purpose). */
export function writeWorker(dir: string, name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

/** The article's batch example: torch prints tensor(2.3519) for its loss. */
export const seedBatch = readFileSync(join(__dirname, '../../fixtures/workspace/seed_batch.py'), 'utf8');

/** The article's example as one line of Python: torch gives tensor(2.1438). */
export const seedLine =
  'import torch\nlogits = torch.tensor([[0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544]])\n' +
  'target = torch.tensor([1])\nloss = torch.nn.functional.cross_entropy(logits, target)\n';

/**
 * A Python document of `pairs` small loss calls, one statement each: its analysis takes about
 * 40 µs a pair, and a cancellation can stop it between any two statements.
 */
export function manyPairs(pairs: number): string {
  const lines = ['import torch'];
  for (let i = 0; i < pairs; i++) {
    lines.push(
      `logits_${i} = torch.tensor([[0.1, 0.2, ${i % 7}.5], [0.3, 0.4, 0.5]])`,
      `target_${i} = torch.tensor([1, 2])`,
      `loss_${i} = torch.nn.functional.cross_entropy(logits_${i}, target_${i})`,
    );
  }
  return lines.join('\n');
}

/** A logger that records what it is told. */
export function recordingLogger(): WorkerLogger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m) => warnings.push(m), info: (m) => infos.push(m) };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The seed article's batch (torch 1.13: CrossEntropyLoss = tensor(2.3519); row 0 alone 2.1438). */
export function seedRequest(): LossRequest {
  return indexRequest(
    new Float64Array([
      0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544, 0.9457, 0.0195, 0.9846, 0.3231,
      0.1605, 0.3143, 0.9508, 0.2762, 0.7276, 0.4332,
    ]),
    [2, 10],
    [1, 5],
  );
}

/** A worker service holding `request` as a live pair, and a question for one element's panel data. */
export function heldLivePanel(
  request: LossRequest,
): (element: number, options: PanelDataParams['options'], shown?: PanelDataParams['shown']) => PanelData {
  const s = new AnalysisService();
  s.holdLive({ key: 'live:1', version: 1, request });
  return (element, options, shown) =>
    s.panelData({ key: 'live:1', version: 1, pairId: livePairId, element, options, ...(shown ? { shown } : {}) });
}
