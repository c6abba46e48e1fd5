/**
 * `loss-inspector scan [--json] [--dtype float32|float64] [--max-bytes N] FILE...`: the pairs in
 * each file, with options, dtype, loss and a per-sample breakdown (docs/cli.md).
 * Exit codes: 0 scanned (whatever was found), 2 usage, read or internal error.
 */
import { analyzeText } from '../core/analysis';
import type { DocumentAnalysis } from '../core/detection';
import { writeJson } from '../core/json/writeJson';
import type { DType } from '../core/types';
import { defaultMaxBytes } from './files';
import { reportInternal, type CliIo } from './io';
import { parseArgs, parseByteCount } from './options';
import { fileJson, humanReport } from './scanFormat';
import { SafeLineWriter, terminalSafe } from './terminal';

export type OutputFormat = 'text' | 'json' | 'github';

/** Command-line settings shared by scan and check. */
export interface FileSettings {
  format: OutputFormat;
  dtype: DType | undefined;
  maxBytes: number;
  files: string[];
}

/**
 * Parses `[--json] [--format F] [--dtype float32|float64] [--max-bytes N] FILE...`; returns an
 * error message on bad usage. `formats` lists what `--format` accepts (scan: text, json).
 */
export function fileSettings(args: readonly string[], formats: readonly OutputFormat[]): FileSettings | string {
  const parsed = parseArgs(args, ['--json'], ['--format', '--dtype', '--max-bytes']);
  if (typeof parsed === 'string') return parsed;
  const out: FileSettings = { format: 'text', dtype: undefined, maxBytes: defaultMaxBytes, files: parsed.positionals };
  if (parsed.flags.has('--json')) out.format = 'json';
  const format = parsed.values.get('--format');
  if (format !== undefined) {
    if (!(formats as readonly string[]).includes(format)) {
      return `--format must be ${formats.join(', ')} (got ${JSON.stringify(format)}).`;
    }
    if (parsed.flags.has('--json') && format !== 'json') return `--json and --format ${format} disagree.`;
    out.format = format as OutputFormat;
  }
  const dtype = parsed.values.get('--dtype');
  if (dtype !== undefined) {
    if (dtype !== 'float32' && dtype !== 'float64')
      return `--dtype must be float32 or float64 (got ${JSON.stringify(dtype)}).`;
    out.dtype = dtype;
  }
  const maxBytes = parsed.values.get('--max-bytes');
  if (maxBytes !== undefined) {
    const n = parseByteCount('--max-bytes', maxBytes);
    if (typeof n === 'string') return n;
    out.maxBytes = n;
  }
  if (out.files.length === 0) return 'No files given.';
  return out;
}

/** One file's fate: analysed, or why not (unreadable: the read failed; internal: the analysis threw). */
export type FileOutcome =
  | { path: string; doc: DocumentAnalysis }
  | { path: string; failure: 'unreadable' | 'internal'; code: string; message: string };

/** Reads and analyses one file. Never throws: every failure is an outcome. */
export function analyzeFile(path: string, io: CliIo, settings: FileSettings): FileOutcome {
  const read = io.readFile(path, settings.maxBytes);
  if (!read.ok) return { path, failure: 'unreadable', code: read.code, message: read.message };
  try {
    return { path, doc: analyzeText(read.text, { fileName: path, dtypeOverride: settings.dtype }) };
  } catch (err) {
    return { path, failure: 'internal', code: 'internal', message: reportInternal(io, err, path) };
  }
}

/** What a failed file says on standard error, one line. */
export function failureLine(outcome: Extract<FileOutcome, { failure: string }>): string {
  const what = outcome.failure === 'unreadable' ? 'cannot read' : 'internal error';
  return `${terminalSafe(outcome.path)}: ${what}: ${terminalSafe(outcome.message)}\n`;
}

/** A failed file's entry in the JSON output (the shape of an analysed one, with the error). */
export function failureJson(outcome: Extract<FileOutcome, { failure: string }>): Record<string, unknown> {
  const message =
    outcome.failure === 'unreadable' ? `cannot read: ${outcome.message}` : `internal error: ${outcome.message}`;
  return {
    path: outcome.path,
    pairs: [],
    errors: [
      {
        line: 0,
        message,
        code: outcome.failure === 'unreadable' ? 'read_error' : 'internal',
        reason: outcome.code,
      },
    ],
    claims: [],
    findings: [],
  };
}

/**
 * Writes `{"files": [...]` one file at a time (then `extra` members, then `}`): the output of a
 * scan is as large as the files are many, and is never held as one string.
 */
export class JsonFilesWriter {
  private count = 0;

  constructor(private readonly io: CliIo) {
    io.out('{"files":[');
  }

  file(entry: Record<string, unknown>): void {
    if (this.count++ > 0) this.io.out(',');
    writeJson(entry, (chunk) => this.io.out(chunk));
  }

  end(extra: Record<string, unknown> = {}): void {
    this.io.out(']');
    for (const [key, value] of Object.entries(extra)) {
      this.io.out(`,${JSON.stringify(key)}:`);
      writeJson(value, (chunk) => this.io.out(chunk));
    }
    this.io.out('}\n');
  }
}

/** Runs `scan`; returns the exit code. */
export function runScan(args: readonly string[], io: CliIo): number {
  const settings = fileSettings(args, ['text', 'json']);
  if (typeof settings === 'string') {
    io.err(`${settings}\nUsage: loss-inspector scan [--json] [--dtype float32|float64] [--max-bytes N] FILE...\n`);
    return 2;
  }
  let code = 0;
  const json = settings.format === 'json' ? new JsonFilesWriter(io) : undefined;
  const text = new SafeLineWriter((s) => io.out(s));
  let first = true;
  for (const path of settings.files) {
    if (io.outClosed()) break;
    const outcome = analyzeFile(path, io, settings);
    if ('failure' in outcome) {
      code = 2;
      io.err(failureLine(outcome));
      json?.file(failureJson(outcome));
      continue;
    }
    try {
      if (json) json.file(fileJson(path, outcome.doc));
      else {
        if (!first) text.line('');
        first = false;
        humanReport(path, outcome.doc, (line) => text.line(line));
        text.flush();
      }
    } catch (err) {
      text.flush();
      code = 2;
      const failed = { path, failure: 'internal', code: 'internal', message: reportInternal(io, err, path) } as const;
      io.err(failureLine(failed));
      json?.file(failureJson(failed));
    }
  }
  json?.end();
  return code;
}
