// Over the live transfer budget, as a user sees it in the real workbench: the budget setting is
// lowered to 1 MiB in the Settings editor, test/fixtures/live/budget_step.py pauses under debugpy
// with (2048, 32 000) float32 logits (250 MiB), and a click on "Inspect live values" shows row 0 at
// once with "Batch loss: computing…" while the program computes every row's loss in steps; then
// the batch's loss, which must be torch's own (the same program run plainly prints it).
// Needs the test-only debugpy adapter next to the extension (runUi.js --extension
// test/fixtures/live/debugpy-adapter) and Debian's python3-debugpy and python3-torch.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { activeEditor, runCommand, screenshot, workbench } from './helpers';
import {
  assertHeaderFits,
  debugUntilLiveLens,
  openPath,
  panelFrame,
  panelPageFrame,
  resizeSideBar,
} from './panelHelpers';

/** Sets `lossInspector.live.budgetMiB` in the Settings editor, as a user does, and closes it. */
async function setBudget(page: Page, mib: number): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings');
  const editor = page.locator('.settings-editor');
  await editor.waitFor();
  // The search box has focus when the editor opens.
  await editor.locator('.settings-header .suggest-input-container').click();
  await page.keyboard.type('lossInspector.live.budgetMiB');
  const input = editor.locator('.setting-item-number', { hasText: 'Budget' }).locator('input').first();
  await input.waitFor({ timeout: 30_000 });
  await input.fill(String(mib));
  await input.press('Tab');
  // Written once the field loses focus; the editor's tab then closes by its own close button.
  assert.equal(await input.inputValue(), String(mib));
  const tab = page.locator('.editor-group-container.active .tab.active');
  await tab.hover();
  await tab.locator('.codicon-close').click();
  await editor.waitFor({ state: 'detached', timeout: 30_000 });
}

/**
 * Records, inside the panel's frame, every distinct text of the batch-loss line and the row-term
 * line on each DOM change, so a state shown only briefly is still seen (read by {@link seenStates}).
 */
async function recordStates(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as { __states?: string[] };
    w.__states = [];
    const app = document.getElementById('app');
    if (!app) throw new Error('no #app');
    const note = () => {
      const batch = document.getElementById('live-batch-loss')?.textContent ?? '';
      const row = document.getElementById('live-row-term')?.textContent ?? '';
      const s = `${batch} | ${row}`;
      if (batch && w.__states![w.__states!.length - 1] !== s) w.__states!.push(s);
    };
    new MutationObserver(note).observe(app, { childList: true, subtree: true, characterData: true });
  });
}

async function seenStates(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => (window as unknown as { __states?: string[] }).__states ?? []);
}

/** The number in `text` after `label` (the panel's figures, e.g. "Batch loss 10.8644: …"). */
function numberAfter(text: string, label: RegExp): number {
  const m = new RegExp(`${label.source}\\s*(−?-?[\\d.]+)`).exec(text);
  if (!m) throw new Error(`no number after ${label} in ${JSON.stringify(text)}`);
  return Number(m[1]!.replace('−', '-'));
}

suite('live inspection over the budget', () => {
  const program = () => path.join(workbench().repoRoot, 'test', 'fixtures', 'live', 'budget_step.py');

  suiteSetup(function () {
    if (workbench().locale === 'ko') this.skip();
    if (!fs.existsSync('/usr/lib/python3/dist-packages/debugpy')) {
      console.warn('[liveBudget.ui] python3-debugpy is not installed: the test is skipped');
      this.skip();
    }
  });

  suiteTeardown(async function () {
    this.timeout(180_000);
    const { page } = workbench();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+F5');
    // The default budget again, for the tests that follow in the same window.
    await setBudget(page, 16);
  });

  test('row 0 at once with "Batch loss: computing…", then the batch loss torch computes', async function () {
    this.timeout(300_000);
    const { page } = workbench();
    // torch's own figures: the same program run plainly (no pause) prints its loss and row 0's term.
    const plain = spawnSync('/usr/bin/python3', [program()], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONBREAKPOINT: '0' },
      timeout: 120_000,
    });
    assert.equal(plain.status, 0, plain.stderr);
    const [, torchLoss, , torchRow0] = plain.stdout.trim().split(' ').map(Number);
    assert.ok(Number.isFinite(torchLoss) && Number.isFinite(torchRow0), plain.stdout);

    await setBudget(page, 1);
    // The panel is open before the click, so every state it shows is recorded.
    const frame = await panelPageFrame(page, 60_000);
    await recordStates(frame);
    // Watches the header from here on: every state it shows keeps the file's name whole.
    await assertHeaderFits(frame, 'before the read');

    await openPath(page, program());
    const lens = await debugUntilLiveLens(page, 'Inspect live values', 180_000);
    // The lens sits above the batch-mean loss line (not the reduction="none" one above it). Both boxes
    // are read until they agree (bounded): the editor may still be revealing the paused line, or laying
    // out the lens zone it just inserted, when the lens first shows (a CI run read them mid-move once).
    const lossLocator = activeEditor(page)
      .locator('.view-line', { hasText: 'loss = F.cross_entropy(logits, labels)' })
      .first();
    let boxes = '';
    const placed = async () => {
      const lossLine = await lossLocator.boundingBox();
      const lensBox = await lens.boundingBox();
      boxes = JSON.stringify({ lossLine, lensBox });
      return !!(lossLine && lensBox && lensBox.y < lossLine.y && lossLine.y - lensBox.y < 2 * lossLine.height);
    };
    const settleBy = Date.now() + 15_000;
    while (!(await placed()) && Date.now() < settleBy) await page.waitForTimeout(200);
    assert.ok(await placed(), `the live lens right above the batch loss line: ${boxes}`);
    await resizeSideBar(page, 300);
    await lens.click();

    // The first paint: row 0 of 2048, its loss term torch computed in the program beside ours, and
    // the batch's loss still being computed.
    const panel = await panelFrame(page, 60_000);
    const computing = panel.locator('#live-batch-loss', { hasText: 'Batch loss: computing…' });
    await computing.waitFor({ timeout: 120_000 });
    await screenshot(page, 'live-budget-computing');
    await assertHeaderFits(frame, 'Batch loss: computing…');
    const rowTerm = await panel.locator('#live-row-term').innerText();
    assert.match(rowTerm, /^Row 0: torch computed [\d.]+ in the program; recomputed here: [\d.]+ ✓ agrees/);
    assert.equal(numberAfter(rowTerm, /torch computed/).toFixed(4), torchRow0.toFixed(4));
    assert.equal(numberAfter(rowTerm, /recomputed here:/).toFixed(4), torchRow0.toFixed(4));
    const notes = await panel.locator('.live-notes').innerText();
    assert.match(notes, /logits is 250\.0 MiB, over the 1\.0 MiB transfer budget/);

    // Then the batch's loss, computed in the program over every row: torch's own.
    const done = panel.locator('#live-batch-loss', { hasText: '✓ Batch loss' });
    await done.waitFor({ timeout: 180_000 });
    await screenshot(page, 'live-budget-done');
    console.log(`[liveBudget.ui] header: ${JSON.stringify(await assertHeaderFits(frame, 'batch loss on show'))}`);
    const batch = await done.innerText();
    assert.match(batch, /over all 2048 rows/);
    assert.equal(numberAfter(batch, /Batch loss/).toFixed(4), torchLoss.toFixed(4));
    assert.equal(await panel.locator('#program-loss').innerText(), torchLoss.toFixed(4));
    // The row in view stayed row 0 through the swap.
    assert.match(await panel.locator('#live-row-term').innerText(), /^Row 0: /);

    // In order, the panel showed: computing (with row 0), then the batch's loss.
    const states = await seenStates(frame);
    const first = states.findIndex(
      (s) => s.startsWith('Batch loss: computing…') && s.includes('Row 0: torch computed'),
    );
    const last = states.findIndex((s) => s.startsWith('✓ Batch loss'));
    assert.ok(first >= 0 && last > first, JSON.stringify(states));
  });
});
