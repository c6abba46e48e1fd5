// Speed, measured inside the real VS Code (the extension host the product runs in). Runs last
// (file name) so the other suites do not share its CPU. Figures go to test-results/speed.json;
// the assertions are generous bounds, the goals are reported next to the figures.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { writeBigPython, type GeneratedPython } from '../bigFiles';
import {
  closeAllEditors,
  getExtension,
  hoverText,
  hoverUntil,
  inside,
  openFile,
  openFixture,
  ourLenses,
  percentile,
  positionOf,
  tempDir,
  waitFor,
  withSetting,
  writeFigures,
} from '../helpers';

const figures: Record<string, unknown> = {};
const round = (v: number) => Math.round(v * 100) / 100;
/** Node's kind of a full (mark-compact) garbage collection. */
const majorGc = 4;

/** Times `count` hovers at the given positions (round trip through vscode.executeHoverProvider). */
async function timeHovers(
  document: vscode.TextDocument,
  positions: vscode.Position[],
  count: number,
  mustContain: string | ((i: number) => string),
) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = i % positions.length;
    const position = positions[k];
    const started = performance.now();
    const text = await hoverText(document, position);
    times.push(performance.now() - started);
    const expected = typeof mustContain === 'string' ? mustContain : mustContain(k);
    assert.ok(
      text.includes(expected),
      `hover ${i} at ${position.line}:${position.character} lacks "${expected}":\n${text.slice(0, 300)}`,
    );
  }
  return {
    count,
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    max: round(Math.max(...times)),
    mean: round(times.reduce((a, b) => a + b, 0) / times.length),
  };
}

/**
 * Types `chars` characters one by one with editor.edit every `intervalMs` at the end of `line`, and
 * measures the extension host's event-loop delay during it and for `settleMs` after (the debounced
 * analysis lands then). The host is shared with VS Code's own work and with this test.
 */
/**
 * E2E_TYPING_PROFILE=dir: a CPU profile of the extension host's thread while typing (dir/typing-<label>.cpuprofile,
 * with the longest gap's offsets from the profile's start in the figures), to see what ran during it,
 * and a sampling allocation profile of the same window (dir/typing-<label>.heapprofile, objects the
 * collector freed included), to see whose allocations the window's collections were cleaning up.
 */
async function startProfile(): Promise<{ stop: (label: string) => Promise<number> } | null> {
  const dir = process.env.E2E_TYPING_PROFILE;
  if (!dir) return null;
  const session = new inspector.Session();
  session.connect();
  const post = poster(session);
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  // How often each of the extension's functions ran (the per-keystroke work counted, not sampled).
  await post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const startedAt = performance.now();
  return {
    stop: async (label) => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      const { profile: allocations } = (await post('HeapProfiler.stopSampling')) as { profile: unknown };
      const { result: coverage } = (await post('Profiler.takePreciseCoverage')) as {
        result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
      };
      await post('Profiler.stopPreciseCoverage');
      const calls = coverage
        .filter((script) => script.url.includes(getExtension().extensionPath))
        .flatMap((script) =>
          script.functions
            .filter((f) => (f.ranges[0]?.count ?? 0) > 0)
            .map((f) => ({ script: path.basename(script.url), name: f.functionName, calls: f.ranges[0]?.count ?? 0 })),
        )
        .sort((a, b) => b.calls - a.calls);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `typing-${label}.cpuprofile`), JSON.stringify(profile));
      fs.writeFileSync(path.join(dir, `typing-${label}.heapprofile`), JSON.stringify(allocations));
      fs.writeFileSync(path.join(dir, `typing-${label}.calls.json`), JSON.stringify(calls, null, 1));
      session.disconnect();
      return startedAt;
    },
  };
}

/** Posts one DevTools protocol command on an inspector session of this thread. */
function poster(session: inspector.Session) {
  return (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
    );
}

/**
 * The extension host's live heap: used bytes after two full collections (the inspector's
 * HeapProfiler.collectGarbage, which the product never calls), so what is measured is what stays
 * reachable, not garbage waiting for the next collection. Measured with the extension's analysis of
 * the open file held and again with `enable` false in the same sitting, the difference is what the
 * extension keeps alive (which every major collection while typing has to mark), give or take VS
 * Code's own objects, such as those the settings change builds. With E2E_TYPING_PROFILE=dir a heap
 * snapshot goes to dir/heap-<label>.heapsnapshot as well.
 */
async function hostHeap(label: string): Promise<{ usedMB: number; totalMB: number }> {
  const session = new inspector.Session();
  session.connect();
  const post = poster(session);
  try {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.collectGarbage');
    await post('HeapProfiler.collectGarbage');
    const stats = v8.getHeapStatistics();
    const dir = process.env.E2E_TYPING_PROFILE;
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      const fd = fs.openSync(path.join(dir, `heap-${label}.heapsnapshot`), 'w');
      const write = (m: { params: { chunk: string } }) => fs.writeSync(fd, m.params.chunk);
      session.on('HeapProfiler.addHeapSnapshotChunk', write);
      try {
        await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      } finally {
        session.off('HeapProfiler.addHeapSnapshotChunk', write);
        fs.closeSync(fd);
      }
    }
    return { usedMB: round(stats.used_heap_size / 2 ** 20), totalMB: round(stats.total_heap_size / 2 ** 20) };
  } finally {
    session.disconnect();
  }
}

async function typeAndMeasure(
  editor: vscode.TextEditor,
  line: number,
  chars: number,
  intervalMs: number,
  settleMs: number,
  label = 'with',
) {
  const profiler = await startProfile();
  // Count the analyses the host sends to the worker meanwhile (each one copies the 10 MB text):
  // the worker client is reachable through the extension's exports.
  const worker = (getExtension().exports as { services: { worker: { request: (...args: unknown[]) => unknown } } })
    .services.worker;
  const request = worker.request;
  let analyses = 0;
  worker.request = function (this: unknown, ...args: unknown[]) {
    if (args[0] === 'analyze') {
      analyses++;
      sentAt.push(performance.now());
    }
    return request.apply(this, args);
  };
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  // A second, direct probe: the largest gap between 1 ms timer ticks (what a user's keystroke would wait).
  let last = performance.now();
  let longestGap = 0;
  let longestGapEnd = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    if (now - last > longestGap) {
      longestGap = now - last;
      longestGapEnd = now;
    }
    last = now;
  }, 1);
  // Garbage collections of the whole host (VS Code's and ours) during the same window, with when
  // they ran: a collection inside the longest gap is part of that block.
  const gcPauses: { start: number; ms: number; kind: number }[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcPauses.push({
        start: e.startTime,
        ms: e.duration,
        kind: (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0,
      });
  });
  // When each analysis was sent: one sent inside the longest gap put its text copy there.
  const sentAt: number[] = [];
  gc.observe({ entryTypes: ['gc'] });
  histogram.enable();
  const started = performance.now();
  const editTimes: number[] = [];
  try {
    for (let i = 0; i < chars; i++) {
      const end = editor.document.lineAt(line).range.end;
      const t0 = performance.now();
      assert.ok(
        await editor.edit((b) => b.insert(end, String.fromCharCode(97 + (i % 26))), {
          undoStopBefore: false,
          undoStopAfter: false,
        }),
      );
      editTimes.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  } finally {
    histogram.disable();
    clearInterval(probe);
    gc.disconnect();
    worker.request = request;
  }
  const profiledFrom = profiler ? await profiler.stop(label) : null;
  return {
    chars,
    intervalMs,
    durationMs: Math.round(performance.now() - started),
    eventLoopDelayMaxMs: round(histogram.max / 1e6),
    eventLoopDelayP99Ms: round(histogram.percentile(99) / 1e6),
    eventLoopDelayMeanMs: round(histogram.mean / 1e6),
    longestTimerGapMs: round(longestGap),
    editRoundTripP95Ms: round(percentile(editTimes, 95)),
    gcCount: gcPauses.length,
    gcMaxPauseMs: round(Math.max(0, ...gcPauses.map((g) => g.ms))),
    gcTotalMs: round(gcPauses.reduce((a, g) => a + g.ms, 0)),
    // Major (mark-compact) collections: their pause grows with the live heap.
    gcMajorCount: gcPauses.filter((g) => g.kind === majorGc).length,
    gcMajorMaxPauseMs: round(Math.max(0, ...gcPauses.filter((g) => g.kind === majorGc).map((g) => g.ms))),
    analysesSent: analyses,
    // What the longest gap held: garbage collection (ms, and the kinds Node reports, which are V8's
    // GC types: 1 scavenge, 2 minor mark-sweep, 4 major mark-compact, 8 incremental marking, 16
    // weak callbacks) and analyses sent (each copies the document's text).
    longestGapGcMs: round(
      gcPauses
        .filter((g) => g.start < longestGapEnd && g.start + g.ms > longestGapEnd - longestGap)
        .reduce((a, g) => a + g.ms, 0),
    ),
    longestGapGcKinds: gcPauses
      .filter((g) => g.start < longestGapEnd && g.start + g.ms > longestGapEnd - longestGap)
      .map((g) => g.kind),
    longestGapAnalysesSent: sentAt.filter((t) => t >= longestGapEnd - longestGap - 5 && t <= longestGapEnd).length,
    ...(profiledFrom !== null
      ? {
          longestGapInProfileMs: [
            round(longestGapEnd - longestGap - profiledFrom),
            round(longestGapEnd - profiledFrom),
          ],
        }
      : {}),
  };
}

suite('speed (figures in test-results/speed.json)', () => {
  let dir = '';
  let big: GeneratedPython;

  suiteSetup(async function () {
    this.timeout(120_000);
    await closeAllEditors();
    dir = tempDir();
    big = writeBigPython(dir, 'big_1000x1000.py', 1000, 1000);
    figures.bigFile = { bytes: big.bytes, shape: [big.rows, big.cols] };
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    fs.rmSync(dir, { recursive: true, force: true });
    figures.machine = { cpus: os.cpus().length, loadavg: os.loadavg().map(round) };
    writeFigures('speed', figures);
  });

  test('positions of the generated file are where the test expects them', async () => {
    const { document } = await openFile(big.file);
    assert.equal(positionOf(document, 'loss = criterion').line, big.lossLine);
    assert.ok(document.lineAt(big.typingLine).text.startsWith('# typing'));
  });

  test('hover p95 on the seed example over ≥ 50 hovers (goal ≤ 30 ms)', async () => {
    const { document } = await openFixture('seed.py');
    const positions = [
      inside(document, '0.9983'),
      inside(document, 'LongTensor([1])', 0, 'LongTensor(['.length),
      inside(document, 'criterion(output, target)', 0, 3),
      inside(document, 'tensor(2.1438)', 0, 3),
    ];
    await hoverUntil(document, positions[0], 'softmax'); // analysed and the worker warm
    const r = await timeHovers(document, positions, 80, 'Loss Inspector');
    figures.hoverSeed = { ...r, goalP95Ms: 30 };
    console.log(`[speed] seed hover ${JSON.stringify(r)}`);
    assert.ok(r.p95 < 300, `p95 ${r.p95} ms`);
  });

  test('hover p95 on a 10 MB file with a (1000 × 1000) literal (goal ≤ 100 ms)', async function () {
    this.timeout(180_000);
    const t0 = performance.now();
    const { document } = await openFile(big.file);
    const openedMs = performance.now() - t0;
    const lensStarted = performance.now();
    await waitFor('the lens of the 10 MB file', async () => (await ourLenses(document)).length > 0, 120_000, 100);
    const firstAnalysisMs = performance.now() - lensStarted;
    // One position per row band, across the whole literal, plus the target and the call.
    const rowOf = (i: number) => Math.floor((i * big.rows) / 58);
    const positions: vscode.Position[] = [];
    for (let i = 0; i < 58; i++) positions.push(new vscode.Position(big.firstRowLine + rowOf(i), 12));
    await hoverUntil(document, positions[0], 'softmax', 60_000);
    // Each hover explains the row under the cursor (one row per line in the generated file).
    const rows = await timeHovers(document, positions, 58, (i) => `[${rowOf(i)}\\], one of ${big.rows} samples`);
    const calls = await timeHovers(document, [new vscode.Position(big.lossLine, 10)], 10, 'CrossEntropyLoss');
    figures.hoverBig = {
      rows,
      calls,
      openMs: round(openedMs),
      firstAnalysisMs: round(firstAnalysisMs),
      goalP95Ms: 100,
    };
    console.log(`[speed] 10 MB hover ${JSON.stringify(figures.hoverBig)}`);
    assert.ok(rows.p95 < 1000, `p95 ${rows.p95} ms`);
  });

  test('typing in the 10 MB file: the extension host event loop, with and without our analysis (goal ≤ 20 ms blocked by us)', async function () {
    this.timeout(240_000);
    const { document, editor } = await openFile(big.file);
    await waitFor('the lens of the 10 MB file', async () => (await ourLenses(document)).length > 0, 120_000, 100);
    // A window typed first and not counted: whichever of the two came first was the slower (edits
    // 2–4× longer, blocks as long with the extension off), as VS Code's own edit paths warmed up.
    await typeAndMeasure(editor, big.typingLine, 150, 20, 1000, 'warm-up');
    const measureWith = async () => {
      const r = await typeAndMeasure(editor, big.typingLine, 150, 20, 2500);
      // The analysis caught up with the typing: the lens is there for the final version.
      await waitFor('the lens after typing', async () => (await ourLenses(document)).length > 0, 60_000, 100);
      return { r, heap: await hostHeap('with') };
    };
    const measureWithout = () =>
      withSetting('enable', false, async () => {
        await waitFor('no lens with enable=false', async () => (await ourLenses(document)).length === 0, 20_000, 100);
        const heap = await hostHeap('without');
        return { r: await typeAndMeasure(editor, big.typingLine, 150, 20, 2500, 'without'), heap };
      });
    // E2E_TYPING_ORDER=without-first types the window with the extension off first, to tell what the
    // order does to the figures from what the extension does.
    const withoutFirst = process.env.E2E_TYPING_ORDER === 'without-first';
    const early = withoutFirst ? await measureWithout() : await measureWith();
    if (withoutFirst)
      await waitFor('the lens with enable back', async () => (await ourLenses(document)).length > 0, 60_000, 100);
    const late = withoutFirst ? await measureWith() : await measureWithout();
    const [{ r: withUs, heap: heapWith }, { r: baseline, heap: heapWithout }] = withoutFirst
      ? [late, early]
      : [early, late];
    // What one analysis costs the host thread with today's protocol: the document's text copied into
    // the worker message (getText + structured clone, as postMessage does it), 10 times.
    const copies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      structuredClone(document.getText());
      copies.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const textCopy = { p50: round(percentile(copies, 50)), max: round(Math.max(...copies)) };
    figures.typingBig = {
      withExtension: withUs,
      baselineEnableFalse: baseline,
      order: withoutFirst ? 'without-first' : 'with-first',
      hostTextCopyPerAnalysisMs: textCopy,
      // The host's live heap with the 10 MB file analysed, and with enable false (same sitting).
      hostHeapUsedMB: {
        withExtension: heapWith.usedMB,
        enableFalse: heapWithout.usedMB,
        ours: round(heapWith.usedMB - heapWithout.usedMB),
      },
      goalMaxBlockMs: 20,
    };
    console.log(`[speed] typing ${JSON.stringify(figures.typingBig)}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    // Generous: the goal is 20 ms; a stall of seconds would fail.
    assert.ok(withUs.eventLoopDelayMaxMs < 1000, JSON.stringify(withUs));
  });
});
