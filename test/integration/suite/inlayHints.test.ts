// Inline values (vscode.executeInlayHintProvider) and their three modes.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  getExtension,
  dec4,
  inlayHints,
  openFixture,
  positionOf,
  reference,
  waitFor,
  withSetting,
} from '../helpers';

const ours = (hints: { line: number; label: string }[]) => hints.filter((h) => /^(CE|NLL|✓|✗|\?)[ \b]/.test(h.label));

suite('inlay hints', () => {
  suiteSetup(closeAllEditors);

  test('CE = <loss> on the loss line; a ✓ with what torch prints on the line whose claim holds', async () => {
    const ref = reference['seed.py'];
    const { document } = await openFixture('seed.py');
    const lossLine = positionOf(document, 'loss = criterion').line;
    const printLine = positionOf(document, 'print(loss)').line;
    const hints = await waitFor('inlay hints on the seed', async () => {
      const h = ours(await inlayHints(document));
      return h.length === 2 ? h : undefined;
    });
    // The print line already shows the value in its comment: the hint gives the verdict, not the value again.
    assert.deepEqual(
      hints.sort((a, b) => a.line - b.line),
      [
        { line: lossLine, label: `CE = ${dec4(ref.loss)}` },
        { line: printLine, label: `✓ torch prints ${ref.printed}` },
      ].sort((a, b) => a.line - b.line),
    );
  });

  test('a wrong claim gets ✗ and the right value; a float64 claim written as a bare number gets its mark too', async () => {
    const wrong = reference['wrong_claim.py'];
    const { document } = await openFixture('wrong_claim.py');
    const marks = await waitFor('a ✗ on the wrong claim', async () => {
      const h = ours(await inlayHints(document)).filter((x) => x.label.startsWith('✗'));
      return h.length ? h : undefined;
    });
    assert.equal(marks[0].label, `✗ torch prints ${wrong.printed}`);

    const { document: numpy } = await openFixture('float64_claim.py');
    const line = positionOf(numpy, '# 2.143818427948945').line;
    const onLine = await waitFor('a ✓ on the float64 claim line', async () => {
      const h = ours(await inlayHints(numpy)).filter((x) => x.line === line);
      return h.length ? h : undefined;
    });
    assert.equal(onLine[0].label, `✓ prints ${reference['float64_claim.py'].printed}`);
  });

  test("mode 'off' gives none; 'currentLine' only the cursor line; back to 'all'", async () => {
    const ref = reference['seed.py'];
    const { document, editor } = await openFixture('seed.py');
    const printLine = positionOf(document, 'print(loss)').line;
    const lossLine = positionOf(document, 'loss = criterion').line;
    await waitFor('hints in mode all', async () => ours(await inlayHints(document)).length === 2);

    await withSetting('inlineValues', 'off', async () => {
      await waitFor("no hints in mode 'off'", async () => ours(await inlayHints(document)).length === 0);
    });
    await withSetting('inlineValues', 'currentLine', async () => {
      editor.selection = new vscode.Selection(printLine, 2, printLine, 2);
      const onPrint = await waitFor("one hint on the cursor line in mode 'currentLine'", async () => {
        const h = ours(await inlayHints(document));
        return h.length === 1 && h[0].line === printLine ? h : undefined;
      });
      assert.equal(onPrint[0].label, `✓ torch prints ${ref.printed}`);
      editor.selection = new vscode.Selection(lossLine, 0, lossLine, 0);
      await waitFor('the hint to follow the cursor', async () => {
        const h = ours(await inlayHints(document));
        return h.length === 1 && h[0].line === lossLine;
      });
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      await waitFor('no hint with the cursor on an import', async () => ours(await inlayHints(document)).length === 0);
    });
    await waitFor('hints back in mode all', async () => ours(await inlayHints(document)).length === 2);
  });

  test('the batch example shows the mean', async () => {
    const ref = reference['seed_batch.py'];
    const { document } = await openFixture('seed_batch.py');
    const hints = await waitFor('batch hints', async () => {
      const h = ours(await inlayHints(document));
      return h.length === 2 ? h : undefined;
    });
    assert.deepEqual(
      hints.map((h) => h.label).sort(),
      [`CE = ${dec4(ref.loss)}`, `✓ torch prints ${ref.printed}`].sort(),
    );
  });

  test('claimGutter: ✓ and ✗ in the gutter of claim lines, only while the setting is on', async () => {
    const gutter = (getExtension().exports as { services: { gutter: GutterProbe } }).services.gutter;
    const { document } = await openFixture('wrong_claim.py');
    const wrongLine = positionOf(document, 'print(loss)  #').line;
    const holdsLine = positionOf(document, 'print(loss.item())').line;
    await waitFor('the analysis', async () => ours(await inlayHints(document)).some((h) => h.label.startsWith('✗')));
    assert.equal(gutter.marked(document.uri), undefined, 'off by default');
    await withSetting('claimGutter', true, async () => {
      const marks = await waitFor('gutter marks', () => gutter.marked(document.uri));
      assert.deepEqual(marks, { holds: [holdsLine], wrong: [wrongLine] });
    });
    await waitFor('no marks once the setting is off', () => gutter.marked(document.uri) === undefined);
  });
});

interface GutterProbe {
  marked(uri: vscode.Uri): { holds: number[]; wrong: number[] } | undefined;
}
