// The @vscode/test-electron contract: VS Code `require`s this folder inside the extension host and
// awaits `run()`. Resolving means success, rejecting means failure (the driver's exit code).
// Works unchanged under code-server (runTest.ts) and under @vscode/test-electron (runTestElectron.ts).
import { runSuiteIn } from '../runSuite';

/** Runs every `*.test.js` bundled next to this file. */
export function run(): Promise<void> {
  return runSuiteIn(__dirname);
}
