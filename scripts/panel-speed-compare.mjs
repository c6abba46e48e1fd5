// Compares runs of the UI speed test (test/e2e/speed.ui.ts, which writes test-results/panel-speed.json)
// between builds measured back to back, runs alternated on the same machine:
//
//   node scripts/panel-speed-compare.mjs main=a1.json,a2.json this=b1.json,b2.json [...]
//
// Each build's samples are pooled over its runs; prints p50 / p95 ms per action and each build's
// ratio to the first one, the webview's render and paint hops (mean of the runs’ p50s), and the load
// each run saw. Prints figures only: nothing here passes or fails on time.
import fs from 'node:fs';

const actions = [
  ['selectBig', 'first selection (CodeLens)'],
  ['nextSample', 'changing sample'],
  ['switchReduction', 'changing reduction'],
  ['switchDtype', 'changing dtype'],
  ['changeSmoothing', 'changing label smoothing'],
];
const hopKinds = ['sample', 'reduction', 'dtype', 'smoothing'];

/** The same percentile as the speed test's (test/e2e/panelHelpers.ts). */
function percentile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const builds = process.argv.slice(2).map((arg) => {
  const at = arg.indexOf('=');
  if (at <= 0) throw new Error(`expected name=file.json[,file.json…], got ${arg}`);
  const runs = arg
    .slice(at + 1)
    .split(',')
    .map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
  return { name: arg.slice(0, at), runs };
});
if (builds.length === 0) {
  console.log('usage: node scripts/panel-speed-compare.mjs main=a.json[,…] this=b.json[,…]');
  process.exit(1);
}

const pad = (s, n) => String(s).padStart(n);
const fixed = (v) => (v === undefined ? '—' : v.toFixed(1));
console.log(
  `loads (1 min) per run: ${builds.map((b) => `${b.name} ${b.runs.map((r) => r.machine?.loadAverage?.[0]).join(', ')}`).join('; ')}`,
);
console.log(
  `${'p50 / p95 ms (samples)'.padEnd(28)}${builds.map((b) => pad(b.name, 20)).join('')}${builds
    .slice(1)
    .map((b) => pad(`${b.name}/${builds[0].name}`, 16))
    .join('')}`,
);
for (const [key, label] of actions) {
  const stats = builds.map((b) => {
    const samples = b.runs.flatMap((r) => r[key]?.samples ?? []);
    return samples.length ? { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), n: samples.length } : null;
  });
  const cells = stats.map((s) => pad(s ? `${fixed(s.p50)} / ${fixed(s.p95)} (${s.n})` : '—', 20));
  const ratios = stats
    .slice(1)
    .map((s) =>
      pad(s && stats[0] ? `${(s.p50 / stats[0].p50).toFixed(2)} / ${(s.p95 / stats[0].p95).toFixed(2)}` : '—', 16),
    );
  console.log(`${label.padEnd(28)}${cells.join('')}${ratios.join('')}`);
}
for (const hop of ['webview.render', 'webview.paint', 'transit.webviewHost']) {
  for (const kind of hopKinds) {
    const cells = builds.map((b) => {
      const p50s = b.runs.map((r) => r.hops?.[kind]?.[hop]?.p50).filter((v) => typeof v === 'number');
      return pad(p50s.length ? fixed(p50s.reduce((a, v) => a + v, 0) / p50s.length) : '—', 20);
    });
    console.log(`${`${hop} ${kind}`.padEnd(28)}${cells.join('')}`);
  }
}
