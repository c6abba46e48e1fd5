// Diagnostics (vscode.languages.getDiagnostics) from detection's findings, and the quick fix.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  openFixture,
  quickFixesOnCopy,
  reference,
  tempDir,
  waitFor,
  waitForDiagnostic,
} from '../helpers';

suite('diagnostics', () => {
  suiteSetup(closeAllEditors);

  test('a wrong claim: Warning claim_mismatch naming the right value, with an explanation link', async () => {
    const ref = reference['wrong_claim.py'];
    const { document } = await openFixture('wrong_claim.py');
    // The live diagnostic carries a link to its explanation (a workspace check's may be there first, then gives way).
    const d = await waitForDiagnostic(
      document.uri,
      'claim_mismatch',
      (x) => codeOf(x) === 'claim_mismatch' && typeof x.code === 'object',
    );
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(d.message.includes(ref.printed), `"${d.message}" does not name ${ref.printed}`);
    assert.equal(document.getText(d.range), 'tensor(2.5000)');
    // The link opens the entry as a rendered Markdown preview (a `command:` link: VS Code opens
    // diagnostic code links with commands allowed), not the raw file at line 1.
    assert.ok(typeof d.code === 'object', `the code links to its explanation: ${JSON.stringify(d.code)}`);
    const target = (d.code as { target: vscode.Uri }).target;
    assert.equal(target.scheme, 'command');
    assert.equal(target.path, 'lossInspector.explainFinding');
    const args = JSON.parse(decodeURIComponent(target.query)) as unknown[];
    assert.deepEqual(args, ['claim_mismatch']);
    await vscode.commands.executeCommand(target.path, ...args);
    const preview = await waitFor('the findings preview', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === 'vscode.markdown.preview.editor'
        ? input
        : undefined;
    });
    assert.ok(preview.uri.path.endsWith('/media/findings.md'), preview.uri.toString());
    assert.equal(preview.uri.fragment, 'claim_mismatch');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // The second claim on that file holds: no diagnostic for it, and the claim is reported once.
    await waitFor(
      'one claim_mismatch diagnostic',
      () => vscode.languages.getDiagnostics(document.uri).filter((x) => codeOf(x) === 'claim_mismatch').length === 1,
    );
  });

  test("target out of range: an Error on the offending element with the valid range, torch's words on the call", async () => {
    const { error } = reference['target_out_of_range.py'];
    const { document } = await openFixture('target_out_of_range.py');
    const d = await waitForDiagnostic(
      document.uri,
      'target_out_of_bounds',
      (x) => codeOf(x) === 'target_out_of_bounds',
    );
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    // The squiggle is the `10` of `torch.tensor([10])`, not the loss call.
    assert.equal(document.getText(d.range), '10');
    assert.equal(
      d.range.start.line,
      document
        .getText()
        .split('\n')
        .findIndex((l) => l.startsWith('target =')),
    );
    assert.ok(d.message.includes('0 to 9'), `the valid range 0..9: "${d.message}"`);
    const related = d.relatedInformation ?? [];
    assert.equal(related.length, 1, JSON.stringify(related));
    assert.ok(related[0].message.includes(error), `"${related[0].message}" does not contain torch's "${error}"`);
    assert.equal(document.getText(related[0].location.range), 'criterion(output, target)');
  });

  test('softmax applied twice: Information', async () => {
    const { document } = await openFixture('softmax_twice.py');
    const d = await waitForDiagnostic(
      document.uri,
      'softmax_applied_twice',
      (x) => codeOf(x) === 'softmax_applied_twice',
    );
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
  });

  test('NLLLoss on raw logits: Information', async () => {
    const { document } = await openFixture('nll_raw_logits.py');
    const d = await waitForDiagnostic(document.uri, 'log_probs_expected', (x) => codeOf(x) === 'log_probs_expected');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
  });

  test('an unverified claim: Hint', async () => {
    const { document } = await openFixture('unverifiable_claim.py');
    const d = await waitForDiagnostic(document.uri, 'claim_unverified', (x) => codeOf(x) === 'claim_unverified');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Hint);
    assert.ok(document.getText(d.range).includes('1.6729'), document.getText(d.range));
  });

  test('claims that hold give no diagnostic', async () => {
    const { document } = await openFixture('seed_batch.py');
    // Wait for the analysis through a lens, then check nothing was reported.
    await waitFor(
      'the batch analysis',
      async () =>
        (
          (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ??
          []
        ).length > 0,
    );
    const ours = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Loss Inspector');
    assert.deepEqual(
      ours.map((d) => `${codeOf(d)}: ${d.message}`),
      [],
    );
  });

  suite('quick fix', () => {
    let dir = '';
    suiteSetup(() => {
      dir = tempDir();
    });
    suiteTeardown(async () => {
      await closeAllEditors();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('"Update to tensor(<right value>)" replaces the wrong claim, and the diagnostic goes away', async () => {
      const ref = reference['batch_wrong_claim.py'];
      // A copy outside the workspace: the fix edits it, the fixture stays as it is.
      const {
        copy: file,
        document,
        diagnostic,
        actions,
      } = await quickFixesOnCopy(dir, 'batch_wrong_claim.py', 'claim_mismatch');
      const wrongText = document.getText(diagnostic.range);
      assert.notEqual(wrongText, ref.printed);
      const fix = actions.find((a) => a.title === `Update to ${ref.printed}`);
      assert.ok(fix, `no "Update to ${ref.printed}" among: ${actions.map((a) => a.title).join(', ')}`);
      assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.ok(fix.edit, 'the quick fix carries its edit');
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.ok(document.getText().includes(`print(loss) # ${ref.printed}`), document.getText());
      assert.ok(!document.getText().includes(wrongText));
      await waitFor(
        'the claim_mismatch diagnostic to disappear after re-analysis',
        () => !vscode.languages.getDiagnostics(document.uri).some((x) => codeOf(x) === 'claim_mismatch'),
      );
      // The extension never writes the file itself: the fix leaves an unsaved edit.
      assert.ok(document.isDirty);
      assert.ok(fs.readFileSync(file, 'utf8').includes(wrongText));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    const quickFixes = (file: string, code: string) => quickFixesOnCopy(dir, file, code);

    test('"Remove the extra softmax" passes the logits to CrossEntropyLoss itself', async () => {
      const { document, actions } = await quickFixes('softmax_twice.py', 'softmax_applied_twice');
      const fix = actions.find((a) => a.title.startsWith('Remove the extra softmax'));
      assert.ok(fix?.edit, `no fix among: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.ok(document.getText().includes('loss = criterion(x, y)'), document.getText());
      await waitFor(
        'the softmax_applied_twice diagnostic to go',
        () => !vscode.languages.getDiagnostics(document.uri).some((x) => codeOf(x) === 'softmax_applied_twice'),
      );
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    test('NLLLoss on raw logits: "Apply log_softmax" and "Use CrossEntropyLoss" each fix it', async () => {
      const first = await quickFixes('nll_raw_logits.py', 'log_probs_expected');
      const wrap = first.actions.find((a) => a.title.startsWith('Apply log_softmax'));
      const swap = first.actions.find((a) => a.title === 'Use CrossEntropyLoss instead of NLLLoss');
      assert.ok(wrap?.edit && swap?.edit, `fixes offered: ${first.actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(wrap.edit));
      assert.ok(
        first.document.getText().includes('loss = criterion(torch.log_softmax(logits, dim=1), labels)'),
        first.document.getText(),
      );
      await waitFor(
        'the log_probs_expected diagnostic to go after log_softmax',
        () => !vscode.languages.getDiagnostics(first.document.uri).some((x) => codeOf(x) === 'log_probs_expected'),
      );
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitForDiagnostic(
        first.document.uri,
        'log_probs_expected again',
        (x) => codeOf(x) === 'log_probs_expected',
      );
      const again = await quickFixes('nll_raw_logits.py', 'log_probs_expected');
      const swap2 = again.actions.find((a) => a.title === 'Use CrossEntropyLoss instead of NLLLoss');
      assert.ok(swap2?.edit);
      assert.ok(await vscode.workspace.applyEdit(swap2.edit));
      assert.ok(again.document.getText().includes('criterion = nn.CrossEntropyLoss()'), again.document.getText());
      await waitFor(
        'the log_probs_expected diagnostic to go after the switch',
        () => !vscode.languages.getDiagnostics(again.document.uri).some((x) => codeOf(x) === 'log_probs_expected'),
      );
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });
});
