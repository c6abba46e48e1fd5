// The editor features in the real workbench: on the seed example (test/fixtures/workspace/seed.py, the
// article's first code block) the hover over the logits literal and the inlay hint on
// `print(loss)` show the article's 2.1438 without running Python. Reference values from torch 1.13:
// CrossEntropyLoss of that row and target 1 = tensor(2.1438); softmax p[1] = 0.1172.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import { activatedLine, editorText, hoverText, openFile, readInlayHints, screenshot, workbench } from './helpers';
import { codeLens } from './panelHelpers';

suite('editor', () => {
  suiteSetup(function () {
    // English strings below; the Korean pass (--locale ko) runs korean.ui.ts.
    if (workbench().locale === 'ko') this.skip();
  });

  test('hovering the logits literal of seed.py shows the row and its loss 2.1438', async () => {
    const { page, console } = workbench();
    await openFile(page, 'seed.py');
    await console.waitFor(activatedLine);
    assert.match(await editorText(page), /^output = torch\.Tensor\(\[\[0\.8982, 0\.805, /m);
    // 0.805 is the target's logit (class 1): the hover covers the row under the cursor.
    const text = await hoverText(page, '0.805', '2.1438', { line: 5 });
    assert.match(text, /2\.1438/);
    assert.match(text, /0\.1172/, 'softmax of the target class');
    await screenshot(page, 'editor-hover');
  });

  test('the loss line reads CE = 2.1438, print(loss) with its claim a ✓, and the CodeLens the same loss', async () => {
    const { page } = workbench();
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    const loss = await readInlayHints(page, 9, 'CE = 2.1438', 10_000);
    assert.ok(loss.includes('CE = 2.1438'), JSON.stringify(loss));
    // The comment already shows 2.1438: the hint gives the verdict instead of the value again.
    const claim = await readInlayHints(page, 10, '✓ torch prints tensor(2.1438)', 10_000);
    assert.ok(claim.includes('✓ torch prints tensor(2.1438)'), JSON.stringify(claim));
    await codeLens(page, 'cross-entropy 2.1438 · Inspect').waitFor({ timeout: 10_000 });
    await screenshot(page, 'editor-inlay');
  });
});
