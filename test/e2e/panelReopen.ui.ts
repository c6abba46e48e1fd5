// Reopening the panel: its webview is retained while hidden, so showing it again shows the same
// page with its numbers already painted, instead of loading the webview again (which took seconds;
// `npm run bench:ui` prints the figures). No clock here: the test checks that the page survived.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import type { Frame, Page } from 'playwright-core';
import { activatedLine, openFile, openView, workbench } from './helpers';
import { activityItem, codeLens, panelPageFrame, panelVisible } from './panelHelpers';

/** Marks the panel's page, so that a reload (a new page) can be told from the same page shown again. */
async function mark(frame: Frame, value: string): Promise<void> {
  await frame.evaluate((v) => {
    (window as unknown as { __reopenMark?: string }).__reopenMark = v;
  }, value);
}

async function markOf(frame: Frame): Promise<string | undefined> {
  return frame.evaluate(() => (window as unknown as { __reopenMark?: string }).__reopenMark);
}

async function hidePanel(page: Page): Promise<void> {
  if (!(await page.locator('.explorer-folders-view').isVisible())) await activityItem(page, 'Explorer').click();
  await page.locator('.explorer-folders-view').waitFor();
  for (let i = 0; i < 100 && (await panelVisible(page)); i++) await page.waitForTimeout(50);
  assert.equal(await panelVisible(page), false, 'the panel is still visible');
}

suite('panel reopened', () => {
  let page: Page;

  suiteSetup(function () {
    if (workbench().locale === 'ko') this.skip(); // English CodeLens titles below
    ({ page } = workbench());
  });

  test('the activity bar, Show Panel and a CodeLens show the same page again, numbers in place', async () => {
    await openFile(page, 'seed_batch.py');
    await workbench().console.waitFor(activatedLine);
    await codeLens(page, 'cross-entropy 2.3519 · Inspect').click();
    const first = await panelPageFrame(page);
    await first.locator('#headline-loss', { hasText: '2.3519' }).waitFor();
    await mark(first, 'first');

    const ways: [string, () => Promise<void>][] = [
      ['activity bar', () => activityItem(page, 'Loss Inspector').click()],
      // Show Panel left the palette (the view's own focus is the one way in by name).
      ['the view by name', () => openView(page, 'Loss Inspector')],
      ['CodeLens', () => codeLens(page, 'cross-entropy 2.3519 · Inspect').click()],
    ];
    for (const [way, open] of ways) {
      await hidePanel(page);
      await open();
      const again = await panelPageFrame(page);
      assert.equal(await markOf(again), 'first', `${way}: the panel's page was loaded again`);
      // Already there when the view is visible: no wait for the host's snapshot.
      const headline = await again.evaluate(() => document.getElementById('headline-loss')?.textContent ?? '');
      assert.equal(headline, '2.3519', `${way}: headline ${JSON.stringify(headline)}`);
      // And the host still talks to it (it treats the shown page as ready): choosing sample 1 and
      // back goes through the host and comes back as snapshots.
      await again.locator('table.losses td[data-element="1"]').click();
      await again.locator('#sec-sample[description^="sample 1 ("]').waitFor();
      await again.locator('table.losses td[data-element="0"]').click();
      await again.locator('#sec-sample[description^="sample 0 ("]').waitFor();
    }
  });
});
