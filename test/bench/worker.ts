/**
 * `npm run bench:worker`: how fast the analysis worker answers a superseding edit while a long
 * analysis runs, against the long analysis itself measured in the same run, and what a fresh
 * worker's start costs next to a warm request. Uses the built dist/worker.js.
 *
 *   node dist/bench-worker.js [pairs]      (default 15000 pairs, about 2.5 MB of Python)
 */
import { join } from 'node:path';
import { WorkerClient } from '../../src/worker/workerClient';

function manyPairs(pairs: number): string {
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

const small =
  'import torch\nx = torch.tensor([[1.0, 2.0, 0.5]])\ny = torch.tensor([0])\nl = torch.nn.functional.cross_entropy(x, y)\n';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const pairs = Number(process.argv[2] ?? 15_000);
  const text = manyPairs(pairs);
  const workerPath = join(__dirname, 'worker.js');

  const spawnStarted = performance.now();
  const client = new WorkerClient({ workerPath, deadlineMs: Infinity });
  await client.request('analyze', { key: 'w', version: 0, text: small });
  const firstMs = performance.now() - spawnStarted;
  const warm: number[] = [];
  for (let i = 1; i <= 20; i++) {
    const t = performance.now();
    await client.request('analyze', { key: 'w', version: i, text: small });
    warm.push(performance.now() - t);
  }

  const full: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await client.request('analyze', { key: 'big', version: i, text });
    full.push(performance.now() - t);
  }
  const fullMs = median(full);

  const answers: number[] = [];
  for (let i = 0; i < 5; i++) {
    const running = client.request('analyze', { key: 'big', version: 100 + i, text }, { supersedeKey: 'big' });
    await sleep(fullMs / 3);
    const t = performance.now();
    const newer = await client.request(
      'analyze',
      { key: 'big', version: 200 + i, text: small },
      { supersedeKey: 'big' },
    );
    answers.push(performance.now() - t);
    const old = await running;
    if (old.ok || old.error.code !== 'cancelled' || !newer.ok) throw new Error('supersede did not cancel');
  }
  await client.dispose();

  const answerMs = median(answers);
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`analysis worker, ${pairs} pairs (${(text.length / 1e6).toFixed(1)} MB of Python)`);
  console.log(`  first request on a fresh worker (spawn + load + analyse): ${f(firstMs)}`);
  console.log(`  small document on a warm worker, median of 20:            ${f(median(warm))}`);
  console.log(`  full analysis of the large document, median of 3:         ${f(fullMs)}`);
  console.log(`  superseding edit answered, median of 5:                   ${f(answerMs)}`);
  console.log(`  ratio answer / full analysis:                             ${(answerMs / fullMs).toFixed(3)}`);
  console.log(`  goal: a superseding edit answered within 50 ms -> ${answerMs <= 50 ? 'met' : 'NOT met'}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
