/**
 * A pool of worker_threads that runs the kernel's row jobs (src/core/kernel/wasmKernel.ts) on
 * rows of a shared wasm memory: the calling thread and the helpers take chunks of rows from one
 * atomic counter, each with its own instance of the kernel module over the same memory, so the
 * rows are split without copying anything. Installed with {@link installRowPool}; the kernel
 * then splits large jobs itself (runJob), and its API stays synchronous: the caller works on
 * chunks too and waits (Atomics.wait) only for the chunks helpers are still finishing.
 *
 * Protocol (one Int32Array over a SharedArrayBuffer, `ctrl`):
 *   SEQ    job number; helpers sleep in Atomics.wait on it between jobs
 *   CLAIM  seq mod 4096 (bits 20–31) | chunks taken from the back (10–19) | from the front
 *          (0–9): the caller takes chunks from the front (0, 1, …), helpers from the back
 *          (last, last − 1, …) until the two meet, each with a compare-exchange that checks
 *          the job number, so a helper that wakes late cannot take a chunk of another job; once
 *          taken, the job cannot finish before the chunk does, so the parameters a helper reads
 *          after taking it are that job's. From both ends, a thread takes about the same rows
 *          job after job (the caller the first ones, the helper the last), so the rows and the
 *          outputs it wrote in the previous job are still in its core's cache, where taking
 *          chunks in turn from one counter shuffled them between cores at every job
 *   TOTAL  the job's chunks
 *   DONE   chunks finished (Atomics.notify after each)
 *   the job's parameters: rows per chunk, rows, function, memory id, argument count
 * and, in a second shared buffer of float64 (`argv`), the arguments and their strides: float64
 * so that a function's float arguments (1 − ε, ε / C, g0 of the probability-target rows) travel
 * with their bits, as integers do
 *   HELPED chunks helpers have run since the pool started (the bench and tests read it)
 *   ASLEEP helpers sleeping in Atomics.wait (the tests read it)
 *   BUSY+h chunk + 1 helper h is running (0: none), for inspection
 * Between jobs a helper stays awake for {@link stayHotMicros}, watching SEQ, before it sleeps: a burst
 * of jobs (the bench's calls, a panel recomputing) finds it running, so it takes chunks at once
 * instead of after a wake-up, and an idle pool costs at most that much CPU per helper after its
 * last job, then nothing.
 * Memories travel to the helpers once, by postMessage on a port the helper reads synchronously
 * (receiveMessageOnPort) when a job names a memory it does not have; each side keeps the same
 * short list of recent memories and drops the oldest, so a helper never holds many.
 *
 * The helpers run a small self-contained function (no imports: a string of it is their code,
 * evaluated with `eval: true`), so the pool works from the bundles and from the TypeScript tests
 * alike, with no extra entry point.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type * as WorkerThreads from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import {
  runRows,
  setRowRunner,
  wasmCompiled,
  type RowJob,
  type RowRunner,
  type Workspace,
} from '../core/kernel/wasmKernel';
import type { RowFunction } from '../core/kernel/wasmKernelModule';
import { SplitGauge } from './splitGauge';

const SEQ = 0;
const CLAIM = 1;
const DONE = 2;
const RPC = 3;
const NROWS = 4;
const FN = 5;
const MEM = 6;
const NARGS = 7;
const TOTAL = 8;
const STOP = 24;
const HELPED = 25;
const HOT = 26;
const ASLEEP = 27;
const BUSY = 32;
const ctrlInts = 64;
/** Most arguments of a row job (argv holds this many arguments, then as many strides). */
const maxArgs = 16;

/** The row functions a job may name, by index (the same list on both sides). */
const functions = [
  'rows_f32',
  'rows_f64s',
  'rows_f64',
  'steps_f32',
  'steps_f64',
  'grad_f32',
  'grad_f64',
  'smooth_f32',
  'smooth_f64',
  'stepsSmooth_f32',
  'stepsSmooth_f64',
  'gradG_f32',
  'gradG_f64',
  'smoothGrad_f32',
  'smoothGrad_f64',
  'prob_f32',
  'prob_f64',
  'probSmooth_f32',
  'probSmooth_f64',
  'probGrad_f32',
  'probGrad_f64',
  'probGradSmooth_f32',
  'probGradSmooth_f64',
  'stepsProb_f32',
  'stepsProb_f64',
  'stepsProbSmooth_f32',
  'stepsProbSmooth_f64',
] as const satisfies readonly RowFunction[];
/** Fails to compile when a row function of the module is missing above (its job would not run). */
const everyFunctionListed: [Exclude<RowFunction, (typeof functions)[number]>] extends [never] ? true : never = true;
void everyFunctionListed;

/**
 * Memories a helper keeps instantiated; older ones are dropped (and posted again if needed), as
 * are those whose workspace the kernel has let go of.
 */
const keptMemories = 3;
/** Most chunks per job (10 bits of CLAIM). */
const maxChunks = 1023;
/** Elements per chunk aimed at: ~20–40 µs of work, small against the cost of waking a thread. */
const chunkElements = 32768;
/** Jobs smaller than this (~65 µs of work) run on the calling thread alone. */
const minSplitElements = 65536;
/** Waiting for helpers' last chunks: spin this long before sleeping in Atomics.wait. */
const spinMs = 0.05;
/**
 * After a job a helper watches for the next one this long (µs) before it sleeps (see the
 * protocol). Measured on the project's 2-core VM (load 4–17, and under SCHED_FIFO standing in for
 * a quiet machine): a sleeping helper starts its first chunk p50 5–24 µs, p90 12–54 µs after the
 * job is posted, a hot one p50 0–1 µs; back-to-back (256, 1000) float32 forwards took 167 µs per
 * call with the helper sleeping between jobs and 138 µs with it hot (304 µs alone, same run).
 */
const stayHotMicros = 200;
/** Chunks the helpers run before the pool judges whether splitting pays (splitGauge.ts). */
const warmChunks = 256;
/** A chunk running this long means a helper is gone: the caller redoes the job (same bytes). */
const hangMs = 30_000;

/** Where each field lives in `ctrl` (see the protocol above); passed to the helpers. */
interface Layout {
  SEQ: number;
  CLAIM: number;
  DONE: number;
  RPC: number;
  NROWS: number;
  FN: number;
  MEM: number;
  NARGS: number;
  TOTAL: number;
  /** Where the strides start in argv. */
  maxArgs: number;
  STOP: number;
  HELPED: number;
  HOT: number;
  ASLEEP: number;
  BUSY: number;
}

/** The helpers' code. Self-contained: it is turned into a string and run in each helper. */
function helperMain(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wt = require('node:worker_threads') as typeof WorkerThreads;
  const data = wt.workerData as {
    ctrl: SharedArrayBuffer;
    argv: SharedArrayBuffer;
    port: MessagePort;
    module: object;
    names: readonly string[];
    index: number;
    layout: Layout;
  };
  const L = data.layout;
  const ctrl = new Int32Array(data.ctrl);
  const argv = new Float64Array(data.argv);
  // Every index read is inside ctrl (the layout below is fixed): `?? 0` only satisfies the types.
  const at = (i: number): number => ctrl[i] ?? 0;
  const W = (globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => { exports: object } } })
    .WebAssembly;
  const instances = new Map<number, Record<string, (...a: number[]) => void>>();
  const drain = (): void => {
    for (;;) {
      const m = wt.receiveMessageOnPort(data.port) as
        { message: { add?: number; drop?: number; memory?: object } } | undefined;
      if (!m) return;
      const msg = m.message;
      if (msg.drop !== undefined) instances.delete(msg.drop);
      else if (msg.add !== undefined) {
        const inst = new W.Instance(data.module, { env: { memory: msg.memory, log: Math.log } });
        instances.set(msg.add, inst.exports as Record<string, (...a: number[]) => void>);
      }
    }
  };
  let seen = Atomics.load(ctrl, L.SEQ);
  for (;;) {
    // Hot for a while after a job (bounded: then it sleeps and costs nothing).
    const until = performance.now() + at(L.HOT) / 1000;
    while (Atomics.load(ctrl, L.SEQ) === seen && performance.now() < until);
    Atomics.add(ctrl, L.ASLEEP, 1);
    Atomics.wait(ctrl, L.SEQ, seen);
    Atomics.sub(ctrl, L.ASLEEP, 1);
    if (Atomics.load(ctrl, L.STOP)) return;
    seen = Atomics.load(ctrl, L.SEQ);
    drain();
    for (;;) {
      const w = Atomics.load(ctrl, L.CLAIM);
      const back = (w >>> 10) & 1023;
      // Read after w: while w's job has chunks left it cannot end, so this is its count (a later
      // job's would come with a CLAIM of another number, and the exchange below would fail).
      const total = Atomics.load(ctrl, L.TOTAL);
      if (w >>> 20 !== (seen & 4095) || (w & 1023) + back >= total) break;
      if (Atomics.compareExchange(ctrl, L.CLAIM, w, w + 1024) !== w) continue;
      const next = total - 1 - back;
      Atomics.store(ctrl, L.BUSY + data.index, next + 1);
      const id = at(L.MEM);
      let fns = instances.get(id);
      if (!fns) {
        drain();
        fns = instances.get(id);
      }
      if (fns) {
        const rpc = at(L.RPC);
        const r0 = next * rpc;
        const rows = Math.min(at(L.NROWS) - r0, rpc);
        const a: number[] = [];
        for (let i = 0; i < at(L.NARGS); i++) {
          const stride = argv[L.maxArgs + i] ?? 0;
          const v = argv[i] ?? 0;
          a.push(i === 1 ? rows : stride === 0 ? v : v + r0 * stride);
        }
        const fn = fns[data.names[at(L.FN)] ?? ''];
        if (!fn) throw new Error(`row pool helper: no row function ${at(L.FN)}`);
        fn(...a);
      }
      // Without the memory (cannot happen: it is posted before the job) the chunk stays undone
      // and the caller's hang guard redoes the job.
      Atomics.store(ctrl, L.BUSY + data.index, 0);
      if (fns) {
        Atomics.add(ctrl, L.HELPED, 1);
        Atomics.add(ctrl, L.DONE, 1);
        Atomics.notify(ctrl, L.DONE);
      }
    }
  }
}

/**
 * The pool: the calling thread plus `threads − 1` worker threads, started on the first job worth
 * splitting (a thread takes tens of ms to start; a CLI run that never splits never pays it).
 */
export class RowPool implements RowRunner {
  readonly threads: number;
  private readonly ctrl: Int32Array;
  private readonly argv: Float64Array;
  private readonly helpers: Array<{ worker: Worker; port: MessagePort }> = [];
  /** Ids of the memories the helpers hold, oldest first. */
  private readonly held: number[] = [];
  /** A workspace the kernel has let go of is let go of by the helpers too. */
  private readonly finalizer = new FinalizationRegistry<number>((id) => this.release(id));
  private seq = 0;
  private broken = false;
  /**
   * The last split job: its chunks, how many the caller ran, and whether those were the first
   * ones (0, 1, … in order), as taking from the front means (the tests read it).
   */
  readonly lastSplit = { chunks: 0, caller: 0, callerFirst: true };
  /** Whether split jobs still save time (splitGauge.ts). */
  private readonly gauge = new SplitGauge();
  /** Whether splitting pauses when it stops paying (splitGauge.ts); tests turn it off. */
  adaptive = true;

  private constructor(
    private readonly module: object,
    helpers: number,
  ) {
    this.ctrl = new Int32Array(new SharedArrayBuffer(ctrlInts * 4));
    this.argv = new Float64Array(new SharedArrayBuffer(2 * maxArgs * 8));
    this.threads = helpers + 1;
    this.ctrl[HOT] = stayHotMicros;
  }

  /** Times splitting was paused because split jobs stopped saving time (a busy machine). */
  get pauses(): number {
    return this.gauge.pauses;
  }

  /** Whether splitting is paused right now (split jobs stopped saving time: splitGauge.ts). */
  get splitPaused(): boolean {
    return this.adaptive && !this.gauge.allows(performance.now());
  }

  /** How long (µs) helpers stay awake after a job before sleeping; 0: they sleep at once. */
  get hotMicros(): number {
    return Atomics.load(this.ctrl, HOT);
  }

  set hotMicros(us: number) {
    Atomics.store(this.ctrl, HOT, Math.max(0, Math.round(us)));
  }

  /** Helpers sleeping in Atomics.wait right now (started helpers that are neither hot nor busy). */
  get sleepingHelpers(): number {
    return Atomics.load(this.ctrl, ASLEEP);
  }

  /** Chunks the helper threads have run (the rest ran on the calling thread). */
  get helperChunks(): number {
    return Atomics.load(this.ctrl, HELPED);
  }

  /** Whether the helper threads have been started. */
  get started(): boolean {
    return this.helpers.length > 0;
  }

  private start(): void {
    const layout: Layout = {
      SEQ,
      CLAIM,
      DONE,
      RPC,
      NROWS,
      FN,
      MEM,
      NARGS,
      TOTAL,
      maxArgs,
      STOP,
      HELPED,
      HOT,
      ASLEEP,
      BUSY,
    };
    const module = this.module;
    for (let index = 0; index < this.threads - 1; index++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(`(${helperMain.toString()})()`, {
        eval: true,
        workerData: {
          ctrl: this.ctrl.buffer,
          argv: this.argv.buffer,
          port: port2,
          module,
          names: functions,
          index,
          layout,
        },
        transferList: [port2],
      });
      // The helpers sleep in Atomics.wait between jobs: they must not keep the process alive.
      worker.unref();
      port1.unref();
      worker.on('error', () => this.fail());
      worker.on('exit', () => this.fail());
      this.helpers.push({ worker, port: port1 });
    }
  }

  /**
   * A pool with `helpers` threads besides the caller (default: one per other core, at most 3),
   * or null when there is nothing to split with (one core, no shared wasm memory).
   */
  static create(helpers = Math.min(3, availableParallelism() - 1)): RowPool | null {
    const c = wasmCompiled();
    if (!c || !c.shared || helpers < 1) return null;
    return new RowPool(c.module, helpers);
  }

  worthSplitting(rows: number, C: number): boolean {
    if (this.broken || rows < 2 || rows * C < minSplitElements) return false;
    return !this.adaptive || this.gauge.allows(performance.now());
  }

  run(ws: Workspace, job: RowJob): void {
    if (this.broken || !ws.shared || job.args.length > maxArgs) {
      runRows(ws, job, 0, job.nRows);
      return;
    }
    if (!this.started) this.start();
    this.hold(ws);
    const ctrl = this.ctrl;
    let rpc = Math.max(1, Math.floor(chunkElements / Math.max(1, job.C)));
    // At least two chunks per thread where the rows allow, at most maxChunks.
    rpc = Math.min(rpc, Math.max(1, Math.floor(job.nRows / (2 * this.threads))));
    rpc = Math.max(rpc, Math.ceil(job.nRows / maxChunks));
    const total = Math.ceil(job.nRows / rpc);
    this.seq = (this.seq + 1) | 0;
    // Closed first: this job's number with no chunk left, so a helper still looking at the last
    // job's CLAIM cannot take a chunk with this job's TOTAL (its exchange fails: CLAIM changed)
    // and one that sees this value takes nothing until the job is posted below.
    Atomics.store(ctrl, CLAIM, ((this.seq & 4095) << 20) | 0xfffff);
    ctrl[RPC] = rpc;
    ctrl[NROWS] = job.nRows;
    ctrl[FN] = functions.indexOf(job.fn);
    ctrl[MEM] = ws.id;
    ctrl[NARGS] = job.args.length;
    // Atomic, after the closed CLAIM: a helper that reads this TOTAL then finds CLAIM changed (its exchange fails).
    Atomics.store(ctrl, TOTAL, total);
    for (let i = 0; i < job.args.length; i++) {
      this.argv[i] = job.args[i] ?? 0;
      this.argv[maxArgs + i] = job.strides[i] ?? 0;
    }
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, CLAIM, (this.seq & 4095) << 20);
    Atomics.store(ctrl, SEQ, this.seq);
    Atomics.notify(ctrl, SEQ);
    const t0 = performance.now();
    // The fastest time per row of the caller's chunks: the least disturbed by other processes.
    let perRow = Infinity;
    let mine = 0;
    let first = true;
    // The caller takes chunks like any helper, from the front.
    for (;;) {
      const w = Atomics.load(ctrl, CLAIM);
      const next = w & 1023;
      if (next + ((w >>> 10) & 1023) >= total) break;
      if (Atomics.compareExchange(ctrl, CLAIM, w, w + 1) !== w) continue;
      first &&= next === mine++;
      const r0 = next * rpc;
      const r1 = Math.min(job.nRows, r0 + rpc);
      const c0 = performance.now();
      runRows(ws, job, r0, r1);
      perRow = Math.min(perRow, (performance.now() - c0) / (r1 - r0));
      Atomics.add(ctrl, DONE, 1);
    }
    this.waitDone(ws, job, total);
    this.lastSplit.chunks = total;
    this.lastSplit.caller = mine;
    this.lastSplit.callerFirst = first;
    // Not while the helpers warm up: a helper thread starts ~60 ms after the first split job, and
    // its first few hundred chunks run its code cold (measured at (256, 1000): split jobs took as
    // long as the caller alone until then, then 0.57× — probe in the commit). Judged then,
    // splitting paused, and while paused the helpers stayed cold: it never split for long.
    if (this.adaptive && perRow < Infinity && this.helperChunks >= warmChunks) {
      const now = performance.now();
      this.gauge.record(perRow * job.nRows, now - t0, now);
    }
  }

  /** Waits for the chunks helpers took; after {@link hangMs} redoes the job here (same bytes). */
  private waitDone(ws: Workspace, job: RowJob, total: number): void {
    const ctrl = this.ctrl;
    const start = performance.now();
    let d = Atomics.load(ctrl, DONE);
    while (d < total && performance.now() - start < spinMs) d = Atomics.load(ctrl, DONE);
    while (d < total) {
      if (performance.now() - start > hangMs) {
        // A helper holding a chunk this long is gone (or hopelessly starved): stop splitting and
        // compute the whole job here. The kernel is deterministic, so a late helper writes the
        // same bytes.
        this.fail();
        runRows(ws, job, 0, job.nRows);
        return;
      }
      Atomics.wait(ctrl, DONE, d, 100);
      d = Atomics.load(ctrl, DONE);
    }
  }

  /** Makes sure the helpers have `ws`'s memory, dropping the oldest beyond {@link keptMemories}. */
  private hold(ws: Workspace): void {
    if (this.held.includes(ws.id)) return;
    const oldest = this.held[0];
    if (this.held.length >= keptMemories && oldest !== undefined) this.release(oldest);
    this.held.push(ws.id);
    this.finalizer.register(ws, ws.id);
    for (const h of this.helpers) h.port.postMessage({ add: ws.id, memory: ws.memory });
  }

  /** Tells the helpers to let go of memory `id` (if they hold it). */
  private release(id: number): void {
    const at = this.held.indexOf(id);
    if (at < 0) return;
    this.held.splice(at, 1);
    for (const h of this.helpers) h.port.postMessage({ drop: id });
  }

  /** Stops splitting (a helper failed or exited): jobs run on the calling thread from now on. */
  private fail(): void {
    if (this.broken) return;
    this.broken = true;
    if (installed === this) setRowRunner(null);
  }

  /** Ends the helpers. Jobs after this run on the calling thread. */
  dispose(): void {
    this.broken = true;
    Atomics.store(this.ctrl, STOP, 1);
    Atomics.store(this.ctrl, SEQ, this.seq + 1);
    Atomics.notify(this.ctrl, SEQ);
    for (const h of this.helpers) {
      h.port.close();
      void h.worker.terminate();
    }
    if (installed === this) {
      setRowRunner(null);
      installed = null;
    }
  }
}

let installed: RowPool | null = null;

/**
 * Creates the pool (once per thread) and installs it as the kernel's row runner; returns it, or
 * null when this machine or runtime has nothing to split with. Call it where the kernel runs:
 * the analysis worker (workerMain.ts) and the bench. The CLI does not: it may import only
 * src/core (docs/architecture.md), and its inputs are rarely large enough to split.
 */
export function installRowPool(helpers?: number): RowPool | null {
  if (installed) return installed;
  const pool = RowPool.create(helpers);
  if (!pool) return null;
  installed = pool;
  setRowRunner(pool);
  return pool;
}

/** Removes and ends the installed pool, if any (tests, shutdown). */
export function uninstallRowPool(): void {
  installed?.dispose();
  installed = null;
}
