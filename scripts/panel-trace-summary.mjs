// Splits each panel change of a Chromium trace written by the UI speed test
// (E2E_SPEED_CHROME_TRACE=dir node out/test/e2e/runUi.js --grep "panel speed": dir/<kind>.json) into
// what the renderer's main thread saw, from the webview's own marks (webview/hops.ts marks
// `li-post-<type>` and `li-arrive` on the performance timeline):
//
//   node scripts/panel-trace-summary.mjs dir/sample.json [dir/dtype.json …]
//
// Per change, in ms: `toWorkbench` (the webview's post until the workbench's MessagePort takes it),
// `roundTrip` (from there until the webview's outer frame takes the answer: the server, the extension
// host and our host code, the worker), `toWebview` (from there to the webview's message event),
// `listener` (our message handler: decode, check, render), then the frame that shows it: `style`,
// `layout` (with the layout objects it dirtied, of all), `paint`, and `frameEnd` (arrival to the end
// of that frame's commit). The workbench and the webview share the one renderer main thread (the
// webview's origin is the workbench's in code-server), so `busy` is how much of the transit that
// thread spent running tasks at all. Figures only; the p50 and p95 of each column end the table.
import fs from 'node:fs';

const pct = (xs, q) => {
  const s = xs.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] : NaN;
};

function summarise(file) {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const mark = events.find((e) => typeof e.name === 'string' && e.name.startsWith('li-post-'));
  if (!mark) {
    console.log(`${file}: no li-post marks (a webview without them, or no change traced)`);
    return;
  }
  const main = events
    .filter((e) => e.pid === mark.pid && e.tid === mark.tid && typeof e.ts === 'number')
    .sort((a, b) => a.ts - b.ts);
  const spans = main.filter((e) => e.ph === 'X' && typeof e.dur === 'number');
  const posts = main.filter((e) => e.name.startsWith('li-post-'));
  const arrivals = main.filter((e) => e.name === 'li-arrive');
  const ms = (us) => us / 1000;
  const rows = [];
  for (const post of posts) {
    const arrival = arrivals.find((a) => a.ts > post.ts);
    if (!arrival) continue;
    // The next post before this arrival is another change's: this one had no answer of its own.
    if (posts.some((p) => p.ts > post.ts && p.ts < arrival.ts)) continue;
    const accepts = spans.filter((e) => e.name === 'MessagePort::Accept' && e.ts > post.ts && e.ts < arrival.ts);
    const inWorkbench = accepts[0];
    const backInWebview = accepts.length > 1 ? accepts[accepts.length - 1] : undefined;
    const tasks = spans.filter(
      (e) => e.name === 'ThreadControllerImpl::RunTask' && e.ts + e.dur > post.ts && e.ts < arrival.ts,
    );
    const busy = tasks.reduce((a, e) => a + Math.min(e.ts + e.dur, arrival.ts) - Math.max(e.ts, post.ts), 0);
    const listener = spans.find(
      (e) =>
        e.name === 'FunctionCall' &&
        e.ts <= arrival.ts &&
        e.ts + e.dur >= arrival.ts &&
        e.args?.data?.functionName === 'listener',
    );
    const listenerEnd = listener ? listener.ts + listener.dur : arrival.ts;
    const frame = spans.find((e) => e.name === 'WebFrameWidgetImpl::BeginMainFrame' && e.ts >= listenerEnd);
    const commit = frame ? spans.find((e) => e.name === 'Commit' && e.ts >= frame.ts) : undefined;
    const inFrame = (name) =>
      frame && commit ? spans.filter((e) => e.name === name && e.ts >= frame.ts && e.ts < commit.ts) : [];
    const layouts = inFrame('Layout');
    // Paint events nest (the page, the webview's frame element, its document): the outermost ones.
    const paints = inFrame('Paint').filter((p, i, all) => !all.some((q, j) => j < i && q.ts + q.dur >= p.ts + p.dur));
    rows.push({
      type: post.name.slice('li-post-'.length),
      transit: ms(arrival.ts - post.ts),
      busy: ms(busy),
      toWorkbench: inWorkbench ? ms(inWorkbench.ts - post.ts) : NaN,
      roundTrip: inWorkbench && backInWebview ? ms(backInWebview.ts - inWorkbench.ts) : NaN,
      toWebview: backInWebview ? ms(arrival.ts - backInWebview.ts) : NaN,
      listener: listener ? ms(listener.dur) : NaN,
      style: ms(inFrame('UpdateLayoutTree').reduce((a, e) => a + e.dur, 0)),
      layout: ms(layouts.reduce((a, e) => a + e.dur, 0)),
      dirty: layouts
        .map((e) => `${e.args?.beginData?.dirtyObjects ?? '?'}/${e.args?.beginData?.totalObjects ?? '?'}`)
        .join(' '),
      paint: ms(paints.reduce((a, e) => a + e.dur, 0)),
      frameEnd: commit ? ms(commit.ts + commit.dur - arrival.ts) : NaN,
    });
  }
  const columns = [
    'transit',
    'busy',
    'toWorkbench',
    'roundTrip',
    'toWebview',
    'listener',
    'style',
    'layout',
    'paint',
    'frameEnd',
  ];
  const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : '—').padStart(11);
  console.log(`${file}: ${rows.length} changes`);
  console.log(`${'type'.padEnd(14)}${columns.map((c) => c.padStart(11)).join('')}  dirty/total layout objects`);
  for (const r of rows) console.log(`${r.type.padEnd(14)}${columns.map((c) => f(r[c])).join('')}  ${r.dirty}`);
  for (const q of [0.5, 0.95])
    console.log(
      `${`p${q * 100}`.padEnd(14)}${columns
        .map((c) =>
          f(
            pct(
              rows.map((r) => r[c]),
              q,
            ),
          ),
        )
        .join('')}`,
    );
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.log('usage: node scripts/panel-trace-summary.mjs dir/<kind>.json …');
  process.exit(1);
}
for (const file of files) summarise(file);
