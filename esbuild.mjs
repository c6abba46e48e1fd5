// Bundles of one source tree: the extension host entry, the analysis worker, the CLI and two
// benchmarks (node/cjs), and the webview UI (browser/esm). See docs/architecture.md.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { lazyParts, lazyRequires } from './scripts/lazy-parts.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the `file:line:col: error: text` form VS Code's problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'silent',
  plugins: [problemMatcher],
};

/** @type {Record<string, import('esbuild').BuildOptions>} */
const builds = {
  extension: {
    ...node,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [...node.plugins, lazyRequires],
  },
  ...Object.fromEntries(
    Object.entries(lazyParts).map(([entry, file]) => [
      file.replace(/\.js$/, ''),
      { ...node, entryPoints: [entry], outfile: `dist/${file}`, external: ['vscode'] },
    ]),
  ),
  worker: { ...node, entryPoints: ['src/worker/workerMain.ts'], outfile: 'dist/worker.js' },
  cli: { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  bench: {
    ...node,
    entryPoints: ['test/bench/main.ts'],
    outfile: 'dist/bench.js',
    sourcemap: false,
    external: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu'],
  },
  benchWorker: {
    ...node,
    entryPoints: ['test/bench/worker.ts'],
    outfile: 'dist/bench-worker.js',
    sourcemap: false,
  },
  benchPanelWorker: {
    ...node,
    entryPoints: ['test/bench/panelWorker.ts'],
    outfile: 'dist/bench-panel-worker.js',
    sourcemap: false,
  },
  webview: {
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'silent',
    plugins: [problemMatcher],
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
  },
};

const active = Object.entries(builds).filter(([, o]) => o.entryPoints.every((e) => existsSync(e)));
if (watch) {
  for (const [, options] of active) await (await esbuild.context(options)).watch();
} else {
  const results = await Promise.allSettled(active.map(([, o]) => esbuild.build(o)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) process.exit(1);
  console.log(`built ${active.map(([n]) => n).join(', ')}${production ? ' (production)' : ''}`);
}
