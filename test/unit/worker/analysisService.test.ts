/**
 * Detection in the worker: analyse, inspect a row by document offset, and incremental edits
 * that must give exactly what the full text gives (the host sends edits instead of re-cloning a
 * 10 MB document on every keystroke).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import type { WorkerReply } from '../../../src/protocol/worker';
import { KernelService } from '../../../src/worker/kernelService';

const seedBatch = readFileSync(join(__dirname, '../../fixtures/workspace/seed_batch.py'), 'utf8');

function harness() {
  const replies: WorkerReply[] = [];
  const service = new KernelService((reply) => replies.push(reply), { yieldToEvents: () => Promise.resolve() });
  return { service, replies, last: () => replies[replies.length - 1] };
}

describe('analysis in the worker', () => {
  it('analyses a document and inspects the logits row under an offset', async () => {
    const { service, last } = harness();
    await service.handle({
      type: 'analyze',
      req: 1,
      key: 'file:///a.py',
      version: 1,
      text: seedBatch,
      languageId: 'python',
    });
    const reply = last();
    if (reply.type !== 'analysis') throw new Error(reply.type);
    const pair = reply.analysis.pairs[0];
    expect(pair.printed).toBe('tensor(2.3519)');
    // Arrays cross without their data; the pair without its in-process request.
    expect(reply.analysis.arrays.every((a) => a.data === undefined)).toBe(true);
    expect((pair as { request?: unknown }).request).toBeUndefined();
    // An offset inside the second row of the logits literal selects sample 1 (target 5).
    const offset = seedBatch.indexOf('0.9457') + 2;
    await service.handle({
      type: 'inspect',
      req: 2,
      key: 'file:///a.py',
      version: 1,
      pairId: pair.id,
      offset,
      topK: 3,
    });
    const inspect = last();
    if (inspect.type !== 'inspect') throw new Error(JSON.stringify(inspect));
    expect(inspect.sample.element).toBe(1);
    expect(inspect.sample.target).toBe(5);
    expect(inspect.classIndices).toContain(5);
    expect(inspect.classIndices!.length).toBeLessThanOrEqual(4);
  });

  it('applies edits to the text it holds, giving what the full text gives', async () => {
    const { service, last } = harness();
    await service.handle({ type: 'analyze', req: 1, key: 'k', version: 3, text: seedBatch, languageId: 'python' });
    // Change target 5 into 4 and append a comment line, as two edits in application order.
    const at = seedBatch.indexOf('[1, 5]') + 4;
    const edited = `${seedBatch.slice(0, at)}4${seedBatch.slice(at + 1)}# end\n`;
    await service.handle({
      type: 'analyze',
      req: 2,
      key: 'k',
      version: 5,
      baseVersion: 3,
      languageId: 'python',
      edits: [
        { offset: at, length: 1, text: '4' },
        { offset: seedBatch.length, length: 0, text: '# end\n' },
      ],
    });
    const reply = last();
    if (reply.type !== 'analysis') throw new Error(JSON.stringify(reply));
    const full = analyzeText(edited, { languageId: 'python' });
    expect(reply.analysis.pairs.map((p) => p.loss)).toEqual(full.pairs.map((p) => p.loss));
    expect(reply.analysis.pairs[0].loss).not.toBe(analyzeText(seedBatch, { languageId: 'python' }).pairs[0].loss);
  });

  it('asks for the full text when it does not hold the base version', async () => {
    const { service, last } = harness();
    await service.handle({ type: 'analyze', req: 1, key: 'k', version: 1, text: seedBatch, languageId: 'python' });
    await service.handle({
      type: 'analyze',
      req: 2,
      key: 'k',
      version: 9,
      baseVersion: 7,
      languageId: 'python',
      edits: [{ offset: 0, length: 0, text: '#' }],
    });
    const reply = last();
    expect(reply.type).toBe('error');
    if (reply.type === 'error') expect(reply.error.code).toBe('invalid_request');
  });
});
