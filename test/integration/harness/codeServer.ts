// Starts and stops code-server, the browser-hosted VS Code the integration suite, the UI tests and
// `npm start` run in. docs/testing.md says how it runs offline and what was measured; the comments
// here say why each step exists.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** The code-servers scripts/setup-vscode.mjs installs (TARGETS there): the minimum engine and the newest. */
export type VscodeTarget = 'minimum' | 'newest';
export const vscodeTargets: readonly VscodeTarget[] = ['minimum', 'newest'];

/** One installed code-server, as its `install.json` (written by scripts/setup-vscode.mjs) describes it. */
export interface CodeServerInstall {
  target: VscodeTarget;
  /** code-server's version, e.g. 4.100.3. */
  codeServer: string;
  /** The VS Code it carries, e.g. 1.100.3. */
  vscode: string;
  /** The Node it runs on (absolute); the extension host is forked from it, so it is the tests' Node too. */
  node: string;
  /** code-server's `out/node/entry.js` (absolute). */
  entry: string;
}

/**
 * Finds the install of `target` under .vscode-test/ by its install.json (written last, so a folder
 * without one is an interrupted install).
 * @throws with the command that installs it when there is none
 */
export function resolveInstall(repoRoot: string, target: VscodeTarget = 'minimum'): CodeServerInstall {
  const state = path.join(repoRoot, '.vscode-test');
  const folders = fs.existsSync(state) ? fs.readdirSync(state) : [];
  for (const folder of folders) {
    const dir = path.join(state, folder);
    let info: { target?: string; codeServer: string; vscode: string; node: string | null; entry: string };
    try {
      info = JSON.parse(fs.readFileSync(path.join(dir, 'install.json'), 'utf8')) as typeof info;
    } catch {
      continue;
    }
    if (info.target !== target) continue;
    const install: CodeServerInstall = {
      target,
      codeServer: info.codeServer,
      vscode: info.vscode,
      // null: the Node that runs this harness has the major code-server needs.
      node: info.node ? path.resolve(dir, info.node) : process.execPath,
      entry: path.resolve(dir, info.entry),
    };
    if (fs.existsSync(install.node) && fs.existsSync(install.entry)) return install;
  }
  throw new Error(
    `code-server (${target}) is not installed under ${state}: run \`node scripts/setup-vscode.mjs --target ${target}\``,
  );
}

/** The environment that makes `node` on PATH the install's Node (code-server and the extension host spawn it). */
export function installEnv(install: CodeServerInstall): Record<string, string> {
  return { PATH: `${path.dirname(install.node)}${path.delimiter}${process.env.PATH ?? ''}` };
}

/**
 * User settings that keep the workbench free of the modal trust dialog, the walkthrough tab, tips,
 * update and marketplace traffic (recipe section 6, each row of its table was checked there).
 */
export const quietSettings: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'workbench.enableExperiments': false,
  'chat.commandCenter.enabled': false,
  // Newer VS Code (1.139) starts chat agents that poll GitHub through the closed network and log
  // every failure; older versions ignore the unknown key.
  'chat.disableAIFeatures': true,
  // The UI tests hover words; the default 300 ms delay only slows them down.
  'editor.hover.delay': 100,
  // Tests edit fixtures and revert them; saving would change the checked-in files. (The browser
  // workbench of newer VS Code saves after a delay by default: seen with 1.139.)
  'files.autoSave': 'off',
  // The one-time "found N pairs" toast would cover what the UI tests look at and click.
  'lossInspector.panelHint': false,
  // The floating debug toolbar sits over the editor tabs: with several tabs open it covered the
  // tab the UI tests click to give focus back to the workbench (the live UI test timed out on it).
  'debug.toolBarLocation': 'docked',
};

/** Writes `<userDataDir>/User/settings.json`: the quiet settings plus `extra` (extra wins; a key set to undefined is left out). */
export function writeUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...quietSettings, ...extra }, null, 2)}\n`);
}

/** Asks the OS for a free TCP port on 127.0.0.1 (it may be taken again before use; code-server then fails fast). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The URI form the remote (Node) extension host resolves: code-server takes the request's Host header
 * as the remote authority, so host:port must be the page's own.
 */
export function remoteUri(port: number, absPath: string): string {
  return `vscode-remote://127.0.0.1:${port}${path.resolve(absPath)}`;
}

/** What the workbench reads from the page URL's `payload` (environmentService.ts). */
export interface WorkbenchPayload {
  /** Folder loaded as a development extension; the tests path is ignored without one. */
  extensionDevelopmentPath?: string;
  /** Folder whose index.js exports `run(): Promise<void>` (the @vscode/test-electron contract). */
  extensionTestsPath?: string | undefined;
}

/** The workbench URL that opens `folder`, with an optional development/test payload. */
export function workbenchUrl(port: number, folder: string, payload: WorkbenchPayload = {}): string {
  // Slashes stay readable in the folder parameter; the workbench decodes either form.
  let url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(folder)).replace(/%2F/g, '/')}`;
  const pairs: [string, string][] = [];
  if (payload.extensionDevelopmentPath)
    pairs.push(['extensionDevelopmentPath', remoteUri(port, payload.extensionDevelopmentPath)]);
  if (payload.extensionTestsPath) pairs.push(['extensionTestsPath', remoteUri(port, payload.extensionTestsPath)]);
  if (pairs.length) url += `&payload=${encodeURIComponent(JSON.stringify(pairs))}`;
  return url;
}

interface Localization {
  languageId: string;
  languageName?: string;
  localizedLanguageName?: string;
  translations: { id: string; path: string }[];
}
interface Manifest {
  publisher: string;
  name: string;
  version: string;
  contributes?: { localizations?: Localization[] };
}

function readManifest(extensionFolder: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(extensionFolder, 'package.json'), 'utf8')) as Manifest;
}

/**
 * Makes `extensionFolder` an installed extension of `extensionsDir` by symlinking it as
 * `<publisher>.<name>-<version>`, the name code-server scans for (recipe section 4, "Alternatives").
 * Older links of the same extension are removed so only one version is ever installed.
 * @returns the extension id
 */
export function linkExtension(extensionsDir: string, extensionFolder: string): string {
  const manifest = readManifest(extensionFolder);
  const id = `${manifest.publisher}.${manifest.name}`;
  fs.mkdirSync(extensionsDir, { recursive: true });
  const linkName = `${id}-${manifest.version}`;
  const sameExtension = (entry: string) =>
    entry.toLowerCase().startsWith(`${id.toLowerCase()}-`) && /^\d/.test(entry.slice(id.length + 1));
  for (const entry of fs.readdirSync(extensionsDir)) {
    if (sameExtension(entry) && entry !== linkName) {
      fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
    }
  }
  const link = path.join(extensionsDir, linkName);
  const target = path.resolve(extensionFolder);
  let current: string | undefined;
  try {
    current = fs.readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current !== target) {
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(target, link, 'dir');
  }
  return id;
}

/**
 * Writes `<userDataDir>/languagepacks.json` for the language packs among `extensionsDir`'s extensions.
 * code-server picks the display language (`--locale`) from this file only, and nothing writes it for
 * an extension linked into the extensions dir (nor for `code-server --install-extension`, measured with
 * 4.100.3), so without it `--locale ko` silently stays English. The format is VS Code's
 * (src/vs/platform/languagePacks/node/languagePacks.ts, LanguagePacksCache); the hash only names the
 * translation cache folder. Must run before code-server starts: it caches the resolved language.
 * @returns the language ids found
 */
export function writeLanguagePacks(userDataDir: string, extensionsDir: string): string[] {
  const packs: Record<
    string,
    {
      hash: string;
      label?: string | undefined;
      extensions: { extensionIdentifier: { id: string }; version: string }[];
      translations: Record<string, string>;
    }
  > = {};
  const entries = fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir) : [];
  for (const entry of entries) {
    const location = path.join(extensionsDir, entry);
    let manifest: Manifest;
    try {
      manifest = readManifest(location);
    } catch {
      continue; // extensions.json and other non-extension entries
    }
    for (const localization of manifest.contributes?.localizations ?? []) {
      const pack = (packs[localization.languageId] ??= {
        hash: '',
        label: localization.localizedLanguageName ?? localization.languageName,
        extensions: [],
        translations: {},
      });
      pack.extensions.push({
        extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}` },
        version: manifest.version,
      });
      for (const translation of localization.translations)
        pack.translations[translation.id] = path.join(location, translation.path);
    }
  }
  for (const pack of Object.values(packs)) {
    const md5 = createHash('md5');
    for (const e of pack.extensions) md5.update(e.extensionIdentifier.id).update(e.version);
    pack.hash = md5.digest('hex');
  }
  const languages = Object.keys(packs);
  if (languages.length) {
    fs.mkdirSync(userDataDir, { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
  }
  return languages;
}

export interface CodeServerOptions {
  repoRoot: string;
  /** Folder code-server opens when the URL names none. */
  folder: string;
  userDataDir: string;
  extensionsDir: string;
  /** Where code-server's own output goes (it is verbose and only needed when something fails). */
  logFile: string;
  /** A fixed port (npm start's PORT); a free one otherwise. */
  port?: number;
  /** `--locale`; the workbench only shows it when a language pack for it is installed. */
  locale?: string | undefined;
  /** Added to the environment; the extension host inherits code-server's environment. */
  env?: Record<string, string>;
  /** Which installed code-server (default: the minimum). */
  target?: VscodeTarget | undefined;
  /**
   * Keep workspace trust on (no `--disable-workspace-trust`): the folder then opens in Restricted Mode
   * unless the user data says it is trusted. Off by default: the trust dialog blocks the workbench.
   */
  workspaceTrust?: boolean | undefined;
}

export interface CodeServer {
  /** Which code-server this is. */
  readonly install: CodeServerInstall;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or null after a signal) when the code-server wrapper exits. */
  readonly exited: Promise<number | null>;
  /** The last lines of the log, for error messages. */
  logTail(lines?: number): string;
  /** Ends the whole process group (wrapper, server, extension host, pty host, watcher). */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True while any process of the group `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts code-server detached (its own process group, so `stop()` ends every child) and resolves once
 * `/healthz` answers 200. Rejects early with the log tail if the process exits first, and after
 * `readyTimeoutMs` if it never answers.
 */
export async function startCodeServer(options: CodeServerOptions, readyTimeoutMs = 90_000): Promise<CodeServer> {
  const install = resolveInstall(options.repoRoot, options.target);
  const port = options.port ?? (await freePort());
  const root = path.dirname(options.logFile);
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(options.userDataDir, { recursive: true });
  fs.mkdirSync(options.extensionsDir, { recursive: true });
  // --config keeps code-server away from ~/.config/code-server/config.yaml (it would create one).
  const config = path.join(root, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  const args = [
    '--config',
    config,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir',
    options.userDataDir,
    '--extensions-dir',
    options.extensionsDir,
  ];
  if (options.locale) args.push('--locale', options.locale);
  args.push(...developmentArgs(install));
  args.push(path.resolve(options.folder));

  const log = fs.openSync(options.logFile, 'w');
  const child = spawn(install.node, [install.entry, ...args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      // No marketplace: without it the workbench logs `getaddrinfo ENOTFOUND open-vsx.org` on every start.
      EXTENSIONS_GALLERY: '{}',
      ...process.env,
      // code-server writes its wrapper logs under $XDG_DATA_HOME even with --user-data-dir.
      XDG_DATA_HOME: path.join(root, 'xdg-data'),
      XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
      ...installEnv(install),
      ...options.env,
    },
  });
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${install.entry}`);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    });
  });

  const logTail = (lines = 40): string => {
    try {
      return fs.readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!groupAlive(pid)) return;
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        return;
      }
      for (let waited = 0; waited < 5_000 && groupAlive(pid); waited += 100) await sleep(100);
      if (groupAlive(pid)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      await Promise.race([exited, sleep(1_000)]);
    })();
    return stopping;
  };
  const server: CodeServer = { install, port, pid, logFile: options.logFile, exited, logTail, stop };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exitCode !== undefined) {
      await stop(); // children it may have forked
      throw new Error(`code-server exited (${exitCode}) before it answered on port ${port}:\n${logTail()}`);
    }
    if (await healthy(port)) return server;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `code-server did not answer /healthz on port ${port} within ${readyTimeoutMs / 1000} s:\n${logTail()}`,
      );
    }
    await sleep(100);
  }
}

/**
 * Newer VS Code (seen in 1.139; 1.100 does not) reads `extensionDevelopmentPath`/`extensionTestsPath`
 * from the page URL's payload only in a development build or when the server runs with
 * `--enable-smoke-test-driver`; without it the extension and the suite silently never load. code-server
 * passes such VS Code server flags through `--vscode-option` (added in the same era), so the flag is
 * given whenever that pass-through exists. The smoke-test driver only adds a `window.driver` object.
 */
function developmentArgs(install: CodeServerInstall): string[] {
  const cli = path.join(path.dirname(install.entry), 'cli.js');
  let source = '';
  try {
    source = fs.readFileSync(cli, 'utf8');
  } catch {
    return [];
  }
  return source.includes('"vscode-option"') ? ['--vscode-option=--enable-smoke-test-driver'] : [];
}

/** One GET /healthz with a short timeout; false on any error. */
async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}
