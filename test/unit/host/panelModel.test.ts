/**
 * PanelModel (src/panel/panelModel.ts) against a fake worker client that runs the real worker
 * service in-process, and a fake of the shared analysis handed to it: it computes nothing while
 * hidden, asks the worker with the pair's options and the user's overrides, publishes complete
 * snapshots, drops a reply to an older request, and turns errors into an error snapshot.
 */
import type * as vscode from 'vscode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PanelModel,
  lossesAgree,
  type LivePanelPair,
  type PanelAnalyses,
  type PanelEntry,
} from '../../../src/panel/panelModel';
import type { PanelState } from '../../../src/protocol/webview';
import { seedBatch, seedRequest } from '../worker/helpers';
import { fixture, n, ns } from '../panel/fixture';
import { FakeWorker, settle } from './fakeWorker';
import { otherLaterMinElements } from '../../../src/worker/panelCompute';
import * as fake from './vscode';
import { setPanelTracing, traceOf } from '../../../src/panel/panelTrace';

let worker: FakeWorker;
let model: PanelModel;
let states: PanelState[];
let entry: PanelEntry;
let changes: fake.EventEmitter<PanelEntry>;
const uri = fake.Uri.file('/w/batch.py');
const key = uri.toString();

beforeEach(() => {
  fake.reset();
  worker = new FakeWorker();
  const document = new fake.TextDocument(uri, 'python', seedBatch);
  fake.workspace.textDocuments.push(document);
  fake.window.activeTextEditor = {
    document,
    selection: new fake.Selection(new fake.Position(0, 0), new fake.Position(0, 0)),
  };
  const analysis = worker.service.analyze({ key, version: 1, text: seedBatch, languageId: 'python' }).analysis;
  entry = { uri: uri as unknown as vscode.Uri, version: 1, status: 'ready', analysis, error: null };
  changes = new fake.EventEmitter<PanelEntry>();
  const analyses: PanelAnalyses = {
    onDidChange: changes.event as unknown as vscode.Event<PanelEntry>,
    supports: () => true,
    peek: () => entry,
    // As the editor's cache: a version being analysed is waited for.
    ensure: () =>
      entry.status !== 'pending'
        ? Promise.resolve(entry)
        : new Promise((resolve) => {
            const d = changes.event((e) => {
              if (e.status === 'pending') return;
              d.dispose();
              resolve(e);
            });
          }),
    inspect: async (_document, e, params) => ({
      entry: e,
      outcome: await worker.request('inspect', { ...params, key, version: e.version }),
    }),
    // As the editor's cache: the document's text is sent to the worker again.
    reanalyse: async (_document, e, code) => {
      if (code !== 'invalid_request') return undefined;
      worker.service.analyze({ key, version: e.version, text: seedBatch, languageId: 'python' });
      return e;
    },
    covers: (e, d) => e.uri.toString() === d.uri.toString(),
    pairNear: (e) => e.analysis?.pairs[0],
    pairRange: () => undefined,
  };
  model = new PanelModel(analyses, worker, () => ({ decimals: 4 }), { warn: () => undefined });
  states = [];
  model.onDidChangeState((s) => states.push(s));
});
afterEach(() => model.dispose());

const last = (): PanelState => states[states.length - 1]!;

describe('PanelModel', () => {
  it('computes nothing while no view shows it', async () => {
    await settle();
    expect(worker.calls).toHaveLength(0);
    model.setVisible(true);
    await settle();
    expect(worker.of('panelData')).toHaveLength(1);
  });

  it('asks the worker for the pair under the cursor with its code options, and publishes the result', async () => {
    model.setVisible(true);
    await settle();
    expect(last().status).toBe('computing');
    const [call] = worker.of('panelData');
    expect(call?.params).toMatchObject({
      key,
      version: 1,
      pairId: entry.analysis!.pairs[0]!.id,
      element: 0,
      options: { reduction: 'mean', dtype: 'float32', labelSmoothing: 0, ignoreIndex: -100, weight: null },
    });
    expect(call?.options).toEqual({ supersedeKey: `panel:${key}` });
    call!.run();
    await settle();
    const state = last();
    expect(state.status).toBe('ready');
    expect(state.reduction?.float32?.torchPrint).toBe('tensor(2.3519)');
    expect(state.heatMap?.rows).toBe(2);
    expect(state.sample?.element).toBe(0);
  });

  it('gets the heat map from the worker once: another sample or reduction names it and shows the same one', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    const heatMap = last().heatMap;
    expect(heatMap?.rows).toBe(2);
    expect(worker.of('panelData')[0]!.params.heatMapId).toBeUndefined();
    model.onSelectSample(1);
    await settle();
    model.onSetControls({ reduction: 'sum' });
    await settle();
    const [first, sample, summed] = worker.of('panelData');
    const id = worker.service.panelData(first!.params).heatMapId;
    expect(id).toBeGreaterThan(0);
    for (const call of [sample!, summed!]) {
      expect(call.params.heatMapId).toBe(id);
      expect(worker.service.panelData(call.params)).toMatchObject({ heatMap: null, heatMapKept: true });
    }
    expect(last().sample?.element).toBe(1);
    expect(last().reduction?.reduction).toBe('sum');
    // The same object: the connection sends it to the webview once.
    expect(last().heatMap).toBe(heatMap);
  });

  it('traces a pair revealed from the editor (cause "show") like a webview message, only while tracing', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    const pairId = entry.analysis!.pairs[0]!.id;
    try {
      setPanelTracing(true);
      await model.show(key, pairId);
      const trace = traceOf(last());
      expect(trace?.cause).toBe('show');
      // Answered from the kept reply: built on the host, no worker hops.
      expect(trace?.hops.map(([name]) => name)).toEqual(['host.build', 'host.post', 'host.total']);
    } finally {
      setPanelTracing(false);
    }
    await model.show(key, pairId);
    expect(traceOf(last())).toBeUndefined();
  });

  it('drops the reply to an older request when a newer one was made meanwhile', async () => {
    model.setVisible(true);
    await settle();
    model.onSelectSample(1);
    await settle();
    const [first, second] = worker.of('panelData');
    expect(second?.params.element).toBe(1);
    second!.run();
    await settle();
    expect(last().sample?.element).toBe(1);
    const published = states.length;
    first!.run();
    await settle();
    expect(states).toHaveLength(published);
    expect(last().sample?.element).toBe(1);
  });

  it('keeps the shown numbers while another sample computes, and says "computing" only when it is slow', async () => {
    model.setVisible(true);
    await settle();
    worker.of('panelData')[0]!.run();
    await settle();
    expect(last().status).toBe('ready');
    vi.useFakeTimers();
    try {
      // A quick reply: no blank "computing" snapshot in between.
      const before = states.length;
      model.onSelectSample(1);
      await vi.advanceTimersByTimeAsync(0);
      expect(states).toHaveLength(before);
      worker.of('panelData')[1]!.run();
      await vi.advanceTimersByTimeAsync(0);
      expect(states.slice(before).map((s) => s.status)).toEqual(['ready']);
      expect(last().sample?.element).toBe(1);
      // A slow one: sample 0's numbers stay until the delay passes, then "computing".
      model.onSelectSample(0);
      await vi.advanceTimersByTimeAsync(100);
      expect(last().sample?.element).toBe(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(last().status).toBe('computing');
      worker.of('panelData')[2]!.run();
      await vi.advanceTimersByTimeAsync(0);
      expect(last().status).toBe('ready');
      expect(last().sample?.element).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  describe('after an edit of the document on show', () => {
    /** The panel's own requests (not the snapshots it makes ahead). */
    const asked = () => worker.of('panelData').filter((c) => c.options?.supersedeKey === `panel:${key}`);
    /** The worker analyses version 2 of the text; the editor's cache says so: pending, then ready. */
    const edit = (text: string) => {
      entry = { ...entry, version: 2, status: 'pending' };
      changes.fire(entry);
      const analysis = worker.service.analyze({ key, version: 2, text, languageId: 'python' }).analysis;
      return () => {
        entry = { ...entry, status: 'ready', analysis };
        changes.fire(entry);
      };
    };
    const shownFirst = async () => {
      model.setVisible(true);
      await settle();
      asked()[0]!.run();
      await settle();
      expect(last().reduction?.float32?.torchPrint).toBe('tensor(2.3519)');
    };

    it('asks for the pair on show while the edit is analysed, and shows that reply without asking again', async () => {
      await shownFirst();
      const before = states.length;
      const analysed = edit(seedBatch.replace('0.805,', '0.806,'));
      await settle();
      // Asked before the analysis came back, about the version being analysed.
      expect(asked()).toHaveLength(2);
      expect(asked()[1]!.params).toMatchObject({ version: 2, pairId: entry.analysis!.pairs[0]!.id, element: 0 });
      analysed();
      await settle();
      expect(asked()).toHaveLength(2);
      asked()[1]!.run();
      await settle();
      expect(asked()).toHaveLength(2);
      // The numbers of version 1 stayed on show until those of version 2: no blank "computing" between.
      expect(states.slice(before).map((s) => s.status)).toEqual(['ready']);
      expect(last().reduction?.float32?.torchPrint).not.toBe('tensor(2.3519)');
      expect(last().pair?.claimOk).toBe(false);
    });

    it('asks again when the edit changed what the panel asks (the pair’s options)', async () => {
      await shownFirst();
      const analysed = edit(seedBatch.replace('nn.CrossEntropyLoss()', "nn.CrossEntropyLoss(reduction='sum')"));
      await settle();
      expect(asked()[1]!.params.options.reduction).toBe('mean');
      analysed();
      await settle();
      expect(asked()).toHaveLength(3);
      expect(asked()[2]!.params).toMatchObject({ version: 2, options: { reduction: 'sum' } });
      asked()[2]!.run();
      await settle();
      expect(last()).toMatchObject({ status: 'ready', reduction: { reduction: 'sum' } });
    });

    it('asks again when the early request was lost on the way', async () => {
      await shownFirst();
      const analysed = edit(seedBatch.replace('0.805,', '0.806,'));
      await settle();
      asked()[1]!.fail('invalid_request', 'The analysis of version 2 is not held.');
      analysed();
      await settle();
      expect(asked()).toHaveLength(3);
      asked()[2]!.run();
      await settle();
      expect(last()).toMatchObject({ status: 'ready', error: null });
      expect(last().reduction?.float32?.torchPrint).not.toBe('tensor(2.3519)');
    });
  });

  it('applies the user’s overrides to what it asks, and drops them on reset', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    model.onSetControls({ reduction: 'sum', labelSmoothing: 0.1 });
    await settle();
    expect(worker.of('panelData').at(-1)?.params.options).toMatchObject({ reduction: 'sum', labelSmoothing: 0.1 });
    expect(last().pair?.options).toMatchObject({ reduction: 'sum', labelSmoothing: 0.1 });
    model.onResetControls();
    await settle();
    expect(last().pair?.options).toMatchObject({ reduction: 'mean', labelSmoothing: 0 });
    // Back to the options already shown: the kept reply is used, the worker is not asked again.
    const asked = worker.of('panelData').length;
    model.onSetControls({ reduction: 'sum', labelSmoothing: 0.1 });
    await settle();
    expect(worker.of('panelData')).toHaveLength(asked);
    expect(last().status).toBe('ready');
  });

  it('shows the worker’s error, and publishes nothing for a cancelled request', async () => {
    model.setVisible(true);
    await settle();
    worker.of('panelData')[0]!.fail('deadline_exceeded', 'The computation took longer than 5 s and was stopped.');
    await settle();
    expect(last()).toMatchObject({
      status: 'error',
      error: 'The computation took longer than 5 s and was stopped.',
    });
    model.onSelectSample(1);
    await settle();
    const published = states.length;
    worker.of('panelData')[1]!.fail('cancelled');
    await settle();
    expect(states).toHaveLength(published);
  });

  it('analyses the document again, once, when the worker has dropped its analysis', async () => {
    model.setVisible(true);
    await settle();
    // The worker keeps a few documents' analyses: eight others opened since push this one out.
    for (let k = 0; k < 8; k++)
      worker.service.analyze({ key: `other${k}`, version: 1, text: seedBatch, languageId: 'python' });
    worker.of('panelData')[0]!.run();
    await settle();
    expect(last().status).not.toBe('error');
    const again = worker.of('panelData');
    expect(again).toHaveLength(2);
    again[1]!.run();
    await settle();
    expect(last()).toMatchObject({ status: 'ready', error: null });
    expect(last().reduction?.float32?.torchPrint).toBe('tensor(2.3519)');
  });

  it('says so when the analysis is lost again right after it was made again (no loop)', async () => {
    model.setVisible(true);
    await settle();
    worker
      .of('panelData')[0]!
      .fail('invalid_request', 'The analysis of version 1 is no longer available; analyse again.');
    await settle();
    worker
      .of('panelData')[1]!
      .fail('invalid_request', 'The analysis of version 1 is no longer available; analyse again.');
    await settle();
    expect(worker.of('panelData')).toHaveLength(2);
    expect(last()).toMatchObject({ status: 'error' });
  });

  it('copies the pair as PyTorch with the options in effect', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    model.onSetControls({ reduction: 'sum' });
    await settle();
    await model.onCopy('pytorch');
    expect(worker.of('inspect').at(-1)?.params).toMatchObject({ key, version: 1, withData: true });
    const text = fake.clipboardText.at(-1) ?? '';
    expect(text).toContain("criterion = nn.CrossEntropyLoss(reduction='sum')");
    expect(text).toContain('target = torch.tensor([1, 5], dtype=torch.long)');
  });

  it('keeps the last result, marked stale, while the document does not parse', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    expect(last().reduction?.float32?.torchPrint).toBe('tensor(2.3519)');
    // Mid-typing: one ] deleted on line 7. The analysis finds no pair and a parse error.
    const broken = seedBatch.replace('0.5544],', '0.5544,');
    // The user types on line 7, where the ] went.
    const brokenLine = broken.split('\n').findIndex((l) => l.includes('0.5544,'));
    fake.window.activeTextEditor = {
      document: fake.window.activeTextEditor!.document,
      selection: new fake.Selection(new fake.Position(brokenLine, 10), new fake.Position(brokenLine, 10)),
    };
    const analysis = worker.service.analyze({ key, version: 2, text: broken, languageId: 'python' }).analysis;
    expect(analysis.pairs).toHaveLength(0);
    entry = { ...entry, version: 2, analysis };
    changes.fire(entry);
    await settle();
    const state = last();
    // The parser stops at the statement whose bracket is left open: output = torch.Tensor( on line 5.
    expect(state.stale).toEqual({ line: 5, cell: null, opener: '(', editLine: brokenLine + 1 });
    expect(brokenLine + 1).toBe(7);
    expect(state.reduction?.float32?.torchPrint).toBe('tensor(2.3519)');
    expect(state.pair?.logitsName).toBe('output');
    // The copy buttons do not export a result the text no longer holds.
    await model.onCopy('markdown');
    expect(fake.clipboardText).toHaveLength(0);
    // Parsing again: the stale mark goes.
    const again = worker.service.analyze({ key, version: 3, text: seedBatch, languageId: 'python' }).analysis;
    entry = { ...entry, version: 3, analysis: again };
    changes.fire(entry);
    await settle();
    await settle();
    expect(last().stale ?? null).toBeNull();
    expect(last().status).toBe('ready');
  });

  it('keeps the last result when the editor merged the pair back in from the version that parsed', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    expect(last().reduction?.float32?.torchPrint).toBe('tensor(2.3519)');
    const good = entry.analysis!;
    // The worker holds version 2 as typed (no pair); the editor's merged analysis still lists the
    // pair, kept from version 1 and marked stale. The panel must not ask the worker for it.
    const broken = seedBatch.replace('0.5544],', '0.5544,');
    const typed = worker.service.analyze({ key, version: 2, text: broken, languageId: 'python' }).analysis;
    const parseError = typed.findings.find((f) => f.code === 'parse_error')!;
    const merged = { ...good, findings: [...good.findings, parseError] };
    entry = { ...entry, version: 2, analysis: merged, stale: { pairs: new Set(good.pairs.map((p) => p.id)) } };
    changes.fire(entry);
    await settle();
    const state = last();
    expect(state.error).toBeNull();
    expect(state.stale).toMatchObject({ line: 5, opener: '(' });
    expect(state.reduction?.float32?.torchPrint).toBe('tensor(2.3519)');
  });

  it('names no document once its editor is closed', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    expect(last().documentLabel).toBe('batch.py');
    fake.window.activeTextEditor = undefined;
    fake.events.closeText.fire(fake.workspace.textDocuments[0]);
    await settle();
    expect(last()).toMatchObject({ documentLabel: '', pair: null, pairs: [] });
  });

  it('copies the Markdown of every sample with the claim judged by the code’s options', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    model.onSetControls({ reduction: 'sum' });
    await settle();
    await model.onCopy('markdown');
    // The panel asked for its shown columns only; the copy asked for the sample's every class.
    const asks = worker.of('panelData');
    expect(asks.at(-2)?.params).toMatchObject({ shown: { classStart: null, shift: 0 } });
    expect(asks.at(-1)?.params).not.toHaveProperty('shown');
    expect(asks.at(-1)?.params).toMatchObject({ element: asks.at(-2)?.params.element, preferValid: false });
    const md = fake.clipboardText.at(-1) ?? '';
    expect(md).toContain('**Per-sample losses** (all 2 samples)');
    expect(md).toContain('torch prints `tensor(4.7039)`.');
    expect(md).toContain("holds for the code's own options (torch prints `tensor(2.3519)` with them)");
    expect(fake.messages).toContain('Loss Inspector: copied');
  });
});

describe('PanelModel on a live pair', () => {
  let current = true;
  const livePair = (programLoss: number | null, dtype = 'float32'): LivePanelPair => ({
    request: seedRequest(),
    inputName: 'output',
    targetName: 'target',
    documentLabel: 'train.py',
    uri: 'file:///w/train.py',
    frame: 'train_step',
    line: 21,
    callLine: 20,
    programLoss: programLoss === null ? null : { expression: 'loss', value: programLoss, dtype },
    reducedLoss: null,
    notes: ['logits requires grad: read detached.'],
    isCurrent: () => current,
  });

  beforeEach(() => {
    current = true;
  });

  it('moves a full read’s input and target to the worker, and copies anything else', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    const full = { ...livePair(2.351937), owned: true };
    const buffers = [full.request.input.data.buffer, full.request.target.data.buffer];
    await model.showLive(full);
    await settle();
    expect(worker.of('holdLive').at(-1)?.options?.transfer).toEqual(buffers);
    // Not owned (a selection's pair, whose arrays the cache keeps), or rows to be appended: copied.
    await model.showLive(livePair(2.351937));
    await settle();
    expect(worker.of('holdLive').at(-1)?.options?.transfer).toEqual([]);
    const reduced = {
      ...full,
      request: seedRequest(),
      reduced: { positions: 8, rows: [0, 1], fetchRows: () => Promise.reject(new Error('not read')) },
    };
    await model.showLive(reduced);
    await settle();
    expect(worker.of('holdLive').at(-1)?.options?.transfer).toEqual([]);
    // Input and target on one buffer: listed once; a view into a bigger buffer: not moved.
    const shared = new Float64Array(22);
    const one = {
      ...full,
      request: { ...seedRequest(), input: { data: shared.subarray(0, 20), shape: [2, 10], integral: false } },
    };
    await model.showLive(one);
    await settle();
    expect(worker.of('holdLive').at(-1)?.options?.transfer).toEqual([one.request.target.data.buffer]);
  });

  it('holds the read in the worker and shows its breakdown under the badge, torch’s loss beside ours', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    await model.showLive(livePair(2.351937));
    await settle();
    const held = worker.of('holdLive');
    expect(held).toHaveLength(1);
    const key = held[0]!.params.key;
    expect(key).toMatch(/^live:/);
    expect(worker.of('panelData').at(-1)?.params).toMatchObject({ key, pairId: 0, element: 0 });
    const state = last();
    expect(state.status).toBe('ready');
    expect(state.reduction?.float32?.torchPrint).toBe('tensor(2.3519)');
    expect(state.pairs).toEqual([
      { id: 0, label: 'output, target', line: 20, cell: null, loss: expect.any(Number), failed: false },
    ]);
    expect(state.live).toEqual({
      frame: 'train_step',
      line: 21,
      paused: true,
      programLoss: { expression: 'loss', value: 2.351937, dtype: 'float32' },
      agrees: true,
      notes: ['logits requires grad: read detached.'],
    });
    expect(state.sample?.element).toBe(0);
  });

  it('over the budget, progressively: "batch loss: computing…", torch’s row term beside ours, then the batch loss', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    // Rows 3 and 7 of an 8192-row batch, with torch's reduction='none' terms for them (the fixture).
    const [t0, t1] = ns(fixture.seedBatch.none32.losses);
    const terms = new Float64Array(8192).fill(NaN);
    terms[3] = t0!;
    terms[7] = t1!;
    const stream = {
      state: 'streaming' as 'streaming' | 'done',
      kind: 'reduce' as const,
      positions: 8192,
      message: null,
      cancel: () => undefined,
    };
    const reduced = { positions: 8192, rows: [3, 7], fetchRows: () => Promise.reject(new Error('not read')), terms };
    await model.showLive({ ...livePair(2.351937), reduced, stream });
    await settle();
    let state = last();
    expect(state.live?.stream).toEqual({
      state: 'streaming',
      kind: 'reduce',
      positions: 8192,
      batchLoss: null,
      message: null,
    });
    // The request holds two rows of 8192: no batch loss to show or to compare with the program's yet.
    expect(state.pairs[0]?.loss).toBeNull();
    expect(state.live?.agrees).toBeNull();
    expect(state.live?.rowTerm).toEqual({ position: 3, program: t0, ours: expect.any(Number), agrees: true });
    expect(Math.abs(state.live!.rowTerm!.ours! - t0!)).toBeLessThan(1e-6);
    // The row in view is what a new inspection of the same call reads first; another call reads row 0.
    model.onSelectSample(1);
    await settle();
    expect(model.livePosition('file:///w/train.py', 20)).toBe(7);
    expect(model.livePosition('file:///w/train.py', 30)).toBeUndefined();
    model.onSelectSample(0);
    await settle();
    // A term that differs (torch's row rounded to bfloat16): both stay on show, marked.
    const bf16 = terms.slice();
    bf16[3] = 2.140625;
    await model.showLive({ ...livePair(2.351937), reduced: { ...reduced, terms: bf16 }, stream });
    await settle();
    expect(last().live?.rowTerm).toMatchObject({ position: 3, program: 2.140625, agrees: false });
    // The reduction finished: the batch's loss is the program's, and it compares.
    stream.state = 'done';
    const batch = n(fixture.seedBatch.float32.loss);
    await model.showLive({ ...livePair(2.351937), reduced, stream, reducedLoss: batch });
    await settle();
    state = last();
    expect(state.live?.stream).toMatchObject({ state: 'done', kind: 'reduce', batchLoss: batch });
    expect(state.pairs[0]?.loss).toBe(batch);
    expect(state.live?.agrees).toBe(true);
  });

  it('shows a big read’s breakdown first and its float64 totals from a second answer', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    // A pair the worker may answer before its other dtype is computed (see otherLaterMinElements).
    const N = 2;
    const C = Math.ceil(otherLaterMinElements / N);
    const x = new Float32Array(N * C).map((_, i) => Math.sin(i) * 4);
    const request = { ...seedRequest(), input: { data: x, shape: [N, C], integral: false } };
    const seen: PanelState[] = [];
    model.onDidChangeState((s) => seen.push(s));
    await model.showLive({ ...livePair(null), request, owned: true });
    await settle(20);
    const asked = worker.of('panelData').filter((c) => c.params.key.startsWith('live:'));
    expect(asked.map((c) => c.params.otherLater)).toEqual([true, undefined]);
    const ready = seen.filter((s) => s.status === 'ready');
    expect(ready).toHaveLength(2);
    expect(ready[0]!.reduction?.float32).not.toBeNull();
    expect(ready[0]!.reduction?.float64).toBeNull();
    expect(ready[1]!.reduction?.float64).not.toBeNull();
    expect(ready[1]!.sample).toEqual(ready[0]!.sample);
  });

  it('gets the live pair’s heat map once: another sample names it and shows the same one', async () => {
    worker.auto = true;
    model.setVisible(true);
    await settle();
    await model.showLive(livePair(2.351937));
    await settle();
    const heatMap = last().heatMap;
    expect(heatMap?.rows).toBe(2);
    model.onSelectSample(1);
    await settle();
    const [first, sample] = worker.of('panelData').slice(-2);
    const id = worker.service.panelData(first!.params).heatMapId;
    expect(id).toBeGreaterThan(0);
    expect(sample!.params).toMatchObject({ element: 1, heatMapId: id });
    expect(worker.service.panelData(sample!.params)).toMatchObject({ heatMap: null, heatMapKept: true });
    expect(last().sample?.element).toBe(1);
    expect(last().heatMap).toBe(heatMap);
  });

  it('says when the program computed another loss, and when the program moved on', async () => {
    worker.auto = true;
    model.setVisible(true);
    await model.showLive(livePair(2.36));
    await settle();
    expect(last().live?.agrees).toBe(false);
    current = false;
    model.liveMoved();
    await settle();
    expect(last().live?.paused).toBe(false);
    // The numbers stay those of the stop they were read at.
    expect(last().reduction?.float32?.torchPrint).toBe('tensor(2.3519)');
  });

  it('keeps its overrides apart from the document’s, and copies the live values as PyTorch', async () => {
    worker.auto = true;
    model.setVisible(true);
    await model.showLive(livePair(null));
    await settle();
    expect(last().live?.agrees).toBeNull();
    model.onSetControls({ reduction: 'sum' });
    await settle();
    expect(last().reduction?.float32?.torchPrint).toBe('tensor(4.7039)');
    await model.onCopy('pytorch');
    expect(worker.of('inspect').at(-1)?.params).toMatchObject({ key: worker.of('holdLive')[0]!.params.key });
    expect(fake.clipboardText.at(-1)).toContain("criterion = nn.CrossEntropyLoss(reduction='sum')");
    // Showing a document's pair leaves the live pair, and the document's options are its own.
    await model.show(uri.toString(), entry.analysis!.pairs[0]!.id);
    await settle();
    expect(last().live).toBeUndefined();
    expect(last().pair?.options.reduction).toBe('mean');
  });

  it('stays on the live pair when the debugger moves the cursor, and leaves it when the user goes to a pair', async () => {
    worker.auto = true;
    model.setVisible(true);
    await model.showLive(livePair(2.351937));
    await settle();
    const editor = fake.window.activeTextEditor!;
    fake.events.selection.fire({ textEditor: editor, kind: undefined });
    await settle();
    expect(last().live).toBeDefined();
    fake.events.selection.fire({ textEditor: editor, kind: fake.TextEditorSelectionChangeKind.Mouse });
    await settle();
    expect(last().live).toBeUndefined();
    expect(last().status).toBe('ready');
    expect(last().pairs.length).toBe(entry.analysis!.pairs.length);
  });

  it('agrees to the precision of the coarser dtype', () => {
    expect(lossesAgree(2.3519370794, 'float32', 2.351937, 'float32')).toBe(true);
    expect(lossesAgree(2.3519, 'float32', 2.3594, 'float32')).toBe(false);
    // bfloat16 keeps 8 significant bits: 2.3519 is stored as 2.34375.
    expect(lossesAgree(2.3519, 'float32', 2.34375, 'bfloat16')).toBe(true);
    expect(lossesAgree(2.3519, 'float32', 2.34375, 'float32')).toBe(false);
    expect(lossesAgree(2.351937, 'float32', 2.3519370794, 'number')).toBe(true);
  });
});
