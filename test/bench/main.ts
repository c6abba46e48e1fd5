/**
 * `npm run bench`: throughput of the cross-entropy kernel against @tensorflow/tfjs-core (CPU
 * backend) and PyTorch CPU on one thread, measured interleaved in one run, plus the peak RSS
 * of one large computeLoss.
 *
 *   node --expose-gc dist/bench.js [--json FILE] [--quick] [--sizes 1x10,64x10] [--dtypes float32]
 *                                  [--no-torch] [--no-tfjs] [--no-rss] [--rounds K] [--round-ms MS]
 *                                  [--threads T] [--no-detection] [--detection-only] [--steps-only]
 *                                  [--paths-only] [--kernel-only]
 *   node --expose-gc dist/bench.js --rss-probe 16384x1000 float32     (internal: one RSS probe)
 *
 * For each size and dtype every implementation is set up and warmed up, then timed in rounds
 * (≥ ~150 ms each, in a rotating order so drift and GC pressure are spread evenly); the figure
 * is the median round. Implementations:
 *   ours              crossEntropy(prepared, false) — the kernel; prepare() ran once, untimed. (N, C)
 *                     inputs of ≥ 32 logits run in WebAssembly SIMD (src/core/kernel/wasmForward.ts),
 *                     in place in the input's workspace from 65 536 logits, with the rows split
 *                     across the row pool's threads (src/worker/rowPool.ts; the count is printed)
 *   ours-1thread      the same on the calling thread alone (the pool's runner removed meanwhile)
 *   ours-scalar       the same with setKernelBackend('scalar'): the plain-JS path (float32 only)
 *   ours+prepare      computeLoss(request): validation included, one thread; the input is read
 *                     from its float64 source (no dtype copy, no workspace: src/core/kernel/input.ts)
 *   ours-steps        crossEntropySteps(prepared): forward + softmax and log-softmax of every
 *                     element (checked against sampleBreakdown before timing), pool as ours
 *   ours-grad         crossEntropy(prepared, true): forward + d loss / d input, pool as ours,
 *                     from nothing (forgetRowStats first: max, Σexp and gradient passes)
 *   ours-grad-known   the same after a forward on the same Prepared, whose row statistics the
 *                     gradient reads (one pass over the rows); info, the goal is ours-grad's
 *   ours-prob         crossEntropy(prepared, false) with probability targets (each row's class
 *                     0.6, the rest 0.4 spread evenly: stepsKinds.ts requestOf), pool as ours, at
 *                     the goals' sizes ({@link atTorchSize}); ×fwd against the class-index forward
 *   ours-prob-grad    its gradient from nothing, as ours-grad; ×fwd against ours-prob, its own
 *                     request's forward, which the ≤ 2× goal is stated against
 *   tfjs-cpu          tf.losses.softmaxCrossEntropy(oneHot, logits), float32 only
 *   torch             F.cross_entropy(x, t) in one /usr/bin/python3 child (torch_bench.py),
 *                     torch.set_num_threads(1); "absent" when python3 or torch is missing
 * A split row's round during which the row pool paused splitting (splitGauge.ts: a second on one
 * thread once split jobs stop saving time, as on a busy machine) is run again, up to as many
 * rounds again, and left out of its figures: such a round times one thread where the forward's
 * times two, and at (256, 1000), where a call takes under a millisecond, one pause spans a whole
 * round of every row (a quiet run printed a float64 gradient of 2.28× its forward that way, against
 * 1.42× in rounds that all split). Before a split row's round the bench waits for a pause to end.
 * Steps and gradient results are views into the input's workspace that each call reuses (the
 * kernel's API: see crossEntropySteps), so neither allocates its N·C outputs per call.
 * All implementations get the same data (torch reads it from a temporary file), and the losses
 * they compute are printed side by side. The machine is shared: each size and dtype reports the
 * share of the CPU other processes took meanwhile ("others", cpuLoad.ts) and each row the spread
 * of its rounds, so a figure measured under contention can be recognised as such.
 *
 * --json FILE writes {meta, records, rss, goals, checks}; one record per size, dtype and impl:
 * n, c, dtype, impl, logits_per_s, calls_per_s, seconds_per_call, ratio_vs_tfjs, ratio_vs_torch
 * (this impl's calls/s ÷ theirs), time_ratio_vs_forward, rounds, spread, others_cpu, paused_rounds (rounds
 * during which the row pool's splitting was paused, so the impl ran on one thread), absent.
 */
import { benchSmoothing, printSmoothing } from './smoothing';
import { benchStepsKinds, printStepsKinds, requestOf, type StepsKindFigure } from './stepsKinds';
import { benchTargetPaths, printTargetPaths } from './targetPaths';
import { printDetection, runDetectionBench, runDetectionRssProbe } from './detection';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { computeLoss, crossEntropy, crossEntropySteps, prepare, type Prepared } from '../../src/core/kernel/index';
import { forgetRowStats } from '../../src/core/kernel/input';
import { setKernelBackend, wasmForwardEligible } from '../../src/core/kernel/wasmForward';
import { getRowRunner, rowJobStats, setRowRunner } from '../../src/core/kernel/wasmKernel';
import { RowPool, installRowPool } from '../../src/worker/rowPool';
import type { DType, LossRequest } from '../../src/core/types';
import { makeData, makeRequest, type BenchData } from './data';
import { probeInChild, runProbe, type RssFigures } from './rssProbe';
import { checkSteps } from './steps';
import { loadTfjs, tfjsCase } from './tfjs';
import { median, timeRound, warmUp, type Round } from './timing';
import { CpuMeter } from './cpuLoad';
import { evaluateGoals } from './goals';
import { atTorchSize, goal, parseArgs, type ImplName, type Options } from './options';
import { checkLine, derive, errorText, header, mark, pad, printCell, si, splits, type Row } from './report';
import { TorchClient, pythonPath } from './torchClient';
import { benchPoolIdle, printPoolIdle, type PoolIdleFigures } from './poolIdle';

/** One implementation for one size and dtype. */
interface Runner {
  impl: ImplName;
  warm(seconds: number): Promise<number>;
  round(seconds: number): Promise<Round>;
  dispose(): Promise<void>;
}

function syncRunner(impl: ImplName, fn: () => number, dispose?: () => void): Runner {
  let batch = 1;
  return {
    impl,
    async warm(seconds) {
      const w = warmUp(fn, seconds);
      batch = w.batch;
      return w.secondsPerCall;
    },
    async round(seconds) {
      return timeRound(fn, batch, seconds);
    },
    async dispose() {
      dispose?.();
    },
  };
}

interface Context {
  options: Options;
  torch: TorchClient | null;
  torchAbsent: string;
  tf: Awaited<ReturnType<typeof loadTfjs>> | null;
  dataDir: string;
  rows: Row[];
  checks: string[];
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Waits (at most ~1.5 s: a pause lasts pauseMs) until the pool splits again after a pause. */
async function splitResumed(pool: RowPool): Promise<void> {
  for (let i = 0; i < 75 && pool.splitPaused; i++) await new Promise((done) => setTimeout(done, 20));
}

async function benchCell(
  ctx: Context,
  data: BenchData,
  dtype: DType,
  files: { x: string; t: string } | null,
): Promise<void> {
  const { n, c } = data;
  const { options } = ctx;
  const req: LossRequest = makeRequest(data, dtype);
  const prepared: Prepared = prepare(req);
  const runners: Runner[] = [];
  const absent: Array<[ImplName, string]> = [];
  const losses: Array<[string, number]> = [];

  const forward = crossEntropy(prepared, false);
  losses.push(['ours', forward.loss]);
  runners.push(syncRunner('ours', () => crossEntropy(prepared, false).loss));
  const pool = getRowRunner();
  if (pool && pool.threads > 1) {
    runners.push(
      syncRunner('ours-1thread', () => {
        setRowRunner(null);
        try {
          return crossEntropy(prepared, false).loss;
        } finally {
          setRowRunner(pool);
        }
      }),
    );
  }
  if (dtype === 'float32') {
    setKernelBackend('scalar');
    const scalar = crossEntropy(prepared, false);
    setKernelBackend('auto');
    losses.push(['ours-scalar', scalar.loss]);
    runners.push(
      syncRunner('ours-scalar', () => {
        setKernelBackend('scalar');
        try {
          return crossEntropy(prepared, false).loss;
        } finally {
          setKernelBackend('auto');
        }
      }),
    );
  }
  runners.push(
    syncRunner('ours+prepare', () => {
      const out = computeLoss(req);
      return out.ok ? out.result.loss : NaN;
    }),
  );
  const oneShot = computeLoss(req);
  if (!oneShot.ok || !Object.is(oneShot.result.loss, forward.loss)) {
    ctx.checks.push(
      `${n}×${c} ${dtype}: computeLoss ${oneShot.ok ? oneShot.result.loss : 'failed'} ≠ forward ${forward.loss}`,
    );
  }

  const stepsProblem = checkSteps(prepared, crossEntropySteps(prepared));
  if (stepsProblem) ctx.checks.push(`${n}×${c} ${dtype}: ours-steps check failed: ${stepsProblem}`);
  runners.push(
    syncRunner('ours-steps', () => {
      const s = crossEntropySteps(prepared);
      return s.loss + s.softmax[0] + s.logSoftmax[s.logSoftmax.length - 1];
    }),
  );
  const graded = crossEntropy(prepared, true);
  if (graded.loss !== forward.loss && !(graded.loss !== graded.loss && forward.loss !== forward.loss)) {
    ctx.checks.push(`${n}×${c} ${dtype}: grad path loss ${graded.loss} ≠ forward ${forward.loss}`);
  }
  // Cold: the row statistics the previous call left are forgotten first, so every call computes
  // them (max, Σexp, then the gradient) as a fresh request's gradient does.
  runners.push(
    syncRunner('ours-grad', () => {
      forgetRowStats(prepared);
      return crossEntropy(prepared, true).loss;
    }),
  );
  // After a forward (or any gradient or steps) on the same Prepared: the kept statistics are
  // read, the rows once.
  runners.push(syncRunner('ours-grad-known', () => crossEntropy(prepared, true).loss));

  // Probability targets (issue 11: their gradient ≤ 2× their forward), at the goals' sizes only:
  // their targets are a second N·C array in the source and in the workspace.
  if (atTorchSize(n, c)) {
    const soft: Prepared = prepare(requestOf(data, dtype, 'probabilities'));
    const softForward = crossEntropy(soft, false).loss;
    const softGraded = crossEntropy(soft, true).loss;
    if (!Object.is(softGraded, softForward)) {
      ctx.checks.push(`${n}×${c} ${dtype}: probability-target grad path loss ${softGraded} ≠ forward ${softForward}`);
    }
    runners.push(syncRunner('ours-prob', () => crossEntropy(soft, false).loss));
    runners.push(
      syncRunner('ours-prob-grad', () => {
        forgetRowStats(soft);
        return crossEntropy(soft, true).loss;
      }),
    );
  }

  if (!options.tfjs) absent.push(['tfjs-cpu', 'disabled (--no-tfjs)']);
  else if (dtype !== 'float32') absent.push(['tfjs-cpu', 'tfjs has no float64']);
  else if (ctx.tf && 'absent' in ctx.tf) absent.push(['tfjs-cpu', ctx.tf.absent]);
  else if (ctx.tf) {
    const tc = tfjsCase(ctx.tf, data);
    losses.push(['tfjs', tc.call()]);
    runners.push(
      syncRunner(
        'tfjs-cpu',
        () => tc.call(),
        () => tc.dispose(),
      ),
    );
  }

  const torch = ctx.torch;
  if (!torch || !files) absent.push(['torch', ctx.torchAbsent]);
  else {
    const key = `${n}x${c}-${dtype}`;
    try {
      losses.push(['torch', await torch.load(key, n, c, dtype, files.x, files.t)]);
      runners.push({
        impl: 'torch',
        async warm(seconds) {
          const r = await torch.round(key, seconds);
          return r.seconds / r.calls;
        },
        round: (seconds) => torch.round(key, seconds),
        dispose: () => torch.drop(key),
      });
    } catch (err) {
      absent.push(['torch', errorText(err)]);
    }
  }
  ctx.checks.push(checkLine(n, c, dtype, losses));

  // Warm-up, then the number of rounds. A call longer than a round (tfjs at the big sizes takes
  // seconds) makes each round one call, and such an impl gets only the rounds that fit in
  // rounds × 0.5 s, but at least 3 (1 with --quick), so the whole run stays within a few minutes.
  // An impl that fails (the python child dying, say) becomes an absent row, not a failed run.
  const failed = new Map<Runner, string>();
  const wanted = new Map<Runner, number>();
  const budget = options.rounds * Math.max(options.roundSeconds, 0.5);
  for (const r of runners) {
    gc();
    try {
      const perCall = await r.warm(options.warmSeconds);
      const slow = perCall > options.roundSeconds;
      wanted.set(
        r,
        slow ? Math.min(options.rounds, Math.max(options.quick ? 1 : 3, Math.floor(budget / perCall))) : options.rounds,
      );
    } catch (err) {
      failed.set(r, errorText(err));
    }
  }
  const rounds = new Map<Runner, Round[]>(runners.map((r) => [r, []]));
  // Rounds during which the pool did not split (paused at the start or pausing meanwhile): a split
  // row's are run again, up to options.rounds of them, in further passes (see the file comment).
  const paused = new Map<Runner, number>();
  const split = getRowRunner() instanceof RowPool ? (getRowRunner() as RowPool) : null;
  for (let k = 0; k < 2 * options.rounds; k++) {
    for (let j = 0; j < runners.length; j++) {
      const r = runners[(j + k) % runners.length];
      const done = rounds.get(r) as Round[];
      if (failed.has(r) || done.length >= (wanted.get(r) ?? 0)) continue;
      const splitRow = split !== null && splits(r.impl);
      if (!splitRow && k >= options.rounds) continue;
      gc();
      if (splitRow) await splitResumed(split);
      try {
        const before = split ? split.pauses : 0;
        const pausedAtStart = split?.splitPaused ?? false;
        const round = await r.round(options.roundSeconds);
        const wasPaused = split !== null && (pausedAtStart || split.pauses > before);
        if (wasPaused) paused.set(r, (paused.get(r) ?? 0) + 1);
        // Kept when it is not a split row's or that row has been run again enough times already.
        if (!wasPaused || !splitRow || (paused.get(r) ?? 0) > options.rounds) done.push(round);
      } catch (err) {
        failed.set(r, errorText(err));
      }
    }
  }
  for (const r of runners) {
    await r.dispose().catch(() => undefined);
    const why = failed.get(r);
    if (why !== undefined) {
      absent.push([r.impl, `failed: ${why}`]);
      continue;
    }
    const rs = rounds.get(r) as Round[];
    const rates = rs.map((x) => x.calls / x.seconds);
    const callsPerS = median(rates);
    const cpuPerCall = median(rs.map((x) => x.cpuSeconds / x.calls));
    ctx.rows.push({
      n,
      c,
      dtype,
      impl: r.impl,
      absent: null,
      rounds: rs,
      callsPerS,
      logitsPerS: callsPerS * n * c,
      secondsPerCall: 1 / callsPerS,
      spread: (Math.max(...rates) - Math.min(...rates)) / callsPerS,
      cpuPerCall,
      pausedRounds: paused.get(r) ?? 0,
    });
  }
  for (const [impl, why] of absent) {
    ctx.rows.push({
      n,
      c,
      dtype,
      impl,
      absent: why,
      rounds: [],
      callsPerS: NaN,
      logitsPerS: NaN,
      secondsPerCall: NaN,
      cpuPerCall: NaN,
      spread: NaN,
    });
  }
}

function findScript(): string | null {
  const candidates = [
    resolve(__dirname, '..', 'test', 'bench', 'torch_bench.py'),
    resolve(process.cwd(), 'test', 'bench', 'torch_bench.py'),
  ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

function tfjsVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs-core/package.json'), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--det-rss-probe') {
    runDetectionRssProbe(argv[1]);
    return;
  }
  if (argv[0] === '--rss-probe') {
    const m = /^(\d+)x(\d+)$/.exec(argv[1] ?? '');
    if (!m || (argv[2] !== 'float32' && argv[2] !== 'float64'))
      throw new Error('usage: --rss-probe NxC float32|float64');
    runProbe(Number(m[1]), Number(m[2]), argv[2]);
    return;
  }
  const options = parseArgs(argv);
  if (!(globalThis as { gc?: unknown }).gc) console.log('note: run with node --expose-gc for steadier figures');
  if (options.detectionOnly) {
    const dir = mkdtempSync(join(tmpdir(), 'loss-bench-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    console.log(
      `loss-inspector detection bench — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}`,
    );
    const load0 = loadavg()[0];
    const figures = runDetectionBench(__filename, dir, options.quick);
    const goals = printDetection(figures);
    console.log(
      `1-min load average ${load0.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end, on ${cpus().length} cores.`,
    );
    if (options.json)
      writeFileSync(options.json, `${JSON.stringify({ detection: figures, detection_goals: goals }, null, 2)}\n`);
    return;
  }
  if (options.pathsOnly) {
    const pool = options.threads > 1 ? installRowPool(options.threads - 1) : null;
    console.log(
      `loss-inspector target paths bench — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}; ` +
        `threads: ${pool ? pool.threads : 1}; 1-min load average ${loadavg()[0].toFixed(2)}`,
    );
    const figures = benchTargetPaths(options.sizes, options.dtypes, options.rounds, options.roundSeconds);
    printTargetPaths(figures);
    console.log(`1-min load average ${loadavg()[0].toFixed(2)} at the end.`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify({ target_paths: figures }, null, 2)}\n`);
    pool?.dispose();
    return;
  }
  if (options.stepsOnly) {
    const pool = options.threads > 1 ? installRowPool(options.threads - 1) : null;
    console.log(
      `loss-inspector steps bench — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}; ` +
        `threads: ${pool ? pool.threads : 1}; 1-min load average ${loadavg()[0].toFixed(2)}`,
    );
    const checks: string[] = [];
    const kinds = benchStepsKinds(options.sizes, options.dtypes, options.rounds, options.roundSeconds, checks);
    printStepsKinds(kinds);
    for (const line of checks) console.log(`  ${line}`);
    console.log(`1-min load average ${loadavg()[0].toFixed(2)} at the end.`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify({ steps_kinds: kinds, checks }, null, 2)}\n`);
    pool?.dispose();
    return;
  }
  const started = Date.now();
  const ctx: Context = {
    options,
    torch: null,
    torchAbsent: 'disabled (--no-torch)',
    tf: null,
    dataDir: mkdtempSync(join(tmpdir(), 'loss-bench-')),
    rows: [],
    checks: [],
  };
  process.on('exit', () => rmSync(ctx.dataDir, { recursive: true, force: true }));
  // RSS probes first, while this process is small (see rssProbe.ts); printed at the end.
  const rssRuns: Array<[DType, RssFigures | { absent: string }]> = options.rss
    ? options.dtypes.map((dtype) => [dtype, probeInChild(__filename, 16384, 1000, dtype)])
    : [];

  if (options.torch) {
    const script = findScript();
    if (!script) ctx.torchAbsent = 'test/bench/torch_bench.py not found';
    else {
      const t = await TorchClient.start(script);
      if ('absent' in t) ctx.torchAbsent = t.absent;
      else ctx.torch = t;
    }
  }
  if (options.tfjs) ctx.tf = await loadTfjs();
  const pool: RowPool | null = options.threads > 1 ? installRowPool(options.threads - 1) : null;

  console.log(`loss-inspector kernel bench — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}`);
  console.log(
    `tfjs-core ${ctx.tf && !('absent' in ctx.tf) ? `${tfjsVersion()} (backend ${ctx.tf.getBackend()})` : `absent: ${ctx.tf && 'absent' in ctx.tf ? ctx.tf.absent : 'disabled'}`}; ` +
      `torch ${ctx.torch ? `${ctx.torch.version} via ${pythonPath}, ${ctx.torch.threads} thread(s)` : `absent: ${ctx.torchAbsent}`}`,
  );
  console.log(
    `threads: ours ${pool ? `${pool.threads} (the calling thread + ${pool.threads - 1} row-pool helper(s); ours-1thread: 1)` : '1 (no row pool)'}, ` +
      `torch ${ctx.torch ? ctx.torch.threads : '—'}, tfjs-cpu 1.`,
  );
  console.log(
    `median of ${options.rounds} interleaved rounds of ≥ ${options.roundSeconds * 1000} ms each (fewer, one call each, where a call takes seconds); ` +
      `float32 forward: WebAssembly SIMD ${wasmForwardEligible(1, 1 << 20) ? '(exp ≤ 1 float32 ulp)' : 'UNAVAILABLE (scalar path)'} from 32 logits, ` +
      'else fastExpNonPositive (≤ 1e-13 relative before rounding to float32).',
  );
  console.log(
    'vs tfjs / vs torch: ours ÷ theirs in calls/s (>1 = ours faster); ×fwd: time per call ÷ ours forward ' +
      '(ours-prob-grad: ÷ ours-prob, its own forward); split rows: rounds in which splitting paused are run again; ' +
      'spread: ±half the range of the rounds around the median; cpu×th: torch CPU time per call ÷ ours ' +
      '(all our threads; for ours-1thread the per-core efficiency, which other processes disturb far less ' +
      'than the wall clock).',
  );
  const loadStart = loadavg()[0];
  console.log(
    `1-min load average ${loadStart.toFixed(2)} on ${cpus().length} cores. "others" after each size and dtype: the share of all ` +
      'cores other processes used meanwhile — above ~10% the figures are low and noisy.\n',
  );
  header();

  const meter = new CpuMeter(() => ctx.torch?.pid);
  const whole = new CpuMeter(() => ctx.torch?.pid);
  for (const [n, c] of options.sizes) {
    gc();
    const data = makeData(n, c);
    let files: { x: string; t: string } | null = null;
    if (ctx.torch) {
      files = { x: join(ctx.dataDir, `${n}x${c}.x.f64`), t: join(ctx.dataDir, `${n}x${c}.t.f64`) };
      writeFileSync(files.x, new Uint8Array(data.logits.buffer, data.logits.byteOffset, data.logits.byteLength));
      writeFileSync(files.t, new Uint8Array(data.targets.buffer, data.targets.byteOffset, data.targets.byteLength));
    }
    for (const dtype of options.dtypes) {
      meter.lap();
      await benchCell(ctx, data, dtype, files);
      const others = meter.lap();
      for (const r of ctx.rows) if (r.n === n && r.c === c && r.dtype === dtype) r.othersCpu = others;
      printCell(ctx.rows, n, c, dtype);
      console.log(
        `${' '.repeat(21)}others: ${others === null ? 'unknown' : `${Math.round(others * 100)}% of the CPU`}`,
      );
    }
    if (files) {
      rmSync(files.x, { force: true });
      rmSync(files.t, { force: true });
    }
  }
  const othersWhole = whole.lap();
  ctx.torch?.close();

  const rss: RssFigures[] = [];
  if (options.rss) {
    console.log('\nPeak RSS of computeLoss in a fresh process (input built as a float64 source array, as parsed):');
    for (const [dtype, r] of rssRuns) {
      if ('absent' in r) {
        console.log(`  (16384, 1000) ${dtype}: ${r.absent}`);
        continue;
      }
      rss.push(r);
      const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
      console.log(
        `  (16384, 1000) ${dtype}: peak − baseline ${mb(r.peak_above_baseline_bytes)} (source array ${mb(r.after_input_bytes - r.baseline_bytes)}, kernel ${mb(r.kernel_extra_bytes)}); ` +
          `vs input in ${dtype} (${mb(r.input_bytes_dtype)}) ${r.ratio_vs_dtype_input.toFixed(2)}× ${mark(r.ratio_vs_dtype_input < goal.rssFactor)}; ` +
          `vs float64 source (${mb(r.input_bytes_source)}) ${r.ratio_vs_source_input.toFixed(2)}× ${mark(r.ratio_vs_source_input < goal.rssFactor)}`,
      );
    }
  }

  let kinds: StepsKindFigure[] = [];
  if (!options.kernelOnly) {
    // Label smoothing against none, on the panel's (64, 50 257) pair and (256, 1000), same run.
    const smoothing = benchSmoothing(
      [
        [64, 50257],
        [256, 1000],
      ],
      options.dtypes,
      options.quick ? 3 : 5,
      options.quick ? 0.1 : 0.3,
    );
    printSmoothing(smoothing);

    // The steps per kind of request against the same request's forward, at the goal's sizes.
    kinds = benchStepsKinds(
      options.sizes.filter(([n, c]) => atTorchSize(n, c)),
      options.dtypes,
      options.quick ? 2 : 3,
      options.roundSeconds,
      ctx.checks,
    );
    printStepsKinds(kinds);

    // Probability targets and the gradients against the class-index forward, same sizes.
    printTargetPaths(
      benchTargetPaths(
        options.sizes.filter(([n, c]) => atTorchSize(n, c)),
        options.dtypes,
        options.quick ? 2 : 3,
        options.roundSeconds,
      ),
    );
  }

  console.log('\nLoss values (same data in every implementation):');
  for (const line of ctx.checks) console.log(`  ${line}`);

  const detection = options.detection ? runDetectionBench(__filename, ctx.dataDir, options.quick) : null;
  const detectionGoals = detection ? printDetection(detection) : [];

  const goals = evaluateGoals(ctx.rows, rss, kinds);
  console.log('\nGoals:');
  for (const g of goals) {
    const v = g.value === null ? '—' : Math.abs(g.value) >= 1e4 ? si(g.value) : g.value.toFixed(2);
    const sign = g.target === 'info' ? '·' : g.met === null ? '?' : mark(g.met);
    const target = g.target === 'info' ? '(no goal)' : `(goal ${g.target})`;
    console.log(`  ${sign} ${pad(g.goal, 66)} ${pad(v, 10, true)}  ${target}`);
  }
  let idle: PoolIdleFigures | null = null;
  if (pool) {
    const jobs = rowJobStats();
    console.log(
      `\nrow pool: ${jobs.splitJobs} of ${jobs.jobs} kernel jobs split across ${pool.threads} threads; ` +
        `the helper thread(s) ran ${pool.helperChunks} chunks; splitting paused ${pool.pauses} time(s) ` +
        'because split jobs stopped saving time (a busy machine: src/worker/splitGauge.ts).',
    );
    idle = benchPoolIdle(pool);
    printPoolIdle(idle);
  }
  console.log(
    `\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s; other processes used ` +
      `${othersWhole === null ? 'an unknown share' : `${Math.round(othersWhole * 100)}%`} of the CPU during the timed part` +
      `${othersWhole !== null && othersWhole > 0.1 ? ' — rerun on a quieter machine for figures to quote' : ''}.`,
  );

  if (options.json) {
    const records = ctx.rows.map((r) => {
      const d = derive(ctx.rows, r);
      const num = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);
      return {
        n: r.n,
        c: r.c,
        dtype: r.dtype,
        impl: r.impl,
        logits_per_s: num(r.logitsPerS),
        calls_per_s: num(r.callsPerS),
        seconds_per_call: num(r.secondsPerCall),
        ratio_vs_tfjs: num(d.ratioVsTfjs),
        ratio_vs_torch: num(d.ratioVsTorch),
        time_ratio_vs_forward: num(d.timeRatioVsForward),
        cpu_ratio_vs_forward: num(d.cpuRatioVsForward),
        cpu_seconds_per_call: num(r.cpuPerCall),
        cpu_ratio_vs_torch: num(d.cpuRatioVsTorch),
        rounds: r.rounds.length,
        spread: num(r.spread),
        others_cpu: r.othersCpu ?? null,
        paused_rounds: r.pausedRounds ?? 0,
        absent: r.absent,
      };
    });
    const out = {
      meta: {
        date: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model ?? null,
        cores: cpus().length,
        tfjs: ctx.tf && !('absent' in ctx.tf) ? tfjsVersion() : null,
        torch: ctx.torch ? { version: ctx.torch.version, threads: ctx.torch.threads } : null,
        ours_threads: pool ? pool.threads : 1,
        pool_helper_chunks: pool ? pool.helperChunks : null,
        pool_pauses: pool ? pool.pauses : null,
        pool_idle: idle,
        torch_absent: ctx.torch ? null : ctx.torchAbsent,
        rounds: options.rounds,
        round_seconds: options.roundSeconds,
        quick: options.quick,
        others_cpu: othersWhole,
        load_average_start: loadStart,
        ratios:
          'ratio_vs_tfjs / ratio_vs_torch: this impl calls/s ÷ theirs (>1 = faster); time_ratio_vs_forward: seconds per call ÷ ours forward; spread: (max − min) / median of the rounds; others_cpu: share of all cores other processes used meanwhile; paused_rounds: rounds during which the row pool did not split (splitGauge.ts)',
      },
      records,
      rss,
      goals,
      checks: ctx.checks,
      detection,
      detection_goals: detectionGoals,
      steps_kinds: kinds,
    };
    writeFileSync(options.json, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`wrote ${options.json}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
