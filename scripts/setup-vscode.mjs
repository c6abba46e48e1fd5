#!/usr/bin/env node
// Installs the browser-hosted VS Code (code-server) the integration and UI tests run in, offline:
// see ../shared/OFFLINE-VSCODE.md section 1. Idempotent: when the pinned version is installed it
// only checks files and returns in a few milliseconds.
//
//   node scripts/setup-vscode.mjs               install if needed, then check for Chromium
//   node scripts/setup-vscode.mjs --no-browser  skip the Chromium check (npm start needs none)
//
// Also importable: `ensureCodeServer()` returns the path of the code-server binary.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** code-server 4.100.3 is VS Code 1.100.3: it must satisfy package.json `engines.vscode` (^1.100.0). */
export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep version code-server 4.100.3 depends on; its postinstall downloads rg from GitHub. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_BINARY_VERSION = 'v13.0.0-10';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Git-ignored install folder; test/integration/harness/codeServer.ts reads the binary from here. */
export const CODE_SERVER_DIR = path.join(repoRoot, '.vscode-test', 'code-server');
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
/** Written only after a complete install, so an interrupted install is retried rather than trusted. */
const marker = path.join(CODE_SERVER_DIR, `.installed-${CODE_SERVER_VERSION}`);

const APT_PACKAGES = 'chromium ripgrep libkrb5-dev libsecret-1-dev libxkbfile-dev';
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

function log(message) {
  console.log(`[setup-vscode] ${message}`);
}

function installedVersion() {
  try {
    return JSON.parse(readFileSync(path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'package.json'), 'utf8'))
      .version;
  } catch {
    return undefined;
  }
}

/**
 * Puts Debian's rg where @vscode/ripgrep's postinstall looks before downloading, so the install
 * needs no GitHub. The cache lives in os.tmpdir(), which must be the same for the npm install below
 * (we pass the same environment, so it is).
 */
function seedRipgrepCache() {
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (process.platform !== 'linux' || !target) {
    log(`not seeding the ripgrep cache on ${process.platform}/${process.arch}; the install will try to download rg`);
    return;
  }
  const systemRg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => existsSync(p));
  if (!systemRg) {
    throw new Error(
      `ripgrep is missing: apt-get install -y ripgrep (code-server's install would download it from GitHub)`,
    );
  }
  const cacheDir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = path.join(cacheDir, `ripgrep-${RIPGREP_BINARY_VERSION}-${target}.tar.gz`);
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const pack = mkdtempSync(path.join(os.tmpdir(), 'rg-pack-'));
  try {
    copyFileSync(systemRg, path.join(pack, 'rg'));
    const tar = spawnSync('tar', ['-czf', archive, '-C', pack, 'rg'], { stdio: 'inherit' });
    if (tar.status !== 0) throw new Error(`tar failed (${tar.status ?? tar.signal})`);
  } finally {
    rmSync(pack, { recursive: true, force: true });
  }
  log(`seeded ${archive} from ${systemRg}`);
}

/**
 * Installs code-server into .vscode-test/code-server unless the pinned version is already there.
 * @returns {string} the code-server binary
 */
export function ensureCodeServer() {
  if (existsSync(marker) && existsSync(CODE_SERVER_BIN) && installedVersion() === CODE_SERVER_VERSION) {
    return CODE_SERVER_BIN;
  }
  const started = Date.now();
  log(
    `installing code-server@${CODE_SERVER_VERSION} into ${path.relative(repoRoot, CODE_SERVER_DIR)} (about a minute)`,
  );
  seedRipgrepCache();
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  const pkg = path.join(CODE_SERVER_DIR, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, '{ "private": true }\n');
  // Under `npm run`, npm exports the project's own location and lifecycle to children; drop those so
  // this nested install is about CODE_SERVER_DIR only. Registry, cache and proxy settings stay.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !/^npm_(package_|lifecycle_|config_(local_prefix|prefix|global|save|workspace|include_workspace_root))/i.test(
          k,
        ),
    ),
  );
  Object.assign(env, {
    npm_config_yes: 'true',
    // code-server's postinstall aborts as root without it ("Please pass --unsafe-perm").
    npm_config_unsafe_perm: 'true',
  });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(
    npm,
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--save-exact',
      '--prefix',
      CODE_SERVER_DIR,
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    {
      cwd: CODE_SERVER_DIR,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 20 * 60_000,
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `npm install code-server@${CODE_SERVER_VERSION} failed (${result.error?.message ?? result.status ?? result.signal}). ` +
        `Its native modules need: apt-get install -y ${APT_PACKAGES}`,
    );
  }
  if (installedVersion() !== CODE_SERVER_VERSION || !existsSync(CODE_SERVER_BIN)) {
    throw new Error(`code-server@${CODE_SERVER_VERSION} did not end up in ${CODE_SERVER_DIR}`);
  }
  const version = codeServerVersionLine();
  writeFileSync(marker, `${version}\n`);
  log(`installed ${version} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return CODE_SERVER_BIN;
}

/**
 * Runs `code-server --version` without touching $HOME: even --version writes a default
 * ~/.config/code-server/config.yaml and ~/.local/share/code-server/coder-logs otherwise.
 */
function codeServerVersionLine() {
  const home = path.join(CODE_SERVER_DIR, '.xdg');
  const result = spawnSync(CODE_SERVER_BIN, ['--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data') },
  });
  const line = new RegExp(`^${CODE_SERVER_VERSION.replace(/\./g, '\\.')} .*$`, 'm').exec(result.stdout ?? '');
  if (result.status !== 0 || !line) {
    throw new Error(
      `the installed code-server does not run: ${result.stderr || result.stdout || result.error?.message}`,
    );
  }
  return line[0];
}

/** @returns {boolean} whether the Chromium the UI tests drive is installed; prints what to install if not. */
export function checkChromium() {
  if (existsSync(CHROMIUM)) return true;
  console.error(
    `[setup-vscode] ${CHROMIUM} is missing. The tests drive the system Chromium with playwright-core ` +
      `(never \`npx playwright install\`): apt-get install -y ${APT_PACKAGES}  (or set E2E_CHROMIUM to a Chromium binary)`,
  );
  return false;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const bin = ensureCodeServer();
    const browserOk = process.argv.includes('--no-browser') || checkChromium();
    log(`code-server ${CODE_SERVER_VERSION} ready: ${path.relative(repoRoot, bin)}`);
    process.exitCode = browserOk ? 0 : 1;
  } catch (err) {
    console.error(`[setup-vscode] ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  }
}
