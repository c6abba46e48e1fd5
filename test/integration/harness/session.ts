// One throw-away VS Code: code-server in a short temp root plus headless Chromium on its workbench.
// Used by the integration driver (runTest.ts) and the UI runner (../../e2e/runUi.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import {
  linkExtension,
  startCodeServer,
  workbenchUrl,
  writeLanguagePacks,
  writeUserSettings,
  type CodeServer,
  type VscodeTarget,
} from './codeServer';

/** The Chromium the tests drive (Debian's package; `npx playwright install` is never needed). */
export const chromiumPath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

export interface SessionOptions {
  repoRoot: string;
  /** Workspace folder the window opens. */
  folder: string;
  /** Loaded as the development extension (`extensionDevelopmentPath`): ours. */
  developmentExtension: string;
  /**
   * Installed next to it by a symlink in the extensions dir. Not as more development paths: the
   * payload accepts several, but code-server 4.100.3 then loads only the last one (measured).
   * Language packs among them are registered so that `locale` takes effect.
   */
  installedExtensions?: string[];
  /** Run this suite in the extension host; its `run()` result becomes `automationExit`. */
  extensionTestsPath?: string | undefined;
  /** code-server `--locale`. */
  locale?: string | undefined;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** Extra user settings on top of the quiet ones. */
  settings?: Record<string, unknown>;
  /** Keep the temp root (logs, user data) for inspection. */
  keep?: boolean;
  /** Which installed code-server (default: the minimum VS Code). */
  target?: VscodeTarget;
  /**
   * Open the folder in Restricted Mode for real: workspace trust on, the folder not trusted, and no
   * start-up trust dialog (it would block the workbench; the Restricted Mode banner stays).
   */
  restricted?: boolean;
  /** Receives each extension-host console line and workbench error (everything with E2E_VERBOSE=1); defaults to stdout. */
  echo?: (line: string) => void;
}

/** Console lines of the page, kept so a wait can also match a line that arrived before it started. */
export class ConsoleLog {
  readonly lines: string[] = [];
  private waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  add(line: string): void {
    this.lines.push(line);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(line)) return true;
      w.resolve(line);
      return false;
    });
  }

  /** Resolves with the first line (past or future) that contains `pattern` or matches it. */
  waitFor(pattern: string | RegExp, timeoutMs = 60_000): Promise<string> {
    const test = (line: string) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line));
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no console line matching ${String(pattern)} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const done = (line: string) => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiters.push({ test, resolve: done });
    });
  }
}

export interface Session {
  /** Short temp folder holding user data, extensions, logs and the results file. */
  readonly root: string;
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  readonly url: string;
  readonly console: ConsoleLog;
  /** Where the suite writes its results (E2E_RESULTS_FILE in the extension host). */
  readonly resultsFile: string;
  /** The code VS Code passes to `window.codeAutomationExit` when the extension tests end. */
  readonly automationExit: Promise<number>;
  close(): Promise<void>;
}

/**
 * Workbench start-up lines that are the same on every run and say nothing about the test; they stay
 * in the ConsoleLog but are only echoed with E2E_VERBOSE=1. (vsda is Microsoft's signing module,
 * absent from code-server; its 404s are harmless.)
 */
const routine =
  /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[Service Worker\] registered|ChatSessionStore: Migrating 0 |No search provider registered for scheme: vscode-remote, waiting|The web worker extension host is started|Overwriting extension <<|\[(AgentHost|AgentHost:remote|ChatModelSelection|AccountPolicyGate)\] |DialogService: Dialog requested during smoke test)/;

const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps trying to reach Google services through the closed network.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Rebuilds a console line from its arguments. Two styled forms matter (m.text() shows them raw):
 * the workbench log service, which also carries the extension host's output while extension tests
 * run, sends `('%c INFO', css, fmt, ...args)`; the extension host's console forwarder, in plain
 * development mode, sends `('%c[Extension Host] %c' + line, css, css)`.
 */
async function consoleText(message: ConsoleMessage): Promise<{ text: string; styled: boolean }> {
  const args = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => '?') as Promise<unknown>));
  if (args.length === 0) return { text: message.text(), styled: false };
  const first = args[0];
  if (typeof first !== 'string' || !first.startsWith('%c')) return { text: format(...args), styled: false };
  if (/^%c ?[A-Z]+$/.test(first)) args.splice(0, 2); // log-service level tag and its css
  // util.format drops each %c together with its css argument.
  return { text: format(...args).replace(/^\[Extension Host\] /, ''), styled: true };
}

/**
 * Starts code-server and Chromium, installs the exit hook, and opens the workbench. Everything is
 * undone by `close()`, also when starting fails halfway.
 */
export async function startSession(options: SessionOptions): Promise<Session> {
  let closing = false;
  const print = options.echo ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Once closing starts, the page only reports the connection going away.
  const echo = (line: string) => {
    if (!closing) print(line);
  };
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (or set E2E_CHROMIUM)`);
  }
  // Short on purpose: code-server puts a unix socket in the user data dir (108-byte path limit).
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'li-vsc-'));
  const userDataDir = path.join(root, 'ud');
  const extensionsDir = path.join(root, 'ext');
  const resultsFile = path.join(root, 'results.json');
  writeUserSettings(userDataDir, {
    ...options.settings,
    ...(options.restricted
      ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }
      : {}),
  });
  for (const folder of options.installedExtensions ?? []) linkExtension(extensionsDir, folder);
  writeLanguagePacks(userDataDir, extensionsDir);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    closing = true;
    await Promise.all([browser?.close().catch(() => undefined), server?.stop()]);
    if (options.keep || process.env.E2E_KEEP === '1') print(`[harness] kept ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    server = await startCodeServer({
      repoRoot: options.repoRoot,
      folder: options.folder,
      userDataDir,
      extensionsDir,
      logFile: path.join(root, 'code-server.log'),
      locale: options.locale,
      target: options.target,
      workspaceTrust: options.restricted,
      env: { ...options.env, E2E_RESULTS_FILE: resultsFile },
    });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(60_000);

    const consoleLog = new ConsoleLog();
    page.on('console', (message) => {
      void consoleText(message).then(({ text, styled }) => {
        consoleLog.add(text);
        const vsda404 = message.type() === 'error' && message.location().url.includes('/node_modules/vsda/');
        if (process.env.E2E_VERBOSE === '1') echo(`[page:${message.type()}] ${text}`);
        // Styled lines are the extension host's output (and a few workbench log lines).
        else if (!routine.test(text) && !vsda404 && (styled || message.type() === 'error'))
          echo(styled ? text : `[workbench] ${text}`);
      });
    });
    page.on('pageerror', (error) => echo(`[workbench] page error: ${error.message}`));
    page.on('crash', () => echo('[workbench] the page crashed'));

    // VS Code looks this up on the top window when the extension tests end, so it must exist before goto.
    let onExit: (code: number) => void = () => undefined;
    const automationExit = new Promise<number>((resolve) => {
      onExit = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown) => onExit(typeof code === 'number' ? code : 1));

    const url = workbenchUrl(server.port, options.folder, {
      extensionDevelopmentPath: options.developmentExtension,
      extensionTestsPath: options.extensionTestsPath,
    });
    await page.goto(url);
    return { root, server, browser, page, url, console: consoleLog, resultsFile, automationExit, close: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
