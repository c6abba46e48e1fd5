// `npm run bench:ui`: latency a user feels in the real VS Code (code-server + Chromium, the UI tests'
// harness), driven with the mouse and keyboard. Prints p50/p95 against each goal with ✓/✗:
//   panel open   click (CodeLens, activity bar) or Enter (Focus on Loss Inspector View) → the panel painted with numbers
//   hover        the pointer stops on a logit → the hover painted
//   edit         the keystroke → CodeLens, inline values, diagnostics and panel each repainted
//   activation   "Activation: N ms" as Developer: Show Running Extensions reports it
// Not part of `npm test`: it asserts nothing, and its figures depend on the machine's load.
//
// Clock: `performance.timeOrigin + performance.now()` in the frame where each event happens (the
// workbench for input, the webview for the panel's own paint): one clock across frames. "Painted" is
// a requestAnimationFrame callback followed by a task, once the condition holds.
//
// The extension is installed (a link in the extensions folder), not loaded for development: VS Code
// fixes its provider debounces at 1.5 × their minimum for development extensions, and a user gets
// the adaptive ones. `--dev` loads it for development instead.
//
//   node out/test/e2e/uiBench.js [--runs N] [--ext DIR]... [--only panel,hover,edit,activation] [--dev]
//                                [--json FILE] [--vscode minimum|newest]
// Several --ext run one after another (each in its own VS Code) and print side by side, e.g. a
// build of main against this checkout.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { VscodeTarget } from '../integration/harness/codeServer';
import { startSession, type Session } from '../integration/harness/session';
import { activeEditor, openFile, waitForWorkbench } from './helpers';
import { benchActivation, focusEditor, paletteReady, saveAll } from './uiBenchActivation';
import { activityItem, codeLens, percentile } from './panelHelpers';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** `editor.hover.delay` in the harness's settings (test/integration/harness/codeServer.ts). */
const hoverDelayMs = 100;
/** `lossInspector.debounceMs`'s default. */
const debounceMs = 300;
const goals = {
  panel: 300,
  hover: hoverDelayMs + 60,
  edit: debounceMs + 100,
  activation: 10,
};
const lensText = 'cross-entropy 2.3519 · Inspect';

interface Options {
  runs: number;
  exts: string[];
  only: Set<string>;
  dev: boolean;
  json: string | undefined;
  target: VscodeTarget;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    runs: 20,
    exts: [],
    only: new Set(['panel', 'hover', 'edit', 'activation']),
    dev: false,
    json: undefined,
    target: 'minimum',
  };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case '--runs':
        o.runs = Math.max(1, Number(value()));
        break;
      case '--ext':
        o.exts.push(path.resolve(value()));
        break;
      case '--only':
        o.only = new Set(value().split(','));
        break;
      case '--dev':
        o.dev = true;
        break;
      case '--json':
        o.json = path.resolve(value());
        break;
      case '--vscode':
        o.target = value() as VscodeTarget;
        break;
      default:
        throw new Error(`unknown flag ${argv[i]} (see the top of test/e2e/uiBench.ts)`);
    }
  }
  if (o.exts.length === 0) o.exts.push(repoRoot);
  return o;
}

/** One figure: its samples (ms) and what was missing. */
interface Series {
  samples: number[];
  missed: number;
}
type Results = Record<string, Series>;

function add(results: Results, name: string, ms: number | undefined): void {
  const s = (results[name] ??= { samples: [], missed: 0 });
  if (ms === undefined || !Number.isFinite(ms)) s.missed++;
  else s.samples.push(ms);
}

/**
 * Runs in every frame at its creation (page.addInitScript): stamps the latest input events, and in
 * the panel's frame the first paint with a loss number in the headline.
 */
function probe(): void {
  const w = window as unknown as { __li?: Record<string, number | boolean> };
  if (w.__li) return;
  const now = () => performance.timeOrigin + performance.now();
  const li: Record<string, number | boolean> = { down: NaN, key: NaN, move: NaN, numbersAt: NaN };
  w.__li = li;
  addEventListener('mousedown', () => (li.down = now()), true);
  addEventListener('keydown', () => (li.key = now()), true);
  addEventListener('mousemove', () => (li.move = now()), true);
  // A webview is an outer frame (VS Code's index.html) holding the page in `#active-frame`, whose
  // HTML VS Code writes with document.open(), which drops that window's listeners and callbacks.
  // So the outer frame watches the inner document, once per animation frame (both are on one
  // origin here): a DOM that holds the numbers in a requestAnimationFrame callback is painted in it.
  if (window === window.top || !location.pathname.endsWith('/webview/browser/pre/index.html')) return;
  const created = performance.now();
  const check = () => {
    const inner = (document.getElementById('active-frame') as HTMLIFrameElement | null)?.contentDocument;
    const el = inner?.getElementById('headline-loss');
    if (el && /\d/.test(el.textContent ?? '')) {
      setTimeout(() => (li.numbersAt = now()), 0);
      return;
    }
    if (performance.now() - created < 120_000) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

const trace = process.env.E2E_BENCH_TRACE === '1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stamp(frame: Page | Frame, name: string): Promise<number> {
  return frame.evaluate((n) => {
    const li = (window as unknown as { __li?: Record<string, number> }).__li;
    return li ? li[n] : NaN;
  }, name);
}

/** The visible webview frame holding the panel's #app, if any (no waiting). */
async function visiblePanelFrame(page: Page): Promise<Frame | undefined> {
  return (await visiblePanelFrames(page))?.inner;
}

/** The visible webview's outer frame and the panel's frame inside it. */
async function visiblePanelFrames(page: Page): Promise<{ outer: Frame; inner: Frame } | undefined> {
  for (const outer of await page.locator('iframe.webview.ready').all()) {
    if (!(await outer.isVisible().catch(() => false))) continue;
    const outerFrame = await (await outer.elementHandle().catch(() => null))?.contentFrame();
    const inner = await (
      await outerFrame
        ?.locator('#active-frame')
        .elementHandle()
        .catch(() => null)
    )?.contentFrame();
    if (
      outerFrame &&
      inner &&
      (await inner
        .locator('#app')
        .count()
        .catch(() => 0)) > 0
    )
      return { outer: outerFrame, inner };
  }
  return undefined;
}

/**
 * Arms a loop in the workbench that stamps the first painted frame in which a webview iframe is
 * visible (a retained webview shows its old content as soon as it is visible).
 */
async function armWebviewVisible(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __li: Record<string, number | boolean> };
    w.__li.visibleAt = NaN;
    const started = performance.now();
    const loop = () => {
      const shown = Array.from(document.querySelectorAll('iframe.webview')).some((f) => {
        const r = f.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(f).visibility === 'visible';
      });
      if (shown) setTimeout(() => (w.__li.visibleAt = performance.timeOrigin + performance.now()), 0);
      else if (performance.now() - started < 30_000) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
}

/** Shows the Explorer in the side bar, which hides the panel's container (a second click would close the side bar). */
async function hidePanel(page: Page): Promise<void> {
  if (!(await page.locator('.explorer-folders-view').isVisible())) await activityItem(page, 'Explorer').click();
  await page.locator('.explorer-folders-view').waitFor();
  for (let i = 0; i < 100 && (await visiblePanelFrame(page)); i++) await sleep(50);
  await sleep(400);
}

/** Milliseconds from `start` (a stamp) to the panel painted with numbers; undefined after 20 s. */
async function panelShownAfter(page: Page, start: number): Promise<number | undefined> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const frame = (await visiblePanelFrames(page))?.outer;
    if (frame) {
      const numbersAt = await stamp(frame, 'numbersAt').catch(() => NaN);
      const visibleAt = await stamp(page, 'visibleAt');
      if (trace)
        console.log(
          `  trace: start ${start} visibleAt ${visibleAt} numbersAt ${numbersAt} ${await frame
            .evaluate(() => `${JSON.stringify((window as unknown as { __li?: unknown }).__li)} ${location.href}`)
            .catch(String)}`,
        );
      if (Number.isFinite(numbersAt) && Number.isFinite(visibleAt)) return Math.max(numbersAt, visibleAt) - start;
    }
    await sleep(50);
  }
  return undefined;
}

/** The palette's label of the command VS Code contributes for the panel's view (focus it, opening it). */
const focusViewLabel = 'Loss Inspector: Focus on Loss Inspector View';

async function benchPanel(page: Page, runs: number, results: Results): Promise<void> {
  const ways: [string, () => Promise<number>][] = [
    [
      'panel: CodeLens click',
      async () => {
        await codeLens(page, lensText).click();
        return stamp(page, 'down');
      },
    ],
    [
      'panel: activity bar click',
      async () => {
        await activityItem(page, 'Loss Inspector').click();
        return stamp(page, 'down');
      },
    ],
    [
      // Show Panel is not in the palette; the view's own "Focus on … View" command is the way in by name.
      'panel: Focus View command',
      async () => {
        // The figure starts at the Enter key, so paletteReady's retries cost nothing.
        await paletteReady(page, focusViewLabel);
        await page.keyboard.press('Enter');
        return stamp(page, 'key');
      },
    ],
  ];
  // The very first open of the session (the webview does not exist yet) is reported on its own.
  await hidePanel(page);
  await armWebviewVisible(page);
  const firstStart = await ways[0][1]();
  add(results, 'panel: first open (CodeLens)', await panelShownAfter(page, firstStart));
  for (let i = 0; i < runs; i++) {
    for (const [name, open] of ways) {
      await hidePanel(page);
      await armWebviewVisible(page);
      const start = await open();
      add(results, name, await panelShownAfter(page, start));
    }
  }
  // What keeping the page costs while hidden. Here the webview shares the workbench's renderer (one
  // origin), so the page-wide counters after a garbage collection, panel hidden, are compared
  // between builds: a retained page keeps its document, DOM and script heap.
  await hidePanel(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const dom = (await cdp.send('Memory.getDOMCounters')) as { documents: number; nodes: number };
  await cdp.detach();
  console.log(
    `  panel hidden, after GC: ${(heap.usedSize / 1e6).toFixed(1)} MB JS heap (workbench), ${dom.documents} documents, ${dom.nodes} DOM nodes`,
  );
  results['hidden: JS heap MB (page)'] = { samples: [heap.usedSize / 1e6], missed: 0 };
  results['hidden: DOM nodes (page)'] = { samples: [dom.nodes], missed: 0 };
}

/** Client coordinates of the middle of `word` on the first rendered line holding it. */
async function wordBox(page: Page, word: string, end = false): Promise<{ x: number; y: number }> {
  const box = await activeEditor(page)
    .locator('.view-lines')
    .evaluate(
      (root, { word, end }) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = (node.textContent ?? '').replace(/\u00a0/g, ' ');
          const at = text.indexOf(word);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          const r = range.getBoundingClientRect();
          return { x: end ? r.right - 1 : r.left + r.width / 2, y: r.top + r.height / 2 };
        }
        return undefined;
      },
      { word, end },
    );
  if (!box) throw new Error(`"${word}" is not rendered in the editor`);
  return box;
}

async function benchHover(page: Page, runs: number, results: Results): Promise<void> {
  await focusEditor(page);
  const target = await wordBox(page, '0.0195');
  for (let i = 0; i < runs; i++) {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await sleep(500);
    await page.evaluate((expected) => {
      const w = window as unknown as { __li: Record<string, number | boolean> };
      w.__li.hoverAt = NaN;
      const seen = () =>
        Array.from(document.querySelectorAll('.monaco-hover:not(.hidden)')).some((h) =>
          (h.textContent ?? '').includes(expected),
        );
      const observer = new MutationObserver(() => {
        if (!seen()) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => (w.__li.hoverAt = performance.timeOrigin + performance.now()), 0));
      });
      observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    }, '2.5601');
    await page.mouse.move(target.x, target.y);
    const moved = await stamp(page, 'move');
    let at = NaN;
    for (let t = 0; t < 100 && !Number.isFinite(at); t++) {
      await sleep(50);
      at = await stamp(page, 'hoverAt');
    }
    add(results, 'hover', Number.isFinite(at) ? at - moved : undefined);
  }
  await page.mouse.move(5, 5);
}

/** What the editor shows that the edit should change, as text per surface. */
async function editorSurfaces(page: Page): Promise<{ lens: string; inline: string; diag: string }> {
  return activeEditor(page).evaluate((root) => ({
    lens: Array.from(root.querySelectorAll('.codelens-decoration'))
      .map((e) => e.textContent)
      .join('|'),
    inline: Array.from(root.querySelectorAll('.view-lines span[class*="dyn-rule-"]'))
      .map((e) => e.textContent)
      .join('|'),
    diag: String(root.querySelectorAll('.view-overlays [class*="squiggly-"]').length),
  }));
}

async function benchEdit(page: Page, runs: number, results: Results): Promise<void> {
  // The panel shows the pair being edited, next to the editor.
  await codeLens(page, lensText).click();
  let panel: Frame | undefined;
  for (let i = 0; i < 200 && !panel; i++) {
    panel = await visiblePanelFrame(page);
    if (!panel) await sleep(100);
  }
  if (!panel) throw new Error('the panel did not open');
  await sleep(1000);
  const spot = await wordBox(page, '0.805', true);
  for (let i = 0; i < runs; i++) {
    await page.mouse.click(spot.x, spot.y);
    await page.keyboard.press('End');
    await page.mouse.click(spot.x, spot.y);
    await page.keyboard.press('Shift+ArrowLeft');
    const before = await editorSurfaces(page);
    const panelBefore = await panel.evaluate(() => document.getElementById('headline-loss')?.textContent ?? '');
    await page.evaluate((b) => {
      const w = window as unknown as { __li: Record<string, number | boolean> };
      for (const k of ['lensAt', 'inlineAt', 'diagAt']) w.__li[k] = NaN;
      const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
      if (!editor) return;
      const read = () => ({
        lens: Array.from(editor.querySelectorAll('.codelens-decoration'))
          .map((e) => e.textContent)
          .join('|'),
        inline: Array.from(editor.querySelectorAll('.view-lines span[class*="dyn-rule-"]'))
          .map((e) => e.textContent)
          .join('|'),
        diag: String(editor.querySelectorAll('.view-overlays [class*="squiggly-"]').length),
      });
      const pending = new Set(['lens', 'inline', 'diag']);
      const observer = new MutationObserver(() => {
        const now = read();
        for (const k of [...pending]) {
          if (now[k as keyof typeof now] === b[k as keyof typeof b]) continue;
          pending.delete(k);
          requestAnimationFrame(() =>
            setTimeout(() => (w.__li[`${k}At`] = performance.timeOrigin + performance.now()), 0),
          );
        }
        if (pending.size === 0) observer.disconnect();
      });
      observer.observe(editor, { childList: true, subtree: true, characterData: true, attributes: true });
      setTimeout(() => observer.disconnect(), 10_000);
    }, before);
    await panel.evaluate((was) => {
      const w = window as unknown as { __li: Record<string, number | boolean> };
      w.__li.panelAt = NaN;
      const app = document.getElementById('app');
      if (!app) return;
      const observer = new MutationObserver(() => {
        const now = document.getElementById('headline-loss')?.textContent ?? '';
        if (now === was || !/\d/.test(now)) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => (w.__li.panelAt = performance.timeOrigin + performance.now()), 0));
      });
      observer.observe(app, { childList: true, subtree: true, characterData: true });
    }, panelBefore);
    // 0.805 ↔ 0.806: the loss changes in its 4th decimal, so the claim `tensor(2.3519)` breaks and mends.
    await page.keyboard.type(i % 2 === 0 ? '6' : '5');
    const key = await stamp(page, 'key');
    const got: Record<string, number> = {};
    for (let t = 0; t < 60; t++) {
      await sleep(100);
      for (const k of ['lens', 'inline', 'diag']) got[k] = await stamp(page, `${k}At`);
      got.panel = await stamp(panel, 'panelAt').catch(() => NaN);
      if (Object.values(got).every(Number.isFinite)) break;
    }
    const names: Record<string, string> = {
      lens: 'edit → CodeLens',
      inline: 'edit → inline values',
      diag: 'edit → diagnostics',
      panel: 'edit → panel',
    };
    for (const [k, name] of Object.entries(names))
      add(results, name, Number.isFinite(got[k]) ? got[k] - key : undefined);
    const all = Object.values(got).filter(Number.isFinite);
    add(results, 'edit → all four (the last)', all.length === 4 ? Math.max(...all) - key : undefined);
    add(results, 'edit → spread (last − first)', all.length === 4 ? Math.max(...all) - Math.min(...all) : undefined);
    // The same keystroke's two paints, so the machine's load mostly cancels out.
    add(results, 'edit → panel − inline values', got.panel! - got.inline!);
    await sleep(800);
  }
  // Leave the text as it was (an odd number of runs ends on 0.806).
  if (runs % 2 === 1) {
    await page.mouse.click(spot.x, spot.y);
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.type('5');
  }
  // And saved: the edits leave the editor modified even where its text is back to the file's, and a
  // modified editor can stop the activation part's page reload (the workbench vetoes the unload
  // while a backup of it is pending, and the reload then waits for a load that never comes).
  await saveAll(page);
}

async function runOne(ext: string, o: Options): Promise<Results> {
  const results: Results = {};
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'li-uibench-'));
  fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'workspace', 'seed_batch.py'), path.join(folder, 'bench.py'));
  let session: Session | undefined;
  const stop = () => void (session?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    session = await startSession({
      repoRoot,
      folder,
      developmentExtension: o.dev ? ext : '',
      installedExtensions: o.dev ? [] : [ext],
      target: o.target,
      echo: () => undefined,
    });
    const { page } = session;
    await page.addInitScript(probe);
    await waitForWorkbench(page);
    await page.evaluate(probe);
    await openFile(page, 'bench.py');
    await codeLens(page, lensText).waitFor({ timeout: 120_000 });
    await sleep(2000);
    const sections: [string, () => Promise<void>][] = [
      ['panel', () => benchPanel(page, o.runs, results)],
      ['hover', () => benchHover(page, o.runs, results)],
      ['edit', () => benchEdit(page, o.runs, results)],
      [
        'activation',
        () => benchActivation(page, o.runs, lensText, (ms) => add(results, 'activation (Running Extensions)', ms)),
      ],
    ];
    for (const [name, run] of sections) {
      if (!o.only.has(name)) continue;
      try {
        await run();
      } catch (err) {
        console.error(`[bench:ui] ${name} stopped: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        const shot = path.join('test-results', `bench-ui-${name}-stopped.png`);
        await page.screenshot({ path: shot }).then(
          () => console.error(`[bench:ui] screenshot: ${shot}`),
          () => undefined,
        );
        await page.keyboard.press('Escape').catch(() => undefined);
      }
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await session?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return results;
}

function goalOf(name: string): number | undefined {
  if (name.startsWith('panel')) return goals.panel;
  if (name === 'hover') return goals.hover;
  if (name.startsWith('edit') && !name.includes('spread') && !name.includes(' − ')) return goals.edit;
  if (name.startsWith('activation')) return goals.activation;
  return undefined;
}

function print(all: { ext: string; results: Results }[], runs: number): void {
  const names = [...new Set(all.flatMap((a) => Object.keys(a.results)))];
  const f = (v: number) => v.toFixed(0).padStart(5);
  console.log(
    `\nuser-felt latency, ${runs} runs each; machine: ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );
  const header = ['figure'.padEnd(32), 'goal'.padStart(6)];
  for (const a of all) header.push(`${path.basename(a.ext)}: p50   p95 `.padStart(22));
  console.log(header.join(' '));
  for (const name of names) {
    const goal = goalOf(name);
    const row = [name.padEnd(32), (goal === undefined ? '' : `≤${goal}`).padStart(6)];
    for (const a of all) {
      const s = a.results[name];
      if (!s || s.samples.length === 0) {
        row.push('—'.padStart(22));
        continue;
      }
      const p50 = percentile(s.samples, 0.5);
      const p95 = percentile(s.samples, 0.95);
      const mark = goal === undefined ? ' ' : p95 <= goal && s.missed === 0 ? '✓' : '✗';
      row.push(`${f(p50)} ${f(p95)} ${mark}${s.missed ? ` (${s.missed} missed)` : ''}`.padStart(22));
    }
    console.log(row.join(' '));
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const all: { ext: string; results: Results }[] = [];
  for (const ext of o.exts) {
    if (!fs.existsSync(path.join(ext, 'dist', 'extension.js'))) throw new Error(`${ext}/dist/extension.js is missing`);
    console.log(`[bench:ui] ${ext} (${o.dev ? 'development' : 'installed'})`);
    const started = Date.now();
    all.push({ ext, results: await runOne(ext, o) });
    console.log(`[bench:ui] done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  print(all, o.runs);
  if (o.json) {
    fs.mkdirSync(path.dirname(o.json), { recursive: true });
    fs.writeFileSync(
      o.json,
      `${JSON.stringify({ goals, loadAverage: os.loadavg(), runs: o.runs, results: all }, null, 2)}\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[bench:ui] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
