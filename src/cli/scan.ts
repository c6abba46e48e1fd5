/**
 * `loss-inspector scan [--json] [--dtype float32|float64] FILE...`: the pairs in each file, with
 * options, dtype, loss and a per-sample breakdown (shared/CLI.md).
 * Exit codes: 0 scanned (whatever was found), 2 usage or read error.
 */
import { analyzeText } from '../core/analysis';
import type { DocumentAnalysis } from '../core/detection';
import type { DType } from '../core/types';
import { fileJson, humanReport } from './scanFormat';

/** Command-line options shared by scan and check. */
export interface ScanArgs {
  json: boolean;
  dtype: DType | undefined;
  files: string[];
}

/** Parses `[--json] [--dtype float32|float64] FILE...`; returns an error message on bad usage. */
export function parseScanArgs(args: string[], allowDtype = true): ScanArgs | string {
  const out: ScanArgs = { json: false, dtype: undefined, files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') out.json = true;
    else if (allowDtype && (a === '--dtype' || a.startsWith('--dtype='))) {
      const v = a === '--dtype' ? args[++i] : a.slice(8);
      if (v !== 'float32' && v !== 'float64')
        return `--dtype must be float32 or float64 (got ${v === undefined ? 'nothing' : JSON.stringify(v)}).`;
      out.dtype = v;
    } else if (a === '--') {
      out.files.push(...args.slice(i + 1));
      break;
    } else if (a.startsWith('--')) return `Unknown option ${a}.`;
    else out.files.push(a);
  }
  if (out.files.length === 0) return 'No files given.';
  return out;
}

/** Reads and analyses one file; a read error comes back as a message. */
export function analyzeFile(
  path: string,
  readFile: (p: string) => string,
  dtype: DType | undefined,
): DocumentAnalysis | string {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message;
  }
  return analyzeText(text, { fileName: path, dtypeOverride: dtype });
}

/** Runs `scan`; returns the exit code. */
export function runScan(
  args: string[],
  readFile: (p: string) => string,
  write: (s: string) => void,
  writeErr: (s: string) => void,
): number {
  const parsed = parseScanArgs(args);
  if (typeof parsed === 'string') {
    writeErr(`${parsed}\nUsage: loss-inspector scan [--json] [--dtype float32|float64] FILE...\n`);
    return 2;
  }
  let code = 0;
  const files: Record<string, unknown>[] = [];
  const reports: string[] = [];
  for (const path of parsed.files) {
    const doc = analyzeFile(path, readFile, parsed.dtype);
    if (typeof doc === 'string') {
      code = 2;
      writeErr(`${path}: cannot read: ${doc}\n`);
      files.push({
        path,
        pairs: [],
        errors: [{ line: 0, message: `cannot read: ${doc}`, code: 'read_error' }],
        claims: [],
        findings: [],
      });
      continue;
    }
    if (parsed.json) files.push(fileJson(path, doc));
    else reports.push(humanReport(path, doc));
  }
  write(parsed.json ? JSON.stringify({ files }) + '\n' : reports.join('\n'));
  return code;
}
