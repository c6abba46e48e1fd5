// An edit of the document the panel shows (src/panel/panelEarly.ts, panelModel.ts): the panel asks
// the worker about the edited version right behind its analysis, once, and keeps the numbers it
// shows until the new ones instead of blanking to "computing" in between.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { PanelState } from '../../../src/protocol/webview';
import {
  closeAllEditors,
  getExtension,
  openFile,
  ourLenses,
  positionOf,
  tempDir,
  waitFor,
  workspaceFolder,
} from '../helpers';

interface WorkerLike {
  request(method: string, params: { key?: string; version?: number }, options?: unknown): Promise<unknown>;
}
interface Services {
  worker: WorkerLike;
  cache: { onDidChange: vscode.Event<{ uri: vscode.Uri; version: number; status: string }> };
  panel: { getState(): PanelState; onDidChangeState: vscode.Event<PanelState> };
}

suite('panel after an edit', () => {
  let services: Services;
  let dir: string;
  const listeners: vscode.Disposable[] = [];
  let restore: (() => void) | undefined;

  suiteSetup(async () => {
    await closeAllEditors();
    services = (getExtension().exports as { services: Services }).services;
    dir = tempDir('li-panel-edit-');
  });

  suiteTeardown(async () => {
    restore?.();
    for (const l of listeners.splice(0)) l.dispose();
    await closeAllEditors();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('asks for the edited version’s numbers before its analysis is back, once, and never shows "computing"', async () => {
    const file = path.join(dir, 'edited.py');
    fs.copyFileSync(path.join(workspaceFolder().uri.fsPath, 'seed_batch.py'), file);
    const { document, editor } = await openFile(file);
    const key = document.uri.toString();
    const [lens] = await waitFor('a lens', async () => {
      const l = await ourLenses(document);
      return l.length ? l : undefined;
    });
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const panel = services.panel;
    await waitFor('the panel’s numbers', () => {
      const s = panel.getState();
      return s.status === 'ready' && s.documentLabel === 'edited.py' && s.reduction ? s : undefined;
    });

    // What happens from the edit on, in order.
    const events: string[] = [];
    const worker = services.worker;
    const request = worker.request.bind(worker);
    worker.request = (method, params, options) => {
      if (params.key === key) events.push(`ask ${method} ${params.version}`);
      return request(method, params, options);
    };
    restore = () => (worker.request = request);
    listeners.push(
      services.cache.onDidChange((e) => {
        if (e.uri.toString() === key) events.push(`${e.status} ${e.version}`);
      }),
      panel.onDidChangeState((s) => events.push(`panel ${s.status}`)),
    );

    const at = positionOf(document, '0.805');
    await editor.edit((b) => b.replace(new vscode.Range(at.translate(0, 4), at.translate(0, 5)), '6'));
    const version = document.version;
    const shown = await waitFor('the edited numbers', () => {
      const s = panel.getState();
      return events.includes(`ready ${version}`) && s.status === 'ready' && s.pair?.claimOk === false ? s : undefined;
    });
    restore();
    restore = undefined;
    assert.notEqual(shown.reduction?.float32?.torchPrint, 'tensor(2.3519)');

    // From the first event about the edited version on (a snapshot made ahead of version 1 may come before).
    const mine = events.slice(events.findIndex((e) => e.endsWith(` ${version}`)));
    const ready = mine.indexOf(`ready ${version}`);
    const asked = mine.filter((e) => e === `ask panelData ${version}`);
    assert.equal(asked.length >= 1, true, `the panel asked about version ${version}: ${mine.join(', ')}`);
    // The panel's own request (snapshots made ahead are asked later, after it is shown).
    assert.ok(
      mine.indexOf(`ask panelData ${version}`) < ready,
      `asked before the analysis was back: ${mine.join(', ')}`,
    );
    assert.ok(
      mine.indexOf(`ask analyze ${version}`) < mine.indexOf(`ask panelData ${version}`),
      `asked behind the analysis: ${mine.join(', ')}`,
    );
    const firstPanel = mine.findIndex((e) => e.startsWith('panel '));
    const untilShown = mine.slice(0, mine.indexOf('panel ready', firstPanel) + 1);
    assert.deepEqual(
      untilShown.filter((e) => e.startsWith('ask panelData')),
      [`ask panelData ${version}`],
      `one request until the numbers were shown: ${mine.join(', ')}`,
    );
    assert.ok(!untilShown.includes('panel computing'), `no "computing" in between: ${mine.join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
