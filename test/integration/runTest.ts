// Runs the integration suite (suite/index.ts) inside a real VS Code without downloading one: the
// browser-hosted code-server of scripts/setup-vscode.mjs, driven by headless Chromium (docs/testing.md).
// Exit code 0 only when the suite ran tests and all passed.
//
//   node out/test/integration/runTest.js [--folder examples] [--locale ko] [--extension dir] [--grep re]
//                                        [--vscode minimum|newest] [--restricted]
// --restricted runs restricted/index.ts instead, in a folder opened in Restricted Mode.
//
// On a machine that can download VS Code, runTestElectron.ts runs the same suite in desktop VS Code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRunOptions, suiteEnv, usage, type RunOptions } from './harness/options';
import { startSession, type Session } from './harness/session';

// Bundled to out/test/integration/runTest.js, three levels below the repository.
const repoRoot = path.resolve(__dirname, '..', '..', '..');

interface Results {
  vscode?: { version: string; language: string };
  node?: string;
  passes: number;
  failures: number;
  pending: number;
  tests: { title: string; state: string; error?: string }[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(`node out/test/integration/runTest.js [flags]\n${usage}`);
    return 0;
  }
  const options = parseRunOptions(process.argv.slice(2), repoRoot);
  const suitePath = path.join(__dirname, options.restricted ? 'restricted' : 'suite');
  for (const [file, fix] of [
    [path.join(suitePath, 'index.js'), 'node esbuild.test.mjs'],
    [path.join(repoRoot, 'dist', 'extension.js'), 'npm run build'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} is missing: run \`${fix}\``);
  }
  if (!fs.existsSync(options.folder)) throw new Error(`workspace folder ${options.folder} does not exist`);

  const started = Date.now();
  let session: Session | undefined;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.error(`[runTest] ${signal}: cleaning up`);
    void (session?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    session = await startSession({
      repoRoot,
      folder: options.folder,
      developmentExtension: repoRoot,
      installedExtensions: options.extraExtensions,
      extensionTestsPath: suitePath,
      locale: options.locale,
      env: suiteEnv(options, repoRoot),
      keep: options.keep,
      target: options.target,
      restricted: options.restricted,
    });
    const { install } = session.server;
    console.log(
      `[runTest] code-server ${install.codeServer} (VS Code ${install.vscode}, ${options.target}) on port ` +
        `${session.server.port} after ${seconds(Date.now() - started)}; folder ${options.folder}` +
        `${options.restricted ? ' in Restricted Mode' : ''}`,
    );
    // E2E_RENDERER_PROFILE=file: a CPU profile of the workbench's renderer for the whole run (its
    // sample times are on the same monotonic clock as the extension host's profiles).
    const rendererProfile = process.env.E2E_RENDERER_PROFILE;
    const cdp = rendererProfile ? await session.page.context().newCDPSession(session.page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    const exit = await Promise.race([
      session.automationExit,
      timedOut,
      session.server.exited.then(() => 'server-exit' as const),
    ]);
    clearTimeout(timer);
    if (cdp && rendererProfile) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.writeFileSync(rendererProfile, JSON.stringify(profile));
    }
    if (exit === 'timeout') {
      console.error(`[runTest] the suite did not finish within ${seconds(options.timeoutMs)}`);
      return 1;
    }
    if (exit === 'server-exit') {
      console.error(`[runTest] code-server exited during the run:\n${session.server.logTail()}`);
      return 1;
    }
    const results = readResults(session.resultsFile);
    report(results, exit, Date.now() - started, resultsName(options));
    // Both channels must agree: VS Code's exit code and the suite's own count.
    return exit === 0 && results !== undefined && results.failures === 0 && results.passes > 0 ? 0 : 1;
  } finally {
    await session?.close();
  }
}

function readResults(file: string): Results | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Results;
  } catch {
    return undefined;
  }
}

/**
 * One results file per kind of run, so the passes of `npm test` do not overwrite each other:
 * integration-results[.restricted][.<locale>][.<target>].json.
 */
function resultsName(options: RunOptions): string {
  const parts = ['integration-results'];
  if (options.restricted) parts.push('restricted');
  if (options.locale && options.locale !== 'en') parts.push(options.locale);
  if (options.target !== 'minimum') parts.push(options.target);
  return `${parts.join('.')}.json`;
}

function report(results: Results | undefined, exitCode: number, elapsedMs: number, name: string): void {
  if (!results) {
    console.error(
      `[runTest] extension host exit code ${exitCode}, and the suite wrote no results (did run() load? see the log above)`,
    );
    return;
  }
  const out = path.join(repoRoot, 'test-results', name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  for (const t of results.tests.filter((x) => x.state === 'failed'))
    console.error(`[runTest] FAILED ${t.title}\n${t.error ?? ''}`);
  console.log(
    `[runTest] ${results.passes} passed, ${results.failures} failed, ${results.pending} pending ` +
      `in VS Code ${results.vscode?.version ?? '?'} (${results.vscode?.language ?? '?'}, Node ${results.node ?? '?'}); ` +
      `extension host exit ${exitCode}; ` +
      `${seconds(elapsedMs)} in all; results in ${path.relative(process.cwd(), out)}`,
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[runTest] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
