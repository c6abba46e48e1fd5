// Playwright helpers for UI tests against the real workbench (docs/testing.md).
// Each wait here is one that the recipe found necessary for reliable runs; keep them when editing.
// UI test files (`ui.ts`, `*.ui.ts`) get the running workbench from `workbench()`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ConsoleLog } from '../integration/harness/session';

// The few DOM shapes the in-page functions below use: tsconfig has no DOM lib on purpose (src/ must
// not use it), so these functions, which run in the page, get local types instead.
interface DomNode {
  textContent: string | null;
}
interface DomElement extends DomNode {
  style: { top: string };
  matches(selector: string): boolean;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  classList: { contains(name: string): boolean };
  parentElement: DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}
interface DomDocument {
  createRange(): {
    setStart(node: DomNode, offset: number): void;
    setEnd(node: DomNode, offset: number): void;
    getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  };
  createTreeWalker(root: DomElement, whatToShow: number): { nextNode(): DomNode | null };
}
const SHOW_TEXT = 4; // NodeFilter.SHOW_TEXT

/** The workbench the runner (runUi.ts) started for all UI test files. */
export interface Workbench {
  page: Page;
  /** Page console, including every extension-host console line. */
  console: ConsoleLog;
  /** The workspace folder that is open. */
  folder: string;
  repoRoot: string;
  /** The `--locale` the workbench was started with (e.g. `ko`), if any. */
  locale?: string | undefined;
}

// Each UI test file is its own bundle with its own copy of this module; the global is what they share.
const slot = Symbol.for('loss-inspector.e2e.workbench');
type Global = typeof globalThis & { [slot]?: Workbench };

/** Called by the runner before mocha loads the test files. */
export function setWorkbench(workbench: Workbench): void {
  (globalThis as Global)[slot] = workbench;
}

/** The running workbench; throws outside the UI runner. */
export function workbench(): Workbench {
  const current = (globalThis as Global)[slot];
  if (!current) throw new Error('no workbench: UI tests run through out/test/e2e/runUi.js');
  return current;
}

/** The line `activate()` prints; the most reliable "extension ready" signal. */
export const activatedLine = '[loss-inspector] activated';

const quickInput = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');
/**
 * Injected text (inlay hints, and other text decorations that render as text) is a token span whose
 * only class is a generated `dyn-rule-*` one (inlayHintsController.ts); document tokens have `mtk*`.
 */
const injectedText = 'span[class*="dyn-rule-"]';
/** The editor of the active group (other groups and the output panel also contain Monaco editors). */
export const activeEditor = (page: Page): Locator =>
  page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();

/**
 * Waits until the workbench is usable: visible, and the explorer lists the folder, which means the
 * folder is resolved and the layout has settled.
 */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
}

/**
 * Types `text` into an open quick input and presses Enter once the focused row contains `rowText`.
 * Waiting for the focused row matters: the list filters asynchronously, and an early Enter runs
 * whatever was focused before (such as a recently used command).
 */
async function acceptQuickInput(page: Page, text: string, rowText: string | RegExp): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Runs a command from the palette (F1) by its label as shown there, e.g. "Loss Inspector: Show Panel". */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await acceptQuickInput(page, `>${label}`, label);
}

/**
 * Opens quick open (Ctrl+P), asking again a few times before giving up: paused in the debugger with a
 * hover just closed, or with the focus left inside a webview (the panel's, after a test moved it
 * there), a first Ctrl+P was seen to open nothing, and the test then waited out its whole time-out.
 */
async function openQuickOpen(page: Page, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const shown = await quickInput(page)
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (shown) return;
    console.warn(`[ui] Ctrl+P opened no quick input (attempt ${attempt}, to open ${what})`);
    if (attempt === 3) throw new Error(`quick open did not open after ${attempt} Ctrl+P presses (to open ${what})`);
  }
}

/**
 * Opens a workspace file with quick open (Ctrl+P) and waits until its tab is active and its
 * editor shows text.
 */
export async function openFile(page: Page, name: string): Promise<void> {
  await openQuickOpen(page, name);
  await acceptQuickInput(page, name, path.basename(name));
  await page.locator('.editor-group-container.active .tab.active', { hasText: path.basename(name) }).waitFor();
  await activeEditor(page).locator('.view-line').first().waitFor();
}

/** Opens a view by its title through quick open's "view " mode (works whatever container holds it). */
export async function openView(page: Page, viewTitle: string): Promise<void> {
  await openQuickOpen(page, viewTitle);
  await acceptQuickInput(page, `view ${viewTitle}`, viewTitle);
}

/**
 * The document text of the active editor's rendered lines, in line order (only what is scrolled into
 * view). Injected text such as inlay hints is left out (see `injectedText`); `readInlayHints` reads it.
 */
export async function editorText(page: Page): Promise<string> {
  const editor = activeEditor(page);
  await editor.locator('.view-line').first().waitFor();
  return editor.evaluate(
    (root: DomElement, injected) =>
      Array.from(root.querySelectorAll('.view-lines .view-line'))
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) =>
          Array.from(line.querySelectorAll(':scope > span > span'))
            .filter((token) => !token.matches(injected))
            .map((token) => token.textContent ?? '')
            .join('')
            // Monaco renders spaces as no-break spaces.
            .replace(/\u00a0/g, ' '),
        )
        .join('\n'),
    injectedText,
  );
}

/**
 * The rendered `.view-line` of 1-based `lineNumber` in the active editor. View lines are absolutely
 * positioned and recycled, so the line is found through the line-number gutter row at the same top.
 * The tops are compared as values (`style.top`), not as attribute text: Monaco writes them as
 * `top:187px;` at first and as `top: 187px;` once it moves a line (CodeLenses arriving), so a
 * `[style*="top:187px;"]` selector stops matching. The line found is tagged `data-e2e-line` (the
 * tag moves with every call; a recycled node loses it on the next call).
 */
export async function editorLine(page: Page, lineNumber: number): Promise<Locator> {
  const editor = activeEditor(page);
  const gutter = editor.locator('.margin-view-overlays .line-numbers', {
    hasText: new RegExp(`^\\s*${lineNumber}\\s*$`),
  });
  await gutter.first().waitFor();
  for (let attempt = 0; ; attempt++) {
    const found = await editor.evaluate((root: DomElement, n) => {
      const rows = Array.from(root.querySelectorAll('.margin-view-overlays .line-numbers'));
      const row = rows.find((r) => (r.textContent ?? '').trim() === String(n));
      const top = row?.parentElement?.style.top;
      for (const tagged of Array.from(root.querySelectorAll('[data-e2e-line]')))
        tagged.removeAttribute('data-e2e-line');
      const line = top
        ? Array.from(root.querySelectorAll('.view-lines .view-line')).find((l) => l.style.top === top)
        : undefined;
      line?.setAttribute('data-e2e-line', String(n));
      return line !== undefined;
    }, lineNumber);
    if (found) return editor.locator(`.view-lines .view-line[data-e2e-line="${lineNumber}"]`);
    // Gutter and lines are updated in the same frame; a miss is a frame in between.
    if (attempt > 50) throw new Error(`line ${lineNumber} has a line number but no rendered view line`);
    await page.waitForTimeout(50);
  }
}

/**
 * Hovers `word` in the active editor (its `occurrence`-th appearance in the document text, on `line`
 * if given) and waits for a visible hover containing `expected`; returns the hover's text.
 * - The word is measured with a DOM Range, so it works whatever the tokenization; inlay hints and
 *   other injected text are skipped.
 * - The mouse first leaves the editor so that a hover already open is re-triggered; hidden hover
 *   widgets stay in the DOM, hence `:not(.hidden)`.
 * - Lines move when CodeLenses or other view zones arrive, so the word is measured again and hovered
 *   again until the expected hover shows (up to `timeoutMs`).
 */
export async function hoverText(
  page: Page,
  word: string,
  expected: string | RegExp,
  options: { line?: number; occurrence?: number; timeoutMs?: number } = {},
): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expected }).first();
  for (let attempt = 1; ; attempt++) {
    const scope =
      options.line !== undefined ? await editorLine(page, options.line) : activeEditor(page).locator('.view-lines');
    // The line editorLine tagged can be rendered anew (a lens or an inline value arriving) before it
    // is read, and the tag is gone with it: a fresh-clone CI run waited out 60 s on such a locator.
    // Tag and read again on a miss, within the hover's deadline.
    const found = await scope
      .first()
      .waitFor({ timeout: 2_000 })
      .then(
        () => true,
        () => false,
      );
    if (!found) {
      if (Date.now() >= deadline)
        throw new Error(`line ${options.line ?? '?'} kept being re-rendered while "${word}" was hovered`);
      continue;
    }
    const box = await scope
      .first()
      .evaluate(
        (root: DomElement, { word, occurrence, showText, injected }) => {
          const doc = (globalThis as unknown as { document: DomDocument }).document;
          const lines = root.classList.contains('view-line')
            ? [root]
            : Array.from(root.querySelectorAll('.view-line')).sort(
                (a, b) => parseFloat(a.style.top) - parseFloat(b.style.top),
              );
          let seen = 0;
          for (const line of lines) {
            for (const token of Array.from(line.querySelectorAll(':scope > span > span'))) {
              if (token.matches(injected)) continue;
              const walker = doc.createTreeWalker(token, showText);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const text = (node.textContent ?? '').replace(/\u00a0/g, ' ');
                for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
                  if (seen++ < occurrence) continue;
                  const range = doc.createRange();
                  range.setStart(node, at);
                  range.setEnd(node, at + word.length);
                  const r = range.getBoundingClientRect();
                  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
                }
              }
            }
          }
          return undefined;
        },
        { word, occurrence: options.occurrence ?? 0, showText: SHOW_TEXT, injected: injectedText },
        { timeout: 2_000 },
      )
      .catch(() => null);
    if (box === null) {
      if (Date.now() >= deadline)
        throw new Error(`line ${options.line ?? '?'} kept being re-rendered while "${word}" was hovered`);
      continue;
    }
    if (!box)
      throw new Error(
        `"${word}" is not rendered in the active editor${options.line ? ` on line ${options.line}` : ''}`,
      );
    await page.mouse.move(5, 5);
    await page.mouse.move(box.x, box.y, { steps: 2 });
    const remaining = deadline - Date.now();
    try {
      // A short first wait: a hover that has not come by then was most likely aimed at a moved line.
      await hover.waitFor({ timeout: Math.max(1_000, Math.min(remaining, attempt === 1 ? 5_000 : 10_000)) });
      return await hover.innerText();
    } catch (err) {
      if (Date.now() >= deadline) {
        const shown = await page
          .locator('.monaco-hover:not(.hidden)')
          .allInnerTexts()
          .catch(() => []);
        throw new Error(
          `no hover containing ${String(expected)} over "${word}" after ${attempt} attempts; visible hovers: ${JSON.stringify(shown)}`,
          { cause: err },
        );
      }
    }
  }
}

/**
 * The inlay hints (injected text, see `injectedText`) rendered on 1-based `lineNumber`, left to right.
 * Polls until a hint matching `expected` is there (any hint when `expected` is omitted).
 */
export async function readInlayHints(
  page: Page,
  lineNumber: number,
  expected?: string | RegExp,
  timeoutMs = 30_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = await editorLine(page, lineNumber);
    const hints = await line
      .first()
      .evaluate(
        (el: DomElement, injected) =>
          Array.from(el.querySelectorAll(injected))
            .map((span) => (span.textContent ?? '').replace(/\u00a0/g, ' ').trim())
            .filter((text) => text.length > 0),
        injectedText,
        { timeout: 2_000 },
      )
      .catch(() => [] as string[]);
    const found =
      expected === undefined
        ? hints.length > 0
        : hints.some((h) => (typeof expected === 'string' ? h.includes(expected) : expected.test(h)));
    if (found) return hints;
    if (Date.now() > deadline) {
      throw new Error(
        `no inlay hint${expected ? ` matching ${String(expected)}` : ''} on line ${lineNumber} within ${timeoutMs / 1000} s (saw ${JSON.stringify(hints)})`,
      );
    }
    await page.waitForTimeout(100);
  }
}

/**
 * Opens the webview view titled `viewTitle` and returns a locator for `selector` inside its content.
 * A webview is an outer `iframe.webview.ready` holding an inner `#active-frame`; the outer frames are
 * not inside the view's DOM (they are overlaid), so the visible one whose content has `selector` is it.
 * Wait for the *text* you expect on the returned locator: the outer frame is "ready" before content is posted.
 */
export async function webviewLocator(
  page: Page,
  viewTitle: string,
  selector: string,
  timeoutMs = 30_000,
): Promise<Locator> {
  await openView(page, viewTitle);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const outer of await page.locator('iframe.webview.ready').all()) {
      if (!(await outer.isVisible().catch(() => false))) continue;
      const inner = outer.contentFrame().locator('#active-frame').contentFrame().locator(selector);
      if ((await inner.count().catch(() => 0)) > 0) return inner;
    }
    if (Date.now() > deadline)
      throw new Error(`no visible webview of "${viewTitle}" contains ${selector} within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(100);
  }
}

/** Saves a PNG of the whole page as test-results/<name>.png (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string, repoRoot = workbench().repoRoot): Promise<string> {
  const file = path.join(repoRoot, 'test-results', `${name.replace(/[^\w.-]+/g, '-')}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}
