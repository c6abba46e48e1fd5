/**
 * `loss-inspector`: the extension's core on the command line (contract: shared/CLI.md).
 * Exit codes: 0 success, 1 a claim does not hold (check), 2 usage, input or read error.
 */
import { readFileSync } from 'node:fs';
import { runCheck } from './check';
import { runCompute } from './compute';
import { runScan } from './scan';

const usage = `Usage:
  loss-inspector compute [--steps] [--grad] < request.json
  loss-inspector compute --batch [--steps] [--grad] < requests.jsonl
  loss-inspector scan [--json] [--dtype float32|float64] FILE...
  loss-inspector check [--json] FILE...`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'compute':
      return runCompute(
        rest,
        () => readFileSync(0, 'utf8'),
        (s) => process.stdout.write(s),
      );
    case 'scan':
      return runScan(
        rest,
        (p) => readFileSync(p, 'utf8'),
        (s) => process.stdout.write(s),
        (s) => process.stderr.write(s),
      );
    case 'check':
      return runCheck(
        rest,
        (p) => readFileSync(p, 'utf8'),
        (s) => process.stdout.write(s),
        (s) => process.stderr.write(s),
      );
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(usage + '\n');
      return 0;
    default:
      process.stderr.write(`${command ? `Unknown command "${command}".` : 'No command given.'}\n${usage}\n`);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
