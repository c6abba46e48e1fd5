/** An in-process CliIo for the commands: records what they write, in order, with the reads in between. */
import type { ReadResult } from '../../../src/cli/files';
import type { CliIo } from '../../../src/cli/io';

export interface FakeIo extends CliIo {
  /** Everything in order: `out:…`, `err:…`, `read:path`. */
  events: string[];
  stdout(): string;
  stderr(): string;
}

export function fakeIo(files: Record<string, string>, stdinChunks: (string | Buffer)[] = []): FakeIo {
  const events: string[] = [];
  return {
    events,
    out: (text) => void events.push(`out:${text}`),
    err: (text) => void events.push(`err:${text}`),
    stdin: () =>
      (async function* () {
        for (const c of stdinChunks) yield c;
      })(),
    readFile: (path): ReadResult => {
      events.push(`read:${path}`);
      return path in files
        ? { ok: true, text: files[path] }
        : { ok: false, code: 'not_found', message: 'no such file' };
    },
    outClosed: () => false,
    debug: false,
    stdout: () =>
      events
        .filter((e) => e.startsWith('out:'))
        .map((e) => e.slice(4))
        .join(''),
    stderr: () =>
      events
        .filter((e) => e.startsWith('err:'))
        .map((e) => e.slice(4))
        .join(''),
  };
}
