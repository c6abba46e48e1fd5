// Entry of the Restricted Mode suite: `runTest.js --restricted` opens test/fixtures/restricted with
// workspace trust on and the folder untrusted, then VS Code `require`s this folder and awaits `run()`.
import { runSuiteIn } from '../runSuite';

/** Runs every `*.test.js` bundled next to this file. */
export function run(): Promise<void> {
  return runSuiteIn(__dirname);
}
