/**
 * `loss-inspector compute`: one request from stdin to stdout, or with --batch one request per
 * line, each answered as soon as it is computed (docs/cli.md).
 */
import { toErrorInfo } from '../core/errors';
import { writeJson } from '../core/json/writeJson';
import { computeLoss, defaultMaxElements } from '../core/kernel';
import { parseRequest } from '../core/request';
import { computeResponse, maxResponseNumbers, responseNumbers } from '../core/response';
import type { ErrorInfo } from '../core/types';
import { defaultMaxBytes, formatBytes } from './files';
import { reportInternal, type CliIo } from './io';
import { parseArgs, parseByteCount, parseCount } from './options';
import { readAll, readLines } from './stdin';

const flagNames = ['--steps', '--grad', '--batch'];
const valueNames = ['--max-bytes', '--max-elements'];

export const computeUsage = `loss-inspector compute [--steps] [--grad] [--max-bytes N] [--max-elements N] < request.json
  loss-inspector compute --batch [--steps] [--grad] [--max-bytes N] [--max-elements N] < requests.jsonl`;

export interface ComputeSettings {
  steps: boolean;
  grad: boolean;
  batch: boolean;
  /** Most bytes read for one request (all of stdin, or one line with --batch). */
  maxBytes: number;
  /** Most numbers in one array of a request (the kernel's input cap too). */
  maxElements: number;
}

/** The settings, or a usage error message. */
export function computeSettings(args: readonly string[]): ComputeSettings | string {
  const parsed = parseArgs(args, flagNames, valueNames);
  if (typeof parsed === 'string') return `${parsed} (expected ${[...flagNames, ...valueNames].join(', ')})`;
  if (parsed.positionals.length) {
    return `compute reads its request from stdin, not from arguments (got ${JSON.stringify(parsed.positionals[0])}).`;
  }
  const maxBytes = parsed.values.has('--max-bytes')
    ? parseByteCount('--max-bytes', parsed.values.get('--max-bytes') as string)
    : defaultMaxBytes;
  if (typeof maxBytes === 'string') return maxBytes;
  const maxElements = parsed.values.has('--max-elements')
    ? parseCount('--max-elements', parsed.values.get('--max-elements') as string)
    : defaultMaxElements;
  if (typeof maxElements === 'string') return maxElements;
  return {
    steps: parsed.flags.has('--steps'),
    grad: parsed.flags.has('--grad'),
    batch: parsed.flags.has('--batch'),
    maxBytes,
    maxElements,
  };
}

function writeLine(io: CliIo, value: unknown): void {
  writeJson(value, (chunk) => io.out(chunk));
  io.out('\n');
}

function errorLine(code: ErrorInfo['code'], message: string): { error: ErrorInfo } {
  return { error: { code, message } };
}

/** Runs `compute`; returns the exit code. */
export async function runCompute(args: readonly string[], io: CliIo): Promise<number> {
  const settings = computeSettings(args);
  if (typeof settings === 'string') {
    writeLine(io, errorLine('invalid_request', settings));
    return 2;
  }
  if (settings.batch) return runBatch(settings, io);
  const input = await readAll(io.stdin(), settings.maxBytes);
  if (!input.ok) {
    writeLine(io, errorLine('input_too_large', tooManyBytes('stdin', settings.maxBytes)));
    return 2;
  }
  if (input.text.trim() === '') {
    writeLine(
      io,
      errorLine('invalid_request', 'No request on stdin: expected a JSON object with "input" and "target".'),
    );
    return 2;
  }
  const r = evaluate(input.text, settings, io, 'stdin');
  writeLine(io, r);
  return 'error' in r ? 2 : 0;
}

/**
 * `--batch`: each non-blank line is a request; each answer is written as soon as it is computed,
 * with `line` (1-based, blank lines counted). A line that fails in any way becomes an error line,
 * so the other lines' answers are never lost. Exit 0 once every line is answered.
 */
async function runBatch(settings: ComputeSettings, io: CliIo): Promise<number> {
  for await (const item of readLines(io.stdin(), settings.maxBytes)) {
    if (io.outClosed()) break;
    if ('tooLong' in item) {
      writeLine(io, { line: item.line, ...errorLine('input_too_large', tooManyBytes('the line', settings.maxBytes)) });
      continue;
    }
    writeLine(io, { line: item.line, ...evaluate(item.text, settings, io, `line ${item.line}`) });
  }
  return 0;
}

function tooManyBytes(what: string, maxBytes: number): string {
  return `${what === 'stdin' ? 'stdin holds' : 'The line holds'} more than ${formatBytes(maxBytes)}, the --max-bytes limit (raise it with --max-bytes N).`;
}

/** One request's answer: the response object, or `{ error }`. Never throws. */
function evaluate(
  text: string,
  settings: ComputeSettings,
  io: CliIo,
  where: string,
): Record<string, unknown> | { error: ErrorInfo } {
  let outcome: ReturnType<typeof computeLoss>;
  try {
    outcome = computeLoss(parseRequest(text, settings.maxElements), {
      grad: settings.grad,
      maxElements: settings.maxElements,
    });
  } catch (err) {
    const info = toErrorInfo(err);
    return info.code === 'internal'
      ? errorLine('internal', reportInternal(io, err, where))
      : errorLine(info.code, withCapHint(info).message);
  }
  if (!outcome.ok) return errorLine(outcome.error.code, withCapHint(outcome.error).message);
  const numbers = responseNumbers(outcome.prepared, settings);
  if (numbers > maxResponseNumbers) {
    const drop = settings.steps
      ? 'leave out --steps'
      : settings.grad
        ? 'leave out --grad'
        : 'use reduction "mean" or "sum"';
    return errorLine(
      'output_too_large',
      `The response would hold about ${numbers.toLocaleString('en-US')} numbers, more than the ${maxResponseNumbers.toLocaleString('en-US')} one response may print: ${drop} or send fewer samples per request.`,
    );
  }
  try {
    return computeResponse(outcome.prepared, outcome.result, settings);
  } catch (err) {
    // The bound above should make this unreachable; out of memory while building is still an answer.
    if (err instanceof RangeError) {
      return errorLine('output_too_large', `The response is too large to build (${err.message}).`);
    }
    return errorLine('internal', reportInternal(io, err, where));
  }
}

/** The element cap has an option on the command line: say so where the cap is hit. */
function withCapHint(error: ErrorInfo): ErrorInfo {
  if (error.code !== 'input_too_large' || error.message.includes('--max-elements')) return error;
  return { code: error.code, message: `${error.message.replace(/\.$/, '')}; raise it with --max-elements N.` };
}
