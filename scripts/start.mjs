#!/usr/bin/env node
// `npm start`: build, then open examples/ in a real VS Code with the extension loaded.
//   - desktop VS Code when `code` is on PATH: `code --extensionDevelopmentPath=<repo> examples`
//   - otherwise the browser-hosted VS Code (code-server, docs/testing.md) on 127.0.0.1,
//     with the extension installed as a symlink to this working tree; prints the URL and runs until Ctrl+C.
//
//   npm start                     examples/ (PORT=8080 npm start for a fixed port)
//   npm start -- <folder>         another folder
//   npm start -- --web            code-server even when `code` is on PATH
//
// After rebuilding (`npm run build`, or `npm run watch` in another terminal), run
// "Developer: Reload Window" in VS Code to load the new bundles.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, ensureCodeServer } from './setup-vscode.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const web = args.includes('--web');
const positional = args.filter((a) => !a.startsWith('--'));
const folder = path.resolve(positional[0] ?? path.join(repoRoot, 'examples'));

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The first `name` executable on PATH, if any. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

if (!existsSync(folder)) {
  console.error(`[start] ${folder} does not exist`);
  process.exit(1);
}
run(process.execPath, ['esbuild.mjs']);

const code = web ? undefined : onPath('code');
if (code) {
  // The desktop CLI opens a window and returns; the extension host loads the working tree.
  console.log(`[start] ${code} --extensionDevelopmentPath=${repoRoot} ${folder}`);
  const child = spawn(code, [`--extensionDevelopmentPath=${repoRoot}`, folder], { stdio: 'inherit' });
  child.on('exit', (status) => process.exit(status ?? 0));
} else {
  await startWeb();
}

async function startWeb() {
  ensureCodeServer();
  run(process.execPath, ['esbuild.test.mjs', 'harness']);
  const require = createRequire(import.meta.url);
  /** @type {typeof import('../test/integration/harness/codeServer')} */
  const harness = require('../out/test/integration/harness/codeServer.js');

  const state = path.join(repoRoot, '.vscode-test');
  // code-server puts a unix socket in the user data dir; such paths are limited to 107 bytes.
  let userDataDir = path.join(state, 'start-user-data');
  if (`${userDataDir}/code-server-ipc.sock`.length > 107) {
    userDataDir = path.join(os.tmpdir(), `loss-inspector-start-${path.basename(repoRoot)}`);
  }
  const extensionsDir = path.join(state, 'start-extensions');
  // Installed rather than a development extension, so the URL stays a plain ?folder= one.
  const id = harness.linkExtension(extensionsDir, repoRoot);
  // The user's own settings stay; the quiet defaults are only written into a new profile.
  // Without the tests' shorter hover delay and without muting the first-run hint: what you see is
  // what a user with default settings sees.
  if (!existsSync(path.join(userDataDir, 'User', 'settings.json')))
    harness.writeUserSettings(userDataDir, { 'editor.hover.delay': undefined, 'lossInspector.panelHint': undefined });
  // The scanned-extensions cache would keep an old copy of package.json (contributions) across restarts.
  rmSync(path.join(userDataDir, 'CachedProfilesData'), { recursive: true, force: true });

  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`[start] PORT=${process.env.PORT} is not a port number`);
    process.exit(1);
  }
  const started = Date.now();
  let server;
  try {
    server = await harness.startCodeServer({
      repoRoot,
      folder,
      userDataDir,
      extensionsDir,
      port,
      logFile: path.join(state, 'start', 'code-server.log'),
    });
  } catch (err) {
    console.error(`[start] ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
  const url = harness.workbenchUrl(server.port, folder);
  console.log(
    `[start] code-server ${CODE_SERVER_VERSION} is ready in ${((Date.now() - started) / 1000).toFixed(1)} s with ${id} from ${repoRoot}`,
  );
  console.log(`[start] open ${url}`);
  if (port === undefined) console.log('[start] the port changes on every run; PORT=8080 npm start keeps one URL');
  console.log(`[start] log: ${path.relative(repoRoot, server.logFile)} · Ctrl+C stops it`);

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[start] ${signal}: stopping VS Code`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const exitCode = await server.exited;
  if (!stopping) {
    console.error(`[start] code-server exited (${exitCode}):\n${server.logTail()}`);
    process.exit(1);
  }
}
