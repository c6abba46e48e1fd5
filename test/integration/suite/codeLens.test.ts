// CodeLenses (vscode.executeCodeLensProvider): one per pair, with the loss and the Inspect command.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  dec4,
  getExtension,
  openFixture,
  ourLenses,
  positionOf,
  reference,
  waitFor,
  withSetting,
} from '../helpers';

suite('codelens', () => {
  suiteSetup(closeAllEditors);

  for (const file of ['seed.py', 'seed_batch.py', 'wrong_claim.py'] as const) {
    test(`${file}: "cross-entropy <loss> · Inspect" above the pair, opening it by uri and pair id`, async () => {
      const ref = reference[file];
      const { document } = await openFixture(file);
      const lenses = await waitFor(`lenses on ${file}`, async () => {
        const l = await ourLenses(document);
        return l.length ? l : undefined;
      });
      assert.equal(lenses.length, 1, JSON.stringify(lenses));
      assert.equal(lenses[0].title, `cross-entropy ${dec4(ref.loss)} · Inspect`);
      assert.equal(lenses[0].line, positionOf(document, 'loss = criterion').line);
      const [args] = lenses[0].command?.arguments ?? [];
      assert.equal(args.uri, document.uri.toString());
      assert.equal(typeof args.pairId, 'number');
    });
  }

  test('a lens command runs (opens the panel on the pair) without error', async () => {
    const { document } = await openFixture('seed.py');
    const [lens] = await waitFor('a lens', async () => {
      const l = await ourLenses(document);
      return l.length ? l : undefined;
    });
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
  });

  test('lenses asked for while an edit is analysed carry the edited value (no refresh needed)', async () => {
    // The extension no longer fires onDidChangeCodeLenses for text documents (a refresh restarts
    // VS Code's CodeLens debounce and made the lenses lag): the lenses VS Code asks for after the
    // edit must wait for that version's analysis instead of answering with the previous one.
    const { document, editor } = await openFixture('seed_batch.py');
    const before = `cross-entropy ${dec4(reference['seed_batch.py'].loss)} · Inspect`;
    await waitFor('the seed lens', async () => ((await ourLenses(document))[0]?.title === before ? true : undefined));
    const { cache } = (
      getExtension().exports as {
        services: {
          cache: {
            onDidChange: vscode.Event<{ uri: vscode.Uri; version: number; status: string }>;
          };
        };
      }
    ).services;
    try {
      // The lenses are requested the moment the analysis of the edited version starts.
      const asked = new Promise<Awaited<ReturnType<typeof ourLenses>>>((resolve) => {
        const listener = cache.onDidChange((e) => {
          if (e.uri.toString() !== document.uri.toString() || e.status !== 'pending') return;
          if (e.version !== document.version) return;
          listener.dispose();
          resolve(ourLenses(document));
        });
      });
      const at = positionOf(document, '0.805');
      assert.ok(await editor.edit((b) => b.replace(new vscode.Range(at, at.translate(0, 5)), '0.806')));
      const during = await asked;
      const settled = await waitFor('the lens of the edited text', async () => {
        const l = await ourLenses(document);
        return l[0] && l[0].title !== before ? l : undefined;
      });
      assert.equal(during.length, 1, JSON.stringify(during));
      assert.notEqual(during[0].title, before, 'the lens answered with the previous analysis');
      assert.equal(during[0].title, settled[0].title);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  test('after an edit that keeps the lines, the lenses answer at once where they were and resolve to the edited value', async () => {
    // VS Code repaints a changed title on a line that already has a lens only in its resolve pass,
    // 250 ms or more after provideCodeLenses answers, so the provider answers without waiting for
    // the edit's analysis (no commands) and resolveCodeLens waits for it. A long debounce keeps the
    // analysis pending while the lenses are asked for unresolved.
    const { document, editor } = await openFixture('seed_batch.py');
    const before = `cross-entropy ${dec4(reference['seed_batch.py'].loss)} · Inspect`;
    await waitFor('the seed lens', async () => ((await ourLenses(document))[0]?.title === before ? true : undefined));
    const line = positionOf(document, 'loss = criterion').line;
    await withSetting('debounceMs', 3000, async () => {
      try {
        const at = positionOf(document, '0.805');
        assert.ok(await editor.edit((b) => b.replace(new vscode.Range(at, at.translate(0, 5)), '0.806')));
        const unresolved =
          (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ??
          [];
        assert.deepEqual(
          unresolved.map((l) => [l.range.start.line, l.command?.title]),
          [[line, undefined]],
          'the answer during the analysis: the last lines, commands left to resolveCodeLens',
        );
        const resolved = await ourLenses(document);
        assert.equal(resolved.length, 1, JSON.stringify(resolved));
        assert.equal(resolved[0].line, line);
        assert.match(resolved[0].title, /^cross-entropy \d\.\d{4} · Inspect$/);
        assert.notEqual(resolved[0].title, before, 'resolved with the previous analysis');
      } finally {
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    });
  });

  test('after an edit that adds a line, the lenses wait for its analysis and move with the pair', async () => {
    const { document, editor } = await openFixture('seed_batch.py');
    const line = positionOf(document, 'loss = criterion').line;
    await waitFor('the seed lens', async () => ((await ourLenses(document))[0]?.line === line ? true : undefined));
    try {
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# a new first line\n')));
      const unresolved =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
      assert.deepEqual(
        unresolved.map((l) => [l.range.start.line, l.command?.command]),
        [[line + 1, 'lossInspector.openPair']],
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
