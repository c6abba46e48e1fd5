import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { javascriptSessionTypes, pythonSessionTypes } from '../../../src/live/bridge';
import {
  extensionId,
  getExtension,
  harnessEnv,
  hoverUntil,
  inside,
  openFixture,
  ourLenses,
  waitFor,
  workspaceFolder,
  writeFigures,
} from '../helpers';

/** What activate() returns (the root object), as far as the suite reads it. */
interface Exports {
  activation: { wallMs: number; cpuMs: number };
  services: {
    worker: { workerForTests: unknown };
    cache: { onDidChange: vscode.Event<{ uri: vscode.Uri; status: string }> };
  };
}

/** Times in ms, as VS Code's Startup Performance table states them for one extension. */
interface ReportedActivation {
  loadCodeMs: number;
  callActivateMs: number;
  finishActivateMs: number;
  event: string;
}

/**
 * The extension's row of "Extension Activation Stats" in Developer: Startup Performance, a
 * markdown document the workbench writes (scheme `perf`) from the extension host's own activation
 * times: the figures Running Extensions shows, which this host cannot read otherwise.
 */
async function reportedActivation(id: string): Promise<ReportedActivation | null> {
  // The document's provider is registered when the command first runs; the editor it opens is closed.
  await vscode.commands.executeCommand('perfview.show');
  const document = await vscode.workspace.openTextDocument(
    vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' }),
  );
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  // The table is written once the workbench is ready (it says "Loading..." before).
  // VS Code fills the table once its timer service is ready, which (code-server 4.100's workbench)
  // waits for every terminal backend's whenReady, i.e. the pty host's connection: in some windows
  // that never comes and the table says "Loading..." for good (three windows in a row once, on a
  // build that had filled it minutes before). The figures are then not to be had, and the test
  // says so instead of timing out.
  const row = await waitFor(
    `${id} in the Startup Performance document`,
    () =>
      document
        .getText()
        .split('\n')
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .find((cells) => cells[1]?.toLowerCase() === id),
    15_000,
  ).catch(() => null);
  if (!row) {
    console.log(
      `[figures] activation: the Startup Performance document still reads ${JSON.stringify(document.getText().slice(0, 40))}`,
    );
    return null;
  }
  // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
  const number = (cell: string | undefined) => {
    const v = Number(cell);
    assert.ok(cell !== undefined && cell !== '' && Number.isFinite(v), `not a time: ${row.join('|')}`);
    return v;
  };
  return {
    loadCodeMs: number(row[3]),
    callActivateMs: number(row[4]),
    finishActivateMs: number(row[5]),
    event: row[6] ?? '',
  };
}

/**
 * The extension host's own marks around requiring an extension's main file (whole ms,
 * `code/extHost/willLoadExtensionCode/<id>` and `didLoadExtensionCode`), or null where the host keeps none:
 * of VS Code's Load Code, the part that is our bundle (the rest waits for extensions activating alongside).
 */
function requireMs(id: string): number | null {
  const marks = (
    globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } }
  ).MonacoPerformanceMarks?.getMarks();
  const at = (name: string) => marks?.find((m) => m.name === `code/extHost/${name}/${id}`)?.startTime;
  const will = at('willLoadExtensionCode');
  const did = at('didLoadExtensionCode');
  return will === undefined || did === undefined ? null : did - will;
}

/** The test-only extension that activates with ours and does nothing (`--extension test/fixtures/activation-peer`). */
const activationPeerId = 'loss-inspector-tests.activation-peer';

suite('activation', () => {
  test('activation only wires things up: no worker before a document needs one', async function () {
    this.timeout(60_000);
    const extension = getExtension();
    // Nothing is open yet (the window restores no editors), so nothing needed the worker.
    const exports = (await extension.activate()) as Exports;
    assert.equal(vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === 'file').length, 0);
    assert.equal(exports.services.worker.workerForTests, undefined, 'the worker started during activation');
    // Nor did it load the parts it does not run (scripts/lazy-parts.mjs): loading counts in VS Code's
    // activation figure. The extension host's module cache says which files were required.
    const dist = path.join(extension.extensionPath, 'dist');
    const loaded = Object.keys(require.cache).filter((k) => path.dirname(k) === dist);
    assert.ok(loaded.includes(path.join(dist, 'extension.js')), loaded.join());
    for (const part of ['panel.js', 'live.js', 'commands.js'])
      assert.ok(!loaded.includes(path.join(dist, part)), `${part} was loaded at activation`);
    const { wallMs, cpuMs } = exports.activation;
    // VS Code's own figures: "Activation" in Running Extensions is loading the code plus the
    // activate() call; Developer: Startup Performance lists both, and the time until the promise
    // activate() returned resolved.
    const reported = await reportedActivation(extensionId);
    // The peer (test/fixtures/activation-peer, when the run loads it) activates on the same events and
    // does nothing: its figures are what VS Code reports for an extension whose code costs nothing.
    const peer =
      reported && vscode.extensions.getExtension(activationPeerId)?.isActive
        ? await reportedActivation(activationPeerId)
        : null;
    const round = (v: number) => Math.round(v * 100) / 100;
    writeFigures('activation', {
      vscode: reported && { ...reported, activationMs: reported.loadCodeMs + reported.callActivateMs },
      requireMs: requireMs(extensionId),
      peer: peer && {
        ...peer,
        activationMs: peer.loadCodeMs + peer.callActivateMs,
        requireMs: requireMs(activationPeerId),
      },
      insideActivate: { wallMs: round(wallMs), cpuMs: round(cpuMs) },
      goalMs: 10,
      language: vscode.env.language,
    });
    // The figures are recorded (the goal is 10 ms as VS Code reports it), not asserted: the 2 shared
    // cores make any wall-clock bound here a coin toss. What activation does is asserted above.
    assert.ok(Number.isFinite(wallMs) && Number.isFinite(cpuMs), JSON.stringify(exports.activation));
    if (reported) assert.ok(reported.loadCodeMs >= 0 && reported.callActivateMs >= 0, JSON.stringify(reported));
  });

  test('declares untrusted and virtual workspace support, and activates on languages and debug sessions it reads, not on start-up', () => {
    const pkg = getExtension().packageJSON as {
      capabilities: {
        untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] };
        virtualWorkspaces: boolean | { supported: boolean };
      };
      activationEvents: string[];
    };
    // 'limited': it runs untrusted, but the workspace cannot raise its limits (restricted/*.test.ts).
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual([...(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [])].sort(), [
      'lossInspector.debounceMs',
      'lossInspector.languages',
      'lossInspector.maxElements',
    ]);
    const virtual = pkg.capabilities.virtualWorkspaces;
    assert.equal(typeof virtual === 'object' ? virtual.supported : virtual, true);
    assert.ok(pkg.activationEvents.includes('onLanguage:python'), pkg.activationEvents.join());
    assert.ok(
      pkg.activationEvents.every(
        (e) =>
          e.startsWith('onLanguage:') ||
          e.startsWith('onNotebook:') ||
          e.startsWith('onCommand:') ||
          e.startsWith('onView:') ||
          e.startsWith('onDebugAdapterProtocolTracker:'),
      ),
      `activation events beyond languages, notebooks, commands, the view and debug trackers: ${pkg.activationEvents.join()}`,
    );
    // A debug session of a type the live bridge reads activates the extension before its adapter
    // starts, so the session gets the tracker that takes the bridge's answers (src/live/replyTap.ts):
    // exactly those types, no others.
    const tracked = pkg.activationEvents
      .filter((e) => e.startsWith('onDebugAdapterProtocolTracker:'))
      .map((e) => e.slice('onDebugAdapterProtocolTracker:'.length));
    assert.deepEqual(tracked.sort(), [...pythonSessionTypes, ...javascriptSessionTypes].sort());
  });

  test('the extension is loaded from this working tree', () => {
    const extension = getExtension();
    assert.equal(extension.packageJSON.main, './dist/extension.js');
    assert.ok(
      fs.existsSync(path.join(extension.extensionPath, 'dist', 'extension.js')),
      `${extension.extensionPath}/dist/extension.js is missing: run the build first`,
    );
    if (harnessEnv.extensionPath) {
      assert.equal(fs.realpathSync(extension.extensionPath), fs.realpathSync(harnessEnv.extensionPath));
    }
  });

  test('the window opened the workspace the run asked for', () => {
    const folder = workspaceFolder();
    if (harnessEnv.folder) assert.equal(fs.realpathSync(folder.uri.fsPath), fs.realpathSync(harnessEnv.folder));
  });

  test('a Python file opens as python, with the extension active', async () => {
    const extension = getExtension();
    // Found through the workspace search (ripgrep in the extension host), so the suite also runs on examples/.
    const pythonFiles = (await vscode.workspace.findFiles('**/*.py'))
      .map((uri) => vscode.workspace.asRelativePath(uri, false))
      .sort();
    assert.ok(pythonFiles.length > 0, 'the workspace holds no .py file');
    const seed = pythonFiles.includes('seed.py');
    // Where the first use's time goes: until the extension host sees the editor (VS Code's), until
    // the analysis is ready (ours: worker start when it is not running yet, the scan), then the
    // hover and lens requests' round trips through the window.
    const { services } = (await extension.activate()) as Exports;
    const workerWarm = services.worker.workerForTests !== undefined;
    const stamps: { visible?: number; analysed?: number } = {};
    const target = vscode.Uri.joinPath(workspaceFolder().uri, seed ? 'seed.py' : pythonFiles[0]!).toString();
    const watching = [
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (editors.some((e) => e.document.uri.toString() === target)) stamps.visible ??= performance.now();
      }),
      services.cache.onDidChange((entry) => {
        if (entry.uri.toString() === target && entry.status !== 'pending') stamps.analysed ??= performance.now();
      }),
    ];
    const opened = performance.now();
    const { document } = await openFixture(seed ? 'seed.py' : pythonFiles[0]!);
    // The built-in Python language support must claim .py files, or no onLanguage:python feature can work.
    assert.equal(document.languageId, 'python');
    await waitFor(`${extensionId} to activate`, () => extension.isActive);
    if (seed) {
      // What the first use costs after activation (the code activation left for later loads here):
      // the first hover with numbers and the first CodeLens on the file just opened, from the open.
      await hoverUntil(document, inside(document, '0.9983'), 'softmax');
      const hoverMs = performance.now() - opened;
      await waitFor('the first CodeLens', async () => (await ourLenses(document)).length > 0);
      const lensMs = performance.now() - opened;
      const since = (t: number | undefined) => (t === undefined ? null : Math.round(t - opened));
      writeFigures('first-use', {
        hoverMs: Math.round(hoverMs),
        lensMs: Math.round(lensMs),
        visibleMs: since(stamps.visible),
        analysedMs: since(stamps.analysed),
        workerWarm,
        load: loadavg().map((v) => Math.round(v * 10) / 10),
      });
    }
    for (const d of watching) d.dispose();
  });

  test('VS Code reports the display language the run asked for', () => {
    assert.equal(vscode.env.language, harnessEnv.language);
  });
});
