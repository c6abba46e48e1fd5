/** The commands in-process (fakeIo): output is written file by file and line by line, never held to the end. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/cli/check';
import { runCompute } from '../../../src/cli/compute';
import { runScan } from '../../../src/cli/scan';
import { fakeIo } from './fakeIo';

const root = join(__dirname, '../../..');
const seed = readFileSync(join(root, 'examples/seed_blog.py'), 'utf8');
const wrong = readFileSync(join(root, 'test/fixtures/detection/python/wrong_claim.py'), 'utf8');

/** Index of the first event matching `prefix`. */
function at(events: string[], prefix: string): number {
  const i = events.findIndex((e) => e.startsWith(prefix));
  expect(i, prefix).toBeGreaterThanOrEqual(0);
  return i;
}

describe('scan streams per file', () => {
  it('--json: each file is written before the next one is read, and the whole is one JSON document', () => {
    const io = fakeIo({ 'a.py': seed, 'b.py': wrong, 'c.py': seed });
    expect(runScan(['--json', 'a.py', 'b.py', 'c.py'], io)).toBe(0);
    const events = io.events;
    expect(at(events, 'out:{"path":"a.py"')).toBeLessThan(at(events, 'read:b.py'));
    expect(at(events, 'out:{"path":"b.py"')).toBeLessThan(at(events, 'read:c.py'));
    const doc = JSON.parse(io.stdout());
    expect(doc.files.map((f: { path: string }) => f.path)).toEqual(['a.py', 'b.py', 'c.py']);
    expect(doc.files[0].pairs).toHaveLength(8);
  });

  it('--json: an unreadable file is an entry with its error, between the others', () => {
    const io = fakeIo({ 'a.py': seed });
    expect(runScan(['--json', 'a.py', 'missing.py', 'a.py'], io)).toBe(2);
    const doc = JSON.parse(io.stdout());
    expect(doc.files[1]).toMatchObject({
      path: 'missing.py',
      errors: [{ line: 0, code: 'read_error', reason: 'not_found', message: 'cannot read: no such file' }],
    });
    expect(io.stderr()).toBe('missing.py: cannot read: no such file\n');
  });

  it('human: each report is written before the next file is read', () => {
    const io = fakeIo({ 'a.py': seed, 'b.py': wrong });
    expect(runScan(['a.py', 'b.py'], io)).toBe(0);
    expect(at(io.events, 'out:a.py: 8 pairs')).toBeLessThan(at(io.events, 'read:b.py'));
    expect(io.stdout()).toMatch(/\n\nb\.py: \d+ pairs?/);
  });
});

describe('check formats', () => {
  it('github: one ::error per wrong claim with claimed and computed; exit 1', () => {
    const io = fakeIo({ 'tutorial/wrong_claim.py': wrong, 'seed.py': seed });
    expect(runCheck(['--format', 'github', 'seed.py', 'tutorial/wrong_claim.py'], io)).toBe(1);
    const lines = io.stdout().trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^::error file=tutorial\/wrong_claim\.py,line=8::claimed tensor\(2\.5000\), computed tensor\(0\.3133\) \(0\.3133\d+\)$/,
      ),
      '9 claims: 8 hold, 1 wrong, 0 unverified',
    ]);
  });

  it('github: unverified claims are warnings and do not fail', () => {
    const unverifiable = readFileSync(join(root, 'test/fixtures/detection/python/unverifiable_claim.py'), 'utf8');
    const io = fakeIo({ 'u.py': unverifiable });
    expect(runCheck(['--format=github', 'u.py'], io)).toBe(0);
    expect(io.stdout()).toMatch(
      /^::warning file=u\.py,line=11::tensor\(1\.6729, grad_fn=<NllLossBackward0>\) unverified: /m,
    );
  });

  it('github: notebook claims name the cell in the message (their lines count inside the cell)', () => {
    const nb = readFileSync(join(root, 'test/fixtures/detection/notebooks/stale_output.ipynb'), 'utf8');
    const io = fakeIo({ 'nb.ipynb': nb });
    expect(runCheck(['--format', 'github', 'nb.ipynb'], io)).toBe(1);
    expect(io.stdout()).toMatch(/^::error file=nb\.ipynb::cell 5, line 3: claimed tensor\(0\.6846\), computed /m);
  });

  it('github: an unreadable file is a file-level error; exit 2', () => {
    const io = fakeIo({});
    expect(runCheck(['--format', 'github', 'gone.py'], io)).toBe(2);
    expect(io.stdout()).toContain('::error file=gone.py::cannot read: no such file\n');
  });

  it('json: the shape of scan --json with the verdicts; --json still works', () => {
    for (const args of [['--format', 'json'], ['--json']]) {
      const io = fakeIo({ 'w.py': wrong });
      expect(runCheck([...args, 'w.py'], io)).toBe(1);
      const doc = JSON.parse(io.stdout());
      expect(doc).toMatchObject({ ok: false, holds: 1, wrong: 1, unverified: 0, incomplete: 0, unreadable: 0 });
      expect(doc.files[0]).toMatchObject({ path: 'w.py', language: 'python', status: 'wrong' });
      expect(doc.files[0].pairs.length).toBeGreaterThan(0);
      expect(doc.files[0].claims[0]).toMatchObject({ line: 8, holds: false, expected: 'tensor(0.3133)' });
    }
  });

  it('usage errors: unknown format, disagreeing flags, no files', () => {
    for (const args of [['--format', 'xml', 'a.py'], ['--json', '--format', 'text', 'a.py'], ['--format'], []]) {
      const io = fakeIo({});
      expect(runCheck(args, io), args.join(' ')).toBe(2);
      expect(io.stderr()).toMatch(/Usage: loss-inspector check/);
    }
  });
});

describe('compute --batch in-process', () => {
  it('numbers every answer by its input line, blank lines counted, CRLF accepted', async () => {
    const good = '{"input": [[1, 2]], "target": [0]}';
    const io = fakeIo({}, [good + '\r\n\n', '  \n' + good.slice(0, 10), good.slice(10) + '\nnope\n', good]);
    expect(await runCompute(['--batch'], io)).toBe(0);
    const answers = io
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => a.line)).toEqual([1, 4, 5, 6]);
    expect(answers[1].printed).toBe('tensor(1.3133)');
    expect(answers[2].error.code).toBe('invalid_request');
  });

  it('usage errors are JSON on stdout, exit 2', async () => {
    for (const args of [['--nope'], ['--max-bytes'], ['--max-elements', '0'], ['file.json']]) {
      const io = fakeIo({}, ['{}']);
      expect(await runCompute(args, io), args.join(' ')).toBe(2);
      expect(JSON.parse(io.stdout()).error.code).toBe('invalid_request');
    }
  });
});
