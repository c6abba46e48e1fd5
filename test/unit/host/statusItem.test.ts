/**
 * The status item over a real analysis (the in-process worker service): pairs and wrong claims,
 * the dtype the user forces on every pair, and the line a file waits on while it does not parse.
 */
import * as vscode from 'vscode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/editor/config';
import { DocumentAnalysisCache } from '../../../src/editor/documentAnalysis';
import { LossStatusItem } from '../../../src/editor/statusItem';
import { seedLine } from '../worker/helpers';
import { FakeWorker, settle } from './fakeWorker';
import * as fake from './vscode';

const base: Config = {
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

let config: Config;
let cache: DocumentAnalysisCache;
let status: LossStatusItem;
let document: fake.TextDocument;

beforeEach(() => {
  fake.reset();
  config = { ...base };
  const worker = new FakeWorker();
  worker.auto = true;
  cache = new DocumentAnalysisCache(worker, config, log);
  status = new LossStatusItem(cache, () => config);
  document = new fake.TextDocument(fake.Uri.file('/w/seed.py'), 'python', seedLine);
  fake.workspace.textDocuments.push(document);
  fake.window.activeTextEditor = {
    document,
    selection: new fake.Selection(new fake.Position(0, 0), new fake.Position(0, 0)),
  };
});
afterEach(() => {
  status.dispose();
  cache.dispose();
});

async function shown(): Promise<fake.StatusBarItem> {
  await cache.ensure(document as unknown as vscode.TextDocument);
  await settle(10);
  status.update();
  return fake.statusBarItems[fake.statusBarItems.length - 1]!;
}

describe('status item', () => {
  it('counts the pairs, and says nothing of a dtype when the code decides it', async () => {
    const item = await shown();
    expect(item.visible).toBe(true);
    expect(item.text).toContain('1 pair');
    expect(item.text).not.toMatch(/float(32|64)/);
  });

  it('shows a dtype forced by Choose dtype, in the text and the tooltip', async () => {
    config.dtype = 'float64';
    const item = await shown();
    expect(item.text).toContain('float64');
    expect(item.tooltip).toContain('Every pair is computed in float64');
  });

  it('names the line the file waits on while it does not parse', async () => {
    await shown();
    const at = seedLine.indexOf(']]') + 1;
    document.edit([{ offset: at, length: 1, text: '' }]);
    await settle(10);
    const item = await shown();
    expect(item.text).toMatch(/line \d+/);
    expect(item.tooltip).toContain('Waiting for line');
  });
});
