// The panel on Keras pairs (test/fixtures/integration/libraries/keras_pairs.py) at a 300 px side
// bar, in the real workbench: the header names the Keras call with its value (the numbers come
// from reference.json, test/fixtures/integration/gen_reference.py), explains how Keras maps to
// torch, and offers "Copy PyTorch" only for the call torch reproduces; nothing scrolls sideways.
// Then a TensorFlow formula −Σ y·log p (tf_formula.py): named as TensorFlow's, its torch steps shown
// (they were an error box: torch's NLLLoss takes no probability targets).
// Then formulas of the code's own (user_formula.py): a function whose body adds an epsilon, headed by
// the function with torch's steps set beside it as a comparison, and an entropy in bits, which torch
// (in nats) does not give: no torch steps, no copy, and the reason.
// Screenshots: test-results/panel-library-keras-<probabilities|logits>[-ko].png, panel-library-tf-formula[-ko].png,
// panel-user-formula-<function|bits>[-ko].png.
// Then a mean the code takes itself of masked per-token losses (realpatterns96): the card names the
// reducing call with its number, the per-token steps below (screenshot panel-masked-mean[-ko].png).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { Page } from 'playwright-core';
import referenceJson from '../fixtures/integration/reference.json';
import { activatedLine, readInlayHints, screenshot, workbench } from './helpers';
import { codeLens, openPath, panelFrame, resizeSideBar } from './panelHelpers';

const libraries = (referenceJson as unknown as { libraries: Record<string, Record<string, { loss: number }>> })
  .libraries;
const keras = libraries['keras_pairs.py'];

suite('panel on another library', () => {
  let page: Page;
  const ko = () => workbench().locale === 'ko';

  suiteSetup(async function () {
    ({ page } = workbench());
    await workbench().console.waitFor(activatedLine);
    await page.setViewportSize({ width: 1400, height: 1000 });
    await openPath(
      page,
      path.join(workbench().repoRoot, 'test', 'fixtures', 'integration', 'libraries', 'keras_pairs.py'),
    );
    await resizeSideBar(page, 300);
  });

  suiteTeardown(async () => {
    if (page) await page.setViewportSize({ width: 1280, height: 800 });
  });

  for (const [name, title, copy, shot] of [
    ['from_probs', 'keras.losses.CategoricalCrossentropy', false, 'probabilities'],
    ['from_scores', 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)', true, 'logits'],
  ] as const)
    test(`${title}: named with its value at 300 px, the mapping explained, Copy PyTorch ${copy ? 'offered' : 'absent'}`, async () => {
      const value = keras[name].loss.toFixed(4);
      await codeLens(page, `${title} = ${value}`).click();
      const frame = await panelFrame(page);
      const app = frame.locator('#app');
      await app.locator('#origin-call', { hasText: title }).waitFor();
      assert.equal(await app.locator('#headline-loss').innerText(), value);
      assert.ok((await app.locator('#origin-notes li').count()) >= 2);
      const overflow = await app.evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(overflow <= 1, `the panel scrolls sideways by ${overflow} px`);
      if (copy) await app.locator('#copy-pytorch').waitFor();
      else {
        await app.locator('#origin-no-copy').waitFor();
        assert.equal(await app.locator('#copy-pytorch').count(), 0);
      }
      await screenshot(page, `panel-library-keras-${shot}${ko() ? '-ko' : ''}`);
    });

  test('a TensorFlow formula: named as TensorFlow’s, with its value, and its torch steps instead of an error', async () => {
    await openPath(
      page,
      path.join(workbench().repoRoot, 'test', 'fixtures', 'integration', 'libraries', 'tf_formula.py'),
    );
    const title = `TensorFlow ${ko() ? '수식' : 'formula'} −Σ y·log p`;
    const value = libraries['tf_formula.py'].xent.loss.toFixed(4);
    await codeLens(page, `${title} = ${value}`).click();
    const frame = await panelFrame(page);
    const app = frame.locator('#app');
    await app.locator('#origin-call', { hasText: title }).waitFor();
    assert.equal(await app.locator('#headline-loss').innerText(), value);
    await app.locator('.steps-box').first().waitFor();
    assert.equal(await app.locator('.error-box').count(), 0);
    const overflow = await app.evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 1, `the panel scrolls sideways by ${overflow} px`);
    // The target is also the prediction here (the widest class label): its steps still fit at 300 px.
    const tableOverflow = await app
      .locator('.steps-box')
      .first()
      .evaluate((box) => {
        const shown = Array.from(box.querySelectorAll<HTMLElement>('.table-scroll')).find((el) => el.offsetParent);
        return shown ? shown.scrollWidth - shown.clientWidth : -1;
      });
    assert.ok(tableOverflow >= 0 && tableOverflow <= 1, `the step table scrolls sideways by ${tableOverflow} px`);
    await screenshot(page, `panel-library-tf-formula${ko() ? '-ko' : ''}`);
  });

  test('a function of the code with an epsilon: headed by the function, torch’s steps only as a comparison', async () => {
    await openPath(
      page,
      path.join(workbench().repoRoot, 'test', 'fixtures', 'integration', 'libraries', 'user_formula.py'),
    );
    const value = libraries['user_formula.py'].loss.loss.toFixed(4);
    // Inline, the function the code calls (it was `NLL = …`, torch's name for it).
    await readInlayHints(page, 12, `cross_entropy = ${value}`);
    await codeLens(page, `numpy ${ko() ? '수식' : 'formula'} −log(p[y] + 1e-9) = ${value}`).click();
    const frame = await panelFrame(page);
    const app = frame.locator('#app');
    const heading = ko() ? 'cross_entropy이(가) 계산하는 것' : 'What cross_entropy computes';
    await app.locator('#origin-heading', { hasText: heading }).waitFor();
    assert.equal(await app.locator('#origin-heading').innerText(), heading);
    assert.equal(await app.locator('#headline-loss').innerText(), value);
    const notes = await app.locator('#origin-notes li').allInnerTexts();
    assert.match(notes[notes.length - 1] ?? '', ko() ? /^비교용: / : /^For comparison, /);
    await app.locator('.steps-box').first().waitFor();
    await app.locator('#copy-pytorch').waitFor();
    const overflow = await app.evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 1, `the panel scrolls sideways by ${overflow} px`);
    await screenshot(page, `panel-user-formula-function${ko() ? '-ko' : ''}`);
  });

  test('an entropy in bits: its own number, no torch steps, no copy, and why', async () => {
    const value = libraries['user_formula.py'].bits.loss.toFixed(4);
    await readInlayHints(page, 16, `−Σ y·log₂ q (bits) = ${value}`);
    await codeLens(page, `numpy ${ko() ? '수식' : 'formula'} −Σ y·log₂ q (bits) = ${value}`).click();
    const frame = await panelFrame(page);
    const app = frame.locator('#app');
    const heading = ko() ? '이 numpy 수식이 계산하는 것' : 'What this numpy formula computes';
    await app.locator('#origin-heading', { hasText: heading }).waitFor();
    assert.equal(await app.locator('#headline-loss').innerText(), value);
    await app.locator('#origin-no-copy').waitFor();
    assert.equal(await app.locator('#copy-pytorch').count(), 0);
    assert.equal(await app.locator('.steps-box').count(), 0);
    assert.match(await app.locator('#origin-notes').innerText(), ko() ? /나트/ : /torch’s losses are in nats/);
    await screenshot(page, `panel-user-formula-bits${ko() ? '-ko' : ''}`);
  });

  test('a mean the code takes of masked per-token losses: named by its call with its value, the per-token steps below', async () => {
    const dir = path.join(workbench().repoRoot, 'test', 'fixtures', 'realpatterns96');
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
      files: { file: string; pairs: { line: number; loss?: number; losses?: number[] }[] }[];
    };
    const truth = expected.files.find((f) => f.file === 'snippets/index_by_label_mask.py')!;
    const value = truth.pairs.find((p) => p.line === 8)!.loss!.toFixed(4);
    await openPath(page, path.join(dir, 'snippets', 'index_by_label_mask.py'));
    await codeLens(page, `${ko() ? '교차 엔트로피' : 'cross-entropy'} ${value}`).click();
    const frame = await panelFrame(page);
    const app = frame.locator('#app');
    await app.locator('#origin-call', { hasText: 'token_nll[supervised].mean' }).waitFor();
    assert.equal(await app.locator('#headline-loss').innerText(), value);
    // The mean's own account: line 6's per-token losses, 5 of the 6 kept by the mask.
    assert.match(await app.locator('#origin-notes').innerText(), ko() ? /6개 가운데 마스크가 남기는 5개/ : /5 of 6/);
    // Below it, line 6's steps (reduction='none'), where the panel said "nothing to compute".
    await app.locator('.steps-box').first().waitFor();
    assert.equal(await app.locator('.error-box').count(), 0);
    const overflow = await app.evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 1, `the panel scrolls sideways by ${overflow} px`);
    await screenshot(page, `panel-masked-mean${ko() ? '-ko' : ''}`);
  });
});
