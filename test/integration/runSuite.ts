// Shared by the suite entries (suite/index.ts, restricted/index.ts): runs the mocha files bundled
// next to an entry inside the extension host and reports to the driver.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number | undefined;
  error?: string;
}

/**
 * Loads every `*.test.js` bundled in `dir` and runs them with mocha's tdd interface; rejects when a
 * test fails or none ran. Results also go to E2E_RESULTS_FILE when the driver set it.
 */
export function runSuiteIn(dir: string): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    // The CPU is shared with other work; bounded, but generous.
    timeout: 30_000,
    grep: process.env.MOCHA_GREP || undefined,
    invert: process.env.MOCHA_INVERT === '1' && !!process.env.MOCHA_GREP,
  });
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(dir, file));

  const records: TestRecord[] = [];
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      writeResults(records, failures, Date.now() - started);
      if (failures > 0) reject(new Error(`${failures} of ${records.length} tests failed`));
      else if (records.length === 0) reject(new Error(`no tests ran (files: ${files.join(', ') || 'none'})`));
      else resolve();
    });
    runner.on('pass', (t) => records.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('pending', (t) => records.push({ title: t.fullTitle(), state: 'pending' }));
    // Hooks fail through this event as well; their title says which hook.
    runner.on('fail', (t, err: Error) =>
      records.push({
        title: t.fullTitle(),
        state: 'failed',
        durationMs: t.duration,
        error: err?.stack ?? String(err),
      }),
    );
  });
}

/** The second, independent channel to the driver (the first is the exit code), if it asked for one. */
function writeResults(tests: TestRecord[], failures: number, durationMs: number): void {
  const file = process.env.E2E_RESULTS_FILE;
  if (!file) return;
  const results = {
    vscode: { version: vscode.version, appName: vscode.env.appName, language: vscode.env.language },
    workspaceTrusted: vscode.workspace.isTrusted,
    node: process.version,
    durationMs,
    passes: tests.filter((t) => t.state === 'passed').length,
    failures,
    pending: tests.filter((t) => t.state === 'pending').length,
    tests,
  };
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
