// Helpers for the Loss Inspector panel (a webview view) in UI tests, on top of ./helpers.
import * as assert from 'node:assert/strict';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { headerCheck } from './headerFit';
import { activeEditor, openView } from './helpers';

/** The panel's view title, as in package.json (`%view.panel%`) in English. */
export const panelTitle = 'Loss Inspector';

/**
 * The visible webview whose inner document holds the panel's `#app`, without opening anything.
 * Returns undefined when no visible webview has it.
 */
async function visiblePanel(page: Page): Promise<{ outer: Locator; inner: FrameLocator } | undefined> {
  for (const outer of await page.locator('iframe.webview.ready').all()) {
    if (!(await outer.isVisible().catch(() => false))) continue;
    const inner = outer.contentFrame().locator('#active-frame').contentFrame();
    if (
      (await inner
        .locator('#app')
        .count()
        .catch(() => 0)) > 0
    )
      return { outer, inner };
  }
  return undefined;
}

/**
 * The panel's inner document. Uses the panel when it is already visible (a CodeLens click shows it),
 * otherwise opens the view through quick open first; the keyboard there needs the workbench to have
 * focus, so the active editor tab is clicked first (which neither moves the cursor nor edits).
 */
export async function panelFrame(page: Page, timeoutMs = 30_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  let opened = false;
  for (;;) {
    const found = await visiblePanel(page);
    if (found) return found.inner;
    if (!opened && Date.now() > deadline - timeoutMs + 2_000) {
      await focusWorkbench(page);
      await openView(page, panelTitle);
      opened = true;
    }
    if (Date.now() > deadline) throw new Error(`the Loss Inspector panel is not visible within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(100);
  }
}

/** The panel's inner frame as a Playwright `Frame` (for `evaluate`), e.g. to time renders inside it. */
export async function panelPageFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  await panelFrame(page, timeoutMs);
  const found = await visiblePanel(page);
  const outer = await found?.outer.elementHandle();
  const outerFrame = await outer?.contentFrame();
  const innerHandle = await outerFrame?.locator('#active-frame').elementHandle();
  const inner = await innerHandle?.contentFrame();
  if (!inner) throw new Error('the panel frame went away');
  return inner;
}

/**
 * Gives keyboard focus back to the workbench (away from a webview, which forwards keys to the
 * workbench unreliably): a click on the active editor's tab focuses the editor and changes nothing.
 */
export async function focusWorkbench(page: Page): Promise<void> {
  const tab = page.locator('.editor-group-container.active .tab.active').first();
  if (await tab.count()) await tab.click();
  else await page.locator('.part.statusbar').click({ position: { x: 600, y: 5 } });
}

/**
 * Opens a file by absolute path through quick open (files outside the workspace, such as those
 * generated under test-results/), answering "Open Anyway" when the web workbench declines a large
 * file (its `workbench.editorLargeFileConfirmation` limit is 10 MB in a browser). Resolves when the
 * editor shows text.
 */
export async function openPath(page: Page, file: string, timeoutMs = 60_000): Promise<void> {
  const name = file.split('/').pop() ?? file;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor();
  const text = activeEditor(page).locator('.view-line').first();
  const openAnyway = page.locator('.editor-group-container.active .monaco-button', { hasText: 'Open Anyway' });
  await text.or(openAnyway).first().waitFor({ timeout: timeoutMs });
  if (await openAnyway.isVisible().catch(() => false)) await openAnyway.click();
  await text.waitFor({ timeout: timeoutMs });
}

/** `performance.timeOrigin + performance.now()`: milliseconds on one clock shared by every frame of the page. */
export type Stamp = number;

/**
 * What the panel must show for a probe to fire: every `[selector, text]` of `has` matches an element
 * whose text contains `text`, and no element matches a selector of `lacks`. (Data, not code: the
 * webview's CSP forbids eval, so no predicate function can be sent into it.)
 */
export interface PaintCondition {
  has: [selector: string, text: string][];
  lacks?: string[];
}

/**
 * Arms a one-shot probe in the panel's frame: it resolves with the time of the first paint after
 * `condition` holds (checked on every DOM change of `#app`); read it with {@link paintedAt}.
 * "Painted" is a requestAnimationFrame callback followed by a task: the frame has been drawn by then.
 */
export async function armPaintProbe(frame: Frame, condition: PaintCondition): Promise<void> {
  await frame.evaluate(({ has, lacks }) => {
    const holds = () =>
      has.every(([sel, text]) =>
        Array.from(document.querySelectorAll(sel)).some((el) => (el.textContent ?? '').includes(text)),
      ) && (lacks ?? []).every((sel) => document.querySelector(sel) === null);
    const w = window as unknown as { __paint?: Promise<number>; __paintHeld?: number };
    w.__paint = new Promise<number>((resolve) => {
      const app = document.getElementById('app');
      if (!app) throw new Error('no #app');
      const observer = new MutationObserver(() => {
        if (!holds()) return;
        w.__paintHeld = performance.timeOrigin + performance.now();
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.timeOrigin + performance.now()), 0));
      });
      observer.observe(app, { childList: true, subtree: true, characterData: true, attributes: true });
    });
  }, condition);
}

/** The stamp {@link armPaintProbe} resolved with (waits for it, up to `timeoutMs`). */
export async function paintedAt(frame: Frame, timeoutMs = 30_000): Promise<Stamp> {
  return frame.evaluate((ms) => {
    const w = window as unknown as { __paint?: Promise<number> };
    return Promise.race([
      w.__paint ?? Promise.reject(new Error('no probe armed')),
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`not painted within ${ms} ms`)), ms)),
    ]);
  }, timeoutMs);
}

/** When the condition of the last {@link armPaintProbe} held (after {@link paintedAt}). */
export async function paintHeldAt(frame: Frame): Promise<Stamp> {
  const t = await frame.evaluate(() => (window as unknown as { __paintHeld?: number }).__paintHeld ?? NaN);
  if (!Number.isFinite(t)) throw new Error('no paint condition held');
  return t;
}

/** Records the time of every `mousedown` in `frame` (capture phase); {@link lastMouseDown} reads the latest. */
export async function recordMouseDowns(frame: Frame | Page): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as { __down?: number; __downHooked?: boolean };
    if (w.__downHooked) return;
    w.__downHooked = true;
    window.addEventListener(
      'mousedown',
      () => {
        w.__down = performance.timeOrigin + performance.now();
      },
      true,
    );
  });
}

/** The time of the latest `mousedown` seen by {@link recordMouseDowns} in `frame`. */
export async function lastMouseDown(frame: Frame | Page): Promise<Stamp> {
  const t = await frame.evaluate(() => (window as unknown as { __down?: number }).__down ?? NaN);
  if (!Number.isFinite(t)) throw new Error('no mousedown recorded');
  return t;
}

/** Nearest-rank percentile (q in [0, 1]) of `values`. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The CodeLens of the active editor whose text contains `text` (e.g. "cross-entropy 2.3519 · Inspect"). */
export function codeLens(page: Page, text: string | RegExp): Locator {
  // Visible ones only: the editor keeps the widget of a lens it no longer shows (a live lens of the
  // previous stop) hidden in the DOM, and it may come first.
  return activeEditor(page)
    .locator('.contentWidgets .codelens-decoration a', { hasText: text })
    .filter({ visible: true })
    .first();
}

/**
 * Starts debugging the active Python file with F5 through the test adapter ("debugpy, test adapter")
 * and waits until the paused program's live CodeLens `lensText` shows; returns that lens. With no
 * launch.json VS Code may first ask which debugger to use. Under load F5 may land before the editor
 * has focus and VS Code only shows its Run and Debug view, whose welcome button starts the same
 * thing; it is clicked only when nothing started (else VS Code asks about a second instance).
 * `timeoutMs` bounds each wait after the first minute.
 */
export async function debugUntilLiveLens(page: Page, lensText: string, timeoutMs: number): Promise<Locator> {
  await focusWorkbench(page);
  await page.keyboard.press('F5');
  const pickDebugger = page.locator('.quick-input-list .monaco-list-row', { hasText: 'debugpy, test adapter' });
  const lens = codeLens(page, lensText);
  const started = await pickDebugger
    .or(lens)
    .first()
    .waitFor({ timeout: 60_000 })
    .then(
      () => true,
      () => false,
    );
  if (!started) await page.locator('.monaco-button', { hasText: 'Run and Debug' }).first().click();
  await pickDebugger.or(lens).first().waitFor({ timeout: timeoutMs });
  if (await pickDebugger.isVisible().catch(() => false)) await pickDebugger.click();
  await lens.waitFor({ timeout: timeoutMs });
  return lens;
}

/**
 * Switches the colour theme with "Preferences: Color Theme" (the quick pick previews the focused
 * theme and Enter keeps it), then waits until the workbench has applied it.
 */
export async function setColorTheme(page: Page, theme: string, kind: 'dark' | 'light' | 'hc'): Promise<void> {
  const applied = page.locator(`.monaco-workbench.${{ dark: 'vs-dark', light: 'vs', hc: 'hc-black' }[kind]}`);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const step = { timeout: 10_000 };
  for (let attempt = 1; ; attempt++) {
    let at = 'palette';
    try {
      await focusWorkbench(page);
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', ...step });
      // Not runCommand: "Preferences: Browse Color Themes in Marketplace" may be the focused row.
      await input.fill('>Preferences: Color Theme');
      at = 'command row';
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ })
        .first()
        .click(step);
      at = 'theme list';
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Default Dark Modern' })
        .first()
        .waitFor(step);
      await input.fill(theme);
      at = `row ${theme}`;
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: theme }).waitFor(step);
      await page.keyboard.press('Enter');
      at = 'applied';
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', ...step });
      await applied.waitFor(step);
      return;
    } catch (err) {
      const rows = await page
        .locator('.quick-input-list .monaco-list-row')
        .allInnerTexts()
        .catch(() => []);
      if (attempt >= 2)
        throw new Error(
          `setColorTheme(${theme}) failed at ${at}; quick input rows ${JSON.stringify(rows.slice(0, 6))}`,
          { cause: err },
        );
      console.log(
        `[setColorTheme] attempt ${attempt} stopped at ${at} (${rows.length} quick input rows); trying again`,
      );
      await page.keyboard.press('Escape');
    }
  }
}

/** The activity-bar entry (view container) whose label starts with `label`, e.g. "Explorer". */
export function activityItem(page: Page, label: string): Locator {
  return page.locator(`.part.activitybar .action-item a[aria-label^="${label}"]`).first();
}

/** Whether a visible webview shows the panel right now (no waiting). */
export async function panelVisible(page: Page): Promise<boolean> {
  return (await visiblePanel(page)) !== undefined;
}

/** WCAG contrast ratio of two `rgb(…)`/`rgba(…)` colours as getComputedStyle reports them (alpha ignored). */
export function contrastRatio(a: string, b: string): number {
  const lum = (css: string) => {
    const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
    if (!m) throw new Error(`not an rgb colour: ${css}`);
    const [r, g, bl] = [m[1], m[2], m[3]].map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Drags the sash between the primary side bar and the editor until the side bar is `width` px wide. */
export async function resizeSideBar(page: Page, width: number): Promise<void> {
  const bar = await page.locator('.part.sidebar').boundingBox();
  if (!bar) throw new Error('no side bar');
  const right = bar.x + bar.width;
  for (const sash of await page.locator('.monaco-sash.vertical').all()) {
    const box = await sash.boundingBox();
    if (!box || Math.abs(box.x + box.width / 2 - right) > 4 || box.height < bar.height / 2) continue;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(bar.x + width, y, { steps: 8 });
    await page.mouse.up();
    return;
  }
  throw new Error("no sash at the side bar's edge");
}

/**
 * Opens the panel's Options section (collapsed by default; the webview remembers the choice) and
 * waits until its controls are visible.
 */
export async function openOptions(app: Locator): Promise<void> {
  const section = app.locator('#sec-controls');
  if ((await section.getAttribute('open')) === null) await section.click({ position: { x: 60, y: 10 } });
  await app.locator('#sec-controls[open]').waitFor();
  await app.locator('#ctl-reduction').waitFor({ state: 'visible' });
}

/**
 * Asserts that the panel's header shows the file's name and the status whole, beside Open in Editor
 * Area, nothing overlapping (./headerFit.ts, by element geometry): now, and at every change of the
 * panel since the first call in this webview (the first call starts watching, so call it before the
 * action whose states are to be measured). Returns the states measured, `status | badge | width`.
 */
export async function assertHeaderFits(panel: FrameLocator | Frame, where: string): Promise<string[]> {
  const r = await panel.locator('#app').evaluate(headerCheck);
  assert.deepEqual([...r.now, ...r.seen], [], `${where}: the header in ${JSON.stringify(r.states)}`);
  return r.states;
}
