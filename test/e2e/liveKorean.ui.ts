// Live inspection in the Korean UI: the Korean pass of npm run test:e2e loads the test language
// pack and the test-only debugpy adapter (runUi.js --locale ko --extension
// test/fixtures/language-pack-ko --extension test/fixtures/live/debugpy-adapter). The program is
// live.ui.ts's seed step with logits that require grad (test/fixtures/live/seed_grad_step.py); the
// lens, the live hover, the panel's live badge and its notes are ours, from l10n/bundle.l10n.ko.json
// and webview/l10n.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { activeEditor, hoverText, screenshot, workbench } from './helpers';
import { assertHeaderFits, debugUntilLiveLens, openPath, panelFrame, resizeSideBar } from './panelHelpers';

suite('Korean live inspection (--locale ko)', () => {
  suiteSetup(function () {
    if (workbench().locale !== 'ko') this.skip();
    if (!fs.existsSync('/usr/lib/python3/dist-packages/debugpy')) {
      console.warn('[liveKorean.ui] python3-debugpy is not installed: the Korean live UI test is skipped');
      this.skip();
    }
  });

  suiteTeardown(async () => {
    const { page } = workbench();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+F5');
  });

  test('paused in a training step: the Korean lens, live hover and badge read 2.1438', async function () {
    this.timeout(180_000);
    const { page, repoRoot } = workbench();
    const program = path.join(repoRoot, 'test', 'fixtures', 'live', 'seed_grad_step.py');
    await openPath(page, program);
    // VS Code's own strings stay English (the test pack translates only ours).
    const lens = await debugUntilLiveLens(page, '실행 중인 값 살펴보기', 120_000);

    // The hover over the loss call the frame has passed: the live loss and the program's own value.
    const lossLine =
      fs
        .readFileSync(program, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('loss = criterion(output, target)')) + 1;
    // While paused, VS Code answers a pointer on a name with its own debug hover (the variable's
    // value); elsewhere on the call (here its comma) the language hovers show, ours among them.
    const hover = await hoverText(page, ',', /실행 중인 손실/, { line: lossLine, timeoutMs: 60_000 });
    assert.match(hover, /교차 엔트로피 = 2\.1438\(float32\)/, hover);
    assert.match(hover, /프로그램의 loss = 2\.1438: 일치/, hover);
    assert.match(hover, /샘플 0\(1개 중\)의 손실이 가장 큽니다: 2\.1438/, hover);
    await screenshot(page, 'live-hover-ko');
    await page.mouse.move(5, 5);

    // A 300 px side bar, the panel open before the click: its header is measured at every change.
    await assertHeaderFits(await panelFrame(page, 60_000), 'before the read');
    await resizeSideBar(page, 300);
    await lens.click();
    const panel = await panelFrame(page, 60_000);
    await panel.locator('#headline-loss', { hasText: '2.1438' }).waitFor({ timeout: 60_000 });
    assert.match(
      await panel.locator('#live-badge').innerText(),
      /실행 중 · 프레임 train_step \d+번째 줄 · 일시 중지됨/,
    );
    assert.match(
      await panel.locator('.live-program').innerText(),
      /프로그램이 계산한 값 loss = 2\.1438 \(float32\) ✓ 일치함/,
    );
    // The bridge's note, worded by the host in Korean: the logits were read detached.
    assert.match(
      await panel.locator('.live-notes').innerText(),
      /output은\(는\) requires grad입니다: 분리\(detach\)해서 읽었으므로 프로그램의 autograd 그래프는 그대로입니다\./,
    );
    assert.ok(await activeEditor(page).isVisible());
    await screenshot(page, 'live-panel-ko');
    console.log(`[liveKorean.ui] header: ${JSON.stringify(await assertHeaderFits(panel, 'Korean live read'))}`);
  });
});
