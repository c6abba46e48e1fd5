/** readRegularFile: only regular files, never blocking, never more than the cap. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes, readRegularFile } from '../../../src/cli/files';

let dir: string;
let server: Server | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'li-files-'));
  writeFileSync(join(dir, 'ok.py'), 'x = 1\n');
  mkdirSync(join(dir, 'folder.py'));
  expect(spawnSync('mkfifo', [join(dir, 'fifo.py')]).status).toBe(0);
  symlinkSync('/dev/zero', join(dir, 'zero.py'));
  symlinkSync(join(dir, 'ok.py'), join(dir, 'link.py'));
  symlinkSync(join(dir, 'folder.py'), join(dir, 'linkdir.py'));
  symlinkSync(join(dir, 'missing.py'), join(dir, 'dangling.py'));
  symlinkSync(join(dir, 'fifo.py'), join(dir, 'linkfifo.py'));
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('readRegularFile', () => {
  it('reads a regular file and a symlink that resolves to one', () => {
    expect(readRegularFile(join(dir, 'ok.py'))).toEqual({ ok: true, text: 'x = 1\n' });
    expect(readRegularFile(join(dir, 'link.py'))).toEqual({ ok: true, text: 'x = 1\n' });
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    for (const name of ['fifo.py', 'linkfifo.py']) {
      const r = readRegularFile(join(dir, name));
      expect(r).toMatchObject({ ok: false, code: 'not_regular_file' });
      expect(!r.ok && r.message).toMatch(/FIFO \(named pipe\).*only regular files are read/);
    }
  });

  it('refuses /dev/zero behind a .py symlink without reading it', () => {
    const r = readRegularFile(join(dir, 'zero.py'));
    expect(r).toEqual({
      ok: false,
      code: 'not_regular_file',
      message: 'is a symbolic link to a character device (/dev/zero); only regular files are read',
    });
    expect(readRegularFile('/dev/null')).toMatchObject({ ok: false, code: 'not_regular_file' });
  });

  it('refuses directories, directly or through a link', () => {
    expect(readRegularFile(join(dir, 'folder.py'))).toMatchObject({
      ok: false,
      message: 'is a directory; only regular files are read',
    });
    expect(readRegularFile(join(dir, 'linkdir.py'))).toMatchObject({ ok: false, code: 'not_regular_file' });
  });

  it('refuses a socket', async () => {
    const path = join(dir, 'sock.py');
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(path, resolve));
    expect(readRegularFile(path)).toMatchObject({ ok: false, message: 'is a socket; only regular files are read' });
  });

  it('says when a file is missing or a link dangles', () => {
    expect(readRegularFile(join(dir, 'nope.py'))).toEqual({ ok: false, code: 'not_found', message: 'no such file' });
    expect(readRegularFile(join(dir, 'dangling.py'))).toMatchObject({
      ok: false,
      code: 'not_found',
      message: expect.stringMatching(/symbolic link to .*missing\.py, which does not exist/),
    });
    expect(readRegularFile(join(dir, 'ok.py', 'x'))).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('refuses a file over the cap, naming the option that raises it', () => {
    writeFileSync(join(dir, 'big.py'), 'x'.repeat(3000));
    expect(readRegularFile(join(dir, 'big.py'), 2048)).toEqual({
      ok: false,
      code: 'too_large',
      message: 'is 2.9 KB, more than the limit of 2 KB (raise it with --max-bytes N)',
    });
    expect(readRegularFile(join(dir, 'big.py'), 3000)).toMatchObject({ ok: true });
  });

  it('formats sizes in powers of 1024', () => {
    expect(formatBytes(812)).toBe('812 bytes');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.3 GB');
  });
});
