// `npm run bench:activation`: what activation costs the extension host, split the way VS Code
// splits it (docs/architecture.md, "What activation loads"):
//   require    loading dist/extension.js            (VS Code's "Load Code", less other extensions)
//   call       the synchronous part of activate()   (VS Code's "Call Activate")
//   activation require + call: what Running Extensions shows as "Activation" (goal ≤ 10 ms)
//   finish     require + until activate()'s promise resolved, i.e. everything is registered
//              (VS Code's "Finish Activate" adds the require to it the same way)
//
//   node scripts/bench-activation.mjs [--runs N] [--compare DIST]...
//   node scripts/bench-activation.mjs --vscode [--runs N]
//   node scripts/bench-activation.mjs --modules [--top N]
//
// --modules lists what the minified host bundle holds (esbuild's metafile, as `npm run package`
// builds it): its bytes and the source files that fill it, largest first.
// --vscode measures in the real VS Code instead (code-server, the integration runner; run
// `node esbuild.test.mjs` first): N windows, each activating us and the activation peer
// (test/fixtures/activation-peer: the same activation events, a file that does nothing), and prints
// both rows of VS Code's own figures (Developer: Startup Performance). The peer's Load Code is what
// VS Code spends around any extension's code in that window (other extensions activating in the
// same batch); ours minus the peer's is our bundle.
//
// Each run is a fresh `node` process (nothing cached), with a stand-in `vscode` module whose
// registrations cost nothing: in VS Code each is a message to the workbench, so `call` and `finish`
// here are lower bounds, while `require` is the same work. --compare adds another build's dist/
// (e.g. main's, built in a `git worktree`), measured interleaved with this one in the same run so
// both see the same machine load. Figures are medians over the runs, wall and CPU time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

if (args[0] === '--child') await child(args[1]);
else if (args.includes('--modules')) await modules();
else if (args.includes('--vscode')) inVscode();
else main();

function main() {
  const runs = Number(valueOf('--runs') ?? 15);
  const dists = [path.resolve(path.dirname(self), '..', 'dist'), ...valuesOf('--compare').map((d) => path.resolve(d))];
  const samples = dists.map(() => []);
  for (let r = 0; r < runs; r++) {
    // Rotate the order so neither build always runs first.
    for (let k = 0; k < dists.length; k++) {
      const i = (k + r) % dists.length;
      const out = spawnSync(process.execPath, [self, '--child', dists[i]], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`the run for ${dists[i]} failed:\n${out.stderr}`);
      samples[i].push(JSON.parse(out.stdout.trim().split('\n').pop()));
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const ms = (v) => `${v.toFixed(2).padStart(7)} ms`;
  console.log(`activation in a fresh node process, medians of ${runs} runs (wall / CPU); goal: activation ≤ 10 ms`);
  dists.forEach((dist, i) => {
    const s = samples[i];
    const m = (key) => median(s.map((x) => x[key]));
    const activation = median(s.map((x) => x.requireMs + x.callMs));
    console.log(`\n${dist}`);
    console.log(`  bundles     ${bundleSizes(dist, s[0].loaded)}`);
    console.log(`  require     ${ms(m('requireMs'))} / ${ms(m('requireCpuMs'))}`);
    console.log(`  call        ${ms(m('callMs'))} / ${ms(m('callCpuMs'))}`);
    console.log(
      `  activation  ${ms(activation)} / ${ms(median(s.map((x) => x.requireCpuMs + x.callCpuMs)))}  ${activation <= 10 ? '✓' : '✗'} ≤ 10 ms`,
    );
    console.log(`  finish      ${ms(median(s.map((x) => x.requireMs + x.finishMs)))}  (everything registered)`);
  });
}

/** VS Code's activation figures of ours and of the peer, over `--runs` windows (default 5). */
function inVscode() {
  const runs = Number(valueOf('--runs') ?? 5);
  const repo = path.resolve(path.dirname(self), '..');
  const runner = path.join(repo, 'out', 'test', 'integration', 'runTest.js');
  const figuresFile = path.join(repo, 'test-results', 'activation.json');
  const rows = [];
  const loads = [];
  for (let r = 0; r < runs; r++) {
    rmSync(figuresFile, { force: true });
    loads.push(loadavg()[0]);
    const out = spawnSync(
      process.execPath,
      [
        runner,
        '--extension',
        path.join(repo, 'test', 'fixtures', 'activation-peer'),
        '--grep',
        '^activation activation only wires',
      ],
      { cwd: repo, encoding: 'utf8' },
    );
    if (out.status !== 0) throw new Error(`run ${r + 1} failed:\n${out.stdout}\n${out.stderr}`);
    const f = JSON.parse(readFileSync(figuresFile, 'utf8'));
    if (!f.vscode) {
      console.error(`run ${r + 1}/${runs}: VS Code's Startup Performance table stayed "Loading..."; no figures`);
      continue;
    }
    if (!f.peer) throw new Error('the activation peer did not activate with us: see test/fixtures/activation-peer');
    rows.push(f);
    console.error(
      `run ${r + 1}/${runs}: ours Load Code ${f.vscode.loadCodeMs} ms (require ${f.requireMs}), Call Activate ${f.vscode.callActivateMs} ms; ` +
        `peer ${f.peer.loadCodeMs} ms (require ${f.peer.requireMs}), ${f.peer.callActivateMs} ms; event ${f.vscode.event}`,
    );
  }
  const median = (xs) => {
    const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
    if (s.length === 0) return NaN;
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const col = (v) => `${Number.isNaN(v) ? '—' : v.toFixed(0)} ms`.padStart(10);
  console.log(
    `VS Code's activation figures, medians of ${runs} windows (load average at each start: ${loads.map((l) => l.toFixed(1)).join(' ')})`,
  );
  console.log(`${''.padEnd(34)}${'ours'.padStart(10)}${'peer'.padStart(10)}${'ours − peer'.padStart(14)}`);
  const line = (name, pick) => {
    const ours = median(rows.map((f) => pick(f.vscode, f)));
    const peer = median(rows.map((f) => pick(f.peer, f.peer)));
    const diff = median(rows.map((f) => pick(f.vscode, f) - pick(f.peer, f.peer)));
    console.log(`${name.padEnd(34)}${col(ours)}${col(peer)}${col(diff).padStart(14)}`);
  };
  line('Load Code', (v) => v.loadCodeMs);
  line('  of which requiring the main file', (_, top) => top.requireMs);
  line('Call Activate', (v) => v.callActivateMs);
  line('Activation (Running Extensions)', (v) => v.loadCodeMs + v.callActivateMs);
  line('Finish Activate', (v) => v.finishActivateMs);
}

/** The minified host bundle's size and its largest source files (bytes in the output). */
async function modules() {
  const repo = path.resolve(path.dirname(self), '..');
  const { build } = await import('esbuild');
  const { lazyRequires } = await import('./lazy-parts.mjs');
  const result = await build({
    absWorkingDir: repo,
    entryPoints: ['src/extension.ts'],
    outfile: path.join(tmpdir(), 'li-host-bundle.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    external: ['vscode'],
    plugins: [lazyRequires],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  const rows = Object.entries(output.inputs)
    .map(([file, { bytesInOutput }]) => [file, bytesInOutput])
    .sort((a, b) => b[1] - a[1]);
  const top = Number(valueOf('--top') ?? 25);
  console.log(`dist/extension.js (minified): ${output.bytes} bytes from ${rows.length} source files`);
  for (const [file, bytes] of rows.slice(0, top)) console.log(`${String(bytes).padStart(8)}  ${file}`);
  if (rows.length > top)
    console.log(`${String(rows.slice(top).reduce((n, r) => n + r[1], 0)).padStart(8)}  (${rows.length - top} more)`);
}

/** Sizes of the dist/*.js files the run loaded by the time activation finished. */
function bundleSizes(dist, loaded) {
  const all = readdirSync(dist).filter((f) => f.endsWith('.js'));
  return all
    .filter((f) => loaded.includes(f))
    .map((f) => `${f} ${(statSync(path.join(dist, f)).size / 1024).toFixed(1)} KB`)
    .join(', ');
}

function valueOf(flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function valuesOf(flag) {
  return args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1]] : []));
}

/** One measurement: require dist/extension.js, call activate(), wait for what it returned. */
async function child(dist) {
  const require = createRequire(self);
  const Module = require('node:module');
  const vscode = stubVscode();
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  // The extension host has loaded modules before ours: warm the CommonJS loader up the same way
  // (the first require of a file costs 1–30 ms of loader set-up, whatever the file).
  const warm = path.join(mkdtempSync(path.join(tmpdir(), 'li-bench-')), 'warm.js');
  writeFileSync(warm, 'module.exports = 1;\n');
  require(warm);
  rmSync(path.dirname(warm), { recursive: true, force: true });
  const log = console.log;
  console.log = () => {};
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const extension = require(path.join(dist, 'extension.js'));
  const t1 = performance.now();
  const cpu1 = process.cpuUsage();
  const root = path.join(dist, '..');
  const context = {
    subscriptions: [],
    extensionPath: root,
    extensionUri: vscode.Uri.file(root),
    extension: { id: 'loss-inspector.loss-inspector' },
    globalState: { get: () => undefined, update: async () => {}, keys: () => [] },
    workspaceState: { get: () => undefined, update: async () => {}, keys: () => [] },
  };
  const returned = extension.activate(context);
  const t2 = performance.now();
  const cpu2 = process.cpuUsage();
  await returned;
  const t3 = performance.now();
  console.log = log;
  const cpuMs = (a, b) => (b.user + b.system - a.user - a.system) / 1000;
  const loaded = Object.keys(require.cache)
    .filter((f) => path.dirname(f) === dist)
    .map((f) => path.basename(f));
  console.log(
    JSON.stringify({
      requireMs: t1 - t0,
      requireCpuMs: cpuMs(cpu0, cpu1),
      callMs: t2 - t1,
      callCpuMs: cpuMs(cpu1, cpu2),
      finishMs: t3 - t1,
      loaded,
    }),
  );
  for (const d of context.subscriptions) d.dispose?.();
  process.exit(0);
}

/**
 * A `vscode` whose every member is a callable, constructible stand-in returning another one (so
 * registrations succeed and return something disposable), with the few values activation reads:
 * settings (defaults), no visible editors, a working EventEmitter and Uri.
 */
function stubVscode() {
  const stub = (name) =>
    new Proxy(function () {}, {
      get: (_, key) => {
        if (key === 'then') return undefined;
        if (key === Symbol.toPrimitive) return () => name;
        if (key === Symbol.iterator) return [][Symbol.iterator];
        return stub(`${name}.${String(key)}`);
      },
      set: () => true,
      defineProperty: () => true,
      apply: () => stub(`${name}()`),
      construct: () => stub(`new ${name}`),
    });
  const namespace = (name, values) =>
    new Proxy(values, { get: (t, key) => (key in t ? t[key] : stub(`${name}.${String(key)}`)) });
  class EventEmitter {
    listeners = [];
    event = (listener) => {
      this.listeners.push(listener);
      return { dispose: () => {} };
    };
    fire(e) {
      for (const l of this.listeners) l(e);
    }
    dispose() {}
  }
  const Uri = {
    file: (p) => ({ scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}` }),
    joinPath: (u, ...parts) => Uri.file(path.join(u.fsPath, ...parts)),
  };
  const members = {
    EventEmitter,
    Uri,
    workspace: namespace('workspace', {
      getConfiguration: () => ({ get: (_, fallback) => fallback, inspect: () => undefined }),
      isTrusted: true,
      textDocuments: [],
      notebookDocuments: [],
      workspaceFolders: undefined,
    }),
    window: namespace('window', { visibleTextEditors: [], visibleNotebookEditors: [], activeTextEditor: undefined }),
    debug: namespace('debug', { activeDebugSession: undefined, activeStackItem: undefined }),
  };
  // esbuild's import helper copies the module's own keys, so every member must be one.
  const names =
    'CancellationTokenSource CodeAction CodeActionKind CodeLens ConfigurationTarget Diagnostic DiagnosticRelatedInformation DiagnosticSeverity DiagnosticTag FileType Hover InlayHint InlayHintKind Location MarkdownString NotebookCellKind OverviewRulerLane Position ProgressLocation Range Selection StatusBarAlignment TabInputNotebook TabInputText TabInputTextDiff TextEditorRevealType TextEditorSelectionChangeKind ThemeColor ViewColumn WorkspaceEdit commands env extensions l10n languages notebooks tasks';
  const vscode = { ...members };
  for (const name of names.split(' ')) vscode[name] = stub(name);
  return vscode;
}
