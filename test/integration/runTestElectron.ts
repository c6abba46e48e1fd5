// Runs the same suite in desktop VS Code through @vscode/test-electron, for machines that can download
// VS Code (it fails offline; runTest.ts is the offline driver). Runs the minimum engine version first,
// then stable (what users run spans both), unless VSCODE_VERSIONS names others (comma-separated).
//
//   node out/test/integration/runTestElectron.js [--folder dir] [--locale ko] [--extension dir] [--grep re]
// Headless Linux needs a display: `xvfb-run -a node out/test/integration/runTestElectron.js`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { parseRunOptions, suiteEnv, usage } from './harness/options';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const suitePath = path.join(__dirname, 'suite');

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(`node out/test/integration/runTestElectron.js [flags]\n${usage}\n  VSCODE_VERSIONS=1.100.0,stable`);
    return 0;
  }
  const options = parseRunOptions(process.argv.slice(2), repoRoot);
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    engines: { vscode: string };
  };
  const minimum = manifest.engines.vscode.replace(/^[\^~>=]+/, '');
  const versions = (process.env.VSCODE_VERSIONS ?? `${minimum},stable`)
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

  for (const version of versions) {
    // A fresh profile per run, as the code-server driver has: no state leaks between runs.
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-vsc-'));
    const resultsFile = path.join(userDataDir, 'results.json');
    try {
      console.log(`[runTestElectron] VS Code ${version}`);
      const launchArgs = [
        options.folder,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir',
        userDataDir,
      ];
      if (options.locale) launchArgs.push('--locale', options.locale);
      // Rejects (TestRunFailedError) when the suite fails or VS Code exits abnormally.
      await runTests({
        version,
        extensionDevelopmentPath: [repoRoot, ...options.extraExtensions],
        extensionTestsPath: suitePath,
        extensionTestsEnv: { ...suiteEnv(options, repoRoot), E2E_RESULTS_FILE: resultsFile },
        launchArgs,
      });
      if (fs.existsSync(resultsFile)) {
        const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { passes: number; failures: number };
        console.log(`[runTestElectron] VS Code ${version}: ${results.passes} passed, ${results.failures} failed`);
      }
    } finally {
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[runTestElectron] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
