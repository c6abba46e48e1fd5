// Results that survive typing: one `]` deleted mid-edit in a file of seven sections must not wipe
// the lenses, inline values and claims of the sections it does not touch; they stay, marked stale,
// and the parse problem is a Hint (the language server owns syntax errors), not a red Error.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, inlayHints, openFile, ourLenses, repoRoot, tempDir, waitFor } from '../helpers';

suite('typing', () => {
  let dir = '';
  suiteSetup(async () => {
    await closeAllEditors();
    dir = tempDir();
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an unclosed bracket keeps the other sections’ lenses and values, stale, with a Hint where it stops', async () => {
    const file = path.join(dir, 'seed_blog.py');
    fs.copyFileSync(path.join(repoRoot, 'examples', 'seed_blog.py'), file);
    const { document, editor } = await openFile(file);
    const before = await waitFor('the lenses of the blog file', async () => {
      const l = await ourLenses(document);
      return l.length >= 4 ? l : undefined;
    });
    const batchLine = document.getText().split('\n').indexOf('print(loss) # tensor(2.3519)');
    assert.ok(batchLine > 0);
    await waitFor('the batch claim ✓', async () =>
      (await inlayHints(document)).some((h) => h.line === batchLine && h.label.startsWith('✓')),
    );

    // Delete the `]` that closes the first literal's row, as happens mid-typing.
    const offset = document.getText().indexOf('0.5544]]') + '0.5544]'.length;
    const at = document.positionAt(offset);
    assert.ok(await editor.edit((e) => e.delete(new vscode.Range(at, at.translate(0, 1)))));

    const hint = await waitFor('the parse finding', () =>
      vscode.languages.getDiagnostics(document.uri).find((d) => codeOf(d) === 'parse_error'),
    );
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Hint, `a Hint, not an Error: ${hint.message}`);
    assert.ok(
      !vscode.languages
        .getDiagnostics(document.uri)
        .some((d) => d.source === 'Loss Inspector' && d.severity === vscode.DiagnosticSeverity.Error),
      'no red Error of ours duplicating the language server',
    );
    const after = await ourLenses(document);
    assert.equal(after.length, before.length, JSON.stringify(after.map((l) => l.title)));
    assert.ok(
      after.some((l) => l.title.includes('(stale)')),
      `kept lenses are marked stale: ${after.map((l) => l.title).join(' | ')}`,
    );
    // 50 lines below the edit, the batch section still shows its verdict.
    const hints = await inlayHints(document);
    const batch = hints.find((h) => h.line === batchLine);
    assert.ok(batch?.label.startsWith('✓ torch prints tensor(2.3519)'), JSON.stringify(hints));

    // Typing the `]` back: everything fresh again.
    assert.ok(await editor.edit((e) => e.insert(at, ']')));
    await waitFor('fresh lenses', async () => {
      const l = await ourLenses(document);
      return l.length === before.length && !l.some((x) => x.title.includes('(stale)'));
    });
    assert.ok(!vscode.languages.getDiagnostics(document.uri).some((d) => codeOf(d) === 'parse_error'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
