// The first click after a stop, as a user meets it in the real workbench: the Variables view asks
// debugpy for the frame's locals at the stop, pydevd formats each with repr, and debugpy's adapter
// forwards nothing else until that answer is back. test/fixtures/live/queue_step.py holds a local
// whose repr takes 20 s (as torch 1.13's repr of a big bfloat16 tensor does). The lens must appear
// without waiting for it (the editor's own stackTrace answer says where the program is paused), a
// click must say what the read waits for, and Cancel must end the read while the Variables view is
// still waiting; once the view is filled, the lens reads the loss at once.
// Needs the test-only debugpy adapter next to the extension (runUi.js --extension
// test/fixtures/live/debugpy-adapter) and Debian's python3-debugpy and python3-torch.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { runCommand, screenshot, workbench } from './helpers';
import { debugUntilLiveLens, focusWorkbench, openPath, panelFrame } from './panelHelpers';

suite('live inspection queued behind the Variables view', () => {
  suiteSetup(function () {
    if (workbench().locale === 'ko') this.skip();
    if (!fs.existsSync('/usr/lib/python3/dist-packages/debugpy')) {
      console.warn('[liveQueue.ui] python3-debugpy is not installed: the test is skipped');
      this.skip();
    }
  });

  suiteTeardown(async () => {
    const { page } = workbench();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+F5');
  });

  test('the lens shows before the Variables view is filled; the read says what it waits for; Cancel ends it', async function () {
    this.timeout(240_000);
    const { page, repoRoot } = workbench();
    const program = path.join(repoRoot, 'test', 'fixtures', 'live', 'queue_step.py');
    // pydevd's own word, in the Debug Console, that it has formatted the slow local for the
    // editor's `variables` request (it warns of any repr over 0.5 s once the repr is done).
    const formatted = page.locator('.repl', { hasText: 'Computing repr of slow (SlowToFormat) was slow' });
    // A panel left open in the side bar by an earlier test reads the live loss by itself at the
    // stop, before the Variables view asks: show the Explorer so the click is the first read.
    await runCommand(page, 'View: Show Explorer');
    await openPath(page, program);
    const lens = await debugUntilLiveLens(page, 'Inspect live values', 120_000);
    assert.equal(await formatted.count(), 0, 'the lens waited for the Variables view');
    // The Variables view on show (an earlier test may have left another view in the side bar): it
    // asks for the frame's locals now, if it had not at the stop.
    await runCommand(page, 'Debug: Focus on Variables View');
    // The view asks for the locals once its scopes are in: wait for the Locals row, so the click
    // comes after the view's request and not before it (a click first is read before the view's
    // request and waits for nothing, which happened when another view had been in the side bar).
    await page.locator('.debug-variables .monaco-list-row', { hasText: 'Locals' }).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await lens.click();

    // The notification names the wait: the Variables view's request, and that Cancel stops it.
    const toast = page.locator('.notification-toast', { hasText: 'reading live values' });
    const waiting = toast.filter({ hasText: 'still answering the Variables view (variables' });
    await waiting.waitFor({ timeout: 60_000 });
    const text = await waiting.innerText();
    assert.match(text, /waiting for the debugger: it answers one request at a time/, text);
    await screenshot(page, 'live-queue-waiting');
    assert.equal(await formatted.count(), 0, 'the Variables view answered before the notification');
    await waiting.hover();
    await waiting.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await toast.waitFor({ state: 'detached', timeout: 30_000 });
    // Ended before the answer it was queued behind: the Variables view is still waiting, and a
    // cancel is not an error.
    assert.equal(await formatted.count(), 0, 'the read ended only when the Variables view was answered');
    assert.equal(await page.locator('.notification-toast', { hasText: 'Loss Inspector' }).count(), 0);
    await screenshot(page, 'live-queue-cancelled');

    // Once that answer is out, nothing is queued: the lens reads the seed's 2.1438 at once.
    await formatted.first().waitFor({ timeout: 120_000 });
    await focusWorkbench(page);
    await lens.click();
    const panel = await panelFrame(page, 60_000);
    await panel.locator('#headline-loss', { hasText: '2.1438' }).waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('.live-program').innerText(), /✓ agrees/);
    await screenshot(page, 'live-queue-read');
  });
});
