// The Debian packages the tests need beyond Node and npm, and the one place that installs them.
// `npm test` calls this first (through scripts/setup-vscode.mjs), so a fresh machine needs no step
// before `npm install && npm test`: as root with apt-get it installs what is missing; otherwise it
// prints the exact command and fails.
//
//   node scripts/system-packages.mjs            check, install when root, fail with the command otherwise
//   node scripts/system-packages.mjs --check    only report; exit 1 when something is missing
//
// LOSS_INSPECTOR_NO_APT=1 turns the install off (the command is printed instead), for machines where
// root should not change system packages behind the user's back.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What each package is for; the keys are Debian package names. */
export const SYSTEM_PACKAGES = {
  chromium: 'the browser the integration and UI tests drive with playwright-core (never `npx playwright install`)',
  ripgrep: "code-server 4.100.3's npm install would download rg from GitHub; Debian's rg is seeded in its place",
  'libkrb5-dev': "headers for code-server's native kerberos module, compiled during its npm install",
  'libsecret-1-dev': "headers for code-server's native modules, compiled during its npm install",
  'libxkbfile-dev': "headers for code-server's native keyboard-layout module, compiled during its npm install",
  'fonts-noto-cjk': 'renders the Korean UI in the UI tests and their screenshots',
  'python3-debugpy': 'the real debug adapter the live-inspection tests pause Python programs under (test/unit/live)',
  'python3-torch': "the training programs the live-inspection tests pause, and torch's own loss they compare with",
  'python3-numpy': 'numpy arrays in the live-inspection training program (its RNG state must survive an inspection)',
  'python3-sklearn':
    "scikit-learn's own log_loss, which writes the library fixtures that `npm run fixtures:check` compares",
};

/** The subset code-server's own npm install needs (`npm start` needs these and no browser). */
export const BUILD_PACKAGES = ['ripgrep', 'libkrb5-dev', 'libsecret-1-dev', 'libxkbfile-dev'];

function log(message) {
  console.log(`[system-packages] ${message}`);
}

/** True when dpkg reports `name` as installed; undefined when there is no dpkg to ask. */
function installed(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  if (result.error) return undefined;
  return result.status === 0 && /\binstall ok installed\b/.test(result.stdout);
}

const onPath = (name) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, name)));

/**
 * Makes sure the packages are installed. Installs the missing ones with apt-get when running as root
 * (apt-get update first, non-interactive, no recommends); throws an Error whose message holds the exact
 * command otherwise. On a machine without dpkg (not Debian) it only says what it could not check.
 * @param {string[]} names Debian package names (default: all of SYSTEM_PACKAGES)
 * @param {{ install?: boolean }} [options] install: false only reports
 * @returns {string[]} the packages it installed
 */
export function ensureSystemPackages(names = Object.keys(SYSTEM_PACKAGES), { install = true } = {}) {
  const state = names.map((name) => [name, installed(name)]);
  if (state.some(([, ok]) => ok === undefined)) {
    log(`no dpkg here: cannot check ${names.join(', ')}; the tests expect their Debian equivalents`);
    return [];
  }
  const missing = state.filter(([, ok]) => !ok).map(([name]) => name);
  if (missing.length === 0) return [];
  const why = missing.map((name) => `  ${name}: ${SYSTEM_PACKAGES[name] ?? ''}`).join('\n');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? '' : 'sudo ';
  const command = `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!install || !root || !onPath('apt-get') || process.env.LOSS_INSPECTOR_NO_APT === '1') {
    const reason = !install
      ? ''
      : !root
        ? ' (not root, so not installing them)'
        : !onPath('apt-get')
          ? ' (no apt-get on PATH)'
          : ' (LOSS_INSPECTOR_NO_APT=1)';
    throw new Error(`missing system packages${reason}:\n${why}\nInstall them with:\n  ${command}`);
  }
  log(`installing ${missing.join(' ')}:\n${why}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    const started = Date.now();
    const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'], timeout: 20 * 60_000 });
    if (result.status !== 0) {
      throw new Error(
        `apt-get ${args.join(' ')} failed (${result.error?.message ?? result.status ?? result.signal}); run:\n  ${command}`,
      );
    }
    log(`apt-get ${args[0]} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  run(['update', '-qq']);
  run(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
  const still = missing.filter((name) => !installed(name));
  if (still.length) throw new Error(`apt-get did not install ${still.join(' ')}; run:\n  ${command}`);
  log(`installed ${missing.join(' ')}`);
  return missing;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const done = ensureSystemPackages(undefined, { install: !process.argv.includes('--check') });
    if (!done.length) log(`all present: ${Object.keys(SYSTEM_PACKAGES).join(' ')}`);
  } catch (err) {
    console.error(`[system-packages] ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  }
}
