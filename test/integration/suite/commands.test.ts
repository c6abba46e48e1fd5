// Every command of the manifest, executed through vscode.commands.executeCommand in the real window.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { PanelState } from '../../../src/protocol/webview';
import {
  closeAllEditors,
  codeOf,
  dec4,
  getExtension,
  hoverUntil,
  openFile,
  inlayHints,
  inside,
  openFixture,
  ourLenses,
  positionOf,
  reference,
  repoRoot,
  tempDir,
  waitFor,
  withSetting,
  workspaceFolder,
} from '../helpers';

/** Commands contributed by the manifest (read from it, so a new one is not forgotten here). */
function manifestCommands(): string[] {
  const pkg = getExtension().packageJSON as { contributes: { commands: { command: string }[] } };
  return pkg.contributes.commands.map((c) => c.command);
}

/** Puts the cursor at `position` in `editor`. */
function moveTo(editor: vscode.TextEditor, position: vscode.Position): void {
  editor.selection = new vscode.Selection(position, position);
}

// Asynchronous: a synchronous child process would block the extension host the suite shares.
const run = promisify(execFile);

/** The Python with torch used to run copied snippets, when this machine has one. */
async function torchPython(): Promise<string | undefined> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      await run(python, ['-c', 'import torch'], { timeout: 60_000 });
      return python;
    } catch {
      /* next */
    }
  }
  return undefined;
}

suite('commands', () => {
  suiteSetup(async () => {
    await closeAllEditors();
    await getExtension().activate();
  });
  suiteTeardown(async () => {
    // Whatever a failing test left behind.
    const c = vscode.workspace.getConfiguration('lossInspector');
    for (const key of ['dtype', 'inlineValues', 'decimals'])
      await c.update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  test('every contributed command is registered (and so can be run from the palette)', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const contributed = manifestCommands();
    assert.ok(contributed.length >= 9, contributed.join());
    for (const command of [
      'lossInspector.inspectPairAtCursor',
      'lossInspector.inspectSelection',
      'lossInspector.showPanel',
      'lossInspector.toggleInlineValues',
      'lossInspector.chooseDtype',
      'lossInspector.copyBreakdown',
      'lossInspector.checkWorkspaceClaims',
    ]) {
      assert.ok(contributed.includes(command), `${command} is not in package.json`);
    }
    assert.deepEqual(
      contributed.filter((c) => !all.has(c)),
      [],
      'contributed but not registered',
    );
  });

  test('the palette commands have the category "Loss Inspector" and the editor context menu has the first two', () => {
    const pkg = getExtension().packageJSON as {
      contributes: { commands: { command: string; category?: string }[]; menus: Record<string, { command: string }[]> };
    };
    assert.deepEqual(
      pkg.contributes.commands.filter((c) => c.category !== 'Loss Inspector').map((c) => c.command),
      [],
    );
    const context = pkg.contributes.menus['editor/context'].map((m) => m.command);
    assert.ok(
      context.includes('lossInspector.inspectPairAtCursor') && context.includes('lossInspector.inspectSelection'),
      context.join(),
    );
  });

  test('inspectPairAtCursor returns the loss of the pair at the cursor', async () => {
    const ref = reference['seed_batch.py'];
    const { document, editor } = await openFixture('seed_batch.py');
    moveTo(editor, inside(document, 'criterion(output, target)', 0, 2));
    const loss = await vscode.commands.executeCommand<number>('lossInspector.inspectPairAtCursor');
    assert.equal(typeof loss, 'number');
    // float32 arithmetic as torch does it: the same float32 value.
    assert.equal(Math.fround(loss), Math.fround(ref.loss));
  });

  test("chooseDtype 'float64' recomputes the float32 seed in float64, and 'fromCode' restores it", async () => {
    const ref = reference['seed.py'];
    const { document } = await openFixture('seed.py');
    await withSetting('decimals', 10, async () => {
      const lensTitle = async (value: number) =>
        waitFor(`the lens to show ${value.toFixed(10)}`, async () => {
          const [lens] = await ourLenses(document);
          return lens?.title === `cross-entropy ${value.toFixed(10)} · Inspect` ? lens.title : undefined;
        });
      assert.notEqual(
        ref.loss.toFixed(10),
        ref.float64Loss.toFixed(10),
        'the two precisions must differ at 10 decimals',
      );
      await lensTitle(ref.loss);
      assert.equal(await vscode.commands.executeCommand('lossInspector.chooseDtype', 'float64'), 'float64');
      assert.equal(vscode.workspace.getConfiguration('lossInspector').get('dtype'), 'float64');
      await lensTitle(ref.float64Loss);
      // The hover over the claim prints what torch prints for a float64 tensor.
      const hover = await hoverUntil(
        document,
        inside(document, 'tensor(2.1438)', 0, 3),
        ref.float64Printed ?? 'float64',
      );
      assert.ok(hover.includes(`\`${ref.float64Printed}\``), hover);
      assert.equal(await vscode.commands.executeCommand('lossInspector.chooseDtype', 'fromCode'), 'fromCode');
      await lensTitle(ref.loss);
    });
    await vscode.workspace
      .getConfiguration('lossInspector')
      .update('dtype', undefined, vscode.ConfigurationTarget.Global);
  });

  test('toggleInlineValues cycles all → currentLine → off → all, in the scope the user chose', async () => {
    const ref = reference['seed.py'];
    const { document, editor } = await openFixture('seed.py');
    const lossLine = positionOf(document, 'loss = criterion').line;
    const label = `CE = ${dec4(ref.loss)}`;
    const count = async () => (await inlayHints(document)).filter((h) => h.label === label).length;
    await waitFor('hints before toggling', async () => (await count()) === 1);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.equal(await vscode.commands.executeCommand('lossInspector.toggleInlineValues'), 'currentLine');
    await waitFor('no hint away from the cursor in currentLine', async () => (await count()) === 0);
    moveTo(editor, new vscode.Position(lossLine, 0));
    await waitFor('the hint on the cursor line', async () => (await count()) === 1);
    assert.equal(await vscode.commands.executeCommand('lossInspector.toggleInlineValues'), 'off');
    await waitFor('no hints after toggling off', async () => (await count()) === 0);
    assert.equal(await vscode.commands.executeCommand('lossInspector.toggleInlineValues'), 'all');
    await waitFor('hints after toggling on', async () => (await count()) === 1);
    const c = () => vscode.workspace.getConfiguration('lossInspector');
    assert.equal(c().inspect('inlineValues')?.globalValue, 'all');
    await c().update('inlineValues', undefined, vscode.ConfigurationTarget.Global);

    // A workspace's own choice is changed in the workspace, and the user's setting is left alone.
    const settingsDir = path.join(workspaceFolder().uri.fsPath, '.vscode');
    const hadSettings = fs.existsSync(settingsDir);
    try {
      await c().update('inlineValues', 'currentLine', vscode.ConfigurationTarget.Workspace);
      assert.equal(await vscode.commands.executeCommand('lossInspector.toggleInlineValues'), 'off');
      assert.equal(c().inspect('inlineValues')?.workspaceValue, 'off');
      assert.equal(c().inspect('inlineValues')?.globalValue, undefined);
    } finally {
      await c().update('inlineValues', undefined, vscode.ConfigurationTarget.Workspace);
      if (!hadSettings) fs.rmSync(settingsDir, { recursive: true, force: true });
    }
  });

  test('inspectPairAtCursor on a line without a pair says so instead of opening another line’s pair', async () => {
    const { document, editor } = await openFixture('seed.py');
    await waitFor('the analysis', async () => (await ourLenses(document)).length > 0);
    moveTo(editor, positionOf(document, 'import numpy'));
    assert.equal(await vscode.commands.executeCommand('lossInspector.inspectPairAtCursor'), undefined);
    // On the print line, the claim belongs to the pair: that is its pair.
    moveTo(editor, positionOf(document, 'print(loss)'));
    const loss = await vscode.commands.executeCommand<number>('lossInspector.inspectPairAtCursor');
    assert.equal(Math.fround(loss), Math.fround(reference['seed.py'].loss));
  });

  test('the first file with pairs brings a one-time hint that names how many were found', async () => {
    const hint = (getExtension().exports as { services: { hint: HintProbe } }).services.hint;
    await closeAllEditors();
    await withSetting('panelHint', true, async () => {
      await hint.reset();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-hint-'));
      try {
        fs.copyFileSync(path.join(repoRoot, 'examples', 'seed_blog.py'), path.join(dir, 'blog.py'));
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'blog.py')));
        await vscode.window.showTextDocument(document);
        const shown = await waitFor('the hint', () => hint.shown);
        const lenses = await ourLenses(document);
        assert.equal(shown.file, 'blog.py');
        assert.ok(shown.pairs >= lenses.length && shown.pairs > 1, JSON.stringify({ shown, lenses: lenses.length }));
        // Once: another file does not bring it again.
        const before = hint.shown;
        await openFixture('seed.py');
        await waitFor(
          'the seed analysis',
          async () => (await ourLenses((await openFixture('seed.py')).document)).length > 0,
        );
        assert.equal(hint.shown, before);
      } finally {
        await vscode.commands.executeCommand('notifications.clearAll');
        await closeAllEditors();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  test('one palette entry opens the panel: Show Panel is left to the view’s own Focus command', () => {
    const pkg = getExtension().packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const entry = pkg.contributes.menus.commandPalette.find((m) => m.command === 'lossInspector.showPanel');
    assert.equal(entry?.when, 'false');
  });

  suite('copyBreakdown', () => {
    test("'markdown': the step table of the pair at the cursor", async () => {
      const ref = reference['seed.py'];
      const { document, editor } = await openFixture('seed.py');
      moveTo(editor, inside(document, 'criterion(output, target)', 0, 2));
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('lossInspector.copyBreakdown', 'markdown');
      const text = await vscode.env.clipboard.readText();
      assert.ok(text.startsWith('### CrossEntropyLoss: output (1, 10), target (1,)\n'), text);
      assert.ok(text.includes(`torch prints \`${ref.printed}\`.`), text);
      assert.match(text, /\| p \|/);
      for (const p of ref.softmax[0]) assert.ok(text.includes(dec4(p)), `softmax ${dec4(p)} missing:\n${text}`);
      assert.ok(text.includes(`= ${dec4(ref.losses[0])}`), text);
    });

    test("'json': the pair and its breakdown, parseable", async () => {
      const ref = reference['seed.py'];
      const { document, editor } = await openFixture('seed.py');
      moveTo(editor, inside(document, 'criterion(output, target)', 0, 2));
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('lossInspector.copyBreakdown', 'json');
      const text = await vscode.env.clipboard.readText();
      const json = JSON.parse(text) as {
        loss: number;
        dtype: string;
        ignore_index: number;
        sample: { softmax: number[] };
      };
      // The CLI's field names (a request `loss-inspector compute` reads), no internal ids.
      assert.equal(json.dtype, ref.dtype);
      assert.equal(json.ignore_index, -100);
      assert.ok(!/"(id|ignoreIndex|pairId)"/.test(text), text);
      assert.equal(Math.fround(json.loss), Math.fround(ref.loss));
      assert.equal(json.sample.softmax.length, ref.softmax[0].length);
      json.sample.softmax.forEach((p, c) =>
        assert.ok(Math.abs(p - ref.softmax[0][c]) < 1e-6, `class ${c}: ${p} vs torch ${ref.softmax[0][c]}`),
      );
    });

    test("'pytorch': a snippet that torch runs to the same printed loss", async function () {
      const ref = reference['seed_batch.py'];
      const { document, editor } = await openFixture('seed_batch.py');
      moveTo(editor, inside(document, 'criterion(output, target)', 0, 2));
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('lossInspector.copyBreakdown', 'pytorch');
      const snippet = await vscode.env.clipboard.readText();
      assert.ok(snippet.includes('nn.CrossEntropyLoss(') && snippet.includes('torch.tensor(['), snippet);
      // The code's own names, never a variable `input`; the last line says what torch prints.
      assert.ok(snippet.includes('loss = criterion(output, target)') && !/^input\b/m.test(snippet), snippet);
      assert.ok(snippet.trimEnd().endsWith(`print(loss)  # ${ref.printed}`), snippet);
      this.timeout(120_000);
      const python = await torchPython();
      if (!python) {
        console.log('[commands] no Python with torch here: the snippet was checked by its text only');
        return;
      }
      const file = path.join(os.tmpdir(), `li-snippet-${process.pid}.py`);
      fs.writeFileSync(file, snippet);
      try {
        const { stdout } = await run(python, [file], { encoding: 'utf8', timeout: 100_000 });
        assert.equal(stdout.trim(), ref.printed);
      } finally {
        fs.rmSync(file, { force: true });
      }
    });
  });

  test('checkWorkspaceClaims returns {files, claims, wrong} and reports the wrong claims in their own collection', async () => {
    await closeAllEditors();
    // The two fixtures whose comment differs from what torch prints (reference.json).
    const wrongFiles = ['wrong_claim.py', 'batch_wrong_claim.py'];
    for (const f of wrongFiles) {
      const text = fs.readFileSync(path.join(workspaceFolder().uri.fsPath, f), 'utf8');
      assert.ok(
        !text.includes(`# ${reference[f].printed}`) && !text.includes(`#  ${reference[f].printed}`),
        `${f} should hold a wrong claim`,
      );
    }
    const result = await vscode.commands.executeCommand<{ files: number; claims: number; wrong: number }>(
      'lossInspector.checkWorkspaceClaims',
    );
    assert.ok(result, 'the command returns its counts');
    const files = await vscode.workspace.findFiles(
      '**/*.{py,ipynb,md,markdown,js,mjs,cjs,ts,mts,json}',
      '**/node_modules/**',
    );
    assert.equal(result.files, files.length);
    assert.ok(result.claims >= result.wrong && result.claims > wrongFiles.length, JSON.stringify(result));
    assert.equal(result.wrong, wrongFiles.length, JSON.stringify(result));
    for (const f of wrongFiles) {
      const uri = vscode.Uri.joinPath(workspaceFolder().uri, f);
      const ds = vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === 'claim_mismatch');
      assert.equal(ds.length, 1, `${f}: ${JSON.stringify(ds)}`);
      assert.equal(ds[0].severity, vscode.DiagnosticSeverity.Warning);
      assert.ok(ds[0].message.includes(reference[f].printed), ds[0].message);
      // The file was never opened: the range is still the claim's.
      const text = fs.readFileSync(uri.fsPath, 'utf8');
      const line = text.split('\n')[ds[0].range.start.line];
      assert.ok(line.slice(ds[0].range.start.character, ds[0].range.end.character).startsWith('tensor('), line);
    }
    const seed = vscode.Uri.joinPath(workspaceFolder().uri, 'seed.py');
    assert.deepEqual(
      vscode.languages.getDiagnostics(seed).filter((d) => codeOf(d) === 'claim_mismatch'),
      [],
    );
    // Opening a checked file: its live analysis takes over, and the claim is still reported once.
    const { document } = await openFixture('batch_wrong_claim.py');
    await waitFor("the live diagnostic (with its explanation link) to replace the check's", () => {
      const ds = vscode.languages.getDiagnostics(document.uri).filter((d) => codeOf(d) === 'claim_mismatch');
      return ds.length === 1 && typeof ds[0].code === 'object';
    });
  });

  test('checkWorkspaceClaims never reads through a symlink out of the workspace, and says so', async () => {
    // A folder outside the workspace with a wrong claim, reached through a symlinked folder and a
    // symlinked file inside the workspace (VS Code's search follows both).
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'li-outside-'));
    const secret = path.join(outside, 'secret_wrong_claim.py');
    fs.copyFileSync(path.join(workspaceFolder().uri.fsPath, 'wrong_claim.py'), secret);
    const dirLink = path.join(workspaceFolder().uri.fsPath, 'zz_link_outside');
    const fileLink = path.join(workspaceFolder().uri.fsPath, 'zz_link_outside.py');
    fs.symlinkSync(outside, dirLink);
    fs.symlinkSync(secret, fileLink);
    try {
      const listed = await vscode.workspace.findFiles('**/secret_wrong_claim.py');
      assert.equal(listed.length, 1, 'the search lists the file behind the folder link');
      const result = await vscode.commands.executeCommand<{
        wrong: number;
        unverified: unknown[];
        skipped: { outside: number };
      }>('lossInspector.checkWorkspaceClaims');
      assert.equal(result.skipped.outside, 2, JSON.stringify(result));
      // Only the workspace's own two wrong claims.
      assert.equal(result.wrong, 2, JSON.stringify(result));
      assert.deepEqual(result.unverified, []);
      for (const p of [secret, path.join(dirLink, 'secret_wrong_claim.py'), fileLink])
        assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(p)), [], p);
    } finally {
      fs.rmSync(dirLink);
      fs.rmSync(fileLink);
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('checkWorkspaceClaims skips a file over 50 MB unread, and a FIFO without waiting on it', async function () {
    if (process.platform === 'win32') this.skip();
    const folder = workspaceFolder().uri.fsPath;
    // Sparse: 1 GiB that takes no disk space, but would take 1 GiB of the extension host's memory to read.
    const huge = path.join(folder, 'zz_huge.py');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 2 ** 30);
    const fifo = path.join(folder, 'zz_pipe.py');
    await run('mkfifo', [fifo]);
    try {
      const listed = await vscode.workspace.findFiles('zz_*.py');
      const pipeListed = listed.some((u) => u.fsPath === fifo);
      const before = process.memoryUsage().rss;
      const result = await vscode.commands.executeCommand<{
        wrong: number;
        unverified: unknown[];
        skipped: { tooLarge: number; notAFile: number };
      }>('lossInspector.checkWorkspaceClaims');
      const grew = process.memoryUsage().rss - before;
      assert.equal(result.skipped.tooLarge, 1, JSON.stringify(result));
      assert.equal(result.skipped.notAFile, pipeListed ? 1 : 0, JSON.stringify(result));
      assert.equal(result.wrong, 2, JSON.stringify(result));
      assert.deepEqual(result.unverified, []);
      assert.ok(grew < 2 ** 29, `the extension host grew by ${grew} bytes`);
    } finally {
      fs.rmSync(huge);
      fs.rmSync(fifo);
    }
  });

  test('showPanel opens the Loss Inspector view', async () => {
    await vscode.commands.executeCommand('lossInspector.showPanel');
    // The view's focus command exists only when the view is contributed and resolvable.
    await vscode.commands.executeCommand('lossInspector.panelView.focus');
  });

  test('inspectSelection: two selected literals give their loss', async () => {
    const ref = reference['seed.py'];
    const { document, editor } = await openFixture('seed.py');
    const start = positionOf(document, '[[0.8982');
    const targetAt = positionOf(document, 'LongTensor([1])').translate(0, 'LongTensor('.length);
    editor.selection = new vscode.Selection(start, targetAt.translate(0, '[1]'.length));
    const loss = await vscode.commands.executeCommand<number>('lossInspector.inspectSelection');
    assert.equal(typeof loss, 'number', `got ${String(loss)}`);
    assert.ok(Math.abs(loss - ref.loss) < 1e-6, `${loss} vs torch ${ref.loss}`);
  });
});

suite('inspectSelection targets', () => {
  suiteSetup(closeAllEditors);

  async function selectBatchLogits(): Promise<vscode.TextDocument> {
    // examples/seed_blog.py holds eight literals: six float rows and two class-index lists.
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.file(path.join(repoRoot, 'examples', 'seed_blog.py')),
    );
    const editor = await vscode.window.showTextDocument(document);
    await waitFor('the blog analysis', async () => (await ourLenses(document)).length > 0);
    const text = document.getText();
    const start = text.indexOf('[\n        [0.8982');
    const end = text.indexOf(']\n)', start) + 1;
    editor.selection = new vscode.Selection(document.positionAt(start), document.positionAt(end));
    return document;
  }

  test('selected logits: the first target offered is the class-index list of the right shape, and it opens the pair', async () => {
    const ref = reference['seed_batch.py']; // the same batch
    await selectBatchLogits();
    const running = vscode.commands.executeCommand<number>('lossInspector.inspectSelection');
    // The quick pick opens; accept its first (active) item.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const loss = await running;
    assert.equal(typeof loss, 'number', `got ${String(loss)}`);
    assert.equal(Math.fround(loss), Math.fround(ref.loss));
  });

  test('a typed class index per sample is accepted; an index out of 0..C-1 is refused', async () => {
    const ref = reference['seed_batch.py'];
    await selectBatchLogits();
    const loss = await vscode.commands.executeCommand<number>('lossInspector.inspectSelection', { target: '1, 5' });
    assert.equal(Math.fround(loss), Math.fround(ref.loss));
    await selectBatchLogits();
    assert.equal(
      await vscode.commands.executeCommand('lossInspector.inspectSelection', { target: '1, 10' }),
      undefined,
    );
  });
});

suite('inspectSelection of two literals no loss call pairs', () => {
  suiteSetup(closeAllEditors);
  suiteTeardown(closeAllEditors);

  test('the panel shows them as the selection, step by step, with the loss torch gives', async () => {
    const ref = reference['seed_batch.py']; // the same batch and targets, torch 1.13
    const dir = tempDir();
    const file = path.join(dir, 'scratch.py');
    fs.writeFileSync(
      file,
      [
        'import torch',
        // Names that pair nothing by themselves (`scores` and `labels` would be paired by name).
        'row_values = torch.tensor([[0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544],',
        '                           [0.9457, 0.0195, 0.9846, 0.3231, 0.1605, 0.3143, 0.9508, 0.2762, 0.7276, 0.4332]])',
        'picked = torch.tensor([1, 5])',
        '',
      ].join('\n'),
    );
    const { document, editor } = await openFile(file);
    editor.selection = new vscode.Selection(1, 0, 3, document.lineAt(3).text.length);
    const loss = await vscode.commands.executeCommand<number>('lossInspector.inspectSelection');
    assert.equal(Math.fround(loss), Math.fround(ref.loss));
    const panel = ((await getExtension().activate()) as { services: { panel: { getState(): PanelState } } }).services
      .panel;
    const state = await waitFor('the selection in the panel', () => {
      const s = panel.getState();
      return s.live?.selection && s.status === 'ready' ? s : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; the panel holds ${JSON.stringify(panel.getState()).slice(0, 600)}`);
    });
    assert.deepEqual(state.live?.selection, { line: 2, endLine: 4 });
    assert.equal(state.documentLabel, 'scratch.py');
    assert.equal(state.pair?.logitsName, 'row_values');
    assert.equal(state.pair?.targetName, 'picked');
    assert.equal(state.reduction?.float32?.torchPrint, ref.printed);
    assert.equal(state.sample?.target, 1);
    assert.equal(dec4(state.sample!.loss), dec4(ref.losses[0]!));
  });
});

interface HintProbe {
  shown: { pairs: number; file: string } | undefined;
  reset(): Promise<void>;
}
