// The side panel in the real workbench, on the article's two-row batch
// (test/fixtures/workspace/seed_batch.py). Reference values, all from torch 1.13 on those tensors:
//   F.cross_entropy(output, target, reduction='none') = tensor([2.1438, 2.5601])
//   CrossEntropyLoss() = tensor(2.3519), reduction='sum' = tensor(4.7039)
//   sample 0: exp(x − max) of class 1 = 0.8242 (x − max = 0.805 − 0.9983 = −0.1933), Σexp = 7.0323,
//             softmax p[1] = 0.1172 (0.11720644…), −log p[1] = 2.1438
// The webview is an iframe in an iframe (helpers.ts); ./panelHelpers.ts finds it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { activatedLine, hoverText, openFile, screenshot, workbench } from './helpers';
import {
  activityItem,
  codeLens,
  contrastRatio,
  focusWorkbench,
  openOptions,
  openPath,
  panelFrame,
  panelPageFrame,
  panelVisible,
  resizeSideBar,
  setColorTheme,
} from './panelHelpers';

/**
 * With E2E_DOCS_SCREENSHOT=1: docs/screenshot.png for the README (checked in, so not rewritten on
 * every run): the seed batch with its CodeLens and inline values, the hover over sample 1's logits
 * and the panel, in the dark theme.
 */
async function docsScreenshot(page: Page): Promise<void> {
  const file = path.join(workbench().repoRoot, 'docs', 'screenshot.png');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.setViewportSize({ width: 1600, height: 900 });
  await page.mouse.move(5, 5);
  await hoverText(page, '0.0195', '2.5601', { line: 8 });
  await page.screenshot({ path: file });
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
}

/** Resolves once `locator`'s text contains `text` (polling), and returns the text. */
async function textOf(locator: Locator, text: string, timeout = 15_000): Promise<string> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout });
  return locator.first().innerText();
}

suite('panel', () => {
  let page: Page;
  let frame: FrameLocator;
  const app = () => frame.locator('#app');

  suiteSetup(function () {
    if (workbench().locale === 'ko') this.skip();
    ({ page } = workbench());
  });

  test('the CodeLens opens the panel on the batch: 2.1438 for sample 0, 2.3519 for the batch', async () => {
    await openFile(page, 'seed_batch.py');
    await workbench().console.waitFor(activatedLine);
    await codeLens(page, 'cross-entropy 2.3519 · Inspect').click();
    frame = await panelFrame(page);
    const headline = await textOf(app().locator('.headline'), '2.3519');
    assert.match(headline, /CrossEntropyLoss = 2\.3519\s+tensor\(2\.3519\)/);
    assert.match(
      await app().locator('.facts').innerText(),
      /output \(2, 10\) · target \(2,\) · float32 · reduction='mean'/,
    );
    assert.match(await app().locator('.claim').innerText(), /tensor\(2\.3519\) ✓/);
    // Sample 0's step table and its loss.
    assert.equal(
      await app().locator('#sec-sample').getAttribute('description'),
      'sample 0 (1 of 2) · target 1 · float32',
    );
    // In the layout the side bar's width gave it: a box laid out as rows has no one-column-per-class table.
    const rows = (await app().locator('#sec-sample .steps-box').getAttribute('data-layout')) === 'rows';
    const step = (kind: string) =>
      app().locator(
        rows
          ? `table.steps-by-class td[data-step="${kind}"][data-class="1"] .v`
          : `table.steps tr.row-${kind} td[data-class="1"] .v`,
      );
    assert.equal(await step('p').innerText(), '0.1172');
    assert.equal(await step('qlogp').innerText(), '2.1438');
    assert.match(await app().locator('#sample-loss .v').innerText(), /-log\(0\.1172\) = 2\.1438$/);
    // The reduction card: both samples, the mean, the float32 and float64 totals.
    assert.equal(await app().locator('table.losses td[data-element="0"] .v').innerText(), '2.1438');
    assert.equal(await app().locator('table.losses td[data-element="1"] .v').innerText(), '2.5601');
    assert.match(await app().locator('#reduction-formula .v').innerText(), /\(2\.1438 \+ 2\.5601\) \/ 2 = 2\.3519/);
    assert.equal(await app().locator('#loss-float32 .v').innerText(), '2.3519');
    assert.equal(await app().locator('#loss-float64 .v').innerText(), '2.3519');
    assert.match(await app().locator('table.totals').innerText(), /tensor\(2\.3519\)/);
    // Which extension is under test: the checkout (development) or an installed .vsix (--vsix).
    // The script is carried in the HTML; `data-src` says which file it was read from.
    const script = (await frame.locator('script[data-src$="/dist/webview.js"]').getAttribute('data-src')) ?? '';
    if (process.env.E2E_VSIX)
      assert.match(decodeURIComponent(script), /\/loss-inspector\.loss-inspector-[\d.]+\/dist\/webview\.js/);
    else assert.ok(decodeURIComponent(script).includes(`${workbench().repoRoot}/dist/webview.js`), script);
  });

  test('a softmax cell explains itself on hover and on keyboard focus', async () => {
    // One column per class (the keyboard walk below follows that layout) needs a wide side bar.
    await page.setViewportSize({ width: 1400, height: 1000 });
    await resizeSideBar(page, 900);
    await app().locator('.steps-box[data-layout="columns"]').waitFor();
    const tip = frame.locator('#tooltip');
    await app().locator('table.steps tr.row-p td[data-class="1"]').hover();
    assert.equal(await textOf(tip, '0.1172'), 'p = exp(x - max) / Σexp = 0.8242 / 7.0323 = 0.1172');
    await app().locator('table.steps tr.row-exp td[data-class="1"]').hover();
    assert.equal(await textOf(tip, 'exp('), 'exp(0.8050 - 0.9983) = exp(-0.1933) = 0.8242');
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: 'hidden' });
    // Keyboard: the grid has one tab stop (the target's logit); the arrows move between cells,
    // keeping the class column across the one-cell Σexp row.
    const start = app().locator('table.steps td[tabindex="0"]');
    assert.equal(await start.getAttribute('data-class'), '1');
    await start.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    const focused = app().locator('table.steps td:focus');
    assert.deepEqual([await focused.getAttribute('data-row'), await focused.getAttribute('data-class')], ['p', '1']);
    assert.equal(await textOf(tip, '0.1172'), 'p = exp(x - max) / Σexp = 0.8242 / 7.0323 = 0.1172');
    await tip.waitFor({ state: 'visible' });
    // Screen readers get the same text through aria-describedby.
    const described = await focused.evaluate(
      (el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent,
    );
    assert.equal(described, 'p = exp(x - max) / Σexp = 0.8242 / 7.0323 = 0.1172');
    await page.keyboard.press('ArrowDown');
    assert.equal(
      await textOf(tip, 'log p ='),
      'log p = (x - max) - log Σexp = -0.1933 - 1.9505 = -2.1438\n= log(0.1172)',
    );
    await page.keyboard.press('ArrowUp');
    await textOf(tip, '0.1172');
    await screenshot(page, 'panel-tooltip');
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });
  });

  test('reduction = sum through the control gives 4.7039; reset to code gives 2.3519 again', async () => {
    await openOptions(app());
    await app().locator('#ctl-reduction').click();
    await app().getByRole('option', { name: 'sum', exact: true }).click();
    assert.match(await textOf(app().locator('.headline'), '4.7039'), /CrossEntropyLoss = 4\.7039\s+tensor\(4\.7039\)/);
    assert.equal(await app().locator('#loss-float32 .v').innerText(), '4.7039');
    assert.equal(await app().locator('#sec-controls').getAttribute('description'), "changed: reduction='sum'");
    // The claim is about the code's options: it is not shown as matching the 4.7039 above it.
    assert.match(
      await app().locator('#claim').innerText(),
      /tensor\(2\.3519\) ✓ matches with the code's options \(torch prints tensor\(2\.3519\)\)/,
    );
    assert.match(
      await app().locator('#claim-user').innerText(),
      /With your options \(reduction='sum'\) torch prints tensor\(4\.7039\)/,
    );
    // Per-sample losses do not depend on the reduction.
    assert.equal(await app().locator('table.losses td[data-element="1"] .v').innerText(), '2.5601');
    await screenshot(page, 'panel-sum');
    await app().locator('#ctl-reset').click();
    await textOf(app().locator('.headline'), '2.3519');
    assert.equal(await app().locator('#sec-controls').getAttribute('description'), 'mean · float32 · as in the code');
  });

  test('the selected sample and UI choices survive hiding and showing the view (its page is retained)', async () => {
    await app().locator('#sample-next').click();
    await app().locator('#sec-sample[description="sample 1 (2 of 2) · target 5 · float32"]').waitFor();
    assert.match(await app().locator('#sample-loss .v').innerText(), /= 2\.5601$/);
    // UI-only state (kept with the webview's setState): the heat map's colouring, a closed section.
    await app().locator('#heat-mode').click();
    await app().getByRole('option', { name: 'log p', exact: true }).click();
    await app().locator('.heat .chart-note', { hasText: 'Colour: log p' }).waitFor();
    await app()
      .locator('#sec-stability')
      .click({ position: { x: 60, y: 10 } });
    await app().locator('#sec-stability[open]').waitFor();
    const inner = await panelPageFrame(page);
    await inner.evaluate(() => {
      (window as unknown as { marker?: number }).marker = 1;
    });

    await activityItem(page, 'Explorer').click();
    await page.locator('.explorer-folders-view').waitFor();
    for (let i = 0; i < 50 && (await panelVisible(page)); i++) await page.waitForTimeout(100);
    assert.equal(await panelVisible(page), false, 'the panel is still visible');
    await activityItem(page, 'Loss Inspector').click();
    frame = await panelFrame(page);
    await app().locator('#sec-sample[description="sample 1 (2 of 2) · target 5 · float32"]').waitFor();
    assert.match(await app().locator('#sample-loss .v').innerText(), /= 2\.5601$/);
    await app().locator('.heat .chart-note', { hasText: 'Colour: log p' }).waitFor();
    assert.equal(
      await app()
        .locator('#heat-mode')
        .evaluate((el) => (el as HTMLElement & { value: string }).value),
      'logp',
    );
    assert.equal(await app().locator('#sec-stability').getAttribute('open'), '');
    // The same page (retainContextWhenHidden): it kept its DOM while hidden. A page loaded again
    // would have the UI choices from getState and the sample from the host's snapshot.
    const again = await panelPageFrame(page);
    assert.equal(await again.evaluate(() => (window as unknown as { marker?: number }).marker), 1);
  });

  test('dark and light themes: the panel follows the theme colours (screenshots)', async () => {
    // Room for the step table in the screenshots: a wider side bar and a taller window.
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 1400, height: 1200 });
    await resizeSideBar(page, 560);
    // Dark last: the remaining tests (and docs/screenshot.png) run in it.
    for (const [theme, kind] of [
      ['Default Light Modern', 'light'],
      ['Default Dark Modern', 'dark'],
    ] as const) {
      await setColorTheme(page, theme, kind);
      frame = await panelFrame(page);
      await frame.locator(`body.vscode-${kind}`).waitFor();
      await app().locator('#headline-loss').waitFor();
      const colours = await frame.locator('body').evaluate((body) => {
        const css = getComputedStyle(body);
        const desc = getComputedStyle(body.querySelector('.facts') ?? body);
        const cell = getComputedStyle(body.querySelector('table.steps td.num') ?? body);
        return { fg: css.color, bg: css.backgroundColor, desc: desc.color, cell: cell.color };
      });
      // Text stays readable in both: WCAG AA for body text, 3:1 for the secondary text.
      assert.ok(contrastRatio(colours.fg, colours.bg) >= 4.5, `${theme}: ${JSON.stringify(colours)}`);
      assert.ok(contrastRatio(colours.cell, colours.bg) >= 4.5, `${theme}: ${JSON.stringify(colours)}`);
      assert.ok(contrastRatio(colours.desc, colours.bg) >= 3, `${theme}: ${JSON.stringify(colours)}`);
      const bgIsDark = contrastRatio(colours.bg, 'rgb(0, 0, 0)') < contrastRatio(colours.bg, 'rgb(255, 255, 255)');
      assert.equal(bgIsDark, kind === 'dark', `${theme}: background ${colours.bg}`);
      await page.mouse.move(5, 5);
      await screenshot(page, `panel-${kind}`);
    }
    if (process.env.E2E_DOCS_SCREENSHOT === '1') await docsScreenshot(page);
    if (viewport) await page.setViewportSize(viewport);
  });

  test('names from the document are rendered as text: <img src=x onerror=alert(1)>', async () => {
    const name = '<img src=x onerror=alert(1)>';
    // Generated at test time (Windows checkouts cannot hold such a file name). torch 1.13:
    // CrossEntropyLoss()(tensor([[0.8982, 0.805, 0.6393]]), tensor([1])) = tensor(1.0801).
    const dir = path.join(workbench().repoRoot, 'test-results', 'ui-xss');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.py`);
    fs.writeFileSync(
      file,
      [
        'import torch',
        'import torch.nn as nn',
        `data = {"${name}": torch.tensor([[0.8982, 0.805, 0.6393]])}`,
        'target = torch.tensor([1])',
        `loss = nn.CrossEntropyLoss()(data["${name}"], target)`,
        'print(loss) # tensor(1.0801) </script><script>alert(1)</script>',
        '',
      ].join('\n'),
    );
    const dialogs: string[] = [];
    const onDialog = (d: { message(): string; dismiss(): Promise<void> }) => {
      dialogs.push(d.message());
      void d.dismiss();
    };
    page.on('dialog', onDialog);
    try {
      await focusWorkbench(page);
      await openPath(page, file);
      await codeLens(page, 'cross-entropy 1.0801 · Inspect').click();
      frame = await panelFrame(page);
      await textOf(app().locator('.headline'), '1.0801');
      assert.equal(await app().locator('.doc-label').innerText(), `${name}.py`);
      assert.match(
        await app().locator('.facts').innerText(),
        new RegExp(`^${name.replace(/[()]/g, '\\$&')} \\(1, 3\\) · target`),
      );
      assert.ok((await app().locator('#pair-picker').textContent())?.includes(`${name}, target`));
      assert.equal(await frame.locator('img').count(), 0);
      const scripts = await frame.locator('script').evaluateAll((list) => list.map((el) => el.outerHTML.slice(0, 200)));
      assert.ok(
        scripts.every((html) => !html.includes('alert')),
        JSON.stringify(scripts),
      );
      await screenshot(page, 'panel-names-as-text');
      assert.deepEqual(dialogs, []);
    } finally {
      page.off('dialog', onDialog);
    }
  });
});
