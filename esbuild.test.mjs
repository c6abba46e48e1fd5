// Bundles the real-VS-Code test harness into out/ (git-ignored), keeping the folder layout:
//   out/test/integration/runTest.js          code-server driver (node out/test/integration/runTest.js)
//   out/test/integration/runTestElectron.js  @vscode/test-electron driver (machines that can download VS Code)
//   out/test/integration/suite/index.js      run() + one *.test.js per suite file (loaded in the extension host)
//   out/test/integration/restricted/index.js the same for the Restricted Mode suite (runTest.js --restricted)
//   out/test/e2e/runUi.js + ui.js, *.ui.js   Playwright UI runner and its test files
//   out/test/e2e/uiBench.js                  `npm run bench:ui` (not a test)
//   out/test/integration/harness/codeServer.js  used by scripts/start.mjs
// Every bare import stays external (`packages: 'external'`): `vscode` exists only in the extension
// host, and mocha must be the same module instance in index.js and in the test files.
//
//   node esbuild.test.mjs            everything
//   node esbuild.test.mjs harness    only what scripts/start.mjs needs
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

const list = (dir, test) =>
  readdirSync(dir)
    .filter(test)
    .map((f) => `${dir}/${f}`);

const harness = ['test/integration/harness/codeServer.ts'];
const everything = [
  ...harness,
  'test/integration/runTest.ts',
  'test/integration/runTestElectron.ts',
  'test/integration/suite/index.ts',
  ...list('test/integration/suite', (f) => f.endsWith('.test.ts')),
  'test/integration/restricted/index.ts',
  ...list('test/integration/restricted', (f) => f.endsWith('.test.ts')),
  'test/e2e/runUi.ts',
  'test/e2e/uiBench.ts',
  ...list('test/e2e', (f) => f === 'ui.ts' || f.endsWith('.ui.ts')),
];
const onlyHarness = process.argv.includes('harness');
const entryPoints = onlyHarness ? harness : everything;

// A deleted suite file must not keep running from a stale bundle.
if (!onlyHarness) rmSync('out/test', { recursive: true, force: true });
try {
  await esbuild.build({
    entryPoints,
    outbase: '.',
    outdir: 'out',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
} catch {
  process.exit(1); // esbuild has printed the errors
}
console.log(`built ${entryPoints.length} test bundles into out/`);
