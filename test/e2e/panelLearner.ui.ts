// What a learner meets in the panel when things go wrong, in the real workbench: a target out of
// range, a bracket deleted mid-typing, and the heat map in the high-contrast, light and dark
// themes. The files are copies of the article's batch (test/fixtures/workspace/seed_batch.py)
// written under test-results/, so edits never touch the fixtures. Reference values from torch 1.13 on that batch:
//   F.cross_entropy(output[0:1], tensor([1])) = tensor(2.1438), softmax p[1] = 0.1172,
//   CrossEntropyLoss() on both rows with target [1, 5] = tensor(2.3519);
//   with target [1, 10] torch raises "IndexError: Target 10 is out of bounds."
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { FrameLocator, Page } from 'playwright-core';
import { activatedLine, openFile, screenshot, workbench } from './helpers';
import { codeLens, contrastRatio, focusWorkbench, openPath, panelFrame, setColorTheme } from './panelHelpers';

/** Writes `name` under test-results/learner/ with the seed batch's text, changed by `edit`. */
function batchCopy(name: string, edit: (text: string) => string = (t) => t): string {
  const { repoRoot } = workbench();
  const source = fs.readFileSync(path.join(repoRoot, 'test/fixtures/workspace/seed_batch.py'), 'utf8');
  const dir = path.join(repoRoot, 'test-results', 'learner');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, edit(source));
  return file;
}

suite('panel for a learner', function () {
  this.timeout(180_000);
  let page: Page;

  suiteSetup(async function () {
    if (workbench().locale === 'ko') this.skip();
    // Each test opens a file, waits for its analysis and the panel, and types: on two shared, busy
    // cores that took up to a minute (a hang guard, not a speed goal).
    this.timeout(180_000);
    ({ page } = workbench());
    await page.setViewportSize({ width: 1400, height: 1000 });
    await openFile(page, 'seed_batch.py');
    await workbench().console.waitFor(activatedLine);
  });

  suiteTeardown(async () => {
    if (page) await page.setViewportSize({ width: 1280, height: 800 });
  });

  test("a target out of range: torch's error stays, the valid sample's steps show, the bad one is marked", async () => {
    const file = batchCopy('target_oob_batch.py', (t) => t.replace('LongTensor([1, 5])', 'LongTensor([1, 10])'));
    await openPath(page, file);
    await codeLens(page, /Inspect/).click();
    const frame = await panelFrame(page);
    const app = frame.locator('#app');
    await app.locator('.invalid-box').waitFor({ timeout: 30_000 });
    assert.equal(await app.locator('.error-box').innerText(), 'Target 10 is out of bounds.');
    const note = await app.locator('.invalid-box').innerText();
    assert.match(note, /Valid targets are class indices 0 to 9 \(10 classes\), or ignore_index \(-100\)\./);
    assert.match(note, /Out of range: sample 1: target 10/);
    // Sample 0, whose target is valid, is shown first with every step, down to its NLL.
    assert.equal(
      await app.locator('#sec-sample').getAttribute('description'),
      'sample 0 (1 of 2) · target 1 · float32',
    );
    assert.match(await app.locator('#sample-loss .v').innerText(), /-log\(0\.1172\) = 2\.1438$/);
    // The reduction card: sample 0's loss, sample 1 marked, and no total (torch prints none).
    assert.equal(await app.locator('table.losses td[data-element="0"] .v').innerText(), '2.1438');
    assert.equal(await app.locator('table.losses td[data-element="1"] .v').innerText(), '✗ target out of range');
    await app.locator('.invalid-total').waitFor();
    assert.equal(await app.locator('table.totals').count(), 0);
    await page.mouse.move(700, 5);
    console.log(`[learner] ${await screenshot(page, 'learner-target-out-of-range')}`);
    // The bad sample itself: its softmax steps, a note instead of a loss, the error still there.
    await app.locator('table.losses td[data-element="1"]').click();
    await app.locator('.invalid-note').waitFor();
    assert.match(
      await app.locator('.invalid-note').innerText(),
      /^Target 10 is not a class: valid targets are 0 to 9\. This sample has no loss/,
    );
    assert.equal(await app.locator('#sample-loss').count(), 0);
    assert.equal(await app.locator('.error-box').innerText(), 'Target 10 is out of bounds.');
    console.log(`[learner] ${await screenshot(page, 'learner-target-out-of-range-sample-1')}`);
  });

  test('a bracket deleted mid-typing keeps the last numbers, marked stale, and names the lines', async () => {
    const file = batchCopy('stale_batch.py');
    await openPath(page, file);
    await codeLens(page, 'cross-entropy 2.3519 · Inspect').click();
    const frame = await panelFrame(page);
    const app = frame.locator('#app');
    await app.locator('#headline-loss', { hasText: '2.3519' }).waitFor();
    // Delete the ] that ends row 0 (line 7, "…0.5544],"), as a user does mid-typing.
    await focusWorkbench(page);
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    const stale = app.locator('.stale-box');
    await stale.waitFor({ timeout: 30_000 });
    // The statement that no longer parses starts with the ( of line 5; the user types on line 7.
    assert.equal(
      await stale.innerText(),
      'Waiting for the ( opened on line 5 to be closed (line 7 is being typed). The numbers below are the last result from before the edit.',
    );
    // The last good numbers stay, visibly marked as not current.
    assert.equal(await app.locator('#headline-loss').innerText(), '2.3519');
    assert.match(await app.locator('#sample-loss .v').innerText(), /2\.1438$/);
    assert.equal(await app.evaluate((el) => el.classList.contains('is-stale')), true);
    const opacity = await app.locator('#sec-sample').evaluate((el) => Number(getComputedStyle(el).opacity));
    assert.ok(opacity < 1, `the kept steps look current (opacity ${opacity})`);
    await page.mouse.move(700, 5);
    console.log(`[learner] ${await screenshot(page, 'learner-stale-typing')}`);
    // Putting the ] back: current again, no stale note.
    await focusWorkbench(page);
    await page.keyboard.press('Control+Z');
    await stale.waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await app.evaluate((el) => el.classList.contains('is-stale')), false);
    assert.equal(await app.locator('#headline-loss').innerText(), '2.3519');
  });

  test('Inspect Selection on two literals no loss call pairs: the panel shows them, marked as the selection', async () => {
    const file = batchCopy('selection_batch.py', (t) =>
      t
        .replace('output = torch.Tensor(', 'row_values = torch.Tensor(')
        .replace('target = torch.LongTensor', 'picked = torch.LongTensor')
        .replace(/\ncriterion[\s\S]*$/, '\n'),
    );
    await openPath(page, file);
    // Select from line 5 (the logits) to the end of line 12 (the class indices).
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    // Not runCommand: its Escape would clear the selection in the editor.
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Loss Inspector: Inspect Selection');
    await page
      .locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Loss Inspector: Inspect Selection' })
      .waitFor();
    await page.keyboard.press('Enter');
    const frame = await panelFrame(page);
    const app = frame.locator('#app');
    const badge = app.locator('.selection-badge');
    await badge.waitFor({ timeout: 30_000 });
    assert.match(await badge.innerText(), /^Selection · lines 5–12 · two literals you selected/);
    await app.locator('#headline-loss', { hasText: '2.3519' }).waitFor();
    assert.match(await app.locator('.facts').innerText(), /row_values \(2, 10\) · picked \(2,\)/);
    await page.mouse.move(700, 5);
    console.log(`[learner] ${await screenshot(page, 'learner-inspect-selection')}`);
  });

  // Dark last: the tests after this file run in it.
  for (const [theme, kind] of [
    ['Default High Contrast', 'hc'],
    ['Default Light Modern', 'light'],
    ['Default Dark Modern', 'dark'],
  ] as const)
    test(`${kind} theme: the heat map's cells and scale stand apart from the background; legend and bar chart visible`, async () => {
      await openFile(page, 'seed_batch.py');
      await setColorTheme(page, theme, kind);
      try {
        await codeLens(page, 'cross-entropy 2.3519 · Inspect').click();
        const frame: FrameLocator = await panelFrame(page);
        const app = frame.locator('#app');
        await frame.locator(`body.vscode-${kind === 'hc' ? 'high-contrast' : kind}`).waitFor();
        await app.locator('#headline-loss', { hasText: '2.3519' }).waitFor();
        await app.locator('.heat-legend canvas.heat-scale').waitFor();
        await app.locator('.heat-legend').scrollIntoViewIfNeeded();
        // Both colourings the panel offers; the choice is the user's and is remembered, so it is
        // set back to p afterwards.
        const colourBy = async (mode: 'p' | 'logp') => {
          await app.locator('#heat-mode').evaluate((el, m) => {
            (el as HTMLElement & { value: string }).value = m;
            el.dispatchEvent(new Event('change'));
          }, mode);
          await app
            .locator('.heat-legend .scale-end', { hasText: mode === 'p' ? /^p = 0$/ : /^log p = / })
            .waitFor({ timeout: 10_000 });
        };
        for (const mode of ['logp', 'p'] as const) {
          await colourBy(mode);
          const look = await app.evaluate((root) => {
            const bg = getComputedStyle(document.body).backgroundColor;
            const ink = (sel: string) => {
              const el = root.querySelector<HTMLElement>(sel);
              return el ? getComputedStyle(el).color : '';
            };
            // How many pixels of a canvas differ from its first one: a blank canvas has none.
            const drawn = (sel: string) => {
              const c = root.querySelector<HTMLCanvasElement>(sel);
              const ctx = c?.getContext('2d');
              if (!c || !ctx || c.width === 0 || c.height === 0) return -1;
              const px = ctx.getImageData(0, 0, c.width, c.height).data;
              let differing = 0;
              for (let i = 4; i < px.length; i += 4)
                if (px[i] !== px[0] || px[i + 1] !== px[1] || px[i + 2] !== px[2] || px[i + 3] !== px[3]) differing++;
              return differing;
            };
            // The colour the eye gets at a canvas pixel: the pixel laid over the opaque background
            // behind the canvas (the canvas itself is transparent where nothing is drawn).
            const behind = (el: Element) => {
              for (let e: Element | null = el; e; e = e.parentElement) {
                const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/.exec(
                  getComputedStyle(e).backgroundColor,
                );
                if (m && (m[4] === undefined || Number(m[4]) > 0.5)) return [Number(m[1]), Number(m[2]), Number(m[3])];
              }
              return [0, 0, 0];
            };
            const shown = (c: HTMLCanvasElement, cssX: number, cssY: number) => {
              const ratio = c.width / c.getBoundingClientRect().width;
              const p = c.getContext('2d')!.getImageData(Math.floor(cssX * ratio), Math.floor(cssY * ratio), 1, 1).data;
              const under = behind(c);
              const rgb = [0, 1, 2].map((k) => Math.round(under[k] + ((p[k] - under[k]) * p[3]) / 255));
              return `rgb(${rgb.join(', ')})`;
            };
            const scale = root.querySelector<HTMLCanvasElement>('canvas.heat-scale')!;
            const map = root.querySelector<HTMLCanvasElement>('canvas.heatmap')!;
            const [left, top, width, height] = (map.dataset.cells ?? '').split(' ').map(Number);
            const rows = 2;
            const cols = 10;
            const cells: string[] = [];
            for (let r = 0; r < rows; r++)
              for (let c = 0; c < cols; c++)
                cells.push(shown(map, left + ((c + 0.5) * width) / cols, top + ((r + 0.5) * height) / rows));
            const scaleW = scale.getBoundingClientRect().width;
            const bar = root.querySelector('svg.softmax-chart g.bar.target rect');
            return {
              bg,
              background: `rgb(${behind(map).join(', ')})`,
              legendInk: ink('.heat-legend .scale-end'),
              axisInk: ink('.heat-axes'),
              barFill: bar ? getComputedStyle(bar).fill : '',
              heatPixels: drawn('canvas.heatmap'),
              scalePixels: drawn('canvas.heat-scale'),
              scaleFaint: shown(scale, 2, 5),
              scaleFull: shown(scale, scaleW - 2, 5),
              cells,
            };
          });
          const cellContrast = look.cells.map((c) => Number(contrastRatio(c, look.background).toFixed(2)));
          console.log(
            `[learner] ${kind} ${mode}: ${JSON.stringify(look)}; scale faint ${contrastRatio(look.scaleFaint, look.background).toFixed(2)}:1, ` +
              `full ${contrastRatio(look.scaleFull, look.background).toFixed(2)}:1; cells ${cellContrast.join(' ')}`,
          );
          assert.ok(contrastRatio(look.legendInk, look.bg) >= 4.5, `legend text: ${JSON.stringify(look)}`);
          assert.ok(contrastRatio(look.axisInk, look.bg) >= 4.5, `heat map axes: ${JSON.stringify(look)}`);
          // The bar chart's orange target bar: 3:1 in high contrast; Light Modern's charts.orange has
          // about 2.6:1 on its side bar (the theme's own colour, not this panel's choice).
          if (kind === 'hc')
            assert.ok(contrastRatio(look.barFill, look.bg) >= 3, `target bar: ${JSON.stringify(look)}`);
          assert.ok(look.heatPixels > 0, `the heat map is blank: ${JSON.stringify(look)}`);
          assert.ok(look.scalePixels > 0, `the colour scale is blank: ${JSON.stringify(look)}`);
          // The scale's full end has 7:1 against the background (6.9 leaves room for rounding), and
          // its faint end (the smallest p above the floor) still stands apart.
          assert.ok(contrastRatio(look.scaleFull, look.background) >= 6.9, `scale full end: ${JSON.stringify(look)}`);
          assert.ok(contrastRatio(look.scaleFaint, look.background) >= 1.4, `scale faint end: ${JSON.stringify(look)}`);
          // In log p the batch’s smallest p (sample 0, class 5) sits on the floor and is clear; in p
          // no cell is. Every other cell is visibly coloured, the most likely ones clearly (p ≈ 0.14
          // of 10 classes).
          const clear = mode === 'logp' ? 1 : 0;
          assert.equal(cellContrast.filter((c) => c < 1.4).length, clear, `${mode} cells: ${cellContrast.join(' ')}`);
          assert.ok(Math.max(...cellContrast) >= 2, `cells: ${cellContrast.join(' ')}`);
          await page.mouse.move(700, 5);
          const figure = app.locator('figure.chart.heat');
          await figure.scrollIntoViewIfNeeded();
          const shot = path.join(workbench().repoRoot, 'test-results', `learner-heat-${kind}-${mode}.png`);
          await figure.screenshot({ path: shot });
          console.log(`[learner] ${shot}`);
        }
        await page.mouse.move(700, 5);
        console.log(`[learner] ${await screenshot(page, `learner-heat-${kind}`)}`);
        if (kind === 'hc') {
          await app.locator('svg.softmax-chart').scrollIntoViewIfNeeded();
          console.log(`[learner] ${await screenshot(page, 'learner-high-contrast-chart')}`);
        }
      } finally {
        if (kind !== 'dark') await setColorTheme(page, 'Default Dark Modern', 'dark');
      }
    });
});
