/**
 * The host bundle leaves out what activation does not run (scripts/lazy-parts.mjs): VS Code counts
 * loading dist/extension.js in the activation time it shows. Builds the bundle in memory the way
 * esbuild.mjs does and checks which sources it holds, and that the package ships each part.
 */
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lazyParts, lazyRequires } from '../../../scripts/lazy-parts.mjs';

const root = join(__dirname, '..', '..', '..');

describe('the host bundle', () => {
  it('holds none of the lazily loaded parts, and requires each one from its own file', async () => {
    const built = await esbuild.build({
      absWorkingDir: root,
      entryPoints: ['src/extension.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      plugins: [lazyRequires],
      write: false,
      metafile: true,
      outfile: 'dist/extension.js',
      logLevel: 'silent',
    });
    const inputs = Object.keys(built.metafile.inputs);
    // The parts' entries and the big modules behind them.
    for (const left of [
      ...Object.keys(lazyParts),
      'src/live/pythonHelper.ts',
      'src/live/lossCall.ts',
      // The live host, its hover and the session trackers: src/live/liveLoader.ts stands in for them.
      'src/live/liveHost.ts',
      'src/live/liveHover.ts',
      'src/live/replyTap.ts',
      // The commands' bodies: src/editor/commandLoader.ts registers their ids.
      'src/editor/commands.ts',
      'src/editor/selectionTargets.ts',
      'src/panel/panelModel.ts',
      'src/protocol/webview.ts',
      'src/core/breakdownExport.ts',
      'src/editor/workspaceCheck.ts',
    ])
      expect(inputs, left).not.toContain(left);
    // What activation does run is there, and what stands in for the parts.
    for (const kept of ['src/editor/documentAnalysis.ts', 'src/live/liveLoader.ts', 'src/editor/commandLoader.ts'])
      expect(inputs, kept).toContain(kept);
    const text = built.outputFiles[0]!.text;
    for (const file of Object.values(lazyParts)) expect(text).toContain(`require("./${file}")`);
    // Loading worker_threads or crypto at the top would cost activation too.
    expect(text).not.toMatch(/^var \w+ = require\("node:(worker_threads|crypto)"\)/m);
  });

  it('is shipped with every part (the package is an allowlist)', () => {
    const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
    for (const file of ['extension.js', ...Object.values(lazyParts)]) expect(ignore).toContain(`!dist/${file}`);
  });
});
