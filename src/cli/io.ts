/** What the commands touch outside themselves, so tests can run them in-process. */
import type { ReadResult } from './files';
import type { ByteSource } from './stdin';

export interface CliIo {
  /** Writes to standard output (synchronous for files and pipes on Linux: output streams as it is written). */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Standard input as a byte stream. */
  stdin(): ByteSource;
  /** Reads one regular file, at most `maxBytes` (files.ts). */
  readFile(path: string, maxBytes: number): ReadResult;
  /** True once standard output is gone (the reader of a pipe exited): later output is dropped. */
  outClosed(): boolean;
  /** LOSS_INSPECTOR_DEBUG=1: internal errors come with their stack trace (on standard error). */
  debug: boolean;
}

/** An internal error in one line: the message, and the stack trace only when debugging. */
export function reportInternal(io: CliIo, err: unknown, where: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (io.debug) io.err(`${where}: ${err instanceof Error && err.stack ? err.stack : message}\n`);
  return message;
}
