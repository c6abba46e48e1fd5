/**
 * DocumentAnalysisCache (src/editor/documentAnalysis.ts) against a fake worker client, with the
 * `vscode` module replaced by test/unit/host/vscode.ts: stale versions are dropped, waiters are
 * answered when their document closes, edits reach the worker in order, and a hover that finds
 * the worker's copy gone re-analyses once.
 */
import * as vscode from 'vscode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/editor/config';
import { DocumentAnalysisCache } from '../../../src/editor/documentAnalysis';
import { applyEdits } from '../../../src/worker/textEdits';
import { seedBatch, seedLine } from '../worker/helpers';
import { FakeWorker, settle } from './fakeWorker';
import * as fake from './vscode';

const config: Config = {
  enable: true,
  languages: ['python'],
  inlineValues: 'all',
  claimGutter: false,
  dtype: null,
  decimals: 4,
  debounceMs: 0,
  maxElements: 1_000_000,
};
const log = { info: () => undefined, warn: () => undefined } as unknown as vscode.LogOutputChannel;

let worker: FakeWorker;
let cache: DocumentAnalysisCache;
let document: fake.TextDocument;

function asDocument(d: fake.TextDocument): vscode.TextDocument {
  return d as unknown as vscode.TextDocument;
}

beforeEach(() => {
  fake.reset();
  worker = new FakeWorker();
  cache = new DocumentAnalysisCache(worker, config, log);
  document = new fake.TextDocument(fake.Uri.file('/w/a.py'), 'python', seedLine);
  fake.workspace.textDocuments.push(document);
});
afterEach(() => cache.dispose());

describe('DocumentAnalysisCache', () => {
  it('analyses the current version and answers from the cache after that', async () => {
    const pending = cache.ensure(asDocument(document));
    await settle();
    const [call] = worker.of('analyze');
    expect(call?.params).toMatchObject({ key: 'file:///w/a.py', version: 1, text: seedLine, languageId: 'python' });
    expect(call?.options).toEqual({ supersedeKey: 'analyze:file:///w/a.py' });
    call!.run();
    const entry = await pending;
    expect(entry).toMatchObject({ status: 'ready', version: 1 });
    expect(entry?.analysis?.pairs[0]?.printed).toBe('tensor(2.1438)');
    expect(await cache.ensure(asDocument(document))).toBe(entry);
    expect(worker.calls).toHaveLength(1);
  });

  it("analyses the visible documents with the active editor's first, whatever its place among them", async () => {
    const docs = ['b', 'a', 'c'].map((n) => new fake.TextDocument(fake.Uri.file(`/w/${n}.py`), 'python', seedLine));
    const at = new fake.Position(0, 0);
    for (const active of [docs[1]!, docs[2]!]) {
      fake.reset();
      fake.workspace.textDocuments.push(...docs);
      fake.window.visibleTextEditors.push(...docs.map((d) => ({ document: d })));
      fake.window.activeTextEditor = { document: active, selection: new fake.Selection(at, at) };
      worker = new FakeWorker();
      cache.dispose();
      cache = new DocumentAnalysisCache(worker, config, log);
      cache.analyzeVisible();
      await settle();
      const keys = worker.of('analyze').map((c) => c.params.key);
      expect(keys[0]).toBe(active.uri.toString());
      expect([...keys].sort()).toEqual(docs.map((d) => d.uri.toString()).sort());
    }
  });

  it('drops the result of a version that is no longer current', async () => {
    const first = cache.ensure(asDocument(document));
    await settle();
    document.edit([{ offset: seedLine.length, length: 0, text: '# more\n' }]);
    await settle();
    const [old, current] = worker.of('analyze');
    expect(current?.params.version).toBe(2);
    // The newer request answers first (the edits apply to version 1, which this worker never got, so
    // the cache sends the full text); the older one's late result must not replace it.
    current!.run();
    await settle();
    const full = worker.of('analyze')[2]!;
    expect(full.params).toMatchObject({ version: 2, text: document.getText() });
    full.run();
    await settle();
    old!.run();
    await settle();
    const entry = await first;
    expect(entry?.version).toBe(2);
    expect(cache.peek(asDocument(document))?.version).toBe(2);
    expect(cache.peek(asDocument(document))?.status).toBe('ready');
  });

  it('answers whoever waits for a document that closes, instead of leaving them waiting', async () => {
    const waiting = cache.ensure(asDocument(document));
    await settle();
    expect(worker.of('analyze')).toHaveLength(1); // never answered
    fake.events.closeText.fire(document);
    const outcome = await Promise.race([
      waiting.then((entry) => ({ entry })),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 2000)),
    ]);
    expect(outcome).toEqual({ entry: undefined });
  });

  it('sends the edits since the version the worker holds, in the order that rebuilds the text', async () => {
    const first = cache.ensure(asDocument(document));
    await settle();
    worker.of('analyze')[0]!.run();
    await first;
    // Two changes in one event (VS Code gives their offsets in the text before the event), then another event.
    document.edit([
      { offset: 0, length: 0, text: '# head\n' },
      { offset: seedLine.indexOf('[1]') + 1, length: 1, text: '2' },
    ]);
    document.edit([{ offset: document.getText().length, length: 0, text: '# tail\n' }]);
    const next = cache.ensure(asDocument(document));
    await settle();
    const call = worker.of('analyze')[1]!;
    expect(call.params.version).toBe(3);
    expect(call.params.baseVersion).toBe(1);
    expect(call.params.text).toBeUndefined();
    expect(applyEdits(seedLine, call.params.edits!)).toBe(document.getText());
    call.run(); // the real service applies them to the text it holds
    const entry = await next;
    expect(entry?.status).toBe('ready');
    expect(entry?.analysis?.pairs[0]?.loss).not.toBe(undefined);
  });

  it('says a version is pending once its analysis is asked for, so a listener’s own request queues behind it', async () => {
    const seen: string[][] = [];
    cache.onDidChange((e) => {
      if (e.status === 'pending')
        seen.push(worker.calls.map((c) => `${c.method} ${(c.params as { version: number }).version}`));
    });
    const first = cache.ensure(asDocument(document));
    await settle();
    worker.of('analyze')[0]!.run();
    await first;
    document.edit([{ offset: 0, length: 0, text: '# x\n' }]);
    const next = cache.ensure(asDocument(document));
    await settle();
    expect(seen).toEqual([['analyze 1'], ['analyze 1', 'analyze 2']]);
    worker.of('analyze')[1]!.run();
    expect((await next)?.status).toBe('ready');
  });

  it('falls back to the full text when the worker no longer holds the base version', async () => {
    const first = cache.ensure(asDocument(document));
    await settle();
    worker.of('analyze')[0]!.run();
    await first;
    document.edit([{ offset: 0, length: 0, text: '# x\n' }]);
    const next = cache.ensure(asDocument(document));
    await settle();
    worker.of('analyze')[1]!.fail('invalid_request');
    await settle();
    const full = worker.of('analyze')[2]!;
    expect(full.params.text).toBe(document.getText());
    full.run();
    expect((await next)?.status).toBe('ready');
  });

  it('re-analyses once when a hover finds the worker has lost the analysis (a restarted worker)', async () => {
    worker.auto = true;
    document = new fake.TextDocument(fake.Uri.file('/w/b.py'), 'python', seedBatch);
    const entry = (await cache.ensure(asDocument(document)))!;
    const pairId = entry.analysis!.pairs[0]!.id;
    // A fresh worker holds nothing.
    (worker as { service: unknown }).service = new (worker.service.constructor as new () => unknown)();
    const { outcome } = await cache.inspect(asDocument(document), entry, { pairId, topK: 3 });
    expect(outcome.ok).toBe(true);
    expect(worker.calls.map((c) => c.method)).toEqual(['analyze', 'inspect', 'analyze', 'inspect']);
  });

  it('stores an error entry when the analysis fails, and a cancelled one leaves the newer run in charge', async () => {
    const waiting = cache.ensure(asDocument(document));
    await settle();
    worker.of('analyze')[0]!.fail('deadline_exceeded', 'The computation took longer than 5 s and was stopped.');
    expect(await waiting).toMatchObject({
      status: 'error',
      error: { code: 'deadline_exceeded', message: 'The computation took longer than 5 s and was stopped.' },
    });
  });
});
