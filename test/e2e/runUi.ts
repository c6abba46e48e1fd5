// UI tests: one real workbench (code-server + headless Chromium, docs/testing.md)
// shared by every UI test file, `ui.js` and `*.ui.js` bundled next to this runner. Mocha runs here in
// Node and drives the page; a failing test leaves test-results/failed-<title>.png behind.
//
//   node out/test/e2e/runUi.js [--folder dir] [--locale ko] [--extension dir] [--grep re] [--timeout s]
//                              [--vsix file]
// With --vsix the extension under test is that package, installed with `code-server
// --install-extension`, instead of this checkout as a development extension; E2E_VSIX is set for the tests.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Mocha from 'mocha';
import { installEnv, resolveInstall, type VscodeTarget } from '../integration/harness/codeServer';
import { parseRunOptions, suiteEnv, usage } from '../integration/harness/options';
import { startSession, type Session } from '../integration/harness/session';
import { screenshot, setWorkbench, waitForWorkbench } from './helpers';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(
      `node out/test/e2e/runUi.js [flags]\n${usage}\n  --vsix <file>              test this package, installed with code-server --install-extension [E2E_VSIX]`,
    );
    return 0;
  }
  const argv = process.argv.slice(2);
  const vsixAt = argv.indexOf('--vsix');
  const vsix = vsixAt >= 0 ? argv.splice(vsixAt, 2)[1] : process.env.E2E_VSIX;
  const options = parseRunOptions(argv, repoRoot);
  if (!vsix && !fs.existsSync(path.join(repoRoot, 'dist', 'extension.js')))
    throw new Error('dist/extension.js is missing: run `npm run build`');
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f === 'ui.js' || f.endsWith('.ui.js'))
    .sort();
  if (files.length === 0) throw new Error(`no UI test files in ${__dirname}: run \`node esbuild.test.mjs\``);

  const started = Date.now();
  let session: Session | undefined;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.error(`[runUi] ${signal}: cleaning up`);
    void (session?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  let timer: NodeJS.Timeout | undefined;
  const installed = vsix ? installVsix(path.resolve(vsix), options.target) : undefined;
  try {
    session = await startSession({
      repoRoot,
      folder: options.folder,
      // Development mode, as for the suite, but without a tests path: the window stays up for the browser.
      // With a vsix, an empty folder is the development extension (the workbench wants one).
      developmentExtension: installed?.devFolder ?? repoRoot,
      installedExtensions: [...(installed ? [installed.folder] : []), ...options.extraExtensions],
      locale: options.locale,
      // The panel's host sends its per-hop trace with each snapshot (src/panel/panelTrace.ts), which
      // the speed test prints; LOSS_INSPECTOR_PANEL_TRACE=0 turns it off.
      env: {
        ...suiteEnv(options, repoRoot),
        LOSS_INSPECTOR_PANEL_TRACE: process.env.LOSS_INSPECTOR_PANEL_TRACE ?? '1',
      },
      keep: options.keep,
      target: options.target,
      restricted: options.restricted,
    });
    const { page } = session;
    await waitForWorkbench(page);
    console.log(
      `[runUi] code-server ${session.server.install.codeServer} (VS Code ${session.server.install.vscode}) ready ` +
        `on port ${session.server.port} after ${seconds(Date.now() - started)}`,
    );
    setWorkbench({ page, console: session.console, folder: options.folder, repoRoot, locale: options.locale });

    const mocha = new Mocha({
      ui: 'tdd',
      color: false,
      timeout: 60_000,
      grep: options.grep,
      invert: options.invert && !!options.grep,
      rootHooks: {
        async afterEach(this: Mocha.Context) {
          const test = this.currentTest;
          if (test?.state === 'failed') {
            const file = await screenshot(page, `failed-${test.fullTitle()}`, repoRoot).catch(() => undefined);
            if (file) console.error(`[runUi] screenshot of the failure: ${path.relative(process.cwd(), file)}`);
          }
        },
      },
    });
    for (const file of files) mocha.addFile(path.join(__dirname, file));
    const finished = new Promise<{ failures: number; passes: number }>((resolve) => {
      const runner = mocha.run((failures) => resolve({ failures, passes: runner.stats?.passes ?? 0 }));
    });
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    const outcome = await Promise.race([finished, timedOut]);
    if (outcome === 'timeout') {
      console.error(`[runUi] the UI tests did not finish within ${seconds(options.timeoutMs)}`);
      return 1;
    }
    console.log(
      `[runUi] ${outcome.passes} passed, ${outcome.failures} failed; ${seconds(Date.now() - started)} in all`,
    );
    return outcome.failures === 0 && outcome.passes > 0 ? 0 : 1;
  } finally {
    clearTimeout(timer);
    await session?.close();
    if (installed && process.env.E2E_KEEP !== '1') fs.rmSync(installed.root, { recursive: true, force: true });
  }
}

/**
 * Installs `vsix` with code-server's own CLI into a fresh extensions dir and returns the folder it
 * created (the session links it into its extensions dir) and an empty development folder.
 */
function installVsix(vsix: string, target: VscodeTarget): { root: string; folder: string; devFolder: string } {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} does not exist`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'li-vsix-'));
  const extensionsDir = path.join(root, 'ext');
  const started = Date.now();
  const install = resolveInstall(repoRoot, target);
  const out = execFileSync(
    install.node,
    [
      install.entry,
      '--user-data-dir',
      path.join(root, 'ud'),
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { encoding: 'utf8', env: { EXTENSIONS_GALLERY: '{}', ...process.env, ...installEnv(install) } },
  );
  const folder = fs.readdirSync(extensionsDir).find((e) => e.startsWith('loss-inspector.loss-inspector-'));
  if (!folder) throw new Error(`code-server --install-extension did not install the package:\n${out}`);
  console.log(
    `[runUi] installed ${path.basename(vsix)} as ${folder} in ${seconds(Date.now() - started)}: ${out.trim().split('\n').pop()}`,
  );
  process.env.E2E_VSIX = vsix;
  const devFolder = path.join(root, 'dev');
  fs.mkdirSync(devFolder);
  return { root, folder: path.join(extensionsDir, folder), devFolder };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[runUi] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
