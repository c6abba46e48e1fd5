/**
 * Targets decide integer vs float by how their numbers are written, as torch decides by dtype:
 * `1.0`, `0.0`, `1e0` are floats (a probability target of the input's shape), `1` an integer
 * (torch's "Expected floating point type … got Long" for that shape). Every case is a request
 * written by json.dumps of real tensors, with torch 1.13's answer (test/fixtures/cli/gen_float_targets.py).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli, root } from './cliBuild';

interface Case {
  id: string;
  request: string;
  dtype: 'float32' | 'float64';
  expected: { loss: number | number[]; grad: unknown } | { error: string };
}

const cases = (
  JSON.parse(readFileSync(join(root, 'test/fixtures/cli/float_targets.json'), 'utf8')) as { cases: Case[] }
).cases;

let answers: Record<string, unknown>[] = [];

beforeAll(() => {
  ensureCli();
  const r = spawnSync(process.execPath, [cli, 'compute', '--batch', '--grad'], {
    cwd: root,
    input: cases.map((c) => c.request).join('\n') + '\n',
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(r.status).toBe(0);
  answers = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
});

function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [typeof v === 'string' ? Number(v) : (v as number)];
}

function close(actual: unknown, expected: unknown, dtype: string): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(a).toHaveLength(e.length);
  const tol = dtype === 'float64' ? 1e-12 : 1e-6;
  a.forEach((v, i) =>
    expect(Math.abs(v - e[i]), `element ${i}: ${v} vs torch ${e[i]}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(e[i])),
    ),
  );
}

describe('float-written targets are probabilities; integer-written ones keep torch’s error', () => {
  it('the fixture covers both', () => {
    expect(cases.filter((c) => 'loss' in c.expected && c.id.includes('floats')).length).toBeGreaterThanOrEqual(6);
    expect(cases.filter((c) => 'error' in c.expected && c.id.includes('integers')).length).toBeGreaterThanOrEqual(4);
  });

  cases.forEach((c, i) => {
    it(c.id, () => {
      const answer = answers[i] as {
        line: number;
        loss?: unknown;
        grad?: unknown;
        target_kind?: string;
        error?: { message: string };
      };
      expect(answer.line).toBe(i + 1);
      if ('error' in c.expected) {
        expect(answer.error?.message).toBe(c.expected.error);
      } else {
        expect(answer.error, JSON.stringify(answer.error)).toBeUndefined();
        close(answer.loss, c.expected.loss, c.dtype);
        close(answer.grad, c.expected.grad, c.dtype);
        expect(answer.target_kind).toBe(c.id === 'indices' ? 'indices' : 'probabilities');
      }
    });
  });
});
