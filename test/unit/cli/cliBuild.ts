/**
 * The CLI under test, built from the current sources into a temp folder once per test file, so a
 * black-box test never runs a stale or foreign `dist/cli.js`. The options mirror the `cli` entry of
 * esbuild.mjs (node/cjs, node20, the shebang banner); `npm test` builds dist/cli.js separately.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll } from 'vitest';

export const root = join(__dirname, '../../..');
const outDir = mkdtempSync(join(tmpdir(), 'li-cli-'));
// Registered while the importing test file is collected, so it runs after that file's tests.
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The freshly built CLI (exists after ensureCli()). */
export const cli = join(outDir, 'cli.js');

/** Builds src/cli/main.ts into {@link cli}; cheap after the first call. Use as `beforeAll(ensureCli)`. */
export function ensureCli(): void {
  if (existsSync(cli)) return;
  buildSync({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'error',
  });
}

/** Runs the built CLI from the repository root (relative paths in `args` are from there). */
export function runCli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
