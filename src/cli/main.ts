/**
 * `loss-inspector`: the extension's core on the command line (the contract: docs/cli.md).
 * Exit codes: 0 success, 1 a claim does not hold or a file could not be fully checked (check),
 * 2 usage, input, read or internal error.
 *
 * Whatever goes wrong, the process ends with one line (or, where the output is JSON, one
 * `{"error": {"code": "internal", …}}` object) and exit 2; a stack trace only with
 * LOSS_INSPECTOR_DEBUG=1.
 */
import { jsonString } from '../core/json/writeJson';
import { runCheck } from './check';
import { computeUsage, runCompute } from './compute';
import { readRegularFile } from './files';
import type { CliIo } from './io';
import { runScan } from './scan';
import { terminalSafe } from './terminal';

const usage = `Usage:
  ${computeUsage}
  loss-inspector scan [--json] [--dtype float32|float64] [--max-bytes N] FILE...
  loss-inspector check [--format text|json|github] [--dtype float32|float64] [--max-bytes N] FILE...`;

const debug = process.env.LOSS_INSPECTOR_DEBUG === '1';
/** The reader of stdout went away (`| head`): not an error of ours; stop writing, finish quietly. */
let stdoutClosed = false;
/** Writing to stdout failed otherwise (a full disk, /dev/full): errors are reported on stderr. */
let stdoutBroken = false;

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') stdoutClosed = true;
  else {
    stdoutBroken = true;
    fail(err);
  }
});
process.stderr.on('error', () => {
  // Nowhere left to report to.
});

const io: CliIo = {
  out: (text) => {
    if (stdoutClosed || stdoutBroken) return;
    try {
      process.stdout.write(text);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') stdoutClosed = true;
      else {
        stdoutBroken = true;
        throw err;
      }
    }
  },
  err: (text) => {
    process.stderr.write(text);
  },
  stdin: () => process.stdin,
  readFile: readRegularFile,
  outClosed: () => stdoutClosed,
  debug,
};

/** True when the command's output is JSON, so an internal error is reported as a JSON object too. */
function wantsJson(argv: readonly string[]): boolean {
  const [command, ...rest] = argv;
  return (
    command === 'compute' ||
    rest.includes('--json') ||
    rest.some((a, i) => a === '--format=json' || (a === '--format' && rest[i + 1] === 'json'))
  );
}

let failed = false;

/** The last resort: one line or one JSON object, exit 2. */
function fail(err: unknown): void {
  if (failed) return;
  failed = true;
  const message = err instanceof Error ? err.message : String(err);
  let reported = false;
  if (wantsJson(process.argv.slice(2)) && !stdoutBroken && !stdoutClosed) {
    try {
      io.out(`{"error":{"code":"internal","message":${jsonString(message)}}}\n`);
      reported = !stdoutBroken;
    } catch {
      // stdout itself is what failed: say it on stderr.
    }
  }
  if (!reported) {
    io.err(
      `loss-inspector: internal error: ${terminalSafe(message)}${debug ? '' : ' (LOSS_INSPECTOR_DEBUG=1 shows the stack trace)'}\n`,
    );
  }
  if (debug) io.err(`${err instanceof Error && err.stack ? err.stack : message}\n`);
  process.exitCode = 2;
}

process.on('uncaughtException', (err) => {
  fail(err);
  process.exit(2);
});
process.on('unhandledRejection', (err) => {
  fail(err);
  process.exit(2);
});

/** `--help` / `-h` among a command's options (before a `--`): its usage lines on stdout, exit 0. */
function asksHelp(rest: readonly string[]): boolean {
  const end = rest.indexOf('--');
  return (end < 0 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (['compute', 'scan', 'check'].includes(command) && asksHelp(rest)) {
    const lines = usage.split('\n').filter((l) => l.trimStart().startsWith(`loss-inspector ${command} `));
    io.out(`Usage:\n${lines.map((l) => `  ${l.trim()}`).join('\n')}\n`);
    return 0;
  }
  switch (command) {
    case 'compute':
      return runCompute(rest, io);
    case 'scan':
      return runScan(rest, io);
    case 'check':
      return runCheck(rest, io);
    case '--help':
    case '-h':
    case 'help':
      io.out(usage + '\n');
      return 0;
    default:
      io.err(`${command ? `Unknown command "${terminalSafe(command)}".` : 'No command given.'}\n${usage}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (!failed) process.exitCode = code;
  },
  (err) => fail(err),
);
