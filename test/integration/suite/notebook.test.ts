// A Jupyter notebook analysed as one program: the pair spans cells 2, 3 and 5 of seed_batch.ipynb.
// code-server ships VS Code's built-in `ipynb` extension, which provides the 'jupyter-notebook'
// serializer, so the real notebook path is tested (no test-only serializer).
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  dec4,
  getExtension,
  hoverUntil,
  inlayHints,
  inside,
  ourLenses,
  positionOf,
  reference,
  waitFor,
  withSetting,
  workspaceFolder,
} from '../helpers';

suite('notebook', () => {
  let notebook: vscode.NotebookDocument;
  const cell = (source: string) => {
    const found = notebook.getCells().find((c) => c.document.getText().includes(source));
    if (!found) throw new Error(`no cell contains ${source}`);
    return found.document;
  };

  suiteSetup(async () => {
    await closeAllEditors();
    notebook = await vscode.workspace.openNotebookDocument(
      vscode.Uri.joinPath(workspaceFolder().uri, 'seed_batch.ipynb'),
    );
    await vscode.window.showNotebookDocument(notebook);
  });
  suiteTeardown(async () => {
    if (notebook?.isDirty) {
      await vscode.window.showNotebookDocument(notebook);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await closeAllEditors();
  });

  test("it opens as a 'jupyter-notebook' with its cells", () => {
    assert.equal(notebook.notebookType, 'jupyter-notebook');
    assert.ok(notebook.cellCount >= 6, `${notebook.cellCount} cells`);
    assert.equal(cell('output = torch.Tensor').languageId, 'python');
  });

  test('a lens above the loss call in its own cell, with the batch loss computed from the other cells', async () => {
    const ref = reference['seed_batch.ipynb'];
    const document = cell('loss = criterion(output, target)');
    const lenses = await waitFor('a lens in the loss cell', async () => {
      const l = await ourLenses(document);
      return l.length ? l : undefined;
    });
    assert.equal(lenses[0].title, `cross-entropy ${dec4(ref.loss)} · Inspect`);
    assert.equal(lenses[0].line, positionOf(document, 'loss = criterion').line);
    assert.equal(
      lenses[0].command?.arguments?.[0].uri,
      notebook.uri.toString(),
      'the lens opens the pair of the notebook',
    );
  });

  test('the inline value on the loss line of that cell', async () => {
    const ref = reference['seed_batch.ipynb'];
    const document = cell('loss = criterion(output, target)');
    const hints = await waitFor('a hint in the loss cell', async () => {
      const h = (await inlayHints(document)).filter((x) => x.label.startsWith('CE'));
      return h.length ? h : undefined;
    });
    assert.deepEqual(
      hints.map((h) => h.label),
      [`CE = ${dec4(ref.loss)}`],
    );
    assert.equal(hints[0].line, positionOf(document, 'loss = criterion').line);
  });

  test('hover over the logits in cell 2 and the target in cell 3', async () => {
    const ref = reference['seed_batch.ipynb'];
    const logits = cell('output = torch.Tensor');
    const row1 = await hoverUntil(logits, inside(logits, '0.9457'), 'softmax');
    assert.ok(row1.includes(`= ${dec4(ref.losses[1])}`), row1);
    for (const p of ref.softmax[1]) assert.ok(row1.includes(dec4(p)), `softmax ${dec4(p)} missing:\n${row1}`);
    const target = cell('target = torch.LongTensor');
    const t = await hoverUntil(target, inside(target, '[1, 5]'), '−log p');
    ref.pTarget.forEach((p, i) =>
      assert.ok(t.includes(`| ${i} | ${ref.target[i]} | ${dec4(p)} | ${dec4(ref.losses[i])} |`), t),
    );
  });

  test('the stored outputs hold: no claim_mismatch on any cell', async () => {
    await waitFor('the analysis', async () => (await ourLenses(cell('loss = criterion(output, target)'))).length > 0);
    const wrong = notebook
      .getCells()
      .flatMap((c) => vscode.languages.getDiagnostics(c.document.uri))
      .filter((d) => codeOf(d) === 'claim_mismatch');
    assert.deepEqual(
      wrong.map((d) => d.message),
      [],
    );
  });

  test('a stored output that holds marks the statement that printed it: ✓ inline and in the gutter', async () => {
    const ref = reference['seed_batch.ipynb'];
    const document = cell('print(loss)');
    const printLine = positionOf(document, 'print(loss)').line;
    const mark = await waitFor('a ✓ on print(loss)', async () =>
      (await inlayHints(document)).find((h) => h.line === printLine && /^[✓✗] /.test(h.label)),
    );
    assert.equal(mark.label, `✓ torch prints ${ref.printed}`);
    const gutter = (getExtension().exports as { services: { gutter: GutterProbe } }).services.gutter;
    await withSetting('claimGutter', true, async () => {
      const lines = await waitFor('gutter marks in the cell', () => gutter.marked(document.uri));
      assert.deepEqual(lines, { holds: [printLine], wrong: [] });
    });
  });

  test('editing a cell re-analyses the notebook: a target out of range in cell 3 is an Error there', async () => {
    const { error } = reference['target_out_of_range.py']; // torch's words for target 10 of 10 classes
    const target = cell('target = torch.LongTensor');
    const edit = new vscode.WorkspaceEdit();
    const at = positionOf(target, '[1, 5]');
    edit.replace(target.uri, new vscode.Range(at, at.translate(0, '[1, 5]'.length)), '[1, 10]');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const d = await waitFor('a target_out_of_bounds diagnostic on a cell', () =>
      notebook
        .getCells()
        .flatMap((c) => vscode.languages.getDiagnostics(c.document.uri))
        .find((x) => codeOf(x) === 'target_out_of_bounds'),
    );
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(d.message.includes(error), d.message);
  });
});

interface GutterProbe {
  marked(uri: vscode.Uri): { holds: number[]; wrong: number[] } | undefined;
}
