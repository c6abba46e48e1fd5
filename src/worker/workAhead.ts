/**
 * Work the worker does ahead of requests, in its idle time: a queue of resumable tasks, run a turn
 * of the event loop at a time, each turn stopping after the step that used up its budget. Between
 * turns the messages waiting on the worker's port are handled, so a request arriving while work is
 * done ahead waits for one step of it (a few rows of a big pair), never for a whole pass. No Node
 * imports: `setImmediate` is the default scheduler, and a browser Web Worker or a test passes its own.
 */

/** One task: runs steps until `enough()` says stop (at least one when any is left); true when none is left. */
export type AheadTask = (enough: () => boolean) => boolean;

export interface WorkAheadOptions {
  /** Runs `turn` on a later turn of the event loop, after the messages that arrived meanwhile. Default setImmediate. */
  schedule?: (turn: () => void) => void;
  /** Milliseconds a turn may run before it stops at the end of a step. Default {@link defaultTurnMs}. */
  turnMs?: number;
  /** The clock, in ms. Default performance.now. */
  now?: () => number;
}

/**
 * A turn's budget: a step of a (64, 50 257) pair is one row (0.2–1 ms, more under load), so a
 * request waits at most about this plus one step.
 */
export const defaultTurnMs = 2;

/**
 * A request handled within this many ms of the end of a turn may have arrived during it (the
 * event loop handles the port's messages right after the turn).
 */
export const justEndedMs = 1;

/** The queue of work ahead (see the file comment); one per worker. */
export class WorkAhead {
  private readonly schedule: (turn: () => void) => void;
  private readonly turnMs: number;
  private readonly now: () => number;
  private tasks: AheadTask[] = [];
  /** Tasks run when {@link tasks} is empty, kept across {@link start} (see {@link whenIdle}). */
  private idle: AheadTask[] = [];
  private wanted: () => boolean = () => false;
  private scheduled = false;
  /** When the last turn ended (performance.now()) and how long it ran. */
  private lastEnd = -Infinity;
  private lastMs = 0;

  constructor(options: WorkAheadOptions = {}) {
    this.schedule = options.schedule ?? ((turn) => setImmediate(turn));
    this.turnMs = options.turnMs ?? defaultTurnMs;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Drops the work queued so far and queues `tasks`, run in order while `wanted()` says yes (asked
   * before each turn). What a dropped task did stays done: its state lives in the task's objects.
   */
  start(tasks: AheadTask[], wanted: () => boolean): void {
    this.tasks = tasks.slice();
    this.wanted = wanted;
    this.wake();
  }

  /**
   * Queues `task` for the turns when nothing {@link start} queued is left: work for no request in
   * particular (the warm-up, warmUp.ts), which a new start does not drop but puts off.
   */
  whenIdle(task: AheadTask): void {
    this.idle.push(task);
    this.wake();
  }

  /** Whether tasks are left (for tests). */
  get pending(): boolean {
    return this.tasks.length > 0 || this.idle.length > 0;
  }

  private wake(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.turn());
    }
  }

  /**
   * For a request being handled now: how long the turn of work ahead that ended just before ran
   * (within {@link justEndedMs}), in ms: the most the request can have waited behind it, as a
   * message that arrives during a turn is handled once the turn ends; 0 when the worker was idle.
   */
  waitedFor(): number {
    const ms = this.now() - this.lastEnd <= justEndedMs ? this.lastMs : 0;
    this.lastEnd = -Infinity;
    return ms;
  }

  private turn(): void {
    this.scheduled = false;
    if (this.tasks.length > 0 && !this.wanted()) this.tasks = [];
    if (this.tasks.length === 0 && this.idle.length === 0) return;
    const started = this.now();
    const enough = () => this.now() - started >= this.turnMs;
    for (;;) {
      const queue = this.tasks.length > 0 ? this.tasks : this.idle;
      if (queue.length === 0) break;
      let done = true;
      try {
        done = queue[0]!(enough);
      } catch {
        // Work ahead is a guess: a failure is left to the request that needs it, which reports it.
      }
      if (done) queue.shift();
      if (enough()) break;
    }
    this.lastEnd = this.now();
    this.lastMs = this.lastEnd - started;
    if (this.tasks.length > 0 || this.idle.length > 0) this.wake();
  }
}
