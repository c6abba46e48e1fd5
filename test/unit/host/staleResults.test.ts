/**
 * Typing an unclosed bracket (one `]` deleted mid-edit) must not wipe a file's results: the
 * DocumentAnalysisCache, running the real analysis service in process, keeps the pairs and claims
 * of the last version that parsed for the regions the error does not reach, mapped to the current
 * text and marked stale, and says where the parse stops.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/editor/config';
import { DocumentAnalysisCache } from '../../../src/editor/documentAnalysis';
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
const blog = readFileSync(join(__dirname, '../../../examples/seed_blog.py'), 'utf8');

let worker: FakeWorker;
let cache: DocumentAnalysisCache;
let document: fake.TextDocument;
const asDocument = (d: fake.TextDocument) => d as unknown as vscode.TextDocument;

async function current() {
  await settle(10);
  const entry = await cache.ensure(asDocument(document));
  expect(entry?.status).toBe('ready');
  return entry!;
}

beforeEach(() => {
  fake.reset();
  worker = new FakeWorker();
  worker.auto = true;
  cache = new DocumentAnalysisCache(worker, config, log);
  document = new fake.TextDocument(fake.Uri.file('/w/blog.py'), 'python', blog);
  fake.workspace.textDocuments.push(document);
});
afterEach(() => cache.dispose());

describe('results that survive typing', () => {
  it('keeps every pair and claim of the last good version, stale, when one `]` is deleted', async () => {
    const good = await current();
    const pairs = good.analysis!.pairs.length;
    const claims = good.analysis!.claims.length;
    expect(pairs).toBeGreaterThanOrEqual(4);
    expect(good.stale ?? null).toBeNull();

    // The first literal loses its closing `]`: everything after it is one unfinished expression.
    const at = blog.indexOf('0.5544]]') + '0.5544]'.length;
    document.edit([{ offset: at, length: 1, text: '' }]);
    const broken = await current();
    const a = broken.analysis!;
    const parse = a.findings.find((f) => f.code === 'parse_error');
    expect(parse, 'the parse error is reported').toBeDefined();
    expect(broken.stale?.waitingFor.line).toBe(document.positionAt(blog.indexOf('x = torch.Tensor')).line + 1);
    expect(a.pairs.length).toBe(pairs);
    expect(broken.stale!.pairs.size).toBeGreaterThan(0);
    // The batch pair 50 lines below keeps its value, and its call sits where the text now has it.
    const batch = a.pairs.find((p) => p.printed === 'tensor(2.3519)');
    expect(batch).toBeDefined();
    const text = document.getText();
    const call = batch!.call!;
    expect(text.slice(call.start, call.end)).toBe('criterion(output, target)');
    expect(a.claims.filter((c) => c.status === 'holds').length).toBe(
      good.analysis!.claims.filter((c) => c.status === 'holds').length,
    );
    expect(a.claims.length).toBe(claims);

    // Typing the `]` back: fresh results, nothing stale.
    document.edit([{ offset: at, length: 0, text: ']' }]);
    const fixed = await current();
    expect(fixed.stale ?? null).toBeNull();
    expect(fixed.analysis!.pairs.length).toBe(pairs);
    expect(fixed.analysis!.findings.some((f) => f.code === 'parse_error')).toBe(false);
  });

  it('keeps nothing whose own text was edited away', async () => {
    await current();
    // Delete the whole batch section's call and the `]` of the first literal.
    const call = blog.indexOf('loss = criterion(output, target)\nprint(loss) # tensor(2.3519)');
    const bracket = blog.indexOf('0.5544]]') + '0.5544]'.length;
    document.edit([
      { offset: call, length: 'loss = criterion(output, target)\n'.length, text: '' },
      { offset: bracket, length: 1, text: '' },
    ]);
    const broken = await current();
    // Nothing of the deleted call is kept from the last good version. (Detection may still pair the
    // two arrays by their names in the current text: that pair is fresh, not kept.)
    const kept = broken.analysis!.pairs.filter((p) => broken.stale?.pairs.has(p.id) && p.printed === 'tensor(2.3519)');
    expect(kept).toEqual([]);
    expect(broken.analysis!.pairs.filter((p) => p.call && p.printed === 'tensor(2.3519)')).toEqual([]);
  });
});
