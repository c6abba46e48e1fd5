/**
 * Drives a real debug adapter from Node for the live bridge's tests and bench: the debugpy adapter
 * (`/usr/bin/python3 <debugpy>/adapter`, i.e. `python3 -m debugpy.adapter`) through
 * @vscode/debugadapter-testsupport's DebugClient, wrapped as the bridge's DebugSessionLike.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SessionState, type DebugSessionLike } from '../../../src/live/session';

export const python = '/usr/bin/python3';

/** Why the Python adapter tests cannot run here, or null when they can. */
export function pythonUnavailable(): string | null {
  if (!existsSync(python)) return `${python} is missing (install Debian python3)`;
  const r = spawnSync(python, ['-c', 'import debugpy, torch, os; print(os.path.dirname(debugpy.__file__))'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) {
    return `python3-debugpy and python3-torch are needed (apt-get install python3-debugpy python3-torch): ${r.stderr.trim().split('\n').pop()}`;
  }
  return null;
}

function debugpyAdapterDir(): string {
  const r = spawnSync(python, ['-c', 'import debugpy.adapter, os; print(os.path.dirname(debugpy.adapter.__file__))'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`debugpy.adapter not importable: ${r.stderr}`);
  return r.stdout.trim();
}

/** A DebugClient as the bridge sees a `vscode.DebugSession`. */
export class ClientSession implements DebugSessionLike {
  constructor(
    readonly client: DebugClient,
    readonly type: string,
  ) {}

  async customRequest(command: string, args?: unknown): Promise<unknown> {
    const r = await this.client.send(command, args);
    return r.body;
  }
}

export interface Paused {
  client: DebugClient;
  session: ClientSession;
  state: SessionState;
  /** What the program printed so far (stdout). */
  stdout: () => string;
  /** Every output event the adapter sent so far (the Debug Console's text: stdout, stderr, console, …). */
  outputs: () => { category: string; output: string }[];
  /** The 1-based line of the last stop. */
  lastLine: () => Promise<number>;
  /** Continues and waits for the next stop (resolves with its line), or for the end (resolves null). */
  next: () => Promise<number | null>;
  stop: () => Promise<void>;
}

/**
 * Launches `program` under debugpy with breakpoints on `lines` and waits for the first stop.
 * Everything is bounded by `timeoutMs`; on failure the adapter (and with it the debuggee) is killed.
 */
export async function launchPython(
  program: string,
  lines: number[],
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<Paused> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const dc = new DebugClient(python, debugpyAdapterDir(), 'debugpy', { env: { ...process.env, ...options.env } });
  dc.defaultTimeout = timeoutMs;
  await dc.start();
  const state = new SessionState();
  let out = '';
  const outputs: { category: string; output: string }[] = [];
  dc.on('output', (e: { body: { category?: string; output: string } }) => {
    if (e.body.category === 'stdout') out += e.body.output;
    outputs.push({ category: e.body.category ?? 'console', output: e.body.output });
  });
  const stops: { threadId: number }[] = [];
  let waiting: ((v: { threadId: number } | null) => void) | null = null;
  let ended = false;
  dc.on('stopped', (e: { body: { threadId: number } }) => {
    state.stopped(e.body.threadId);
    if (waiting) {
      const w = waiting;
      waiting = null;
      w({ threadId: e.body.threadId });
    } else stops.push({ threadId: e.body.threadId });
  });
  dc.on('continued', () => state.continued());
  const onEnd = () => {
    ended = true;
    state.ended();
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(null);
    }
  };
  dc.on('terminated', onEnd);
  dc.on('exited', onEnd);
  const nextStop = () =>
    new Promise<{ threadId: number } | null>((resolve, reject) => {
      const queued = stops.shift();
      if (queued) return resolve(queued);
      if (ended) return resolve(null);
      const timer = setTimeout(() => reject(new Error(`no stop within ${timeoutMs} ms`)), timeoutMs);
      waiting = (v) => {
        clearTimeout(timer);
        resolve(v);
      };
    });
  const stop = async () => {
    await Promise.race([
      dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined),
      new Promise((r) => setTimeout(r, 5000)),
    ]);
    await dc.stop().catch(() => undefined);
  };
  const lastLine = async () => {
    const threadId = state.stoppedThreadId;
    if (threadId === undefined) throw new Error('not stopped');
    const st = await dc.stackTraceRequest({ threadId, levels: 1 });
    return st.body.stackFrames[0].line;
  };
  try {
    const first = nextStop();
    await Promise.all([
      dc.waitForEvent('initialized', timeoutMs).then(async () => {
        await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: lines.map((line) => ({ line })) });
        await dc.configurationDoneRequest();
      }),
      dc
        .initializeRequest({
          adapterID: 'debugpy',
          linesStartAt1: true,
          columnsStartAt1: true,
          pathFormat: 'path',
        })
        .then(() =>
          dc.launchRequest({
            program,
            console: 'internalConsole',
            justMyCode: true,
            python,
            cwd: join(program, '..'),
          } as never),
        ),
    ]);
    if (!(await first)) throw new Error(`${program} ended before reaching a breakpoint:\n${out}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    client: dc,
    session: new ClientSession(dc, 'debugpy'),
    state,
    stdout: () => out,
    outputs: () => outputs.slice(),
    lastLine,
    next: async () => {
      const threadId = state.stoppedThreadId;
      if (threadId === undefined) throw new Error('not stopped');
      const s = nextStop();
      await dc.continueRequest({ threadId });
      return (await s) ? lastLine() : null;
    },
    stop,
  };
}

/** 1-based line of the first line of `text` that contains `marker`. */
export function lineOf(text: string, marker: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not found`);
  return i + 1;
}

/** The helper's op of an evaluate request the bridge sent (`install` for the installation). */
export function opOf(args: unknown): string {
  const e = String((args as { expression?: unknown })?.expression ?? '');
  const m = /\.run\("(.*)"\)$/.exec(e);
  if (!m) return e.includes('ModuleType') ? 'install' : e;
  return (JSON.parse(JSON.parse(`"${m[1]}"`) as string) as { op: string }).op;
}

/** A session that records every request sent through it, and its answer. */
export function recorded(session: DebugSessionLike) {
  const sent: { op: string; answer: Promise<unknown> }[] = [];
  const reader: DebugSessionLike = {
    type: session.type,
    customRequest(command: string, args?: unknown) {
      const answer = Promise.resolve(session.customRequest(command, args));
      answer.catch(() => undefined);
      sent.push({ op: command === 'evaluate' ? opOf(args) : command, answer });
      return answer;
    },
  };
  return { reader, sent };
}

/** Resolves once `ready()` holds, checked every few milliseconds (a hang guard ends it after `ms`). */
export async function waitUntil(ready: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
