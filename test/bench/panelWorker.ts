/**
 * `npm run bench:panel-worker`: the panel's requests on the (64, 50 257) float32 pair of the UI
 * speed test (test/e2e/bigPair.ts), sent to the built dist/worker.js as the host sends them, in the
 * order the UI speed test makes them: the first selection, 20 sample changes, then two switches
 * each of the reduction, the dtype and ε (the host answers the UI test's other 18 from its cache).
 * Each run starts a fresh worker, so a worker's first changes count as often as a user meets them.
 * Prints p50 / p95 ms per kind of the round trip and of the worker's own hops, and `cpu`: the
 * process's CPU time (all threads) from each request to the next, its work ahead included; figures only.
 *
 *   node dist/bench-panel-worker.js [runs=6] [--worker path/to/worker.js] [--gaps 15,60] [--settle 500] [--json out.json]
 *
 * The first selection comes `--settle` ms after the analysis' answer (the user reads the CodeLens
 * first). Requests go the `--gaps` ms after the previous answer in turn (default 15 and 60 ms: a click soon
 * after the paint, or later), so that some arrive while the worker does its work ahead.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { writeBigPair } from '../e2e/bigPair';
import { defaultOptions } from '../../src/core/types';
import type { Hop, PanelComputeOptions, PanelDataParams } from '../../src/protocol/worker';
import { WorkerClient } from '../../src/worker/workerClient';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};

type Kind = 'first' | 'sample' | 'reduction' | 'dtype' | 'smoothing';
const kinds: Kind[] = ['first', 'sample', 'reduction', 'dtype', 'smoothing'];
const hopNames = ['host.workerRoundTrip', 'worker.ahead', 'worker.kernel', 'worker.answer', 'cpu'];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : undefined;
  };
  const workerPath = resolve(flag('--worker') ?? join(__dirname, 'worker.js'));
  const jsonOut = flag('--json');
  const gaps = (flag('--gaps') ?? '15,60').split(',').map(Number);
  const settle = Number(flag('--settle') ?? 500);
  const runs = Number(args[0] ?? 6);
  const file = writeBigPair(join(os.tmpdir(), 'loss-inspector-bench'));
  const text = fs.readFileSync(file, 'utf8');
  const samples: Record<Kind, Record<string, number[]>> = Object.fromEntries(
    kinds.map((k) => [k, Object.fromEntries(hopNames.map((h) => [h, [] as number[]]))]),
  ) as never;
  const loads: number[] = [];

  for (let run = 0; run < runs; run++) {
    loads.push(os.loadavg()[0]!);
    const client = new WorkerClient({ workerPath, deadlineMs: Infinity, logger: { info() {}, warn() {} } });
    const key = 'file:///bench/big_pair.py';
    const analysed = await client.request('analyze', { key, version: 1, text, maxElements: 5_000_000 });
    if (!analysed.ok) throw new Error(analysed.error.message);
    const pair = analysed.value.analysis.pairs.find((p) => p.inputShape?.[1] === 50_257);
    if (!pair) throw new Error('no (64, 50257) pair found');
    // The user sees the CodeLens, then clicks it.
    await sleep(settle);
    let options: PanelComputeOptions = { ...defaultOptions, weight: null };
    let heatMapId: number | undefined;
    let element = 0;
    let asked = 0;
    // The process's CPU (every thread: the worker's answer and its work ahead, this client's
    // receiving) from one request to the next, charged to the earlier one's kind.
    let cpuFrom: { kind: Kind; at: NodeJS.CpuUsage } | null = null;
    const chargeCpu = () => {
      if (!cpuFrom) return;
      const used = process.cpuUsage(cpuFrom.at);
      samples[cpuFrom.kind].cpu!.push((used.user + used.system) / 1000);
      cpuFrom = null;
    };
    const ask = async (kind: Kind) => {
      if (asked > 0) await sleep(gaps[asked % gaps.length]!);
      chargeCpu();
      cpuFrom = { kind, at: process.cpuUsage() };
      asked++;
      const params: PanelDataParams = {
        key,
        version: 1,
        pairId: pair.id,
        element,
        preferValid: element === 0,
        options,
        shown: { classStart: null, shift: 0, stability: false },
        ...(heatMapId !== undefined ? { heatMapId } : {}),
      };
      let hops: Hop[] = [];
      const r = await client.request('panelData', params, { onHops: (h) => (hops = h) });
      if (!r.ok) throw new Error(r.error.message);
      if (r.value.heatMap) heatMapId = r.value.heatMapId;
      for (const name of hopNames) {
        if (name === 'cpu') continue;
        const v = hops.filter(([n]) => n === name).reduce((a, [, ms]) => a + ms, 0);
        samples[kind][name]!.push(v);
      }
    };
    await ask('first');
    for (element = 1; element <= 20; element++) await ask('sample');
    element = 20;
    for (const reduction of ['sum', 'mean'] as const) {
      options = { ...options, reduction };
      await ask('reduction');
    }
    for (const dtype of ['float64', 'float32'] as const) {
      options = { ...options, dtype };
      await ask('dtype');
    }
    for (const labelSmoothing of [0.1, 0.2]) {
      options = { ...options, labelSmoothing };
      await ask('smoothing');
    }
    await sleep(Math.max(...gaps));
    chargeCpu();
    await client.dispose();
  }

  const f = (v: number) => v.toFixed(1).padStart(6);
  console.log(`panel requests on the (64, 50257) f32 pair, ${runs} fresh workers, ${workerPath}`);
  console.log(`load (1 min) per run: ${loads.map((l) => l.toFixed(1)).join(', ')}`);
  console.log(`p50 / p95 ms (n)      ${hopNames.map((h) => h.padStart(22)).join('')}`);
  for (const kind of kinds) {
    const cells = hopNames.map((h) => {
      const xs = samples[kind][h]!;
      return `${f(percentile(xs, 0.5))} / ${f(percentile(xs, 0.95))} (${xs.length})`.padStart(22);
    });
    console.log(`${kind.padEnd(22)}${cells.join('')}`);
  }
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ workerPath, loads, samples }, null, 1));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
