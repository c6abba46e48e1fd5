/**
 * examples/ is what `npm start` opens for a new user: one file per kind of source (Python, notebook,
 * Markdown, JSON, JavaScript). Each must hold a pair, and every value printed in them must be what
 * PyTorch prints (they were written from real torch 1.13 output), or the first thing a learner sees
 * is a ✗ on our own example.
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCli, runCli } from './cliBuild';

beforeAll(ensureCli);

const files = readdirSync('examples').sort();

describe('examples/', () => {
  it('has one example of each kind of source', () => {
    for (const ext of ['.py', '.ipynb', '.md', '.json', '.js'])
      expect(
        files.some((f) => f.endsWith(ext)),
        ext,
      ).toBe(true);
  });

  it.each(files)('%s: at least one pair, and no printed value is wrong or unchecked', (file) => {
    const scan = runCli(['scan', '--json', `examples/${file}`]);
    expect(scan.code).toBe(0);
    const report = JSON.parse(scan.out) as { files: { pairs: unknown[] }[] };
    expect(report.files[0]!.pairs.length).toBeGreaterThan(0);
    const check = runCli(['check', `examples/${file}`]);
    expect(check.code, check.out).toBe(0);
    expect(check.out).toMatch(/ 0 wrong, 0 unverified$/m);
  });
});
