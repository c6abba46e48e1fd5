/**
 * Runs VS Code's own JavaScript debugger (js-debug, the `ms-vscode.js-debug` extension shipped in
 * the project's code-server install) outside VS Code, so the live bridge's tests can drive the real
 * adapter from Node.
 *
 * js-debug has no stand-alone server in the VS Code build: its adapter lives in the extension and is
 * handed to VS Code as a named-pipe server by a DebugAdapterDescriptorFactory; child processes
 * (the Node program itself) get their own sessions through `vscode.debug.startDebugging`. This file
 * loads the extension with a small stand-in for the `vscode` module that implements exactly those
 * two paths for real (descriptor factories, startDebugging) and answers everything else — commands,
 * views, settings — with inert values, then connects DebugClients to the pipes it serves.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SessionState, type DebugSessionLike } from '../../../src/live/session';

// From test/unit/live in the tests; from dist/ when bundled into the live bench.
const repoRoot =
  [resolve(__dirname, '../../..'), resolve(__dirname, '..')].find((d) => existsSync(join(d, 'src/live/bridge.ts'))) ??
  resolve(__dirname, '../../..');
export const jsDebugDir = join(
  repoRoot,
  '.vscode-test/code-server/node_modules/code-server/lib/vscode/extensions/ms-vscode.js-debug',
);

/** Why js-debug cannot be driven here, or null. */
export function jsDebugUnavailable(): string | null {
  if (!existsSync(join(jsDebugDir, 'src/extension.js'))) {
    return `js-debug is not installed at ${jsDebugDir} (run node scripts/setup-vscode.mjs)`;
  }
  return null;
}

type Listener = (e: unknown) => void;

class Disposable {
  constructor(private readonly fn?: () => void) {}
  static from(...items: { dispose?: () => void }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d?.dispose?.()));
  }
  dispose(): void {
    this.fn?.();
  }
}

class EventEmitter {
  private listeners: Listener[] = [];
  event = (fn: Listener, thisArg?: unknown, bag?: Disposable[]): Disposable => {
    const bound = fn.bind(thisArg);
    this.listeners.push(bound);
    const d = new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== bound)));
    if (Array.isArray(bag)) bag.push(d);
    return d;
  };
  fire(e: unknown): void {
    for (const l of this.listeners.slice()) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Uri {
  constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static parse(s: string): Uri {
    return new Uri('file', s.replace(/^file:\/\//, ''));
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return new Uri(u.scheme, join(u.fsPath, ...parts));
  }
  with(): Uri {
    return this;
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

/** Any property, call or construction yields another inert value; `then` is absent so awaits resolve. */
function inert(): unknown {
  const cache: Record<string | symbol, unknown> = {};
  return new Proxy(function () {}, {
    get(_t, p) {
      if (p === 'then' || typeof p === 'symbol') return undefined;
      if (p === 'prototype') return Object.prototype;
      if (!(p in cache)) cache[p] = inert();
      return cache[p];
    },
    set(_t, p, v) {
      cache[p] = v;
      return true;
    },
    apply: () => inert(),
    construct: () => inert() as object,
  });
}

const noEvent = () => new Disposable();

function withInert<T extends object>(obj: T): T {
  return new Proxy(obj, {
    get(t, p) {
      if (p in t) return (t as Record<string | symbol, unknown>)[p];
      if (typeof p === 'string' && /^onDid|^onWill/.test(p)) return noEvent;
      return inert();
    },
  });
}

interface Factory {
  createDebugAdapterDescriptor(session: unknown, exe: unknown): Promise<{ path?: string; port?: number }>;
}

const factories = new Map<string, Factory>();
let onStartDebugging: ((config: Record<string, unknown>) => Promise<void>) | null = null;
let loaded: Promise<void> | null = null;

/** Loads and activates js-debug once per process. */
function load(): Promise<void> {
  if (loaded) return loaded;
  loaded = (async () => {
    const overrides: Record<string, unknown> = {
      Disposable,
      EventEmitter,
      Uri,
      DebugAdapterNamedPipeServer: class {
        constructor(readonly path: string) {}
      },
      DebugAdapterServer: class {
        constructor(
          readonly port: number,
          readonly host?: string,
        ) {}
      },
      l10n: {
        bundle: undefined,
        t: (s: string | { message: string }, ...args: unknown[]) =>
          (typeof s === 'string' ? s : s.message).replace(/\{(\d+)\}/g, (_m, i: string) => String(args[+i])),
      },
      workspace: withInert({
        getConfiguration: () => ({
          get: (_k: string, d: unknown) => d,
          has: () => false,
          inspect: () => undefined,
          update: async () => undefined,
        }),
        workspaceFolders: undefined,
        getWorkspaceFolder: () => undefined,
        isTrusted: true,
        requestWorkspaceTrust: async () => true,
      }),
      debug: withInert({
        registerDebugAdapterDescriptorFactory: (type: string, f: Factory) => {
          factories.set(type, f);
          return new Disposable();
        },
        startDebugging: async (_folder: unknown, config: Record<string, unknown>) => {
          await onStartDebugging?.(config);
          return true;
        },
        activeDebugSession: undefined,
      }),
      extensions: { getExtension: () => undefined, all: [], onDidChange: noEvent },
      env: withInert({ machineId: 'test', sessionId: 'test', language: 'en', appName: 'test', uiKind: 1 }),
      commands: withInert({
        registerCommand: () => new Disposable(),
        registerTextEditorCommand: () => new Disposable(),
        executeCommand: async () => undefined,
        getCommands: async () => [],
      }),
    };
    const base = inert() as Record<string, unknown>;
    // esbuild's CommonJS interop copies own property names, so every top-level export is listed.
    const dts = readFileSync(createRequire(__filename).resolve('@types/vscode/index.d.ts'), 'utf8');
    const names = new Set(
      (dts.match(/^\texport (?:class|enum|namespace|const|function|let) \w+/gm) ?? []).map(
        (s) => s.split(' ').pop() as string,
      ),
    );
    const api: Record<string, unknown> = {};
    for (const n of names) {
      Object.defineProperty(api, n, { enumerable: true, get: () => (n in overrides ? overrides[n] : base[n]) });
    }
    const M = Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
    const original = M._resolveFilename;
    M._resolveFilename = function (req: string, ...rest: unknown[]) {
      return req === 'vscode' ? 'vscode' : original.call(this, req, ...rest);
    };
    const cache = createRequire(__filename).cache;
    cache['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: api } as unknown as NodeModule;
    const ext = createRequire(__filename)(join(jsDebugDir, 'src/extension.js')) as {
      activate(ctx: unknown): unknown;
    };
    const storage = mkdtempSync(join(tmpdir(), 'li-jsdebug-'));
    const memento = {
      get: (_k: string, d: unknown) => d,
      update: async () => undefined,
      keys: () => [],
      setKeysForSync() {},
    };
    await ext.activate({
      subscriptions: [],
      extensionPath: jsDebugDir,
      extensionUri: Uri.file(jsDebugDir),
      storagePath: storage,
      globalStoragePath: storage,
      logPath: storage,
      storageUri: Uri.file(storage),
      globalStorageUri: Uri.file(storage),
      logUri: Uri.file(storage),
      environmentVariableCollection: withInert({}),
      workspaceState: memento,
      globalState: memento,
      secrets: { get: async () => undefined, store: async () => undefined, onDidChange: noEvent },
      extensionMode: 1,
      extension: { packageJSON: {} },
    });
    if (!factories.has('pwa-node')) throw new Error('js-debug registered no pwa-node adapter');
  })();
  return loaded;
}

/** A DebugClient as the bridge sees a session; adapter errors keep js-debug's own wording. */
export class JsSession implements DebugSessionLike {
  constructor(
    readonly client: DebugClient,
    readonly type: string,
  ) {}

  customRequest(command: string, args?: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // DebugClient.send drops body.error; VS Code's customRequest reports it, so read it here.
      (
        this.client as unknown as {
          doSend(c: string, a: unknown, cb: (r: { success: boolean; message?: string; body?: unknown }) => void): void;
        }
      ).doSend(command, args, (r) => {
        if (r.success) return resolve(r.body);
        const format = (r.body as { error?: { format?: string } } | undefined)?.error?.format;
        reject(new Error(format || r.message || `${command} failed`));
      });
    });
  }
}

async function connectTo(config: Record<string, unknown>, timeoutMs: number): Promise<DebugClient> {
  const f = factories.get(String(config.type));
  if (!f) throw new Error(`no adapter for ${String(config.type)}`);
  const session = {
    id: `li-${Math.random().toString(36).slice(2)}`,
    type: config.type,
    name: config.name,
    configuration: config,
  };
  const desc = await f.createDebugAdapterDescriptor(session, undefined);
  if (!desc.path) throw new Error('js-debug did not serve a named pipe');
  const socket = connect(desc.path);
  await new Promise<void>((res, rej) => socket.once('connect', res).once('error', rej));
  const dc = new DebugClient('node', 'unused', String(config.type));
  (dc as unknown as { connect(r: unknown, w: unknown): void }).connect(socket, socket);
  dc.defaultTimeout = timeoutMs;
  return dc;
}

export interface JsPaused {
  session: JsSession;
  state: SessionState;
  stdout: () => string;
  /** Continues the paused program and resolves with the next stop's line, or null when it ended. */
  next: () => Promise<number | null>;
  lastLine: () => Promise<number>;
  stop: () => Promise<void>;
}

/**
 * Launches `program` with Node under js-debug and waits until it pauses at its first `debugger`
 * statement. The paused thread belongs to the child session, as in VS Code.
 */
export async function launchNode(program: string, options: { timeoutMs?: number } = {}): Promise<JsPaused> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  await load();
  const state = new SessionState();
  let out = '';
  let childResolve: (dc: DebugClient) => void;
  const child = new Promise<DebugClient>((r) => (childResolve = r));
  const stops: number[] = [];
  let waiter: ((threadId: number | null) => void) | null = null;
  let ended = false;
  const deliver = (v: number | null) => {
    if (waiter) {
      const w = waiter;
      waiter = null;
      w(v);
    } else if (v !== null) stops.push(v);
  };
  const clients: DebugClient[] = [];
  onStartDebugging = async (config) => {
    const dc = await connectTo(config, timeoutMs);
    clients.push(dc);
    dc.on('stopped', (e: { body: { threadId: number } }) => {
      state.stopped(e.body.threadId);
      deliver(e.body.threadId);
    });
    dc.on('continued', () => state.continued());
    dc.on('output', (e: { body: { category?: string; output: string } }) => {
      if (e.body.category === 'stdout') out += e.body.output;
    });
    dc.on('terminated', () => {
      ended = true;
      state.ended();
      deliver(null);
    });
    await dc.initializeRequest({
      adapterID: String(config.type),
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
    });
    const launched = dc.launchRequest(config as never);
    await dc.configurationDoneRequest();
    await launched;
    childResolve(dc);
  };
  const root = await connectTo(
    {
      type: 'pwa-node',
      request: 'launch',
      name: 'live-test',
      program,
      cwd: join(program, '..'),
      console: 'internalConsole',
    },
    timeoutMs,
  );
  clients.push(root);
  root.on('output', (e: { body: { category?: string; output: string } }) => {
    if (e.body.category === 'stdout') out += e.body.output;
  });
  const stop = async () => {
    for (const dc of clients.reverse()) {
      await Promise.race([
        dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined),
        new Promise((r) => setTimeout(r, 3000)),
      ]);
    }
    onStartDebugging = null;
  };
  const nextStop = () =>
    new Promise<number | null>((res, rej) => {
      const q = stops.shift();
      if (q !== undefined) return res(q);
      if (ended) return res(null);
      const timer = setTimeout(() => rej(new Error(`no stop within ${timeoutMs} ms`)), timeoutMs);
      waiter = (v) => {
        clearTimeout(timer);
        res(v);
      };
    });
  try {
    const first = nextStop();
    await root.initializeRequest({
      adapterID: 'pwa-node',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
    });
    const launched = root.launchRequest({
      type: 'pwa-node',
      request: 'launch',
      program,
      cwd: join(program, '..'),
      console: 'internalConsole',
    } as never);
    await root.configurationDoneRequest();
    await launched;
    const dc = await child;
    if ((await first) === null) throw new Error(`${program} ended before pausing:\n${out}`);
    const session = new JsSession(dc, 'pwa-node');
    const lastLine = async () => {
      const threadId = state.stoppedThreadId;
      if (threadId === undefined) throw new Error('not stopped');
      const st = (await session.customRequest('stackTrace', { threadId, levels: 1 })) as {
        stackFrames: { line: number }[];
      };
      return st.stackFrames[0].line;
    };
    return {
      session,
      state,
      stdout: () => out,
      lastLine,
      next: async () => {
        const threadId = state.stoppedThreadId;
        if (threadId === undefined) throw new Error('not stopped');
        const s = nextStop();
        await session.customRequest('continue', { threadId });
        return (await s) === null ? null : lastLine();
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
