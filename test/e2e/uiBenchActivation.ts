// `npm run bench:ui`'s activation part (test/e2e/uiBench.ts) and the palette and save steps the
// bench's parts share. Kept apart so that uiBench.ts stays within the size limit.
import type { Dialog, Page } from 'playwright-core';
import { runCommand } from './helpers';
import { codeLens } from './panelHelpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Gives the active editor group's tab the focus (the workbench's keyboard shortcuts then apply). */
export async function focusEditor(page: Page): Promise<void> {
  await page.locator('.editor-group-container.active .tab.active').first().click();
}

/**
 * Opens the palette with `label` typed and its row focused, leaving Enter to the caller. The palette
 * sometimes closes again at once while focus settles (after the side bar changed, or after a reload
 * while the restored panel takes the focus): it is opened again, up to three times.
 */
export async function paletteReady(page: Page, label: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await focusEditor(page).catch(() => undefined);
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${label}`, { timeout: 5_000 });
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/** Saves every modified editor (the bench's file is a temp copy) and waits until no tab shows one. */
export async function saveAll(page: Page): Promise<void> {
  const dirty = page.locator('.tabs-container .tab.dirty');
  if ((await dirty.count()) === 0) return;
  await focusEditor(page);
  await runCommand(page, 'File: Save All');
  await dirty.first().waitFor({ state: 'detached', timeout: 20_000 });
}

/** Reverts the active editor if it is modified: nothing in this part should edit the bench's file. */
async function revertIfModified(page: Page): Promise<void> {
  const dirty = page.locator('.tabs-container .tab.dirty');
  if ((await dirty.count()) === 0) return;
  console.log('  activation: the bench file was modified during the part; reverted');
  await focusEditor(page);
  await runCommand(page, 'File: Revert File');
  await dirty.first().waitFor({ state: 'detached', timeout: 20_000 });
}

/**
 * Developer: Show Running Extensions, from the palette. Enter goes to the palette's input itself:
 * after a reload the restored workbench can close the palette after its row was focused, and a
 * key pressed on the page then went to the editor (a line break in the bench's file).
 */
async function openRunningExtensions(page: Page): Promise<void> {
  const label = 'Developer: Show Running Extensions';
  for (let attempt = 1; ; attempt++) {
    try {
      await paletteReady(page, label);
      await page.locator('.quick-input-widget .quick-input-box input').press('Enter', { timeout: 5_000 });
      await page.locator('.runtime-extensions-editor').waitFor({ timeout: 20_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/**
 * "Activation: N ms" of our row in Running Extensions, after `runs` − 1 page reloads (each a new
 * extension host, which activates us again for the restored Python editor). `record` gets each
 * figure, or undefined when the row had none.
 */
export async function benchActivation(
  page: Page,
  runs: number,
  lensText: string,
  record: (ms: number | undefined) => void,
): Promise<void> {
  // A modified editor makes the workbench ask before the page unloads while its backup is pending;
  // playwright dismisses the dialog, which cancels the reload. Nothing should be modified here (the
  // edit part saves, and each run below reverts), so a prompt is counted and accepted.
  let prompts = 0;
  const onDialog = (dialog: Dialog) => {
    prompts++;
    void dialog.accept().catch(() => undefined);
  };
  page.on('dialog', onDialog);
  try {
    let step = '';
    for (let i = 0; i < runs; i++) {
      try {
        if (i > 0) {
          // code-server has no "Restart Extension Host": a reload starts a new one.
          step = 'reverting';
          await revertIfModified(page);
          step = 'reloading';
          await page.reload();
          // Not waitForWorkbench: the side bar may come back showing the panel, not the Explorer.
          step = 'waiting for the workbench';
          await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
          step = 'waiting for the CodeLens';
          await codeLens(page, lensText).waitFor({ timeout: 120_000 });
          await sleep(1000);
        }
        step = 'opening Running Extensions';
        await openRunningExtensions(page);
        step = 'reading our row';
        const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Loss Inspector' }).first();
        const time = row.locator('.activation-time');
        await time.waitFor({ timeout: 30_000 });
        const m = /(\d+(?:\.\d+)?)\s*ms/.exec(await time.innerText());
        record(m ? Number(m[1]) : undefined);
        await page.keyboard.press('Control+W');
      } catch (err) {
        throw new Error(`run ${i + 1} of ${runs}, ${step}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    page.off('dialog', onDialog);
    if (prompts > 0) console.log(`  activation: ${prompts} reload(s) asked to leave a modified page (accepted)`);
  }
}
