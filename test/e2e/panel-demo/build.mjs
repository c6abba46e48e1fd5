// The panel outside VS Code: builds dist/webview.js, writes a static page under
// test-results/panel-demo/ that loads it under the real CSP from panelHtml with a stub
// acquireVsCodeApi (a tiny simulated host), then opens it in Debian's chromium with
// playwright-core, screenshots it in a dark and a light theme, and times the render of a
// (64, 50257) snapshot. Screenshots are test-results/demo-panel-*.png (the real workbench's are panel-*.png).
//
//   node test/e2e/panel-demo/build.mjs            build, screenshot, time
//   node test/e2e/panel-demo/build.mjs --serve    build and serve on http://127.0.0.1:8123/ until Ctrl-C
//   node test/e2e/panel-demo/build.mjs --sample-bench [rounds]
//                                                 build, then time the render of sample changes of a
//                                                 (64, 50257) pair sent as the extension sends them.
//                                                 SAMPLE_BENCH_WIDTH=1200 for the editor area's width
//                                                 (460 px, a side bar's, by default); SAMPLE_BENCH_TRACE=
//                                                 file.json for a Performance trace, SAMPLE_BENCH_PROFILE=
//                                                 file.cpuprofile for a CPU profile of the runs; SAMPLE_BENCH_HEAT_SWAP=1 names a
//                                                 second heat map every other change (as a dtype switch does);
//                                                 SAMPLE_BENCH_HEAT_NEW=1 sends a heat map not drawn yet with
//                                                 every change (a first dtype switch)
import * as esbuild from 'esbuild';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { heatDrawnAhead } from './heatCheck.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const out = path.join(repo, 'test-results/panel-demo');
const shots = path.join(repo, 'test-results');
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: [path.join(repo, 'webview/main.ts')],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  outfile: path.join(repo, 'dist/webview.js'),
  logLevel: 'warning',
});
await esbuild.build({
  entryPoints: [path.join(here, 'demoEntry.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: path.join(out, 'demoEntry.mjs'),
  logLevel: 'warning',
});
const demo = await import(pathToFileURL(path.join(out, 'demoEntry.mjs')).href);

const themes = {
  dark: {
    foreground: '#cccccc',
    'sideBar-background': '#181818',
    'editor-background': '#1f1f1f',
    descriptionForeground: '#9d9d9d',
    errorForeground: '#f85149',
    focusBorder: '#0078d4',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c',
    'button-border': '#ffffff12',
    'settings-dropdownBackground': '#313131',
    'settings-dropdownBorder': '#3c3c3c',
    'settings-dropdownForeground': '#cccccc',
    'settings-dropdownListBorder': '#454545',
    'settings-textInputBackground': '#313131',
    'settings-textInputBorder': '#3c3c3c',
    'settings-textInputForeground': '#cccccc',
    'input-placeholderForeground': '#989898',
    'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e',
    'list-activeSelectionForeground': '#ffffff',
    'list-inactiveSelectionBackground': '#37373d',
    'list-focusOutline': '#0078d4',
    'sideBarSectionHeader-background': '#181818',
    'sideBarSectionHeader-border': '#2b2b2b',
    'sideBarTitle-foreground': '#cccccc',
    'panel-border': '#2b2b2b',
    'widget-border': '#313131',
    'charts-blue': '#3794ff',
    'charts-orange': '#d18616',
    'charts-red': '#f14c4c',
    'charts-green': '#89d185',
    disabledForeground: '#cccccc80',
    'editor-selectionHighlightBackground': '#add6ff26',
    'editorHoverWidget-background': '#202020',
    'editorHoverWidget-border': '#454545',
    'editorHoverWidget-foreground': '#cccccc',
    'widget-shadow': '#0000005c',
    'editorWarning-foreground': '#cca700',
    'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-errorBorder': '#be1100',
    'icon-foreground': '#cccccc',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
  },
  light: {
    foreground: '#3b3b3b',
    'sideBar-background': '#f8f8f8',
    'editor-background': '#ffffff',
    descriptionForeground: '#616161',
    errorForeground: '#e51400',
    focusBorder: '#005fb8',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc',
    'button-border': '#0000001a',
    'settings-dropdownBackground': '#ffffff',
    'settings-dropdownBorder': '#cecece',
    'settings-dropdownForeground': '#3b3b3b',
    'settings-dropdownListBorder': '#c8c8c8',
    'settings-textInputBackground': '#ffffff',
    'settings-textInputBorder': '#cecece',
    'settings-textInputForeground': '#3b3b3b',
    'input-placeholderForeground': '#767676',
    'list-hoverBackground': '#f2f2f2',
    'list-activeSelectionBackground': '#e8e8e8',
    'list-activeSelectionForeground': '#000000',
    'list-inactiveSelectionBackground': '#e4e6f1',
    'list-focusOutline': '#005fb8',
    'sideBarSectionHeader-background': '#f8f8f8',
    'sideBarSectionHeader-border': '#e5e5e5',
    'sideBarTitle-foreground': '#3b3b3b',
    'panel-border': '#e5e5e5',
    'widget-border': '#e5e5e5',
    'charts-blue': '#1a85ff',
    'charts-orange': '#d18616',
    'charts-red': '#e51400',
    'charts-green': '#388a34',
    disabledForeground: '#61616180',
    'editor-selectionHighlightBackground': '#add6ff80',
    'editorHoverWidget-background': '#f8f8f8',
    'editorHoverWidget-border': '#c8c8c8',
    'editorHoverWidget-foreground': '#3b3b3b',
    'widget-shadow': '#00000029',
    'editorWarning-foreground': '#bf8803',
    'inputValidation-errorBackground': '#f2dede',
    'inputValidation-errorBorder': '#be1100',
    'icon-foreground': '#3b3b3b',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
  },
};
const fonts = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe UI", "Ubuntu", "Droid Sans", "DejaVu Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  'editor-font-size': '13px',
};
for (const [name, vars] of Object.entries(themes)) {
  const body = Object.entries({ ...fonts, ...vars })
    .map(([k, v]) => `  --vscode-${k}: ${v};`)
    .join('\n');
  writeFileSync(path.join(out, `theme-${name}.css`), `:root {\n${body}\n}\n`);
}

// The simulated host: answers `ready` and a few messages with snapshots built by the real code.
const states = {
  seed0: demo.seedBatchMessage({ element: 0 }),
  seed1: demo.seedBatchMessage({ element: 1 }),
  seed0k100: demo.seedBatchMessage({ element: 0, view: { shift: 100 } }),
  hostile: demo.seedBatchMessage({ element: 0, hostile: true }),
  ko: demo.seedBatchMessage({ element: 0, locale: 'ko' }),
};
const stub = `// Stub of the webview API for the demo page: records what the panel posts and answers like a host.
window.__sent = [];
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
window.__states = ${JSON.stringify(states)};
const params = new URLSearchParams(location.search);
let current = params.get('state') || 'seed0';
const theme = document.createElement('link');
theme.id = 'theme';
theme.rel = 'stylesheet';
theme.href = 'theme-' + (params.get('theme') || 'dark') + '.css';
document.head.appendChild(theme);
window.__setTheme = (name) => {
  theme.href = 'theme-' + name + '.css';
  document.body.className = name === 'dark' ? 'vscode-dark' : 'vscode-light';
};
window.__deliver = (message) => window.postMessage(message, '*');
window.acquireVsCodeApi = () => ({
  postMessage(m) {
    window.__sent.push(m);
    if (m.type === 'selectSample') current = m.element === 1 ? 'seed1' : 'seed0';
    if (m.type === 'setShift') current = m.shift >= 89 ? 'seed0k100' : 'seed0';
    if (m.type === 'ready' || m.type === 'selectSample' || m.type === 'setShift') setTimeout(() => window.__deliver(window.__states[current]), 0);
  },
  getState() { return JSON.parse(sessionStorage.getItem('ui') || 'null'); },
  setState(s) { sessionStorage.setItem('ui', JSON.stringify(s)); },
});
`;
writeFileSync(path.join(out, 'stub.js'), stub);

const nonce = randomBytes(16).toString('base64');
let html = demo.panelHtml({
  cspSource: "'self'",
  nonce,
  scriptUri: '../../dist/webview.js',
  styleUri: '../../media/panel.css',
});
// The demo's one addition: the stub, nonce'd like the bundle and loaded before it.
html = html.replace('<script type="module"', `<script nonce="${nonce}" src="stub.js"></script>\n<script type="module"`);
writeFileSync(path.join(out, 'index.html'), html);
console.log(`wrote ${path.relative(repo, path.join(out, 'index.html'))}`);

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
};
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const file = path.join(repo, decodeURIComponent(url.pathname));
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  if (
    !file.startsWith(repo + path.sep) ||
    !['/dist/', '/media/', '/test-results/panel-demo/'].some((p) => url.pathname.startsWith(p))
  ) {
    console.error(`404 ${url.pathname}`);
    res.writeHead(404).end();
    return;
  }
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    res
      .writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  } catch {
    res.writeHead(404).end();
  }
});
const port = process.argv.includes('--serve') ? 8123 : 0;
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/test-results/panel-demo/index.html`;
if (process.argv.includes('--serve')) {
  console.log(`serving ${base}`);
} else if (process.argv.includes('--sample-bench')) {
  try {
    await sampleBench(base, Number(process.argv[process.argv.indexOf('--sample-bench') + 1]) || 5);
  } finally {
    server.close();
  }
} else {
  try {
    await screenshots(base);
  } finally {
    server.close();
  }
}

function launch(chromium) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

async function screenshots(url) {
  const { chromium } = await import('playwright-core');
  const browser = await launch(chromium);
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 460, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // The header in every state, at a 300 px side bar and full width: nothing cut, nothing
    // overlapping (test/e2e/headerFit.ts), and a screenshot of each to look at.
    const headers = demo.headerStates();
    for (const width of [300, 900]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, message] of Object.entries(headers)) {
        await page.goto(url);
        await page.waitForSelector('table.steps', { state: 'attached' });
        await page.evaluate((m) => window.__deliver(m), message);
        await page.waitForFunction(
          (label) => document.querySelector('.doc-label')?.textContent === label,
          message.state.documentLabel,
        );
        await page.waitForTimeout(50);
        const found = (await page.locator('#app').evaluate(demo.headerCheck)).now;
        for (const p of found) {
          problems.push(`header ${name} at ${width} px: ${p}`);
          console.error(`header ${name} at ${width} px: ${p}`);
        }
        const header = await page.locator('.panel-header').boundingBox();
        await page.screenshot({
          path: path.join(shots, `demo-header-${name}-${width}.png`),
          clip: { x: 0, y: 0, width, height: Math.min(400, header.y + header.height) },
        });
      }
      console.log(`header states at ${width} px: ${Object.keys(headers).length} checked`);
    }
    await page.setViewportSize({ width: 460, height: 900 });
    for (const theme of ['dark', 'light']) {
      await page.goto(`${url}?theme=${theme}`);
      await page.evaluate((t) => window.__setTheme(t), theme);
      // The softmax cells of whichever step layout the width shows: one column per class
      // (table.steps, data-row) or, in a narrow view, one row per class (table.steps-by-class, data-step).
      const softmaxCell = 'table.steps td[data-row="p"], table.steps-by-class td[data-step="p"]';
      await page.locator(softmaxCell).locator('visible=true').first().waitFor();
      // Open the stability card and set k = 100 through the UI, as a user would.
      if (!(await page.evaluate(() => document.querySelector('#sec-stability').open))) {
        await page.locator('#sec-stability').click({ position: { x: 40, y: 10 } });
      }
      const shift = page.locator('#stability-shift input');
      await shift.fill('100');
      await shift.press('Enter');
      await page.waitForSelector('.verdict.bad');
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(shots, `demo-panel-${theme}.png`), fullPage: true });
      // A tooltip, reached by keyboard: focus the target's softmax cell.
      await page
        .locator('table.steps td[data-row="p"][data-class="1"], table.steps-by-class td[data-step="p"][data-class="1"]')
        .locator('visible=true')
        .first()
        .focus();
      await page.waitForSelector('#tooltip:not([hidden])');
      const tip = await page.locator('#tooltip').textContent();
      console.log(`${theme}: tooltip on p[1]: ${JSON.stringify(tip)}`);
      const box = await page.locator('table.steps, table.steps-by-class').locator('visible=true').first().boundingBox();
      await page.screenshot({
        path: path.join(shots, `demo-panel-tooltip-${theme}.png`),
        clip: { x: 0, y: Math.max(0, box.y - 10), width: 460, height: Math.min(420, box.height + 140) },
      });
      const sent = await page.evaluate(() => window.__sent);
      console.log(`${theme}: posted ${sent.map((m) => m.type).join(', ')}`);
    }
    // Document text stays text.
    await page.goto(`${url}?state=hostile`);
    await page.waitForSelector('table.steps', { state: 'attached' });
    const hostile = await page.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      alertText: document.body.textContent.includes('<img src=x onerror=alert(1)>'),
    }));
    console.log(`hostile names: ${JSON.stringify(hostile)}`);
    if (hostile.img !== 0 || hostile.scripts !== 2 || !hostile.alertText)
      problems.push('hostile names were not rendered as text');
    await page.screenshot({
      path: path.join(shots, 'demo-panel-hostile-dark.png'),
      clip: { x: 0, y: 0, width: 460, height: 260 },
    });

    const ahead = await heatDrawnAhead(page, url, demo.largeBatchMessages(64, 50257, [5], true).slice(0, 2));
    console.log(`heat map drawn off the page and on it: ${ahead.join(' · ')}`);
    if (ahead.length !== 2 || ahead[0] !== ahead[1])
      problems.push(`the heat map drawn off the page differs: ${ahead.join(' · ')}`);

    // Scale: decode + guard + render + next frame for a (64, 50257) snapshot, as VS Code delivers it (JSON).
    const json = JSON.stringify(demo.largeBatchMessage(64, 50257));
    const timings = await page.evaluate(async (text) => {
      const times = [];
      const parse = [];
      for (let i = 0; i < 25; i++) {
        const t0 = performance.now();
        const message = JSON.parse(text);
        parse.push(performance.now() - t0);
        window.postMessage(message, '*');
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        times.push(performance.now() - t0);
      }
      return { times, parse, cells: document.querySelectorAll('*').length };
    }, json);
    const sorted = timings.times.slice(5).sort((a, b) => a - b);
    const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
    const parseSorted = timings.parse.slice(5).sort((a, b) => a - b);
    console.log(
      `(64, 50257) snapshot: ${(json.length / 1024).toFixed(0)} KiB JSON, ${timings.cells} DOM elements; ` +
        `JSON.parse + message + decode + guard + render + next frame: median ${sorted[sorted.length >> 1].toFixed(1)} ms, p95 ${p95.toFixed(1)} ms ` +
        `(JSON.parse alone: median ${parseSorted[parseSorted.length >> 1].toFixed(1)} ms)`,
    );
    await page.screenshot({ path: path.join(shots, 'demo-panel-large-dark.png'), fullPage: true });
    // Its softmax chart alone: 21 bars of five-digit classes in a side bar's width.
    await page
      .locator('figure.chart.softmax')
      .screenshot({ path: path.join(shots, 'demo-panel-large-chart-dark.png') });
    // The heat map in log p, chosen in the UI state (as a user's earlier choice would be restored).
    await page.evaluate(() =>
      sessionStorage.setItem('ui', JSON.stringify({ chartMode: 'logp', open: { controls: false, stability: false } })),
    );
    await page.reload();
    await page.waitForSelector('table.steps', { state: 'attached' });
    await page.evaluate((text) => window.__deliver(JSON.parse(text)), json);
    await page.waitForTimeout(300);
    const heat = await page.locator('#sec-batch').boundingBox();
    await page.screenshot({
      path: path.join(shots, 'demo-panel-large-logp-dark.png'),
      fullPage: true,
      clip: { x: 0, y: heat.y, width: 460, height: Math.min(heat.height, 500) },
    });
    const csp = await page.evaluate(() => window.__csp);
    if (csp.length) problems.push(`CSP violations: ${csp.join('; ')}`);
  } finally {
    await browser.close();
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  } else {
    console.log('no console errors, no CSP violations');
  }
}

/**
 * Sample changes of a (64, 50257) pair as the extension sends them (the heat map once, then
 * snapshots naming it), `rounds` times over 16 samples. For each: the render (the app's message
 * handler, from the event's dispatch to a listener after the app's) and the time to the next
 * frame (style, layout, paint: a requestAnimationFrame callback followed by a task).
 */
async function sampleBench(url, rounds) {
  const { chromium } = await import('playwright-core');
  const browser = await launch(chromium);
  const width = Number(process.env.SAMPLE_BENCH_WIDTH) || 460;
  try {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(url);
    await page.waitForSelector('.steps-box', { state: 'attached' });
    const elements = Array.from({ length: 16 }, (_, i) => (i * 5) % 64);
    const messages = demo.largeBatchMessages(64, 50257, elements, true);
    // SAMPLE_BENCH_HEAT_SWAP=1: every other change names a second heat map (as a dtype switch does).
    if (process.env.SAMPLE_BENCH_HEAT_SWAP === '1') {
      const second = { ...messages[0], heatMap: { ...messages[0].heatMap } };
      second.id = 2;
      second.heatMap.rowLoss = second.heatMap.rowLoss.map((v) => (typeof v === 'number' ? v * 1.01 : v));
      messages.splice(1, 0, second);
      for (let i = 2; i < messages.length; i += 2) messages[i].heatMapId = 2;
    }
    // SAMPLE_BENCH_HEAT_NEW=1: every change comes with a heat map the page has not drawn (as a first
    // dtype switch does): the map message first (not timed), then the snapshot naming it.
    if (process.env.SAMPLE_BENCH_HEAT_NEW === '1') {
      const first = messages[0];
      for (let i = messages.length - 1; i >= 1; i--) {
        const id = 100 + i;
        messages[i].heatMapId = id;
        messages.splice(i, 0, { ...first, id });
      }
    }
    // A heat map message's cells are a Float64Array (VS Code moves it as binary): kept one through the text.
    const json = JSON.stringify(messages, (_k, v) => (ArrayBuffer.isView(v) ? { $f64: Array.from(v) } : v));
    const traceOut = process.env.SAMPLE_BENCH_TRACE;
    if (traceOut)
      await browser.startTracing(page, {
        path: traceOut,
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'disabled-by-default-devtools.timeline.stack',
          'v8.execute',
          'blink.user_timing',
          'disabled-by-default-v8.cpu_profiler',
        ],
      });
    const profOut = process.env.SAMPLE_BENCH_PROFILE;
    const cdp = profOut ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const r = await page.evaluate(
      async ({ text, rounds, fresh }) => {
        const messages = JSON.parse(text, (_k, v) => (v && Array.isArray(v.$f64) ? Float64Array.from(v.$f64) : v));
        const frame = () => new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
        let start = 0;
        let end = 0;
        // The event's time stamp is when it was dispatched, before the app's listener (added first) ran.
        window.addEventListener('message', (e) => {
          start = e.timeStamp;
          end = performance.now();
        });
        const deliver = async (m) => {
          window.postMessage(m, '*');
          await new Promise((res) => setTimeout(res, 0));
        };
        // The first map is sent once; with a new map per change, each snapshot's map is sent before it.
        const loop = fresh ? messages.slice(1) : messages;
        while (messages[0].type !== 'state') await deliver(messages.shift());
        await deliver(messages[0]);
        await frame();
        await frame();
        const render = [];
        const toFrame = [];
        const boxes = new Set();
        for (let k = 0; k < rounds; k++)
          for (const m of loop) {
            await deliver(m);
            // A heat map kept for a later snapshot: that snapshot's render is the change.
            if (m.type !== 'state') continue;
            const rendered = end;
            boxes.add(document.querySelector('.steps-box'));
            await frame();
            render.push(rendered - start);
            toFrame.push(performance.now() - start);
          }
        const shown = document.querySelector('#sec-sample')?.getAttribute('description') ?? '';
        const layout = document.querySelector('.steps-box')?.getAttribute('data-layout');
        return { render, toFrame, shown, layout, boxes: boxes.size, elements: document.querySelectorAll('*').length };
      },
      { text: json, rounds, fresh: process.env.SAMPLE_BENCH_HEAT_NEW === '1' },
    );
    if (traceOut) await browser.stopTracing();
    if (cdp) writeFileSync(profOut, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const stats = (v) => {
      const s = v.slice().sort((a, b) => a - b);
      const at = (q) => s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)].toFixed(1);
      return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${s[s.length - 1].toFixed(1)} ms (n = ${s.length})`;
    };
    console.log(
      `sample change, (64, 50257), ${width} px wide, ${r.elements} DOM elements, last shown: ${r.shown}; ` +
        `steps laid out as ${r.layout}, ${r.boxes} steps box(es) for ${r.render.length} changes`,
    );
    console.log(`  render (message handler): ${stats(r.render)}`);
    console.log(`  to the next frame:        ${stats(r.toFrame)}`);
    if (problems.length) {
      console.error(problems.join('\n'));
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
  }
}
