/**
 * The CLI reads only regular files, and at most `maxBytes` of each. `readFileSync` on a FIFO
 * waits forever for a writer; on /dev/zero (or a `.py` symlink to it) it fills memory; on a
 * directory it fails late. So the path is stat'ed first, opened without blocking, and the open
 * descriptor is stat'ed again (the path could have been swapped in between) before one byte is read.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readlinkSync,
  statSync,
  type Stats,
} from 'node:fs';

/** Default cap on one file's size. */
export const defaultMaxBytes = 50 * 1024 * 1024;

export type ReadFailure = 'not_found' | 'not_regular_file' | 'too_large' | 'permission_denied' | 'io_error';

export type ReadResult = { ok: true; text: string } | { ok: false; code: ReadFailure; message: string };

/** `1.2 GB`, `50 MB`, `812 bytes` (powers of 1024, as --max-bytes is counted in bytes). */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${n} bytes`;
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(path: string, st: Stats): ReadResult {
  let what = `is ${kindOf(st)}`;
  try {
    if (lstatSync(path).isSymbolicLink()) what = `is a symbolic link to ${kindOf(st)} (${readlinkSync(path)})`;
  } catch {
    // The link vanished meanwhile: the plain description is still true.
  }
  return { ok: false, code: 'not_regular_file', message: `${what}; only regular files are read` };
}

/** `size` null: the file grew past the cap while it was read. */
function tooLarge(size: number | null, maxBytes: number): ReadResult {
  const is = size === null ? 'grew' : `is ${formatBytes(size)}`;
  return {
    ok: false,
    code: 'too_large',
    message: `${is}, more than the limit of ${formatBytes(maxBytes)} (raise it with --max-bytes N)`,
  };
}

function failure(path: string, err: unknown): ReadResult {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT': {
      let link: string | undefined;
      try {
        if (lstatSync(path).isSymbolicLink()) link = readlinkSync(path);
      } catch {
        // No entry at all.
      }
      return {
        ok: false,
        code: 'not_found',
        message:
          link === undefined ? 'no such file' : `no such file (a symbolic link to ${link}, which does not exist)`,
      };
    }
    case 'ENOTDIR':
      return { ok: false, code: 'not_found', message: 'no such file (a part of the path is not a directory)' };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, code: 'permission_denied', message: 'permission denied' };
    case 'ELOOP':
      return { ok: false, code: 'not_found', message: 'too many levels of symbolic links' };
    default:
      return { ok: false, code: 'io_error', message: e.message ?? String(err) };
  }
}

/**
 * Reads a regular file as UTF-8, refusing anything else (directories, FIFOs, devices, sockets;
 * symlinks are followed and judged by what they resolve to) and files over `maxBytes`.
 * Never blocks on a FIFO and never reads more than `maxBytes + 1` bytes.
 */
export function readRegularFile(path: string, maxBytes = defaultMaxBytes): ReadResult {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    return failure(path, err);
  }
  if (!st.isFile()) return notRegular(path, st);
  if (st.size > maxBytes) return tooLarge(st.size, maxBytes);
  let fd: number;
  try {
    // O_NONBLOCK: if the path became a FIFO after the stat, opening it must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    return failure(path, err);
  }
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) return notRegular(path, fst);
    if (fst.size > maxBytes) return tooLarge(fst.size, maxBytes);
    // The file can grow while it is read: stop one byte past the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    let buf = Buffer.allocUnsafe(Math.min(fst.size, maxBytes) + 1);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) return tooLarge(null, maxBytes);
      buf = Buffer.allocUnsafe(Math.min(1 << 16, maxBytes + 1 - total));
    }
    return { ok: true, text: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8') };
  } catch (err) {
    return failure(path, err);
  } finally {
    closeSync(fd);
  }
}
