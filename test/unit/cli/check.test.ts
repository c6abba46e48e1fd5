/** `loss-inspector check` as a black box: exit 0 when every claim holds, 1 when one does not, 2 for usage/read errors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCli, runCli } from './cliBuild';

beforeAll(ensureCli);

describe('loss-inspector check', () => {
  it('exits 0 on the seed example: all seven claims hold', () => {
    const r = runCli(['check', 'examples/seed_blog.py']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe('7 claims: 7 hold, 0 wrong, 0 unverified');
  });

  it('exits 1 and lists file:line, claimed, computed and what should be printed', () => {
    const r = runCli(['check', 'examples/seed_blog.py', 'test/fixtures/detection/python/wrong_claim.py']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^test\/fixtures\/detection\/python\/wrong_claim\.py:8: claimed tensor\(2\.5000\), computed 0\.3133\d+ \(expected 'tensor\(0\.3133\)'\)$/m,
    );
    expect(r.out).toContain('9 claims: 8 hold, 1 wrong, 0 unverified');
  });

  it('lists unverified claims without failing', () => {
    const r = runCli(['check', 'test/fixtures/detection/python/unverifiable_claim.py']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/unverifiable_claim\.py:11: tensor\(1\.6729, grad_fn=<NllLossBackward0>\) unverified/);
  });

  it('notebook outputs and markdown output blocks are checked too', () => {
    const r = runCli([
      'check',
      'test/fixtures/detection/notebooks/stale_output.ipynb',
      'test/fixtures/detection/markdown/tutorial_wrong.md',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('stale_output.ipynb:cell5:3: claimed tensor(0.6846)');
    expect(r.out).toContain('tutorial_wrong.md:18: claimed tensor(0.5000)');
  });

  it('--json gives the verdicts', () => {
    const r = runCli(['check', '--json', 'test/fixtures/detection/python/wrong_claim.py']);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ ok: false, holds: 1, wrong: 1, unverified: 0 });
    expect(json.files[0].claims[0]).toMatchObject({ line: 8, holds: false, expected: 'tensor(0.3133)' });
  });

  it('exits 2 with no files or an unreadable one', () => {
    expect(runCli(['check']).code).toBe(2);
    const r = runCli(['check', 'examples/seed_blog.py', 'missing.py']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('missing.py: cannot read');
  });
});
