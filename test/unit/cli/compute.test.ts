/** The CLI as a black box: spawn a bundle built from the current sources (cliBuild.ts). */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from './cliBuild';

function run(args: string[], input: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8' });
  return {
    code: r.status,
    out: r.stdout,
    err: r.stderr,
    json: r.stdout.trim() ? JSON.parse(r.stdout.trim().split('\n')[0]) : null,
  };
}

const seedRow = [0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544];
const seedRow2 = [0.9457, 0.0195, 0.9846, 0.3231, 0.1605, 0.3143, 0.9508, 0.2762, 0.7276, 0.4332];

beforeAll(ensureCli);

describe('loss-inspector compute', () => {
  // Reference values: torch 1.13 (test/fixtures/kernel/cases.json, ids seed/*).
  it('prints the seed example loss 2.14381837…', () => {
    const r = run(['compute'], JSON.stringify({ input: [seedRow], target: [1] }));
    expect(r.code).toBe(0);
    expect(r.json.loss).toBeCloseTo(2.1438183784484863, 12);
    expect(r.json.dtype).toBe('float32');
    expect(r.json.printed).toBe('tensor(2.1438)');
  });

  it('prints the batch mean 2.3519 and the float64 numpy value', () => {
    expect(run(['compute'], JSON.stringify({ input: [seedRow, seedRow2], target: [1, 5] })).json.printed).toBe(
      'tensor(2.3519)',
    );
    const r = run(['compute'], JSON.stringify({ input: seedRow, target: 1, dtype: 'float64' }));
    expect(r.json.loss).toBe(2.143818427948945);
  });

  it('--steps and --grad add the breakdown and the gradient', () => {
    const r = run(
      ['compute', '--steps', '--grad'],
      JSON.stringify({ input: [seedRow, seedRow2], target: [1, 5], reduction: 'sum' }),
    );
    expect(r.code).toBe(0);
    expect(r.json.steps.softmax).toHaveLength(2);
    expect(r.json.steps.softmax[0]).toHaveLength(10);
    expect(r.json.steps.nll).toHaveLength(2);
    expect(r.json.steps.max[0]).toBeCloseTo(0.9983, 6);
    expect(r.json.steps.samples[1].target).toBe(5);
    expect(r.json.grad).toHaveLength(2);
    // sum reduction: grad row = softmax − onehot
    for (let k = 0; k < 10; k++)
      expect(r.json.grad[0][k]).toBeCloseTo(r.json.steps.softmax[0][k] - (k === 1 ? 1 : 0), 6);
    expect(r.json.steps.nll[0] + r.json.steps.nll[1]).toBeCloseTo(r.json.loss, 5);
  });

  it('reduction none returns a nested array; non-finite values are strings', () => {
    const r = run(
      ['compute'],
      JSON.stringify({
        input: [
          [1, 2],
          ['NaN', 0],
        ],
        target: [0, 1],
        reduction: 'none',
      }),
    );
    expect(r.code).toBe(0);
    expect(r.json.loss).toHaveLength(2);
    expect(r.json.loss[1]).toBe('NaN');
    const inf = run(['compute'], '{"input": [[1e999, 0]], "target": [1]}');
    expect(inf.json.loss).toBe('NaN');
  });

  it('exits 2 with a code and torch wording for bad input', () => {
    const r = run(['compute'], JSON.stringify({ input: [seedRow], target: [10] }));
    expect(r.code).toBe(2);
    expect(r.json).toEqual({ error: { code: 'target_out_of_bounds', message: 'Target 10 is out of bounds.' } });
    const bad = run(['compute'], '{"input": [1, 2');
    expect(bad.code).toBe(2);
    expect(bad.json.error.code).toBe('invalid_request');
    expect(bad.json.error.message).toMatch(/line 1, column/);
    expect(run(['compute'], '').code).toBe(2);
    expect(run(['compute'], '{"target": [1]}').json.error.message).toMatch(/"input"/);
    expect(run(['compute', '--nope'], '{}').code).toBe(2);
  });

  it('--batch answers one line per request, in order, errors included', () => {
    const lines = [
      JSON.stringify({ input: [seedRow], target: [1] }),
      JSON.stringify({ input: [seedRow], target: [11] }),
      'not json',
      JSON.stringify({ input: [seedRow, seedRow2], target: [1, 5] }),
    ].join('\n');
    const r = spawnSync(process.execPath, [cli, 'compute', '--batch'], { input: lines, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(4);
    expect(out[0].printed).toBe('tensor(2.1438)');
    expect(out[1].error.code).toBe('target_out_of_bounds');
    expect(out[2].error.code).toBe('invalid_request');
    expect(out[3].printed).toBe('tensor(2.3519)');
  });

  it('unknown commands are usage errors', () => {
    expect(run(['frobnicate'], '').code).toBe(2);
  });
});
