/**
 * The built CLI against hostile and careless input, as a black box: what it reads (only
 * regular files, never past the cap), what it prints (no terminal escapes from files, no stack
 * traces, no output it cannot hold) and how it parses requests (linear, capped, strict).
 * Every spawn has a timeout: a hang fails the test instead of stalling the suite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli, root } from './cliBuild';

let dir: string;

beforeAll(() => {
  ensureCli();
  dir = mkdtempSync(join(tmpdir(), 'li-hostile-'));
  expect(spawnSync('mkfifo', [join(dir, 'fifo.py')]).status).toBe(0);
  symlinkSync('/dev/zero', join(dir, 'zero.py'));
  mkdirSync(join(dir, 'folder.py'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  out: string;
  err: string;
  /** The spawn hit its timeout (a hang). */
  timedOut: boolean;
}

function run(args: string[], options: { input?: string; env?: Record<string, string>; timeout?: number } = {}): Run {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeout ?? 20_000,
    maxBuffer: 64 << 20,
    env: { ...process.env, LOSS_INSPECTOR_DEBUG: '', ...options.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr, timedOut: r.error !== undefined || r.signal !== null };
}

function json(r: Run): { error?: { code: string; message: string }; [k: string]: unknown } {
  return JSON.parse(r.out.trim().split('\n')[0]);
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const seedRow = [0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544];
const good = JSON.stringify({ input: [seedRow], target: [1] });

describe('reads only regular files', () => {
  for (const command of ['scan', 'check']) {
    it(`${command}: a FIFO named .py is refused at once, exit 2`, () => {
      const r = run([command, join(dir, 'fifo.py')], { timeout: 15_000 });
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(2);
      expect(r.err).toContain('fifo.py: cannot read: is a FIFO (named pipe); only regular files are read');
    });

    it(`${command}: zero.py -> /dev/zero is refused without reading, exit 2`, () => {
      const r = run([command, join(dir, 'zero.py')], { timeout: 15_000 });
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        'zero.py: cannot read: is a symbolic link to a character device (/dev/zero); only regular files are read',
      );
    });

    it(`${command}: a directory is refused with a message, exit 2`, () => {
      const r = run([command, join(dir, 'folder.py')]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('folder.py: cannot read: is a directory; only regular files are read');
    });
  }

  it('files over --max-bytes are refused with the size; the default is 50 MB', () => {
    const path = write('big.py', '# ' + 'x'.repeat(5000) + '\n');
    const r = run(['scan', '--max-bytes', '4KB', path]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'big.py: cannot read: is 4.9 KB, more than the limit of 4 KB (raise it with --max-bytes N)',
    );
    expect(run(['scan', '--max-bytes=5KB', path]).code).toBe(0);
    expect(run(['scan', '--max-bytes', 'lots', path]).code).toBe(2);
  });

  it('compute reads at most --max-bytes from stdin', () => {
    const r = run(['compute', '--max-bytes', '100'], {
      input: JSON.stringify({ input: [seedRow, seedRow], target: [1, 2] }),
    });
    expect(r.code).toBe(2);
    expect(json(r).error).toEqual({
      code: 'input_too_large',
      message: 'stdin holds more than 100 bytes, the --max-bytes limit (raise it with --max-bytes N).',
    });
  });
});

describe('prints no terminal escapes taken from files', () => {
  const evilKey = 'logits\u001b[2K\u001b]0;pwned\u0007\u001b]8;;http://evil\u001b\\';
  const file = (): string =>
    write('esc.json', JSON.stringify({ [evilKey]: [seedRow], 'target\u009b2K\u202e': [1], 'loss\r\u001b[1A': 9.5 }));

  it('scan (human): keys with ESC[2K, OSC 0, OSC 8, CSI and bidi controls come out escaped', () => {
    const r = run(['scan', file()]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('logits\\e[2K\\e]0;pwned\\x07\\e]8;;http://evil\\e\\');
    expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  });

  it('check in every format, and JSON output, hold no raw control character', () => {
    const path = write(
      'esc.py',
      'import torch\n# \u001b]0;title\u0007\nx\u001b = 1\nlogits = torch.tensor([[0.8982, 0.805]])\nlabels = torch.tensor([1])\nloss = torch.nn.functional.cross_entropy(logits, labels)\nprint(loss)  # tensor(9.9999)\n',
    );
    const evilName = write('evil\u001b[2K,line=1::name.py', 'print(1)  # tensor(1.0000)\n');
    for (const args of [
      ['check'],
      ['check', '--format', 'github'],
      ['check', '--format', 'json'],
      ['scan', '--json'],
    ]) {
      const r = run([...args, file(), path, evilName]);
      expect(r.out, args.join(' ')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(r.err, args.join(' ')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    }
  });
});

describe('never a stack trace', () => {
  it('a failure writing stdout (/dev/full) is one line and exit 2; the trace only with LOSS_INSPECTOR_DEBUG=1', () => {
    for (const args of [
      ['compute'],
      ['scan', 'examples/seed_blog.py'],
      ['check', '--format', 'json', 'examples/seed_blog.py'],
    ]) {
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" ${args.join(' ')} > /dev/full`], {
        cwd: root,
        input: good,
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, LOSS_INSPECTOR_DEBUG: '' },
      });
      expect(r.status, args[0]).toBe(2);
      expect(r.stderr.trim().split('\n'), args[0]).toEqual([
        'loss-inspector: internal error: ENOSPC: no space left on device, write (LOSS_INSPECTOR_DEBUG=1 shows the stack trace)',
      ]);
    }
    const debug = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" compute > /dev/full`], {
      cwd: root,
      input: good,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, LOSS_INSPECTOR_DEBUG: '1' },
    });
    expect(debug.status).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('a reader that goes away (| head) ends the output quietly', () => {
    // Far more than a pipe holds (64 KB), so writes go on after `head` has exited.
    const files = Array(40).fill('examples/seed_blog.py').join(' ');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" scan --json ${files} | head -c 10`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stdout).toBe('{"files":[');
    expect(r.stderr).toBe('');
  });

  it('compute --steps on 5 M elements is output_too_large, exit 2, refused before the response is built', () => {
    const row = '[' + Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000).join(',') + ']';
    const input = `{"input": [${Array(5000).fill(row).join(',')}], "target": [${Array.from({ length: 5000 }, (_, i) => i % 1000).join(',')}]}`;
    const r = run(['compute', '--steps'], { input, timeout: 60_000 });
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    expect(json(r).error).toEqual({
      code: 'output_too_large',
      message:
        'The response would hold about 45,075,010 numbers, more than the 16,777,216 one response may print: leave out --steps or send fewer samples per request.',
    });
  });
});

describe('compute --batch streams', () => {
  /** A live `compute --batch`: write lines, read answers as they come. */
  function session(args: string[] = []) {
    const child = spawn(process.execPath, [cli, 'compute', '--batch', ...args], { cwd: root });
    const answers: string[] = [];
    let pending = '';
    let wake: (() => void) | undefined;
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        answers.push(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
      wake?.();
    });
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return {
      send: (text: string) => child.stdin.write(text),
      end: () => child.stdin.end(),
      exited,
      stderr: () => err,
      kill: () => child.kill(),
      /** The next answer, or a rejection if none comes within the hang bound. */
      async next(ms = 15_000): Promise<Record<string, unknown>> {
        const deadline = Date.now() + ms;
        while (answers.length === 0) {
          if (Date.now() > deadline) throw new Error('no answer: the line was not streamed');
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 200);
          });
        }
        return JSON.parse(answers.shift() as string);
      },
    };
  }

  it('answers each line before the next one is sent; a hostile line loses nothing', async () => {
    const s = session();
    try {
      s.send(good + '\n');
      expect(await s.next()).toMatchObject({ line: 1, printed: 'tensor(2.1438)' });
      s.send('{"input": ' + '['.repeat(100_000) + '\n');
      expect(await s.next()).toEqual({
        line: 2,
        error: { code: 'nesting_too_deep', message: 'nesting deeper than 1000 levels at line 1, column 1010' },
      });
      s.send('\r\n   \n' + '{"input": ' + '['.repeat(40_000) + '"a"' + ']'.repeat(40_000) + '}\n');
      expect(await s.next()).toMatchObject({ line: 5, error: { code: 'nesting_too_deep' } });
      s.send('{"input": [[1., 2]], "target": [0]}\r\n');
      expect(await s.next()).toMatchObject({ line: 6, error: { code: 'invalid_request' } });
      s.send(good);
      s.end();
      expect(await s.next()).toMatchObject({ line: 7, printed: 'tensor(2.1438)' });
      expect(await s.exited).toBe(0);
      expect(s.stderr()).toBe('');
    } finally {
      s.kill();
    }
  });

  it('a line over --max-bytes is an error line of its own; the lines around it are answered', async () => {
    const s = session(['--max-bytes', '1KB']);
    try {
      s.send(
        good +
          '\n' +
          JSON.stringify({ input: Array(200).fill(seedRow), target: Array(200).fill(1) }) +
          '\n' +
          good +
          '\n',
      );
      s.end();
      expect(await s.next()).toMatchObject({ line: 1, loss: expect.any(Number) });
      expect(await s.next()).toMatchObject({ line: 2, error: { code: 'input_too_large' } });
      expect(await s.next()).toMatchObject({ line: 3, loss: expect.any(Number) });
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
  });
});

describe('requests are parsed in linear time, with limits, strictly', () => {
  it('100 k unclosed [ is refused at the 1001st level with line and column', () => {
    const r = run(['compute'], { input: '{"input": ' + '['.repeat(100_000), timeout: 15_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(json(r).error).toEqual({
      code: 'nesting_too_deep',
      message: 'nesting deeper than 1000 levels at line 1, column 1010',
    });
  });

  it('a 40 k-deep array with a string leaf is refused the same way', () => {
    const r = run(['compute'], {
      input: '{"input": ' + '['.repeat(40_000) + '"a"' + ']'.repeat(40_000) + ', "target": [0]}',
      timeout: 15_000,
    });
    expect(r.timedOut).toBe(false);
    expect(json(r).error?.code).toBe('nesting_too_deep');
  });

  it('the element cap is applied while parsing, at the first number past it, and has an option', () => {
    const input = '{"input": [[1, 2, 3], [4, 5, 6]], "target": [0, 1]}';
    const r = run(['compute', '--max-elements', '4'], { input });
    expect(r.code).toBe(2);
    expect(json(r).error).toEqual({
      code: 'input_too_large',
      message: `more than 4 numbers in one array at line 1, column ${input.indexOf('5') + 1} (the element cap); raise it with --max-elements N.`,
    });
    expect(run(['compute', '--max-elements', '6'], { input }).code).toBe(0);
  });

  it('1., .5, -.5 and 007 are refused with line and column', () => {
    // The number starts at column 14; the column is where the grammar breaks.
    for (const [literal, column] of [
      ['1.', 16],
      ['.5', 14],
      ['-.5', 15],
      ['007', 14],
    ] as const) {
      const r = run(['compute'], { input: `{\n  "input": [[${literal}, 2]], "target": [0]}` });
      expect(r.code, literal).toBe(2);
      expect(json(r).error?.code).toBe('invalid_request');
      expect(json(r).error?.message, literal).toMatch(
        new RegExp(`^Invalid JSON at line 2, column ${column}: invalid number`),
      );
    }
  });

  it('__proto__ is a key like any other: it cannot supply the request', () => {
    const r = run(['compute'], { input: '{"__proto__": {"input": [[1, 2]], "target": [0]}}' });
    expect(r.code).toBe(2);
    expect(json(r).error).toEqual({ code: 'invalid_request', message: 'The request has no "input" field.' });
    const ok = run(['compute'], { input: `{"__proto__": null, "constructor": 1, "input": [[1, 2]], "target": [0]}` });
    expect(ok.code).toBe(0);
    expect(json(ok).printed).toBe('tensor(1.3133)');
  });
});

describe('check does not count a file it could not parse as checked', () => {
  const stray =
    '(\nimport torch\nx = torch.tensor([[0.8982, 0.805, 0.6393]])\ny = torch.tensor([1])\nloss = torch.nn.functional.cross_entropy(x, y)\nprint(loss)  # tensor(9.9999)\n';

  it('text: the parse error is reported and the exit code is 1, not "0 claims" and 0', () => {
    const path = write('stray.py', stray);
    const r = run(['check', path]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${path}:1: parse error ('(' was never closed): claims past it may be hidden`);
    // Detection recovers at the next statement, so the claim after the error is still found; the
    // file is counted as not fully checked all the same.
    expect(r.out).toContain('1 claim: 0 hold, 1 wrong, 0 unverified; 1 file not fully checked (parse error)');
  });

  it('json and github say it too', () => {
    const path = write('stray.py', stray);
    const j = JSON.parse(run(['check', '--format', 'json', path]).out);
    // A wrong claim names the file's status; the parse error still counts it as incomplete.
    expect(j).toMatchObject({ ok: false, incomplete: 1, files: [{ path, status: 'wrong' }] });
    expect(j.files[0].errors[0]).toMatchObject({ line: 1, code: 'parse_error' });
    const g = run(['check', '--format', 'github', path]);
    expect(g.code).toBe(1);
    expect(g.out.split('\n')).toContain(
      `::error file=${path},line=1::parse error ('(' was never closed): claims past it may be hidden, so the file is not counted as checked`,
    );
  });

  it('an unreadable file wins: exit 2', () => {
    const path = write('stray.py', stray);
    expect(run(['check', path, join(dir, 'fifo.py')]).code).toBe(2);
  });
});
