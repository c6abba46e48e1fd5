/**
 * `loss-inspector check FILE...`: verifies the loss values that comments and printed outputs
 * claim. Exit codes: 0 every claim holds (unverifiable claims are listed but do not fail),
 * 1 a claim does not hold, 2 usage or read error. Meant for tutorial repositories' CI.
 */
import { analyzeFile, parseScanArgs } from './scan';
import { claimJson, claimText } from './scanFormat';

/** Runs `check`; returns the exit code. */
export function runCheck(
  args: string[],
  readFile: (p: string) => string,
  write: (s: string) => void,
  writeErr: (s: string) => void,
): number {
  const parsed = parseScanArgs(args);
  if (typeof parsed === 'string') {
    writeErr(`${parsed}\nUsage: loss-inspector check [--json] FILE...\n`);
    return 2;
  }
  let readErrors = 0;
  let wrong = 0;
  let holds = 0;
  let unverified = 0;
  const lines: string[] = [];
  const files: Record<string, unknown>[] = [];
  for (const path of parsed.files) {
    const doc = analyzeFile(path, readFile, parsed.dtype);
    if (typeof doc === 'string') {
      readErrors++;
      writeErr(`${path}: cannot read: ${doc}\n`);
      files.push({ path, error: `cannot read: ${doc}`, claims: [] });
      continue;
    }
    for (const c of doc.claims) {
      if (c.status === 'wrong') {
        wrong++;
        lines.push(claimText(path, c));
      } else if (c.status === 'unverified') {
        unverified++;
        lines.push(claimText(path, c));
      } else holds++;
    }
    files.push({ path, claims: doc.claims.map(claimJson) });
  }
  const total = holds + wrong + unverified;
  const code = readErrors > 0 ? 2 : wrong > 0 ? 1 : 0;
  if (parsed.json) {
    write(JSON.stringify({ ok: code === 0, holds, wrong, unverified, files }) + '\n');
  } else {
    for (const l of lines) write(l + '\n');
    write(
      `${total} claim${total === 1 ? '' : 's'}: ${holds} hold, ${wrong} wrong, ${unverified} unverified${readErrors ? `; ${readErrors} file${readErrors === 1 ? '' : 's'} unreadable` : ''}\n`,
    );
  }
  return code;
}
