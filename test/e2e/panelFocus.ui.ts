// A CodeLens clicked while the panel is on screen: the panel shows that pair where the user looks,
// the focus stays in the editor (no reveal, no focus command: about 14 ms of a selection) and a
// polite live region says the result, while Inspect Pair at Cursor, the keyboard's way in, still
// moves the focus into the panel. The pair picker takes its new value after the numbers are
// painted (its restyle is no part of the frame the user waits for).
// The file is written at test time: two pairs of one document, torch 1.13:
//   CrossEntropyLoss()(tensor([[2.0, 1.0, 0.1]]), tensor([0])) = tensor(0.4170)
//   CrossEntropyLoss()(tensor([[0.5, 2.5, 0.3]]), tensor([2])) = tensor(2.4200)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { Frame, Page } from 'playwright-core';
import { activatedLine, activeEditor, runCommand, screenshot, workbench } from './helpers';
import { focusWorkbench, openPath, panelFrame, panelPageFrame } from './panelHelpers';

const source = [
  'import torch',
  'import torch.nn as nn',
  '',
  'criterion = nn.CrossEntropyLoss()',
  'a = torch.tensor([[2.0, 1.0, 0.1]])',
  'loss_a = criterion(a, torch.tensor([0]))',
  'b = torch.tensor([[0.5, 2.5, 0.3]])',
  'loss_b = criterion(b, torch.tensor([2]))',
  '',
].join('\n');

/** Whether the workbench's focus is in the text editor (not in a webview, a list or the palette). */
function editorFocused(page: Page): Promise<boolean> {
  return page.evaluate(() => !!document.activeElement?.closest('.editor-instance .monaco-editor'));
}

/** Whether the workbench's focus is in a webview over the side bar (the Loss Inspector view's). */
function panelFocused(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    // Webviews are laid over their view from outside the part: the side bar's box holds its frame.
    const bar = document.querySelector('.part.sidebar')?.getBoundingClientRect();
    const box = el?.getBoundingClientRect();
    return (
      el?.tagName === 'IFRAME' &&
      el.classList.contains('webview') &&
      !!bar &&
      !!box &&
      box.left >= bar.left - 1 &&
      box.right <= bar.right + 1
    );
  });
}

/**
 * Records, in each frame (before its paint) that follows a change of the panel's page, the headline
 * and the text of the pair the picker shows then: the first frame after a CodeLens click is the one
 * that paints the host's snapshot of the new pair.
 */
async function watchPicker(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as { __pickerFrames?: string[] };
    const frames: string[] = (w.__pickerFrames = []);
    let changed = false;
    new MutationObserver(() => (changed = true)).observe(document.getElementById('app')!, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    const pickerText = () => {
      const picker = document.getElementById('pair-picker') as (HTMLElement & { value?: string }) | null;
      return picker?.querySelector(`vscode-option[value="${picker.value ?? ''}"]`)?.textContent ?? '';
    };
    const frameCallback = () => {
      if (changed) {
        changed = false;
        frames.push(`${document.getElementById('headline-loss')?.textContent ?? '-'} | ${pickerText()}`);
      }
      if (frames.length < 40) requestAnimationFrame(frameCallback);
    };
    requestAnimationFrame(frameCallback);
  });
}

/** The text of the pair the picker shows now. */
function pickerText(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const picker = document.getElementById('pair-picker') as (HTMLElement & { value?: string }) | null;
    return picker?.querySelector(`vscode-option[value="${picker.value ?? ''}"]`)?.textContent ?? '';
  });
}

suite('panel focus', () => {
  let page: Page;
  let file: string;
  const ko = () => workbench().locale === 'ko';

  suiteSetup(() => {
    ({ page } = workbench());
    const dir = path.join(workbench().repoRoot, 'test-results', 'ui-focus');
    fs.mkdirSync(dir, { recursive: true });
    file = path.join(dir, 'two_pairs.py');
    fs.writeFileSync(file, source);
  });

  // The test ends with the focus in the panel (the command put it there): give it back to the editor,
  // where the suites that follow expect it (keys pressed inside a webview may not reach the workbench).
  suiteTeardown(async () => {
    if (page) await focusWorkbench(page);
  });

  test('a CodeLens with the panel on screen keeps the focus in the editor; the command moves it', async () => {
    await openPath(page, file);
    await workbench().console.waitFor(activatedLine);
    const lenses = activeEditor(page)
      .locator('.contentWidgets .codelens-decoration a', { hasText: ko() ? /· 살펴보기$/ : /· Inspect$/ })
      .filter({ visible: true });
    const lensA = lenses.filter({ hasText: '0.4170' }).first();
    const lensB = lenses.filter({ hasText: '2.4200' }).first();
    await lensB.waitFor();
    // The first click shows the panel (the focus may go there: it was not on screen before).
    await lensA.click();
    const panel = await panelFrame(page);
    const app = panel.locator('#app');
    await app.locator('#headline-loss', { hasText: '0.4170' }).waitFor();
    await activeEditor(page).locator('.view-line').nth(2).click();
    for (let i = 0; i < 50 && !(await editorFocused(page)); i++) await page.waitForTimeout(100);
    assert.ok(await editorFocused(page), 'the editor did not take the focus back');

    const frame = await panelPageFrame(page);
    assert.match(await pickerText(frame), /0\.4170/);
    await watchPicker(frame);
    await lensB.click();
    await app.locator('#headline-loss', { hasText: '2.4200' }).waitFor();
    // The focus command would move the focus a moment after the click: it stays put for a second.
    for (let i = 0; i < 10; i++) {
      assert.ok(await editorFocused(page), `check ${i}: the focus left the editor`);
      await page.waitForTimeout(100);
    }
    // What a screen reader hears, without the focus in the panel.
    const said = panel.locator('#pair-announcement[role="status"]');
    await said.filter({ hasText: '2.4200' }).waitFor({ state: 'attached' });
    assert.match((await said.textContent()) ?? '', /two_pairs\.py/);
    // The picker: the frame that painted the new pair's numbers still showed the old pair there
    // (set in the render, it would show the new one); it says the new pair after that paint.
    for (let i = 0; i < 50 && !(await pickerText(frame)).includes('2.4200'); i++) await page.waitForTimeout(100);
    assert.match(await pickerText(frame), /2\.4200/, 'the picker never took the new pair');
    const frames = await frame.evaluate(
      () => (window as unknown as { __pickerFrames?: string[] }).__pickerFrames ?? [],
    );
    assert.ok(frames.length > 0, 'no frame after the click changed the panel');
    assert.match(frames[0]!, /\| .*0\.4170/, `the picker was set before the first paint: ${JSON.stringify(frames)}`);
    await screenshot(page, `panel-focus-kept${ko() ? '-ko' : ''}`);

    // The keyboard's way: Inspect Pair at Cursor on loss_a's line moves the focus into the panel.
    await activeEditor(page).locator('.view-line').nth(5).click();
    await runCommand(page, ko() ? '커서 위치의 쌍 살펴보기' : 'Inspect Pair at Cursor');
    await app.locator('#headline-loss', { hasText: '0.4170' }).waitFor();
    for (let i = 0; i < 50 && !(await panelFocused(page)); i++) await page.waitForTimeout(100);
    assert.ok(await panelFocused(page), 'Inspect Pair at Cursor did not move the focus into the panel');
  });
});
