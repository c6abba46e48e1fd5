// First UI checks: the seed example opens in the real workbench, our extension activates on it, and
// the editor renders the file. Editor and panel UI tests go next to this file as `*.ui.ts`.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { activatedLine, editorText, openFile, screenshot, workbench } from './helpers';

suite('workbench', () => {
  test('seed.py opens as Python with the extension active, and the editor renders it', async () => {
    const { page, console } = workbench();
    await openFile(page, 'seed.py');
    // Activation may come with the Python editor (onLanguage:python) or earlier; either way the line is kept.
    const line = await console.waitFor(activatedLine);
    assert.match(line, /\(loss-inspector\.loss-inspector\)/);
    await page
      .locator('.statusbar-item', { hasText: /^Python$/ })
      .first()
      .waitFor();
    const text = await editorText(page);
    assert.match(text, /^output = torch\.Tensor\(\[\[0\.8982, /m);
    assert.match(text, /^print\(loss\) # tensor\(2\.1438\)$/m);
    await screenshot(page, 'workbench-seed');
  });
});
