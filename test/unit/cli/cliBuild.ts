/** Builds dist/cli.js once when it is missing or older than the scan/check commands. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '../../..');
export const cli = join(root, 'dist/cli.js');

export function ensureCli(): void {
  if (!existsSync(cli) || !readFileSync(cli, 'utf8').includes('runCheck')) {
    spawnSync('node', ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  }
}

export function runCli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
