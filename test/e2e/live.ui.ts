// Live inspection as a user does it in the real workbench: a Python training step
// (test/fixtures/live/seed_step.py, the seed article's tensors built at run time) pauses at
// breakpoint() under debugpy, the "Inspect live values" lens appears on its loss line, a click opens
// the panel on the live pair, and the panel reads torch's 2.1438 beside the program's own loss.
// Needs the test-only debugpy adapter next to the extension: runUi.js --extension
// test/fixtures/live/debugpy-adapter (npm run test:e2e passes it), and Debian's python3-debugpy
// and python3-torch.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { activeEditor, runCommand, screenshot, workbench } from './helpers';
import {
  assertHeaderFits,
  codeLens,
  debugUntilLiveLens,
  focusWorkbench,
  openPath,
  panelFrame,
  resizeSideBar,
} from './panelHelpers';

suite('live inspection', () => {
  suiteSetup(function () {
    // English strings below; the Korean pass runs korean.ui.ts.
    if (workbench().locale === 'ko') this.skip();
    if (!fs.existsSync('/usr/lib/python3/dist-packages/debugpy')) {
      console.warn('[live.ui] python3-debugpy is not installed: the live UI test is skipped');
      this.skip();
    }
  });

  suiteTeardown(async () => {
    const { page } = workbench();
    // Stop the program (it would otherwise wait at its breakpoint) and leave the window as found.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+F5');
  });

  test('paused in a training step, the lens opens the panel on the live loss: 2.1438, torch agrees', async function () {
    this.timeout(180_000);
    const { page, repoRoot } = workbench();
    const program = path.join(repoRoot, 'test', 'fixtures', 'live', 'seed_step.py');
    await openPath(page, program);
    const lens = await debugUntilLiveLens(page, 'Inspect live values', 120_000);
    // The lens sits on the loss line, above the paused line.
    const lensLine = await activeEditor(page)
      .locator('.view-line', { hasText: 'loss = criterion(output, target)' })
      .first()
      .boundingBox();
    const lensBox = await lens.boundingBox();
    assert.ok(lensLine && lensBox && lensBox.y < lensLine.y, 'the lens is above the loss line');
    // A 300 px side bar, the panel open before the click: its header is measured at every change.
    await assertHeaderFits(await panelFrame(page, 60_000), 'before the read');
    await resizeSideBar(page, 300);
    await lens.click();
    const panel = await panelFrame(page, 60_000);
    await panel.locator('#headline-loss', { hasText: '2.1438' }).waitFor({ timeout: 60_000 });
    const badge = await panel.locator('#live-badge').innerText();
    assert.match(badge, /live · frame train_step line \d+ · step paused/);
    assert.equal(await panel.locator('#program-loss').innerText(), '2.1438');
    // The program's loss can show under "Computing…" before our own figure: wait for the verdict.
    await panel.locator('.live-program', { hasText: '✓ agrees' }).waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('.live-program').innerText(), /✓ agrees/);
    await screenshot(page, 'live-panel');
    // The header names the paused program's file whole in the side bar, from here to the end.
    console.log(`[live.ui] header: ${JSON.stringify(await assertHeaderFits(panel, 'live read'))}`);

    // Continuing moves the program on: the badge says so instead of presenting the numbers as current.
    // The program stops again in call_step, whose loss call passes `model(output)`.
    await focusWorkbench(page);
    await runCommand(page, 'Debug: Continue');
    await panel
      .locator('#live-badge', { hasText: 'the program moved on — inspect again' })
      .waitFor({ timeout: 60_000 });
    assert.equal(await panel.locator('#headline-loss').innerText(), '2.1438');
    await assertHeaderFits(panel, 'the program moved on');
    await screenshot(page, 'live-panel-moved');

    // A call is never evaluated: the lens asks which of the frame's tensors it returned.
    const callLens = codeLens(page, 'Inspect live values');
    await activeEditor(page).locator('.view-line', { hasText: 'criterion(model(output), target)' }).first().waitFor();
    await callLens.waitFor({ timeout: 60_000 });
    await callLens.click();
    const pick = page.locator('.quick-input-widget');
    await pick.locator('.quick-input-title', { hasText: 'Which tensor is the input of model(output)?' }).waitFor();
    const rows = await pick.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    assert.ok(
      rows.some((r) => r.startsWith('output') && r.includes('(1, 10) float32')) &&
        rows.some((r) => r.startsWith('target') && r.includes('(1,) int64')),
      `the frame's tensors are offered: ${JSON.stringify(rows)}`,
    );
    await pick.locator('.quick-input-box input').fill('output');
    await pick.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'output' }).waitFor();
    await page.keyboard.press('Enter');
    await panel.locator('#live-badge', { hasText: 'step paused' }).waitFor({ timeout: 60_000 });
    assert.equal(await panel.locator('#headline-loss').innerText(), '2.1438');
    assert.match(await panel.locator('.live-program').innerText(), /loss = 2\.1438 \(float32\) ✓ agrees/);
    await screenshot(page, 'live-panel-picked');

    // The pick is remembered for that line: the next click reads at once, without asking.
    await focusWorkbench(page);
    await callLens.click();
    const asked = await pick
      .locator('.quick-input-title', { hasText: 'Which tensor' })
      .waitFor({ timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    assert.equal(asked, false, 'the pick was asked again');
    assert.equal(await panel.locator('#headline-loss').innerText(), '2.1438');
    console.log(`[live.ui] header: ${JSON.stringify(await assertHeaderFits(panel, 'after the reads'))}`);
  });
});
