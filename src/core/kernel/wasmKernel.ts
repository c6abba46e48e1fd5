/**
 * The kernel's WebAssembly runtime: the compiled module (wasmKernelModule.ts), workspaces (a wasm
 * memory with an instance of the module over it) and the hook through which a pool of threads
 * (src/worker/rowPool.ts) runs row jobs. No Node imports: the pool lives outside core and plugs
 * in with {@link setRowRunner}.
 *
 * Two kinds of workspace:
 * - the scratch workspace, one per thread, growable: small inputs and inputs read straight from
 *   the request's float64 source are copied into it chunk by chunk;
 * - an input workspace per prepared input (input.ts): the input in the working dtype lives in it
 *   for good, next to room for the per-row statistics and the materialised outputs (softmax,
 *   log_softmax, gradient), so the kernel runs on it in place with no copy, and — its memory
 *   being shared where the runtime allows — several threads (a row runner) work on its rows at
 *   once. It is sized once and never grows, so views into it (Prepared.x, the outputs) stay valid.
 */
import { kernelModuleBytes, type KernelExports, type RowFunction } from './wasmKernelModule';

/** Minimal typing of the WebAssembly JS API (lib.dom is not in this project's lib). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

const pageBytes = 65536;
/** wasm32's largest memory: 65536 pages of 64 KiB. */
const maxPages = 65536;
/** Room after every region for vector reads that run past a row's end (the module reads ≤ 24). */
export const readPad = 64;

interface Compiled {
  api: WasmApi;
  module: object;
  /**
   * Whether the module imports a shared memory, which every workspace then is: where this
   * runtime has them (not in a browser page without cross-origin isolation). Only one module is
   * assembled and compiled per thread (~70 ms of CPU the first time, mostly V8 warming up the
   * emitters), and any input workspace can be handed to the row pool.
   */
  shared: boolean;
}

/** undefined: not probed yet; null: unavailable (no WebAssembly, no SIMD, or it failed). */
let compiled: Compiled | null | undefined;

function probe(): Compiled | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api || typeof api.validate !== 'function') return null;
  try {
    let shared = false;
    try {
      shared = typeof SharedArrayBuffer === 'function' && !!new api.Memory({ initial: 1, maximum: 1, shared: true });
    } catch {
      shared = false;
    }
    const bytes = kernelModuleBytes(shared);
    if (!api.validate(bytes)) return null; // no SIMD (or a bug in the module: the tests catch that)
    return { api, module: new api.Module(bytes), shared };
  } catch {
    return null; // e.g. a Content-Security-Policy without 'wasm-unsafe-eval'
  }
}

/** The compiled module, probing on first call; null without WebAssembly SIMD. */
export function wasmCompiled(): Compiled | null {
  if (compiled === undefined) compiled = probe();
  return compiled;
}

/**
 * 'auto': wasm where it pays off (≥ {@link wasmMinElements} logits) and is available;
 * 'scalar': always the JS path; 'wasm': wasm whenever available, whatever the size (tests).
 */
export type KernelBackend = 'auto' | 'scalar' | 'wasm';

let backend: KernelBackend = 'auto';

/**
 * Chooses the implementation of the (N, C) paths, for tests and the bench (the scalar path stays
 * the reference). Does not re-probe: see {@link resetWasmKernel}.
 */
export function setKernelBackend(mode: KernelBackend): void {
  backend = mode;
}

/** The current {@link KernelBackend}. */
export function getKernelBackend(): KernelBackend {
  return backend;
}

/**
 * Below this many logits the scalar path is as fast as a trip through wasm (measured, ns per
 * call, scalar vs wasm: (1, 10) 222 vs 264, (1, 16) 245 vs 263, (1, 32) 342 vs 305, (64, 4)
 * 4321 vs 2665, (4096, 2) 217 µs vs 128 µs).
 */
export const wasmMinElements = 32;

/** Whether an (N, C) input's rows would run in wasm (probes on first call). */
export function wasmForwardEligible(N: number, C: number): boolean {
  if (backend === 'scalar' || (backend === 'auto' && N * C < wasmMinElements)) return false;
  return wasmCompiled() !== null;
}

/** Forgets the compiled module and the scratch workspace, so the next use probes again (tests). */
export function resetWasmKernel(): void {
  compiled = undefined;
  scratch = undefined;
}

/** The module instantiated over `memory`: the imports every instance gets, in any thread. */
export function instantiate(api: WasmApi, module: object, memory: WasmMemory): KernelExports {
  return new api.Instance(module, { env: { memory, log: Math.log } }).exports as unknown as KernelExports;
}

let nextId = 1;

/** A wasm memory with the kernel instantiated over it, and views that follow its growth. */
export class Workspace {
  /** Identifies the memory to other threads. */
  readonly id = nextId++;
  f32!: Float32Array;
  f64!: Float64Array;
  i32!: Int32Array;
  /** First free byte (bump allocation for regions that live as long as the workspace). */
  private top = 64;

  private constructor(
    readonly memory: WasmMemory,
    readonly fn: KernelExports,
    readonly shared: boolean,
  ) {
    this.renew();
  }

  /**
   * A workspace of `bytes` (rounded up to pages), growable up to `maxBytes`, or null without wasm
   * or when the memory cannot be had. Shared where the runtime has shared memories.
   */
  static create(bytes: number, maxBytes = bytes): Workspace | null {
    const c = wasmCompiled();
    if (!c) return null;
    const pages = Math.ceil((bytes + 64) / pageBytes);
    const maximum = Math.min(maxPages, Math.max(pages, Math.ceil((maxBytes + 64) / pageBytes)));
    if (pages > maxPages) return null;
    try {
      const memory = c.shared
        ? new c.api.Memory({ initial: pages, maximum, shared: true })
        : new c.api.Memory({ initial: pages });
      return new Workspace(memory, instantiate(c.api, c.module, memory), c.shared);
    } catch {
      return null; // out of address space or memory
    }
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Renews the views after growth (a plain memory's old buffer is detached by grow(); a shared
   * one's stays valid but keeps its old length).
   */
  private renew(): void {
    const b = this.memory.buffer;
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
    this.i32 = new Int32Array(b);
  }

  /** Grows the memory to at least `bytes`; false when it cannot. Only for the scratch workspace. */
  ensure(bytes: number): boolean {
    const have = this.byteLength;
    if (bytes <= have) return true;
    const pages = Math.ceil((bytes - have) / pageBytes);
    if (have / pageBytes + pages > maxPages) return false;
    try {
      this.memory.grow(pages);
    } catch {
      return false;
    }
    this.renew();
    return true;
  }

  /**
   * Reserves a region of `bytes` (64-byte aligned, {@link readPad} bytes of slack after it) for
   * the workspace's lifetime; returns its offset, or −1 when it does not fit.
   */
  alloc(bytes: number): number {
    const at = this.top;
    const end = (at + bytes + readPad + 63) & ~63;
    if (end > this.byteLength) return -1;
    this.top = end;
    return at;
  }
}

let scratch: Workspace | null | undefined;

/** This thread's growable scratch workspace, or null without wasm. */
export function scratchWorkspace(): Workspace | null {
  if (scratch === undefined) scratch = Workspace.create(pageBytes, maxPages * pageBytes);
  return scratch;
}

/**
 * A job over rows 0..nRows of a workspace: `fn` is called as fn(a0, rows, a2, a3, …) for a
 * chunk of rows starting at r0, with a_i = args[i] + r0·strides[i] (args[1] is the chunk's row
 * count; args[2], C, has stride 0; an argument of stride 0 is passed as it is, so a float one
 * keeps its bits). Every row function of the module has this shape (5 to 11 arguments), so any
 * thread with an instance over the same (shared) memory can run any chunk.
 */
export interface RowJob {
  fn: RowFunction;
  nRows: number;
  /** Elements per row (the cost of a row, for chunking). */
  C: number;
  args: number[];
  strides: number[];
}

/** Runs rows [r0, r1) of `job` on this thread. */
export function runRows(ws: Workspace, job: RowJob, r0: number, r1: number): void {
  const a = job.args;
  const s = job.strides;
  const f = ws.fn[job.fn] as (...args: number[]) => void;
  const x = a[0] + r0 * s[0];
  const out = a[3] + r0 * s[3];
  const prm = a[4] + r0 * s[4];
  if (a.length === 5) f(x, r1 - r0, a[2], out, prm);
  else if (a.length === 6) f(x, r1 - r0, a[2], out, prm, a[5] + r0 * s[5]);
  else if (a.length === 7) f(x, r1 - r0, a[2], out, prm, a[5] + r0 * s[5], a[6] + r0 * s[6]);
  else {
    const rest: number[] = [];
    for (let i = 5; i < a.length; i++) rest.push(s[i] === 0 ? a[i] : a[i] + r0 * s[i]);
    f(x, r1 - r0, a[2], out, prm, ...rest);
  }
}

/**
 * Several threads sharing a job's rows: the calling thread and helpers (rowPool.ts). `run`
 * returns once every row is done; the caller works on chunks too, so a helper that is slow to
 * wake costs parallelism, never correctness.
 */
export interface RowRunner {
  /** Threads a job can use, the caller included. */
  readonly threads: number;
  /** Whether a job of `rows` rows of `C` elements is worth splitting. */
  worthSplitting(rows: number, C: number): boolean;
  run(ws: Workspace, job: RowJob): void;
}

let runner: RowRunner | null = null;

/** Installs (or with null removes) the row runner the kernel splits large jobs with. */
export function setRowRunner(r: RowRunner | null): void {
  runner = r;
}

/** The installed row runner, if any. */
export function getRowRunner(): RowRunner | null {
  return runner;
}

const usage = { jobs: 0, splitJobs: 0, rows: 0 };

/** Runs a job over all its rows: split across threads when a runner is installed and it pays. */
export function runJob(ws: Workspace, job: RowJob): void {
  usage.jobs++;
  usage.rows += job.nRows;
  if (runner && ws.shared && runner.threads > 1 && runner.worthSplitting(job.nRows, job.C)) {
    usage.splitJobs++;
    runner.run(ws, job);
  } else runRows(ws, job, 0, job.nRows);
}

/** Jobs run since start-up, how many were split across threads, and rows processed. */
export function rowJobStats(): { jobs: number; splitJobs: number; rows: number } {
  return { ...usage };
}
