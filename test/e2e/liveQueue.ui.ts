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
    // Start from the Explorer, whatever an earlier test left in the side bar: the Variables view
    // is then shown, and asks for the locals, only when the test says so below.
    await runCommand(page, 'View: Show Explorer');
    await openPath(page, program);
    const lens = await debugUntilLiveLens(page, 'Inspect live values', 120_000);
    assert.equal(await formatted.count(), 0, 'the lens waited for the Variables view');
    // The Variables view on show (an earlier test may have left another view in the side bar): it
    // asks for the frame's locals now, if it had not at the stop.
    await runCommand(page, 'Debug: Focus on Variables View');
    // The scenario starts once the view has asked for the locals and waits for them. A click
    // before that is read before the view's request and rightly answers at once, with nothing to
    // wait for. Only a window's first debug session opens Run and Debug by itself, so after
    // earlier tests the view asks only now, and the Locals row shows just before its `variables`
    // request goes out: a click a fixed time after the row raced that request and, under load,
    // won it. The row's loading twistie shows once the view has waited 800 ms for the locals
    // (VS Code's tree marks a children request that slow), so the request is on its way first.
    await page
      .locator('.debug-variables .monaco-list-row', { hasText: 'Locals' })
      .filter({ has: page.locator('.codicon-tree-item-loading') })
      .first()
      .waitFor({ timeout: 60_000 });
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
    // The program's loss shows at once and ours while it is still computing ("Computing…"): the
    // agreement follows when ours is in.
    await panel.locator('.live-program', { hasText: '✓ agrees' }).waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('.live-program').innerText(), /loss = 2\.1438 \(float32\) ✓ agrees/);
    await screenshot(page, 'live-queue-read');
  });
});
