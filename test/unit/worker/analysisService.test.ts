/**
 * The worker's service without the transport: analyse, inspect a row by document offset,
 * incremental edits that must give exactly what the full text gives (the host sends edits instead
 * of re-cloning a 10 MB document on every keystroke), the bounds on what it keeps, and the
 * cancellation point between statements.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import type { WorkerReply } from '../../../src/protocol/worker';
import { AnalysisService } from '../../../src/worker/analysisService';
import { WorkerService } from '../../../src/worker/workerService';
import { manyPairs, seedBatch, seedLine } from './helpers';

function harness(options: ConstructorParameters<typeof WorkerService>[1] = {}) {
  const replies: WorkerReply[] = [];
  const service = new WorkerService((reply) => replies.push(reply), options);
  const last = (): WorkerReply => {
    const reply = replies[replies.length - 1];
    if (!reply) throw new Error('no reply');
    return reply;
  };
  return { service, replies, last };
}

describe('analysis in the worker', () => {
  it('analyses a document and inspects the logits row under an offset', () => {
    const { service, last } = harness();
    service.handle({
      type: 'request',
      req: 1,
      method: 'analyze',
      params: { key: 'file:///a.py', version: 1, text: seedBatch, languageId: 'python' },
    });
    const reply = last();
    if (reply.type !== 'result' || reply.method !== 'analyze') throw new Error(JSON.stringify(reply));
    const pair = reply.result.analysis.pairs[0]!;
    expect(pair.printed).toBe('tensor(2.3519)');
    // Arrays cross without their data; the pair without its in-process request.
    expect(reply.result.analysis.arrays.every((a) => a.data === undefined)).toBe(true);
    expect((pair as { request?: unknown }).request).toBeUndefined();
    // An offset inside the second row of the logits literal selects sample 1 (target 5).
    const offset = seedBatch.indexOf('0.9457') + 2;
    service.handle({
      type: 'request',
      req: 2,
      method: 'inspect',
      params: { key: 'file:///a.py', version: 1, pairId: pair.id, offset, topK: 3 },
    });
    const inspect = last();
    if (inspect.type !== 'result' || inspect.method !== 'inspect') throw new Error(JSON.stringify(inspect));
    expect(inspect.result.sample.element).toBe(1);
    expect(inspect.result.sample.target).toBe(5);
    expect(inspect.result.classIndices).toContain(5);
    expect(inspect.result.classIndices!.length).toBeLessThanOrEqual(4);
  });

  it('says which offsets name the same row, and every offset in that span does', () => {
    const service = new AnalysisService();
    const analysis = service.analyze({ key: 'k', version: 1, text: seedBatch, languageId: 'python' }).analysis;
    const pair = analysis.pairs[0]!;
    const site = analysis.arrays.find((a) => a.id === pair.logits.id)!;
    const inspectAt = (offset: number) => service.inspect({ key: 'k', version: 1, pairId: pair.id, offset, topK: 1 });
    const second = inspectAt(seedBatch.indexOf('0.9457') + 2);
    const span = second.rowSpan!;
    expect(span.start).toBeGreaterThanOrEqual(site.literalStart);
    expect(span.end).toBeLessThanOrEqual(site.literalEnd + 1);
    for (let o = span.start; o < span.end; o++) expect(inspectAt(o).sample.element).toBe(1);
    expect(inspectAt(span.start - 1).sample.element).toBe(0);
    if (span.end <= site.literalEnd) expect(inspectAt(span.end).sample.element).toBe(2);
    // The rows' spans tile the literal from the first row's start to its end.
    const first = inspectAt(span.start - 1).rowSpan!;
    expect(first.end).toBe(span.start);
    // A request by element names no span: nothing was looked up by offset.
    expect(service.inspect({ key: 'k', version: 1, pairId: pair.id, element: 1 }).rowSpan).toBeUndefined();
  });

  it('applies edits to the text it holds, giving what the full text gives', () => {
    const service = new AnalysisService();
    service.analyze({ key: 'k', version: 3, text: seedBatch, languageId: 'python' });
    // Change target 5 into 4 and append a comment line, as two edits in application order.
    const at = seedBatch.indexOf('[1, 5]') + 4;
    const edited = `${seedBatch.slice(0, at)}4${seedBatch.slice(at + 1)}# end\n`;
    const reply = service.analyze({
      key: 'k',
      version: 5,
      baseVersion: 3,
      languageId: 'python',
      edits: [
        { offset: at, length: 1, text: '4' },
        { offset: seedBatch.length, length: 0, text: '# end\n' },
      ],
    });
    const full = analyzeText(edited, { languageId: 'python' });
    expect(reply.analysis.pairs.map((p) => p.loss)).toEqual(full.pairs.map((p) => p.loss));
    expect(reply.analysis.pairs[0]!.loss).not.toBe(analyzeText(seedBatch, { languageId: 'python' }).pairs[0]!.loss);
  });

  it('asks for the full text when it does not hold the base version', () => {
    const { service, last } = harness();
    service.handle({
      type: 'request',
      req: 1,
      method: 'analyze',
      params: { key: 'k', version: 1, text: seedBatch, languageId: 'python' },
    });
    service.handle({
      type: 'request',
      req: 2,
      method: 'analyze',
      params: {
        key: 'k',
        version: 9,
        baseVersion: 7,
        languageId: 'python',
        edits: [{ offset: 0, length: 0, text: '#' }],
      },
    });
    expect(last()).toMatchObject({ type: 'error', req: 2, error: { code: 'invalid_request' } });
  });

  it('answers a malformed request that has an id, and only logs one without', () => {
    const { service, replies } = harness();
    service.handle({ type: 'request', req: 7, method: 'analyze', params: { version: 1 } });
    service.handle({ type: 'request', method: 'analyze' });
    expect(replies.map((r) => r.type)).toEqual(['log', 'error', 'log']);
    expect(replies[1]).toMatchObject({ req: 7, error: { code: 'invalid_request' } });
  });

  it('stops an analysis between statements when its request is cancelled, and says so', () => {
    let polls = 0;
    const { service, last } = harness({ isCancelled: (req) => req === 3 && ++polls > 100 });
    service.handle({
      type: 'request',
      req: 3,
      method: 'analyze',
      params: { key: 'k', version: 1, text: manyPairs(1000), languageId: 'python' },
    });
    expect(last()).toEqual({
      type: 'error',
      req: 3,
      error: { code: 'cancelled', message: 'The analysis was cancelled.' },
    });
    expect(polls).toBe(101); // it stopped at the first statement after the flag, not at the end
    // The text of the stopped version is held: the next edits apply to it, no full text needed.
    service.handle({
      type: 'request',
      req: 5,
      method: 'analyze',
      params: { key: 'k', version: 2, baseVersion: 1, edits: [{ offset: 0, length: 0, text: '# edited\n' }] },
    });
    expect(last()).toMatchObject({ type: 'result', req: 5, result: { version: 2 } });
    // A flag for another request does not stop this one.
    service.handle({
      type: 'request',
      req: 4,
      method: 'analyze',
      params: { key: 'k', version: 3, text: seedLine, languageId: 'python' },
    });
    expect(last()).toMatchObject({ type: 'result', req: 4 });
  });

  it('stops a panel request cancelled while it computes before its answer, and keeps what it computed', () => {
    let flagged = 0;
    const polls: number[] = [];
    const { service, last } = harness({ isCancelled: (req) => (polls.push(req), req === flagged) });
    service.handle({
      type: 'request',
      req: 1,
      method: 'analyze',
      params: { key: 'k', version: 1, text: seedBatch, languageId: 'python' },
    });
    const panel = (req: number, labelSmoothing: number) =>
      service.handle({
        type: 'request',
        req,
        method: 'panelData',
        params: {
          key: 'k',
          version: 1,
          pairId: 0,
          element: 0,
          options: {
            reduction: 'mean',
            dtype: 'float32',
            labelSmoothing,
            ignoreIndex: -100,
            weight: null,
            inputKind: 'logits',
          },
          shown: { classStart: null, shift: 0 },
        },
      });
    // A snapshot made ahead the user's change made moot: the host flags it while it runs.
    flagged = 2;
    panel(2, 0.1);
    expect(last()).toMatchObject({ type: 'error', req: 2, error: { code: 'cancelled' } });
    // The same options asked again: answered, with the result a fresh service gives.
    panel(3, 0.1);
    const reply = last();
    if (reply.type !== 'result' || reply.method !== 'panelData') throw new Error(JSON.stringify(reply));
    const fresh = harness();
    fresh.service.handle({
      type: 'request',
      req: 1,
      method: 'analyze',
      params: { key: 'k', version: 1, text: seedBatch, languageId: 'python' },
    });
    fresh.service.handle({
      type: 'request',
      req: 3,
      method: 'panelData',
      params: {
        key: 'k',
        version: 1,
        pairId: 0,
        element: 0,
        options: {
          reduction: 'mean',
          dtype: 'float32',
          labelSmoothing: 0.1,
          ignoreIndex: -100,
          weight: null,
          inputKind: 'logits',
        },
        shown: { classStart: null, shift: 0 },
      },
    });
    const expected = fresh.last();
    if (expected.type !== 'result' || expected.method !== 'panelData') throw new Error(JSON.stringify(expected));
    expect(reply.result.result).toEqual(expected.result.result);
    expect(reply.result.shown).toEqual(expected.result.shown);
    // Asked once before the answer is built (and once after, as every request): the flagged one stopped at the first.
    expect(polls.filter((req) => req === 2)).toHaveLength(1);
    expect(polls.filter((req) => req === 3)).toHaveLength(2);
  });
});

describe('what the worker keeps', () => {
  it('keeps at most maxEntries analyses, least recently used out first, and not transient ones', () => {
    const service = new AnalysisService({ maxEntries: 2 });
    for (const key of ['a', 'b']) service.analyze({ key, version: 1, text: seedLine });
    service.inspect({ key: 'a', version: 1, pairId: 0 }); // a is now the most recently used
    service.analyze({ key: 'c', version: 1, text: seedLine });
    service.analyze({ key: 'd', version: 1, text: seedLine, transient: true });
    expect(service.keys).toEqual(['a', 'c']);
  });

  it('keeps the analyses within maxBytes, counting texts, values and computed results', () => {
    const text = manyPairs(200); // ~35 kB of text, 200 pairs
    const one = new AnalysisService();
    one.analyze({ key: 'x', version: 1, text });
    const bytes = one.heldBytes;
    expect(bytes).toBeGreaterThan(2 * text.length);
    const before = bytes;
    one.inspect({ key: 'x', version: 1, pairId: 0 });
    expect(one.heldBytes).toBeGreaterThan(before); // a computed result counts too

    const bounded = new AnalysisService({ maxBytes: Math.floor(bytes * 2.5) });
    for (const key of ['a', 'b', 'c', 'd']) bounded.analyze({ key, version: 1, text });
    expect(bounded.keys).toEqual(['c', 'd']);
    expect(bounded.heldBytes).toBeLessThanOrEqual(bytes * 2.5);
    // The newest stays, whatever its size.
    const tiny = new AnalysisService({ maxBytes: 10 });
    tiny.analyze({ key: 'a', version: 1, text });
    tiny.analyze({ key: 'b', version: 1, text });
    expect(tiny.keys).toEqual(['b']);
  });
});
