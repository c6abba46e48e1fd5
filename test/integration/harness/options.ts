// Command-line flags shared by the drivers (runTest, runTestElectron, e2e/runUi). Each flag has an
// environment twin so `npm run test:integration` can be steered without `--` gymnastics.
import * as path from 'node:path';
import { vscodeTargets, type VscodeTarget } from './codeServer';

export interface RunOptions {
  /** Workspace folder opened in the window. */
  folder: string;
  /** VS Code display language (`--locale`); a language pack for it must be loaded to take effect. */
  locale?: string | undefined;
  /**
   * Extension folders loaded next to ours (e.g. a test-only language pack). code-server installs them
   * (symlinks in its extensions dir); @vscode/test-electron adds them as development extensions.
   */
  extraExtensions: string[];
  /** Mocha `--grep` for the suite. */
  grep?: string | undefined;
  /** Run the tests that do *not* match `grep` (mocha's `--invert`). */
  invert: boolean;
  /** Bound on the whole run, from the page load to the suite's exit. */
  timeoutMs: number;
  /** Keep the temp root (logs, user data) after the run. */
  keep: boolean;
  /** Which installed code-server: the minimum VS Code of `engines.vscode`, or the newest that runs here. */
  target: VscodeTarget;
  /** Open the folder in Restricted Mode (workspace trust on, folder untrusted); runs the restricted suite. */
  restricted: boolean;
}

export const usage = `Flags (environment twin in brackets):
  --folder <dir>             workspace folder to open [E2E_FOLDER] (default test/fixtures/workspace)
  --locale <id>              VS Code display language, e.g. ko [E2E_LOCALE]
  --extension <dir>          load another extension folder too, repeatable [E2E_EXTENSIONS, ${path.delimiter}-separated]
  --grep <regexp>            only the tests whose full title matches [MOCHA_GREP]
  --invert                   only the tests whose full title does NOT match --grep [MOCHA_INVERT=1]
  --timeout <seconds>        bound on the whole run [E2E_TIMEOUT] (default 600)
  --keep                     keep the temp folder with logs and user data [E2E_KEEP=1]
  --vscode <target>          which code-server: ${vscodeTargets.join(' | ')} [E2E_VSCODE] (default minimum)
  --restricted               Restricted Mode: workspace trust on, folder untrusted [E2E_RESTRICTED=1]
                             (the suite runner then runs the restricted suite in test/fixtures/restricted)`;

const list = (value: string | undefined) => (value ? value.split(path.delimiter).filter(Boolean) : []);

/**
 * Reads the flags, falling back to the environment. Relative paths are taken from the current
 * directory; the default folder from the repository.
 * @throws on an unknown flag or a flag without its value
 */
export function parseRunOptions(argv: string[], repoRoot: string, env: NodeJS.ProcessEnv = process.env): RunOptions {
  const options: RunOptions = {
    folder: env.E2E_FOLDER ? path.resolve(env.E2E_FOLDER) : path.join(repoRoot, 'test', 'fixtures', 'workspace'),
    locale: env.E2E_LOCALE || undefined,
    extraExtensions: list(env.E2E_EXTENSIONS).map((p) => path.resolve(p)),
    grep: env.MOCHA_GREP || undefined,
    invert: env.MOCHA_INVERT === '1',
    // The suite (50 MB file, speed runs) takes 1–2 min on 2 busy cores; the bound only catches a hang.
    timeoutMs: Number(env.E2E_TIMEOUT || 600) * 1000,
    keep: env.E2E_KEEP === '1',
    target: (env.E2E_VSCODE || 'minimum') as VscodeTarget,
    restricted: env.E2E_RESTRICTED === '1',
  };
  let folderGiven = !!env.E2E_FOLDER;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${usage}`);
      return v;
    };
    switch (flag) {
      case '--folder':
        options.folder = path.resolve(value());
        folderGiven = true;
        break;
      case '--locale':
        options.locale = value();
        break;
      case '--extension':
        options.extraExtensions.push(path.resolve(value()));
        break;
      case '--grep':
        options.grep = value();
        break;
      case '--timeout':
        options.timeoutMs = Number(value()) * 1000;
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--invert':
        options.invert = true;
        break;
      case '--vscode':
        options.target = value() as VscodeTarget;
        break;
      case '--restricted':
        options.restricted = true;
        break;
      default:
        throw new Error(`unknown flag ${flag}\n${usage}`);
    }
  }
  if (!vscodeTargets.includes(options.target))
    throw new Error(`--vscode must be one of ${vscodeTargets.join(', ')}, not ${options.target}`);
  if (options.restricted && !folderGiven) options.folder = path.join(repoRoot, 'test', 'fixtures', 'restricted');
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0)
    throw new Error(`--timeout must be a positive number of seconds`);
  return options;
}

/**
 * The environment the suite reads inside the extension host (it inherits code-server's, or gets
 * `extensionTestsEnv` under @vscode/test-electron). The reading side is `harnessEnv` in ../helpers.ts.
 */
export function suiteEnv(options: RunOptions, repoRoot: string): Record<string, string> {
  const env: Record<string, string> = { E2E_FOLDER: options.folder, E2E_EXTENSION_PATH: repoRoot };
  if (options.locale) env.E2E_LOCALE = options.locale;
  if (options.grep) env.MOCHA_GREP = options.grep;
  if (options.invert) env.MOCHA_INVERT = '1';
  if (options.restricted) env.E2E_RESTRICTED = '1';
  return env;
}
