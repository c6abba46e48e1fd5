/**
 * `npm run bench:live`: how long "inspect live values" takes through the real debugpy adapter
 * (Debian python3-debugpy), driven from Node with the bridge's own code, for the three sizes the
 * live-tensors goals name:
 *
 *   (64, 1000) float32           full transfer (256 KB, inline)             goal ≤ 300 ms
 *   (64, 50257) float32          full transfer (12.9 MB, chunks + progress) goal ≤ 2 s
 *   (8, 1024, 50257) bfloat16    over budget: reduced in the debuggee       goal ≤ 2 s
 *
 * Each figure is the median of a few inspections of the same paused frame: pull (every request to
 * the adapter, the transfer and its checks) plus the kernel's computation of the loss ("show" here
 * stops at the kernel; the panel's rendering is measured by the UI tests). Peers measured in the
 * same run put the figures in context on a shared machine: one adapter round trip, a raw 4 MiB
 * string through the adapter, and torch's own cross_entropy pass over the big tensor.
 *
 *   node dist/bench-live.js [--rounds N] [--json FILE] [--only small|vocab|long] [--in-flight N] [--latency-ms N]
 *
 * `--js` measures the JavaScript side instead: a Node program (test/bench/live_bench.js) paused
 * under VS Code's js-debug with (64, 1000) and (64, 50257) Float32Array logits, each read one-shot
 * and progressively (first paint, then every row), interleaved.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { computeLoss } from '../../src/core/kernel/index';
import { inspectLive } from '../../src/live/bridge';
import { helperModuleName } from '../../src/live/pythonHelper';
import type { LiveOutcome } from '../../src/live/types';
import type { DebugSessionLike } from '../../src/live/session';
import { launchPython, lineOf, opOf, pythonUnavailable } from '../unit/live/dapHarness';
import { jsDebugUnavailable, launchNode } from '../unit/live/jsDebugHost';

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 3;
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
const chunkBytes = args.includes('--chunk-kib') ? Number(args[args.indexOf('--chunk-kib') + 1]) * 1024 : undefined;
/** `--in-flight N`: chunk requests kept in flight at once (the bridge's default otherwise). */
const inFlight = args.includes('--in-flight') ? Number(args[args.indexOf('--in-flight') + 1]) : undefined;
/**
 * `--latency-ms N`: each request waits N ms before it goes to the adapter, as requests wait in a busy
 * window (100-480 ms while the panel paints, measured inside code-server under load).
 */
const latencyMs = args.includes('--latency-ms') ? Number(args[args.indexOf('--latency-ms') + 1]) : 0;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
/** `--progressive`: the command's read (first paint, then the reduction in steps) instead of one-shot, with its timeline. */
const progressiveMode = args.includes('--progressive');
const script = resolve('test/bench/live_bench.py');

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

interface Record {
  name: string;
  goalMs: number;
  medianMs: number;
  runsMs: number[];
  pullMs: number;
  kernelMs: number;
  bytes: number;
  requests: number;
  progressEvents: number;
  mode: string;
  ours: number;
  torch: number | null;
  met: boolean;
}

/**
 * Evaluated in the paused long_context() frame: torch's thread count, then three alternate timings
 * (seconds) of torch's own cross_entropy over the tensor and of the installed helper's reduction of
 * it (`_reduce_range`, every row, its default blocks), as a JSON list.
 */
const floorExpression =
  `(lambda h, t, ti, x, y: __import__('json').dumps([t.get_num_threads()] + [v for _ in range(3) for v in (` +
  `ti(lambda: t.nn.functional.cross_entropy(x, y), number=1), ` +
  `ti(lambda: h._reduce_range(x, {"kind": "torch", "shape": list(x.shape), "dtype": "bfloat16"}, y, None, ` +
  `{"ignore_index": -100, "label_smoothing": 0.0, "reduction": "mean"}, "logits", 0, x.shape[0], ` +
  `h._block_of(x.shape[1], 1)), number=1))]))` +
  `(__import__('sys').modules[${JSON.stringify(helperModuleName)}], __import__('torch'), __import__('timeit').timeit, ` +
  `logits.view(-1, logits.size(-1)), labels.view(-1))`;
let floorNote = '';

/** A session that notes when each request went out and came back, and how long its answer is. */
function timed(session: DebugSessionLike, t0: () => bigint) {
  const spans: { op: string; from: number; to: number; chars: number }[] = [];
  const reader: DebugSessionLike = {
    type: session.type,
    async customRequest(command: string, a?: unknown) {
      const from = ms(t0());
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      const r = await session.customRequest(command, a);
      const chars = String((r as { result?: unknown })?.result ?? '').length;
      spans.push({ op: command === 'evaluate' ? opOf(a) : command, from, to: ms(t0()), chars });
      return r;
    },
  };
  return { reader, spans };
}

async function main(): Promise<void> {
  const missing = pythonUnavailable();
  if (missing) {
    console.log(`bench:live needs the Python adapter: ${missing}`);
    process.exit(1);
  }
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(script, 'utf8');
  const bp = (name: string) => lineOf(text, `# BENCH:${name}`);
  console.log(
    `live transfer bench — debugpy adapter from Node, ${rounds} rounds, ${inFlight ?? 'default'} in flight, ` +
      `${latencyMs} ms added per request, load ${loadavg()[0].toFixed(1)}`,
  );
  const p = await launchPython(script, [bp('small'), bp('vocab'), bp('long')], { timeoutMs: 600_000 });
  const records: Record[] = [];
  const peers: { name: string; ms: number }[] = [];
  try {
    const frameId = async () => {
      const st = (await p.session.customRequest('stackTrace', { threadId: p.state.stoppedThreadId, levels: 1 })) as {
        stackFrames: { id: number }[];
      };
      return st.stackFrames[0].id;
    };
    // Peer: one evaluate round trip, and a raw 4 MiB string (the transport's own cost per chunk).
    const fid = await frameId();
    const trips: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = process.hrtime.bigint();
      await p.session.customRequest('evaluate', { expression: '1', frameId: fid, context: 'watch' });
      trips.push(ms(t0));
    }
    peers.push({ name: 'adapter round trip (evaluate "1")', ms: median(trips) });
    const raw: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = process.hrtime.bigint();
      await p.session.customRequest('evaluate', {
        expression: '"A" * (4 << 20)',
        frameId: fid,
        context: 'watch',
        format: { rawString: true },
      });
      raw.push(ms(t0));
    }
    peers.push({ name: 'raw 4 MiB string through the adapter', ms: median(raw) });

    /** One progressive read of the stop at `line`: its first paint and its end, in ms from its start. */
    const measureOne = async (line: number) => {
      const t0 = process.hrtime.bigint();
      let painted = NaN;
      const o = await inspectLive({
        session: p.session,
        state: p.state,
        source: { text, line: line - 1, path: script },
        near: true,
        trusted: true,
        onFirstPaint: () => void (painted = ms(t0)),
      });
      if (o.kind !== 'ok') throw new Error('first click: expected a result');
      return { painted, done: ms(t0) };
    };
    const measure = async (name: string, line: number, goalMs: number) => {
      const runs: number[] = [];
      let last: { o: Extract<LiveOutcome, { kind: 'ok' }>; pull: number; kernel: number; progress: number } | null =
        null;
      // One reader for every run, as the extension keeps one session: the helper is installed once.
      let t0 = process.hrtime.bigint();
      const { reader, spans } = timed(p.session, () => t0);
      for (let i = 0; i < rounds; i++) {
        let progress = 0;
        t0 = process.hrtime.bigint();
        spans.length = 0;
        let painted = NaN;
        const o = await inspectLive({
          session: reader,
          state: p.state,
          source: { text, line: line - 1, path: script },
          near: true,
          trusted: true,
          chunkBytes,
          inFlight,
          progress: () => progress++,
          ...(progressiveMode ? { onFirstPaint: () => void (painted = ms(t0)) } : {}),
        });
        const pull = ms(t0);
        // The timeline: each request's time at the adapter, and the host's time between them.
        let gaps = 0;
        spans.forEach((x, k) => (gaps += Math.max(0, x.from - (k > 0 ? spans[k - 1]!.to : 0))));
        console.log(
          `  ${name} run ${i + 1}: ${pull.toFixed(0)} ms${Number.isNaN(painted) ? '' : `, first paint ${painted.toFixed(0)} ms`}; ` +
            spans.map((x) => `${x.op} ${(x.to - x.from).toFixed(0)}`).join(', ') +
            `; host between requests ${gaps.toFixed(0)} ms; load ${loadavg()[0].toFixed(1)}`,
        );
        if (o.kind !== 'ok') throw new Error(`${name}: expected a result`);
        const t1 = process.hrtime.bigint();
        const r = computeLoss(o.request);
        const kernel = ms(t1);
        if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
        runs.push(pull + kernel);
        last = { o, pull, kernel, progress };
      }
      const { o, pull, kernel, progress } = last!;
      const r = computeLoss(o.request);
      const reduced = o.meta.reduced;
      records.push({
        name,
        goalMs,
        medianMs: median(runs),
        runsMs: runs,
        pullMs: pull,
        kernelMs: kernel,
        bytes: o.meta.bytes,
        requests: o.meta.requests,
        progressEvents: progress,
        mode: reduced ? `reduced: ${reduced.rows.length} of ${reduced.positions} rows fetched` : 'full',
        ours: reduced ? reduced.loss : r.ok ? r.result.loss : NaN,
        torch: o.meta.programLoss?.value ?? null,
        met: median(runs) <= goalMs,
      });
    };

    if (!only || only === 'small') await measure('(64, 1000) float32', bp('small'), 300);
    await p.next();
    if (!only || only === 'vocab') await measure('(64, 50257) float32, 12.9 MB', bp('vocab'), 2000);
    if (!only || only === 'long') {
      await p.next();
      if (args.includes('--first-click'))
        await firstClick(p.session, p.state.stoppedThreadId!, () => measureOne(bp('long')));
      await measure('(8, 1024, 50257) bfloat16, over budget', bp('long'), 2000);
      // The floor, timed inside the program on the same tensor, alternately: torch's own loss pass
      // against the installed helper's reduction (the code the reads above ran), with torch's threads.
      const floor = (await p.session.customRequest('evaluate', {
        expression: floorExpression,
        frameId: await frameId(),
        context: 'watch',
      })) as { result: string };
      const [threads, ...pairs] = (JSON.parse(floor.result.replace(/^'|'$/g, '')) as number[]).map(Number);
      const torchMs = pairs.filter((_, i) => i % 2 === 0).map((x) => x * 1000);
      const oursMs = pairs.filter((_, i) => i % 2 === 1).map((x) => x * 1000);
      peers.push({ name: "torch's own cross_entropy over (8·1024, 50257) bf16", ms: median(torchMs) });
      peers.push({ name: "the helper's reduction, in the program (same tensor)", ms: median(oursMs) });
      floorNote =
        `  in the program (torch threads: ${threads}): the helper's reduction ${median(oursMs).toFixed(0)} ms ` +
        `(${oursMs.map((x) => x.toFixed(0)).join(', ')}) against torch's own loss pass ${median(torchMs).toFixed(0)} ms ` +
        `(${torchMs.map((x) => x.toFixed(0)).join(', ')}): ours / torch floor = ${(median(oursMs) / median(torchMs)).toFixed(2)}`;
    }
  } finally {
    await p.stop();
  }

  console.log('');
  for (const r of records) {
    const mark = r.met ? '✓' : '✗';
    console.log(
      `${mark} ${r.name.padEnd(40)} ${r.medianMs.toFixed(0).padStart(6)} ms  (goal ≤ ${r.goalMs} ms; ` +
        `pull ${r.pullMs.toFixed(0)} + kernel ${r.kernelMs.toFixed(0)} ms; runs ${r.runsMs.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(
      `    ${r.mode}; ${(r.bytes / 1e6).toFixed(1)} MB of replies in ${r.requests} requests, ${r.progressEvents} progress events; ` +
        `loss ours ${r.ours.toFixed(6)}${r.torch === null ? '' : `, torch ${r.torch.toFixed(6)}`}`,
    );
  }
  console.log('');
  for (const peer of peers) console.log(`  peer: ${peer.name.padEnd(52)} ${peer.ms.toFixed(0).padStart(6)} ms`);
  const big = records.find((r) => r.name.includes('bfloat16'));
  const torchPass = peers.find((x) => x.name.startsWith("torch's"));
  if (big && torchPass) {
    console.log(`  the whole over-budget read took ${(big.pullMs / torchPass.ms).toFixed(2)}× torch's own loss pass`);
  }
  if (floorNote) console.log(floorNote);
  console.log(
    `  load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ records, peers, load: loadavg() }, null, 2));
}

/**
 * `--first-click`: the first read after the stop at the big tensor, sent as VS Code sends its own
 * requests at a stop: stackTrace, scopes, then the Variables view's `variables` of Locals (pydevd
 * formats every local with repr; torch 1.13's repr of a big bfloat16 tensor widens all of it), and
 * the click a moment later. debugpy's adapter forwards one request at a time, so the read waits.
 */
async function firstClick(
  session: DebugSessionLike,
  threadId: number,
  read: () => Promise<{ painted: number; done: number }>,
): Promise<void> {
  const t0 = process.hrtime.bigint();
  const st = (await session.customRequest('stackTrace', { threadId, levels: 20 })) as { stackFrames: { id: number }[] };
  const sc = (await session.customRequest('scopes', { frameId: st.stackFrames[0]!.id })) as {
    scopes: { variablesReference: number }[];
  };
  let variables = NaN;
  const view = session
    .customRequest('variables', { variablesReference: sc.scopes[0]!.variablesReference })
    .then(() => (variables = ms(t0)));
  await new Promise((r) => setTimeout(r, 100));
  const clicked = ms(t0);
  const r = await read();
  await view;
  console.log(
    `  first click after the stop: the Variables view's variables answered ${variables.toFixed(0)} ms after the stop; ` +
      `the read, clicked at ${clicked.toFixed(0)} ms, painted first ${r.painted.toFixed(0)} ms and ended ${r.done.toFixed(0)} ms ` +
      `after the click; load ${loadavg()[0].toFixed(1)}`,
  );
}

/** `--js`: one-shot against progressive reads of Float32Array logits through js-debug. */
async function jsMain(): Promise<void> {
  const missing = jsDebugUnavailable();
  if (missing) {
    console.log(`bench:live --js needs js-debug: ${missing}`);
    process.exit(1);
  }
  const program = resolve('test/bench/live_bench.js');
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(program, 'utf8');
  const line = lineOf(text, '// BENCH:step') - 1;
  console.log(`live transfer bench — js-debug from Node, ${rounds} rounds, load ${loadavg()[0].toFixed(1)}`);
  const p = await launchNode(program, { timeoutMs: 120_000 });
  const rows: string[] = [];
  try {
    for (const [name, goal] of [
      ['(64, 1000) Float32Array', 300],
      ['(64, 50257) Float32Array, 12.9 MB', 2000],
    ] as const) {
      if (name.includes('50257')) await p.next();
      const oneShot: number[] = [];
      const first: number[] = [];
      const full: number[] = [];
      let loss = NaN;
      for (let i = 0; i < rounds; i++) {
        for (const progressive of [false, true]) {
          const t0 = process.hrtime.bigint();
          let painted = NaN;
          const o = await inspectLive({
            session: p.session,
            state: p.state,
            source: { text, line: line - 1, path: program },
            near: true,
            trusted: true,
            chunkBytes,
            ...(progressive ? { onFirstPaint: () => (painted = ms(t0)) } : {}),
          });
          const elapsed = ms(t0);
          if (o.kind !== 'ok') throw new Error(`${name}: expected a result`);
          const r = computeLoss(o.request);
          if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
          loss = r.result.loss;
          if (progressive) {
            first.push(painted);
            full.push(elapsed);
          } else oneShot.push(elapsed);
        }
      }
      const f = median(first.filter((x) => !Number.isNaN(x)));
      rows.push(
        `${(Number.isNaN(f) ? median(oneShot) : f) <= goal ? '✓' : '✗'} ${name}: one-shot ${median(oneShot).toFixed(0)} ms ` +
          `(${oneShot.map((x) => x.toFixed(0)).join(', ')}); progressive first paint ${f.toFixed(0)} ms ` +
          `(${first.map((x) => x.toFixed(0)).join(', ')}), full ${median(full).toFixed(0)} ms ` +
          `(${full.map((x) => x.toFixed(0)).join(', ')}); loss ${loss.toFixed(6)}; load ${loadavg()[0].toFixed(1)}`,
      );
    }
  } finally {
    await p.stop();
  }
  console.log(`\n${rows.join('\n')}`);
}

// js-debug's servers keep Node alive after the sessions end.
(args.includes('--js') ? jsMain().then(() => process.exit(0)) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
