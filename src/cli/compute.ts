import { toErrorInfo } from '../core/errors';
import { computeLoss } from '../core/kernel';
import { parseRequest } from '../core/request';
import { computeResponse } from '../core/response';
import type { ErrorInfo } from '../core/types';

const flags = ['--steps', '--grad', '--batch'];

/** `compute`: one request (or JSON lines with --batch) from stdin to stdout. Returns the exit code. */
export function runCompute(args: string[], readStdin: () => string, write: (s: string) => void): number {
  const unknown = args.filter((a) => !flags.includes(a));
  if (unknown.length) {
    write(
      JSON.stringify({
        error: { code: 'invalid_request', message: `Unknown option ${unknown[0]} (expected ${flags.join(', ')}).` },
      }) + '\n',
    );
    return 2;
  }
  const opts = { steps: args.includes('--steps'), grad: args.includes('--grad') };
  let text: string;
  try {
    text = readStdin();
  } catch (err) {
    write(
      JSON.stringify({
        error: { code: 'invalid_request', message: `Could not read stdin: ${(err as Error).message}` },
      }) + '\n',
    );
    return 2;
  }
  if (args.includes('--batch')) {
    const lines = text.split(/\r?\n/);
    const out: string[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const r = evaluate(line, opts);
      out.push(JSON.stringify('error' in r ? { line: i + 1, ...r } : r));
    });
    write(out.length ? out.join('\n') + '\n' : '');
    return 0;
  }
  if (text.trim() === '') {
    write(
      JSON.stringify({
        error: {
          code: 'invalid_request',
          message: 'No request on stdin: expected a JSON object with "input" and "target".',
        },
      }) + '\n',
    );
    return 2;
  }
  const r = evaluate(text, opts);
  write(JSON.stringify(r) + '\n');
  return 'error' in r ? 2 : 0;
}

function evaluate(
  text: string,
  opts: { steps: boolean; grad: boolean },
): Record<string, unknown> | { error: ErrorInfo } {
  try {
    const req = parseRequest(text);
    const outcome = computeLoss(req, { grad: opts.grad });
    if (!outcome.ok) return { error: outcome.error };
    return computeResponse(outcome.prepared, outcome.result, opts);
  } catch (err) {
    return { error: toErrorInfo(err) };
  }
}
