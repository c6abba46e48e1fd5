// Summarises what the integration speed test's typing windows wrote with E2E_TYPING_PROFILE=dir
// (docs/testing.md): per window (with the extension, and with `enable` false), the extension host's
// CPU that was the extension's own, what the longest block held, whose allocations the
// collections cleaned up, how often each of the extension's functions ran and, with a renderer
// profile of the same run (E2E_RENDERER_PROFILE=file), where the workbench's renderer spent the window.
//
//   node scripts/typing-profile-summary.mjs <dir> [--figures test-results/speed.json] [--renderer file]
//        [--ours <path fragment of the extension's bundles, default <cwd>/dist/>]
//
// Figures only: nothing passes or fails on them. A sample longer than 5 ms is counted apart: the
// sampler could not run, so the thread was not scheduled (or the process was stopped), not working.
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = args[0];
if (!dir || dir.startsWith('--')) {
  console.error('usage: node scripts/typing-profile-summary.mjs <dir> [--figures f] [--renderer f] [--ours fragment]');
  process.exit(2);
}
const figuresFile = option('--figures', path.join('test-results', 'speed.json'));
const rendererFile = option('--renderer', undefined);
const ours = option('--ours', path.join(process.cwd(), 'dist') + path.sep);
const longSampleMs = 5;
const windows = [
  ['with', 'withExtension'],
  ['without', 'baselineEnableFalse'],
];
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const figures = fs.existsSync(figuresFile) ? readJson(figuresFile).typingBig : undefined;
const ms = (v) => `${v.toFixed(1)} ms`;
const top = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `    ${ms(v).padStart(10)}  ${k}`)
    .join('\n');

/** A CPU profile with each sample's time (µs, the profile's clock), duration (ms) and stack (top first). */
function samplesOf(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = [];
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const next = i + 1 < profile.samples.length ? profile.timeDeltas[i + 1] : 0;
    const stack = [];
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) stack.push(byId.get(id).callFrame);
    out.push({ t, ms: next / 1000, stack });
  }
  return out;
}

const short = (url) => url.split('/').slice(-2).join('/');
/** What a host sample was doing, in a few words. */
function hostCategory(stack) {
  const topName = stack[0].functionName;
  if (topName.startsWith('(')) return topName;
  const own = stack.find((f) => f.url.includes(ours));
  if (own) return `ours: ${own.functionName || '(anonymous)'}`;
  const ext = stack.find((f) => /\/extensions\/|\/dist\//.test(f.url) && !f.url.includes('extensionHostProcess'));
  if (ext) return `extension ${short(ext.url)}: ${ext.functionName || '(anonymous)'}`;
  const frame = stack.find((f) => f.url) ?? stack[0];
  return `${short(frame.url)}: ${frame.functionName || '(anonymous)'} > ${topName}`;
}

function hostWindow(label, gap) {
  const file = path.join(dir, `typing-${label}.cpuprofile`);
  if (!fs.existsSync(file)) return undefined;
  const profile = readJson(file);
  const samples = samplesOf(profile);
  let own = 0;
  let stretch = 0;
  let longestOwn = 0;
  let notRunning = 0;
  const byOwnFunction = new Map();
  const inGap = new Map();
  for (const s of samples) {
    const offset = (s.t - profile.startTime) / 1000;
    const category =
      s.ms > longSampleMs
        ? `not running (one ${ms(s.ms)} sample in ${s.stack[0].functionName})`
        : hostCategory(s.stack);
    if (gap && offset >= gap[0] && offset <= gap[1]) inGap.set(category, (inGap.get(category) ?? 0) + s.ms);
    if (s.ms > longSampleMs) {
      notRunning += s.ms;
      stretch = 0;
      continue;
    }
    if (s.stack.some((f) => f.url.includes(ours))) {
      own += s.ms;
      stretch += s.ms;
      longestOwn = Math.max(longestOwn, stretch);
      byOwnFunction.set(category, (byOwnFunction.get(category) ?? 0) + s.ms);
    } else stretch = 0;
  }
  const window = (profile.endTime - profile.startTime) / 1000;
  console.log(
    `  host: window ${ms(window)}; ours ${ms(own)} (longest stretch ${ms(longestOwn)}); not running ${ms(notRunning)}`,
  );
  if (byOwnFunction.size) console.log(top(byOwnFunction, 6));
  if (gap)
    console.log(`  longest block ${ms(gap[1] - gap[0])} held:\n${top(inGap, 6) || '    no sample (not running)'}`);
  return profile;
}

function allocations(label) {
  const file = path.join(dir, `typing-${label}.heapprofile`);
  if (!fs.existsSync(file)) return;
  let total = 0;
  let own = 0;
  const byWho = new Map();
  const walk = (node, stack) => {
    const here = [node.callFrame, ...stack];
    if (node.selfSize) {
      total += node.selfSize;
      const mine = here.some((f) => f.url.includes(ours));
      if (mine) own += node.selfSize;
      const who = mine
        ? 'ours'
        : (here.find((f) => /\/extensions\/|\/dist\//.test(f.url) && !f.url.includes('extensionHostProcess'))?.url ??
          'VS Code and Node');
      const key = who === 'ours' || who === 'VS Code and Node' ? who : `extension ${short(who)}`;
      byWho.set(key, (byWho.get(key) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, here);
  };
  walk(readJson(file).head, []);
  const mb = (b) => `${(b / 2 ** 20).toFixed(2)} MB`;
  console.log(`  allocated (sampled): ${mb(total)}, ours ${mb(own)}`);
  console.log(
    [...byWho]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, v]) => `    ${mb(v).padStart(10)}  ${k}`)
      .join('\n'),
  );
}

function calls(label) {
  const file = path.join(dir, `typing-${label}.calls.json`);
  if (!fs.existsSync(file)) return;
  const list = readJson(file).filter((c) => c.script === 'extension.js' && c.name);
  console.log(
    `  calls of ours: ${
      list
        .slice(0, 12)
        .map((c) => `${c.name} ${c.calls}`)
        .join(', ') || 'none'
    }`,
  );
}

function renderer(profiles) {
  if (!rendererFile || !fs.existsSync(rendererFile)) return;
  const samples = samplesOf(readJson(rendererFile));
  const per = profiles.map(({ label, profile }) => {
    const m = new Map();
    let busy = 0;
    for (const s of samples) {
      if (s.t < profile.startTime || s.t > profile.endTime || s.ms > longSampleMs) continue;
      if (s.stack[0].functionName === '(idle)') continue;
      busy += s.ms;
      // The outermost and innermost named frames: enough to tell the minimap from the text model.
      const outer = s.stack.filter((f) => f.functionName && !f.functionName.startsWith('(')).reverse();
      const key = s.stack[0].functionName.startsWith('(')
        ? s.stack[0].functionName
        : `${outer[0]?.functionName} … ${s.stack[0].functionName}`;
      m.set(key, (m.get(key) ?? 0) + s.ms);
    }
    return { label, m, busy };
  });
  console.log(`renderer busy: ${per.map((p) => `${p.label} ${ms(p.busy)}`).join(', ')}; largest differences:`);
  const keys = new Set(per.flatMap((p) => [...p.m.keys()]));
  const rows = [...keys].map((k) => [k, ...per.map((p) => p.m.get(k) ?? 0)]);
  rows.sort((a, b) => Math.abs(b[1] - (b[2] ?? 0)) - Math.abs(a[1] - (a[2] ?? 0)));
  for (const r of rows.slice(0, 10))
    console.log(
      `  ${r
        .slice(1)
        .map((v) => ms(v).padStart(10))
        .join('')}  ${r[0]}`,
    );
}

const profiles = [];
for (const [label, key] of windows) {
  const f = figures?.[key];
  console.log(
    `${label}:` +
      (f
        ? ` longest block ${ms(f.longestTimerGapMs)}, edit round trip p95 ${ms(f.editRoundTripP95Ms)}, ` +
          `${f.gcCount} collections (${f.gcMajorCount ?? '?'} major)`
        : ''),
  );
  const profile = hostWindow(label, f?.longestGapInProfileMs);
  allocations(label);
  calls(label);
  if (profile) profiles.push({ label, profile });
}
if (figures?.hostHeapUsedMB) console.log(`host heap used after GC (MB): ${JSON.stringify(figures.hostHeapUsedMB)}`);
renderer(profiles);
