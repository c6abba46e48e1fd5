/**
 * Check All Claims in Workspace (src/editor/workspaceCheck.ts) over real files in a temp folder,
 * with the `vscode` module replaced by test/unit/host/vscode.ts and the real analysis service
 * behind a fake worker client: what it refuses to read (symlinks out of the workspace, FIFOs, files
 * over the cap, which it never reads), what it reports as unverified, and its notification.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/editor/config';
import { checkWorkspace, type WorkspaceCheckResult } from '../../../src/editor/workspaceCheck';
import type { Outcome, ParamsOf, RequestOptions, ResultOf, WorkerMethod } from '../../../src/protocol/worker';
import { FakeWorker, settle } from './fakeWorker';
import * as fake from './vscode';

const config: Config = {
  enable: true,
  languages: ['python'],
  inlineValues: 'all',
  dtype: null,
  decimals: 4,
  debounceMs: 0,
  maxElements: 1_000_000,
  claimGutter: false,
};

/** torch prints tensor(0.3133) for this pair: the comment is wrong. */
const wrongClaim =
  'import torch\nimport torch.nn as nn\n\noutput = torch.tensor([[2.0, 1.0, 0.1], [0.3, 0.2, 2.4]])\n' +
  'target = torch.tensor([0, 2])\nloss = nn.CrossEntropyLoss()(output, target)\nprint(loss)  # tensor(2.5000)\n';

/** A log channel that remembers its lines. */
function fakeLog() {
  const lines: string[] = [];
  let shownCount = 0;
  const log = {
    info: (m: string) => void lines.push(`info ${m}`),
    warn: (m: string) => void lines.push(`warn ${m}`),
    show: () => void shownCount++,
  };
  return { log: log as unknown as vscode.LogOutputChannel, lines, shows: () => shownCount };
}

/** A diagnostic collection that remembers what it holds. */
function fakeCollection() {
  const held = new Map<string, vscode.Diagnostic[]>();
  const collection = {
    clear: () => held.clear(),
    set: (uri: vscode.Uri, diags: vscode.Diagnostic[]) => void held.set(uri.toString(), diags),
  };
  return { collection: collection as unknown as vscode.DiagnosticCollection, held };
}

/**
 * The real analysis service behind the fake client, answering at once, except that `fail` may
 * answer a file's request with an error (as the client does at a deadline) and `hold` may keep it
 * waiting until the test settles it.
 */
function worker(opts: { fail?: (file: string) => string | undefined; hold?: (file: string) => boolean } = {}) {
  const fw = new FakeWorker();
  const seen: { file: string; options: RequestOptions | undefined }[] = [];
  const requester = {
    request<M extends WorkerMethod>(method: M, params: ParamsOf<M>, options?: RequestOptions) {
      const p: Promise<Outcome<ResultOf<M>>> = fw.request(method, params, options);
      const call = fw.calls[fw.calls.length - 1]!;
      const file = path.basename((params as ParamsOf<'analyze'>).fileName ?? '');
      seen.push({ file, options });
      options?.signal?.addEventListener?.('abort', () => call.fail('cancelled'));
      const failure = opts.fail?.(file);
      if (failure) call.fail(failure as 'deadline_exceeded', `${failure} after 10000 ms`);
      else if (!opts.hold?.(file)) call.run();
      return p;
    },
  };
  return { requester, seen, fw };
}

let root: string;
let ws: string;
let outside: string;

function write(rel: string, text: string): string {
  const p = path.join(ws, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

/** What VS Code's search lists for the folder (it follows symlinks): the test names the paths. */
function found(...rels: string[]): void {
  fake.workspace.found.push(...rels.map((r) => fake.Uri.file(path.join(ws, r))));
}

async function run(
  w: ReturnType<typeof worker>,
  extra: { maxBytes?: number } = {},
): Promise<{ result: WorkspaceCheckResult; lines: string[]; held: Map<string, vscode.Diagnostic[]>; shows: number }> {
  const { log, lines, shows } = fakeLog();
  const { collection, held } = fakeCollection();
  const result = await checkWorkspace({
    worker: w.requester,
    config,
    collection,
    log,
    isLive: () => false,
    ...extra,
  });
  await settle();
  return { result, lines, held, shows: shows() };
}

beforeEach(() => {
  fake.reset();
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'li-check-')));
  ws = path.join(root, 'ws');
  outside = path.join(root, 'outside');
  fs.mkdirSync(ws);
  fs.mkdirSync(outside);
  fake.workspace.workspaceFolders.push({ uri: fake.Uri.file(ws), name: 'ws', index: 0 });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('Check All Claims: what it reads', () => {
  it('reports a wrong claim inside the workspace, in the Problems view and the summary', async () => {
    write('wrong.py', wrongClaim);
    found('wrong.py');
    const w = worker();
    const { result, held } = await run(w);
    expect(result).toMatchObject({ files: 1, checked: 1, wrong: 1, unverified: [], cancelled: false });
    const diags = held.get(`file://${path.join(ws, 'wrong.py')}`);
    expect(diags?.[0]?.message).toContain('tensor(0.3133)');
    expect(diags?.[0]?.range.start).toEqual({ line: 6, character: 15 });
    expect(fake.shown.messages).toEqual([
      {
        kind: 'warning',
        message: 'Loss Inspector checked 1 files: 1 claims, 1 wrong.',
        items: ['Show Problems'],
      },
    ]);
    expect(fake.shown.progress[0]?.options).toMatchObject({ title: 'Checking loss claims', cancellable: true });
    expect(fake.shown.progress[0]?.reports).toEqual([expect.objectContaining({ message: 'wrong.py' })]);
  });

  it('never reads through a symlink that leads out of the workspace folders, and counts each one', async () => {
    fs.writeFileSync(path.join(outside, 'secret.py'), wrongClaim);
    fs.mkdirSync(path.join(outside, 'lib'));
    fs.writeFileSync(path.join(outside, 'lib', 'deep.py'), wrongClaim);
    fs.symlinkSync(path.join(outside, 'secret.py'), path.join(ws, 'leak.py'));
    fs.symlinkSync(path.join(outside, 'lib'), path.join(ws, 'vendored'));
    // A symlink that stays inside is an ordinary file of the workspace.
    write('real/inner.py', wrongClaim);
    fs.symlinkSync(path.join(ws, 'real'), path.join(ws, 'alias'));
    found('leak.py', 'vendored/deep.py', 'alias/inner.py');
    const w = worker();
    const { result, held, lines } = await run(w);
    expect(w.seen.map((s) => s.file)).toEqual(['inner.py']);
    expect(result).toMatchObject({ files: 3, checked: 1, wrong: 1, skipped: { outside: 2, tooLarge: 0, notAFile: 0 } });
    expect([...held.keys()]).toEqual([`file://${path.join(ws, 'alias/inner.py')}`]);
    expect(fake.shown.messages[0]?.message).toBe(
      'Loss Inspector checked 1 files: 1 claims, 1 wrong. Skipped 2 files: 2 outside the workspace, 0 larger than 50 MB, 0 not regular files.',
    );
    expect(lines).toContain('info check: skipped leak.py (it leads outside the workspace folders)');
    expect(lines).toContain('info check: skipped vendored/deep.py (it leads outside the workspace folders)');
  });

  it('treats a workspace folder opened through a symlink as the folder it is', async () => {
    write('wrong.py', wrongClaim);
    const linked = path.join(root, 'linked-ws');
    fs.symlinkSync(ws, linked);
    fake.workspace.workspaceFolders[0] = { uri: fake.Uri.file(linked), name: 'ws', index: 0 };
    fake.workspace.found.push(fake.Uri.file(path.join(linked, 'wrong.py')));
    const { result } = await run(worker());
    expect(result).toMatchObject({ checked: 1, wrong: 1, skipped: { outside: 0 } });
  });

  it('skips a file over the size cap without reading it', async () => {
    // A sparse 1 GiB file: nothing on disk, but reading it would pass 1 GiB through read().
    const big = write('huge.py', '');
    fs.truncateSync(big, 2 ** 30);
    write('small.py', wrongClaim);
    found('huge.py', 'small.py');
    const w = worker();
    const before = bytesReadByThisProcess();
    const { result, lines } = await run(w);
    const read = bytesReadByThisProcess() - before;
    expect(w.seen.map((s) => s.file)).toEqual(['small.py']);
    expect(result).toMatchObject({ checked: 1, skipped: { outside: 0, tooLarge: 1, notAFile: 0 } });
    expect(lines).toContain('info check: skipped huge.py (larger than 50 MB)');
    if (Number.isFinite(read)) expect(read).toBeLessThan(2 ** 20);
  });

  it('applies the cap to the size on disk, not to what a file once was', async () => {
    write('a.py', wrongClaim);
    found('a.py');
    const { result } = await run(worker(), { maxBytes: wrongClaim.length - 1 });
    expect(result).toMatchObject({ checked: 0, skipped: { tooLarge: 1 } });
  });

  it.skipIf(process.platform === 'win32')(
    'skips a FIFO named like a source file instead of waiting on it',
    async () => {
      execFileSync('mkfifo', [path.join(ws, 'pipe.py')]);
      write('ok.py', wrongClaim);
      found('pipe.py', 'ok.py');
      const w = worker();
      const { result } = await run(w);
      expect(w.seen.map((s) => s.file)).toEqual(['ok.py']);
      expect(result).toMatchObject({ checked: 1, wrong: 1, skipped: { notAFile: 1 } });
    },
    10_000,
  );
});

describe('Check All Claims: unverified files', () => {
  it('lists a file whose analysis hit the deadline as unverified, in the summary and the output', async () => {
    for (const f of ['a.py', 'b.py', 'slow.py']) write(f, wrongClaim);
    found('a.py', 'slow.py', 'b.py');
    const w = worker({ fail: (f) => (f === 'slow.py' ? 'deadline_exceeded' : undefined) });
    fake.shown.answer = 'Show Output';
    const { result, lines, shows } = await run(w);
    expect(result).toMatchObject({ files: 3, checked: 2, wrong: 2, cancelled: false });
    expect(result.unverified).toEqual([
      {
        path: 'slow.py',
        reason: 'deadline_exceeded: deadline_exceeded after 10000 ms',
        text: 'deadline_exceeded after 10000 ms',
      },
    ]);
    expect(fake.shown.messages).toEqual([
      {
        kind: 'warning',
        message:
          'Loss Inspector checked 3 files: 2 claims, 2 wrong. 1 files could not be verified (see the output): slow.py.',
        items: ['Show Problems', 'Show Output'],
      },
    ]);
    expect(lines).toContain('warn check: unverified slow.py: deadline_exceeded after 10000 ms');
    expect(shows).toBe(1);
  });

  it('lists a file it could not read as unverified', async () => {
    write('here.py', wrongClaim);
    found('gone.py', 'here.py');
    const { result } = await run(worker());
    expect(result.checked).toBe(1);
    expect(result.unverified).toEqual([
      {
        path: 'gone.py',
        reason: expect.stringContaining('ENOENT'),
        text: expect.stringMatching(/^The file could not be read: .*ENOENT/),
      },
    ]);
    expect(fake.shown.messages[0]?.kind).toBe('warning');
    expect(fake.shown.messages[0]?.message).toContain('1 files could not be verified (see the output): gone.py.');
  });

  it('gives the reasons in the display language: the output a Korean user is sent to reads Korean', async () => {
    const bundle = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../../l10n/bundle.l10n.ko.json'), 'utf8'),
    ) as Record<string, string>;
    const english = fake.l10n.t;
    fake.l10n.t = (message: string, ...args: unknown[]) => english(bundle[message] ?? message, ...args);
    try {
      write('here.py', wrongClaim);
      found('gone.py', 'here.py');
      const { result, lines } = await run(worker());
      expect(result.unverified[0]?.reason).toContain('ENOENT');
      expect(result.unverified[0]?.text).toMatch(/^파일을 읽을 수 없습니다: .*ENOENT/);
      expect(lines.some((l) => l.startsWith('warn check: unverified gone.py: 파일을 읽을 수 없습니다'))).toBe(true);
    } finally {
      fake.l10n.t = english;
    }
  });

  it('names at most three unverified files in the notification, all of them in the output', async () => {
    const names = ['a.py', 'b.py', 'c.py', 'd.py'];
    for (const f of names) write(f, wrongClaim);
    found(...names);
    const { result, lines } = await run(worker({ fail: () => 'worker_crashed' }));
    expect(result.unverified.map((u) => u.path)).toEqual(names);
    expect(fake.shown.messages[0]?.message).toContain(': a.py, b.py, c.py, ….');
    for (const f of names) expect(lines.some((l) => l.startsWith(`warn check: unverified ${f}:`))).toBe(true);
  });

  it('offers Show Problems, which opens the Problems view', async () => {
    write('clean.py', 'x = 1\n');
    found('clean.py');
    fake.shown.answer = 'Show Problems';
    await run(worker());
    expect(fake.shown.messages[0]).toMatchObject({ kind: 'information', items: ['Show Problems'] });
    expect(fake.shown.commands).toEqual([['workbench.actions.view.problems']]);
  });
});

describe('Check All Claims: cancel', () => {
  it('stops at Cancel: the running request is aborted, no later file is read, the summary says so', async () => {
    for (const f of ['a.py', 'b.py', 'c.py']) write(f, wrongClaim);
    found('a.py', 'b.py', 'c.py');
    const w = worker({ hold: (f) => f === 'b.py' });
    const { log } = fakeLog();
    const { collection } = fakeCollection();
    const pending = checkWorkspace({ worker: w.requester, config, collection, log, isLive: () => false });
    await settle(20);
    expect(w.seen.map((s) => s.file)).toEqual(['a.py', 'b.py']);
    fake.cancelProgress();
    const result = await pending;
    expect(w.fw.of('analyze')[1]?.settled).toBe(true);
    expect(w.seen.map((s) => s.file)).toEqual(['a.py', 'b.py']);
    expect(result).toMatchObject({ files: 3, checked: 1, wrong: 1, unverified: [], cancelled: true });
    expect(fake.shown.messages[0]?.message).toBe('Cancelled. Loss Inspector checked 1 files: 1 claims, 1 wrong.');
  });
});

/** Bytes this process has passed through read() and friends (Linux), or NaN where unknown. */
function bytesReadByThisProcess(): number {
  try {
    const m = /^rchar: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}
