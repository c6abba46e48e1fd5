// Panel speed in the real VS Code: the time from selecting a (64, 50 257) pair
// with its CodeLens to the panel painted, p95 over ≥ 20 selections (goal ≤ 150 ms), plus the first
// (cold) selection, paging samples and switching the reduction, the dtype and the label smoothing. Figures go to
// test-results/panel-speed.json. The pair is generated at test time (test/e2e/bigPair.ts, 17 MB).
//
// Clock: `performance.timeOrigin + performance.now()` in the frame where each event happens (the
// workbench for a CodeLens click, the webview for its own buttons); one clock across frames.
// Start: the `mousedown` of the click. End: the first frame painted after the panel shows the
// selected pair's result (a requestAnimationFrame callback followed by a task).
//
// Per hop: the sample, reduction, dtype and ε changes are also split into hops (hopTable.ts: the
// webview's marks, the host's and the worker's hops sent with the snapshot while
// LOSS_INSPECTOR_PANEL_TRACE=1, which runUi sets), printed as a p50 / p95 table and kept under `hops`
// in the JSON. E2E_SPEED_PROFILE=dir writes a CPU profile of the panel's renderer per kind of change.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { CDPSession, Frame, Locator, Page } from 'playwright-core';
import { bigC, bigN, bigPairTorchScript, writeBigPair } from './bigPair';
import { activatedLine, activeEditor, screenshot, workbench } from './helpers';
import { changeHops, hopFigures, hopTable } from './hopTable';
import {
  activityItem,
  armPaintProbe,
  focusWorkbench,
  panelVisible,
  lastMouseDown,
  openOptions,
  openPath,
  paintedAt,
  paintHeldAt,
  panelFrame,
  panelPageFrame,
  percentile,
  recordMouseDowns,
  type PaintCondition,
} from './panelHelpers';
import { recordLongTasks, selectionHops, selectionLines, type SelectionHops } from './selectionHops';

/** How many selections of the big pair are timed (at least 20, so the p95 is more than the worst two). */
const selections = Number(process.env.E2E_SPEED_SELECTIONS || 24);
const trace = process.env.E2E_SPEED_TRACE === '1';
/** How many reduction, dtype and label-smoothing changes are timed (at least 20, for a p95). */
const optionSwitches = Number(process.env.E2E_SPEED_SWITCHES || 20);
/** The goal for the p95 of a selection. */
const goalMs = 150;

/** What torch prints for the big pair, from the same generator (bigPair.ts); null without torch. */
function torchReference(): string | null {
  try {
    return execFileSync('/usr/bin/python3', ['-c', bigPairTorchScript], { encoding: 'utf8', timeout: 120_000 }).trim();
  } catch {
    return null;
  }
}

interface Figures {
  samples: number[];
  p50: number;
  p95: number;
  max: number;
}

function figures(samples: number[]): Figures {
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    samples: samples.map(round),
    p50: round(percentile(samples, 0.5)),
    p95: round(percentile(samples, 0.95)),
    max: round(Math.max(...samples)),
  };
}

suite('panel speed (64 × 50 257)', function () {
  this.timeout(300_000);
  let page: Page;
  let file: string;
  let big: Locator;
  let small: Locator;
  let frame: Frame;
  let printed: string;
  const bigShown: PaintCondition = {
    has: [
      ['#headline-loss', ''],
      ['.facts', `(${bigN}, ${bigC})`],
    ],
    lacks: ['.status-computing'],
  };
  const smallShown: PaintCondition = {
    has: [
      ['#headline-loss', '2.1438'],
      ['.facts', '(1, 10)'],
    ],
    lacks: ['.status-computing'],
  };
  const result: Record<string, unknown> = {
    goalMs,
    pair: [bigN, bigC],
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100) },
  };

  /** Each timed change's hops, by kind (see hopTable.ts). */
  const hopsOf: Record<string, Map<string, number>[]> = {};
  /** Each timed change's messages from the host between the input and the paint, by type, by kind. */
  const arrivalsOf: Record<string, string[][]> = {};

  /**
   * The milliseconds from the input stamped by `input` (read once the panel painted) to that paint,
   * keeping the change's hops under `kind`.
   */
  async function timeChange(kind: string, input: () => Promise<number>): Promise<number> {
    await profile(kind);
    await chromeTrace(kind);
    const end = await paintedAt(frame);
    const down = await input();
    const hops = await changeHops(frame, down, await paintHeldAt(frame), end);
    if (hops) (hopsOf[kind] ??= []).push(hops);
    (arrivalsOf[kind] ??= []).push(await arrivalsBetween(frame, down, end));
    if (trace)
      console.log(`PERFT ${kind} down ${down.toFixed(1)} end ${end.toFixed(1)} took ${(end - down).toFixed(1)}`);
    return end - down;
  }

  /** E2E_SPEED_PROFILE=dir: a CPU profile of the renderer that runs the panel, per kind of change (dir/<kind>.cpuprofile). */
  const profileDir = process.env.E2E_SPEED_PROFILE;
  let profiling: { kind: string; session: CDPSession } | undefined;
  async function profile(kind: string | null): Promise<void> {
    if (!profileDir || profiling?.kind === kind) return;
    if (profiling) {
      const { profile: data } = await profiling.session.send('Profiler.stop');
      fs.mkdirSync(profileDir, { recursive: true });
      fs.writeFileSync(path.join(profileDir, `${profiling.kind}.cpuprofile`), JSON.stringify(data));
      await profiling.session.detach();
      profiling = undefined;
    }
    if (kind === null) return;
    // The webview's own process when it has one, else the workbench's (which then runs it too).
    const session = await page
      .context()
      .newCDPSession(frame)
      .catch(() => page.context().newCDPSession(page));
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 200 });
    await session.send('Profiler.start');
    profiling = { kind, session };
  }

  /**
   * E2E_SPEED_CHROME_TRACE=dir: a Chromium trace (every thread of every process: the workbench's and
   * the webview's main threads, their layouts and paints, IPC) per kind of change (dir/<kind>.json).
   */
  const chromeTraceDir = process.env.E2E_SPEED_CHROME_TRACE;
  let tracing: string | undefined;
  async function chromeTrace(kind: string | null): Promise<void> {
    if (!chromeTraceDir || tracing === kind) return;
    const browser = page.context().browser();
    if (!browser) return;
    if (tracing) {
      await browser.stopTracing();
      tracing = undefined;
    }
    if (kind === null) return;
    fs.mkdirSync(chromeTraceDir, { recursive: true });
    await browser.startTracing(page, {
      path: path.join(chromeTraceDir, `${kind}.json`),
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.frame',
        'toplevel',
        'blink.user_timing',
        'v8.execute',
        'v8',
        'blink',
        'ipc',
        'mojom',
      ],
    });
    tracing = kind;
  }

  /**
   * Clicks `lens` and returns the milliseconds from its mousedown to the panel painted with `shown`,
   * adding where they went to `hops` if given.
   */
  async function timeLens(lens: Locator, shown: PaintCondition, hops?: SelectionHops[]): Promise<number> {
    await armPaintProbe(frame, shown);
    await lens.click();
    const end = await paintedAt(frame);
    const down = await lastMouseDown(page);
    if (trace) console.log(`PERFT mousedown ${down.toFixed(1)} end ${end.toFixed(1)}`);
    const split = hops && (await selectionHops(page, frame, down, end));
    if (split) hops.push(split);
    return end - down;
  }

  suiteSetup(async function () {
    if (workbench().locale === 'ko') this.skip(); // English CodeLens titles below
    ({ page } = workbench());
    file = writeBigPair(path.join(workbench().repoRoot, 'test-results', 'ui-big'));
    // The panel computes only while it is shown: hide it (earlier UI tests may have left it open)
    // so that the first selection below is a cold one, not served by what the panel computed
    // when it followed the newly opened document.
    if (await panelVisible(page)) {
      await activityItem(page, 'Explorer').click();
      await page.locator('.explorer-folders-view').waitFor();
    }
    const opened = Date.now();
    await openPath(page, file);
    await workbench().console.waitFor(activatedLine);
    // Both CodeLenses are on screen at the end of the file (the big call, then the small pair).
    big = page
      .locator('.contentWidgets .codelens-decoration a', { hasText: /^cross-entropy \d+\.\d+ · Inspect$/ })
      .filter({ hasNotText: '2.1438' });
    small = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'cross-entropy 2.1438 · Inspect' });
    await big.first().waitFor({ state: 'attached', timeout: 180_000 });
    result.openToLensMs = Date.now() - opened;
    await activeEditor(page).click({ position: { x: 300, y: 60 } });
    await page.keyboard.press('Control+End');
    await big.first().waitFor({ state: 'visible' });
    await small.first().waitFor({ state: 'visible' });
    printed = (await big.first().innerText()).replace(/^cross-entropy (\S+) · Inspect$/, '$1');
    await recordMouseDowns(page);
  });

  test('the first selection of the big pair (cold: the worker computes it)', async () => {
    // The small pair first, so that the panel exists and shows something else.
    await small.first().click();
    await (await panelFrame(page)).locator('#headline-loss', { hasText: '2.1438' }).waitFor();
    frame = await panelPageFrame(page);
    await recordLongTasks(page);
    await recordLongTasks(frame);
    const cold = await timeLens(big.first(), bigShown);
    result.coldSelectionMs = Math.round(cold);
    const app = (await panelFrame(page)).locator('#app');
    const headline = await app.locator('.headline').innerText();
    const reference = torchReference();
    result.torch = reference;
    if (reference) {
      // The panel prints what torch prints for the same tensors.
      assert.match(
        headline,
        new RegExp(`tensor\\(${reference.replace(/^tensor\((.*)\)$/, '$1').replace('.', '\\.')}\\)`),
        headline,
      );
    }
    assert.ok(headline.includes(printed), `headline ${headline} vs lens ${printed}`);
    // Never more than a few thousand cells in the DOM, whatever C is.
    const cells = await app.locator('td').count();
    assert.ok(cells < 3000, `${cells} table cells`);
    result.tableCells = cells;
    // The panel's elements, and those the browser lays out (each a layout object on every render).
    result.panelElements = await app.evaluate((root) => {
      let all = 0;
      let laidOut = 0;
      for (const el of Array.from(root.querySelectorAll('*'))) {
        all++;
        if (el.getClientRects().length > 0) laidOut++;
      }
      return { all, laidOut };
    });
    // The chart's values for screen readers: one paragraph, not a table with a row per class.
    assert.equal(await app.locator('figure.chart.softmax table').count(), 0);
    assert.match((await app.locator('figure.chart.softmax p.sr-only').textContent()) ?? '', /\(target\): p = /);
    await screenshot(page, 'panel-big');
    // The heat map of the whole batch (64 rows × 256 bins of the 50 257 classes), on its canvas. In
    // p, 50 257 classes are all near 0 (clear); log p shows them. The left half is cells only (the
    // per-row loss bars are on the right).
    await app.locator('#heat-mode').click();
    await app.getByRole('option', { name: 'log p', exact: true }).click();
    await app.locator('.heat .chart-note', { hasText: 'Colour: log p' }).waitFor();
    await app.locator('#sec-batch canvas.heatmap').scrollIntoViewIfNeeded();
    const painted = await app.locator('#sec-batch canvas.heatmap').evaluate((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const w = Math.floor(c.width / 2);
      const data = c.getContext('2d')?.getImageData(0, 0, w, c.height).data;
      let opaque = 0;
      if (data) for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque++;
      return opaque / (w * c.height);
    });
    assert.ok(painted > 0.05, `only ${(painted * 100).toFixed(1)} % of the heat map is painted`);
    await screenshot(page, 'panel-big-heatmap');
  });

  test(`selecting the big pair with its CodeLens, ${selections} times: p95 ≤ ${goalMs} ms`, async () => {
    const bigTimes: number[] = [];
    const smallTimes: number[] = [];
    const bigHops: SelectionHops[] = [];
    const smallHops: SelectionHops[] = [];
    await profile('select');
    await chromeTrace('select');
    for (let i = 0; i < selections; i++) {
      smallTimes.push(await timeLens(small.first(), smallShown, smallHops));
      bigTimes.push(await timeLens(big.first(), bigShown, bigHops));
    }
    await profile(null);
    await chromeTrace(null);
    result.selectBig = figures(bigTimes);
    result.selectSmall = figures(smallTimes);
    result.selectionHops = { big: bigHops, small: smallHops };
    console.log(`[speed] slowest selections of the big pair:\n${selectionLines(bigHops).join('\n')}`);
    console.log(`[speed] slowest selections of the small pair:\n${selectionLines(smallHops, 3).join('\n')}`);
    writeResult();
    const p95 = percentile(bigTimes, 0.95);
    if (process.env.E2E_SPEED_STRICT === '1') assert.ok(p95 <= goalMs, `p95 ${p95.toFixed(1)} ms > ${goalMs} ms`);
    // Without E2E_SPEED_STRICT a loaded shared machine only gets a loose bound; the figures are in the JSON.
    assert.ok(p95 <= 1_000, `p95 ${p95.toFixed(1)} ms`);
  });

  test('paging samples of the big pair in the panel', async () => {
    const app = (await panelFrame(page)).locator('#app');
    await recordMouseDowns(frame);
    const times: number[] = [];
    for (let n = 1; n <= Math.min(20, bigN - 1); n++) {
      await armPaintProbe(frame, {
        has: [[`#sec-sample[description^="sample ${n} ("]`, '']],
        lacks: ['.status-computing'],
      });
      await app.locator('#sample-next').click();
      times.push(await timeChange('sample', () => lastMouseDown(frame)));
    }
    result.nextSample = figures(times);
    writeResult();
    // The step table, losses and chart as the patched panel shows them (panel-big is the first render).
    await screenshot(page, 'panel-big-paged');
    assert.equal(times.length, Math.min(20, bigN - 1));
  });

  test(`switching the reduction of the big pair, ${optionSwitches} times (recomputed in the worker)`, async () => {
    const app = (await panelFrame(page)).locator('#app');
    await openOptions(app);
    const times: number[] = [];
    for (let i = 0; i < optionSwitches; i++) {
      const reduction = i % 2 === 0 ? 'sum' : 'mean';
      await armPaintProbe(frame, {
        has: [[`#sec-reduction[description^="${reduction} ·"]`, '']],
        lacks: ['.status-computing'],
      });
      await app.locator('#ctl-reduction').click();
      await app.getByRole('option', { name: reduction, exact: true }).click();
      times.push(await timeChange('reduction', () => lastMouseDown(frame)));
    }
    result.switchReduction = figures(times);
    writeResult();
  });

  test(`switching the dtype of the big pair, ${optionSwitches} times (recomputed in the worker)`, async () => {
    const app = (await panelFrame(page)).locator('#app');
    await openOptions(app);
    const times: number[] = [];
    for (let i = 0; i < optionSwitches; i++) {
      const dtype = i % 2 === 0 ? 'float64' : 'float32';
      await armPaintProbe(frame, {
        has: [[`#sec-sample[description$="· ${dtype}"]`, '']],
        lacks: ['.status-computing'],
      });
      await app.locator('#ctl-dtype').click();
      await app.getByRole('option', { name: dtype, exact: true }).click();
      times.push(await timeChange('dtype', () => lastMouseDown(frame)));
    }
    result.switchDtype = figures(times);
    writeResult();
  });

  test(`changing the label smoothing of the big pair, ${optionSwitches} times (recomputed in the worker)`, async () => {
    const app = (await panelFrame(page)).locator('#app');
    await openOptions(app);
    await recordEnterKeys(frame);
    const input = app.locator('#ctl-smoothing input');
    const times: number[] = [];
    for (let i = 0; i < optionSwitches; i++) {
      // ε = 0.1, 0.2, 0.1, …: the options' description names the ε in effect, which comes with its result.
      const eps = i % 2 === 0 ? '0.1' : '0.2';
      await armPaintProbe(frame, {
        has: [
          [`#sec-controls[description$="label_smoothing=${eps}"]`, ''],
          ['#headline-loss', ''],
        ],
        lacks: ['.status-computing'],
      });
      await input.fill(eps);
      await input.press('Enter');
      times.push(await timeChange('smoothing', () => lastEnterKey(frame)));
    }
    result.changeSmoothing = figures(times);
    // ε = 0.1 and 0.2 typed for the first time: no snapshot of them could be kept yet.
    result.smoothingFirstTyped = times.slice(0, 2).map((t) => Math.round(t * 10) / 10);
    await profile(null);
    await chromeTrace(null);
    writeResult();
    printHops();
    printGoals();
    // The softmax chart after twenty samples and the options' changes (patched in place since the first).
    await app.locator('figure.chart.softmax').scrollIntoViewIfNeeded();
    await screenshot(page, 'panel-big-chart');
    // Its five-digit class labels, as the browser lays them out: none overlaps the next, and the
    // target's is written (the chart leaves out the labels that do not fit under narrow bars).
    const labels = await app.locator('svg.softmax-chart').evaluate((chart) =>
      Array.from(chart.querySelectorAll<SVGTextElement>('g.bar text.bar-label'))
        .filter((t) => t.textContent !== '')
        .map((t) => {
          const b = t.getBBox();
          return { text: t.textContent, x: b.x, right: b.x + b.width, target: !!t.closest('g.bar.target') };
        })
        .sort((a, b) => a.x - b.x),
    );
    console.log(`[speed] softmax chart labels: ${JSON.stringify(labels)}`);
    assert.ok(labels.length >= 3, `labels written: ${JSON.stringify(labels)}`);
    assert.ok(
      labels.some((l) => l.target),
      `the target's label: ${JSON.stringify(labels)}`,
    );
    for (let i = 1; i < labels.length; i++)
      assert.ok(labels[i]!.x >= labels[i - 1]!.right, `overlapping labels: ${JSON.stringify(labels)}`);
    // Back to the code's options for the tests that share this workbench.
    await app.locator('#ctl-reset').click();
    await focusWorkbench(page);
  });

  suiteTeardown(async () => {
    // Give the 17 MB document back: the UI tests after this one share the workbench.
    if (!page || !file) return;
    const tab = page.locator('.tabs-container .tab', { hasText: 'big_pair.py' });
    await tab.hover();
    await tab.locator('.tab-actions .action-label').click();
    await tab.waitFor({ state: 'detached' });
  });

  /** The per-hop table of the changes timed so far (p50 / p95 ms per hop; see hopTable.ts). */
  function printHops(): void {
    const kinds = Object.fromEntries(Object.entries(hopsOf).map(([kind, changes]) => [kind, hopFigures(changes)]));
    if (Object.keys(kinds).length === 0) {
      console.log('[speed] no per-hop marks (a webview without webview/hops.ts?)');
      return;
    }
    const traced = Object.values(hopsOf).some((changes) => changes.some((c) => c.has('host.post')));
    console.log(
      `[speed] per hop, p50 / p95 ms (load ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')})` +
        `${traced ? '' : ': the host sent no trace (LOSS_INSPECTOR_PANEL_TRACE=1), so its hops are in transit'}\n${hopTable(kinds)}`,
    );
  }

  /** Every change's p50 / p95 against issue 11's goals, ✓ or ✗ (printed, not asserted: the machine is shared). */
  function printGoals(): void {
    const mark = (ms: number, goal: number) => `${ms.toFixed(1)} ${ms <= goal ? '✓' : '✗'}`;
    const rows: [string, unknown, number][] = [
      ['select (big pair)', result.selectBig, goalMs],
      ['next sample', result.nextSample, 40],
      ['reduction', result.switchReduction, 60],
      ['dtype', result.switchDtype, 60],
      ['label smoothing', result.changeSmoothing, 60],
    ];
    const lines = rows
      .filter(([, f]) => f)
      .map(([name, f, goal]) => {
        const { p50, p95 } = f as Figures;
        return `${name.padEnd(22)} p50 ${mark(p50, goal)} · p95 ${mark(p95, goal)} (goal ≤ ${goal} ms)`;
      });
    const first = result.smoothingFirstTyped as number[] | undefined;
    if (first) lines.push(`${'ε typed the first time'.padEnd(22)} ${first.map((t) => mark(t, 60)).join(' · ')}`);
    // How many messages from the host each change waited for (the same counts on a busier machine).
    const counts = Object.entries(arrivalsOf).map(([kind, changes]) => {
      const types = changes.slice(0, 2).map((c) => c.join('+') || 'none');
      return `${kind}: ${types.join(', ')}`;
    });
    console.log(
      `[speed] goals (load ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(
          ' ',
        )}):\n${lines.join('\n')}\n[speed] messages from the host, first two changes of each kind: ${counts.join('; ')}`,
    );
  }

  function writeResult(): void {
    const out = path.join(workbench().repoRoot, 'test-results', 'panel-speed.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const hops = Object.fromEntries(Object.entries(hopsOf).map(([kind, changes]) => [kind, hopFigures(changes)]));
    // Each change's own hops too: a kind's first change (cold) is one sample among 20 in the figures.
    const hopChanges = Object.fromEntries(
      Object.entries(hopsOf).map(([kind, changes]) => [
        kind,
        changes.map((c) => Object.fromEntries([...c].map(([name, ms]) => [name, Math.round(ms * 10) / 10]))),
      ]),
    );
    fs.writeFileSync(
      out,
      `${JSON.stringify({ ...result, hops, hopChanges, arrivals: arrivalsOf, measuredAt: new Date().toISOString() }, null, 2)}\n`,
    );
    console.log(
      `[speed] ${JSON.stringify({ cold: result.coldSelectionMs, big: strip(result.selectBig), small: strip(result.selectSmall), sample: strip(result.nextSample), reduction: strip(result.switchReduction), dtype: strip(result.switchDtype), smoothing: strip(result.changeSmoothing), load: os.loadavg().map((v) => Math.round(v * 100) / 100) })}`,
    );
  }
});

/** Records the time of every Enter `keydown` in `frame` (capture phase); {@link lastEnterKey} reads the latest. */
async function recordEnterKeys(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as { __enter?: number; __enterHooked?: boolean };
    if (w.__enterHooked) return;
    w.__enterHooked = true;
    window.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'Enter') w.__enter = performance.timeOrigin + performance.now();
      },
      true,
    );
  });
}

/** The types of the messages from the host that arrived in `frame` between `from` and `to` (webview/hops.ts). */
async function arrivalsBetween(frame: Frame, from: number, to: number): Promise<string[]> {
  return frame.evaluate(
    ([a, b]) => {
      const hops = (window as unknown as { __lossInspectorHops?: { arrivals: { type: string; arrived: number }[] } })
        .__lossInspectorHops;
      return (hops?.arrivals ?? []).filter((m) => m.arrived >= a && m.arrived <= b).map((m) => m.type);
    },
    [from, to] as const,
  );
}

async function lastEnterKey(frame: Frame): Promise<number> {
  const at = await frame.evaluate(() => (window as unknown as { __enter?: number }).__enter);
  assert.ok(typeof at === 'number', 'no Enter key recorded');
  return at;
}

function strip(f: unknown): unknown {
  if (!f || typeof f !== 'object') return f;
  const { samples: _samples, ...rest } = f as Figures;
  return rest;
}
