/**
 * `--help` on a command prints that command's usage on stdout and exits 0 (a user's first try), while
 * a `--help` after `--` is a file name like any other and an unknown option is still a usage error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCli, runCli } from './cliBuild';

beforeAll(ensureCli);

describe('command help', () => {
  for (const command of ['compute', 'scan', 'check']) {
    for (const flag of ['--help', '-h']) {
      it(`${command} ${flag} prints only ${command}'s usage and exits 0`, () => {
        const r = runCli([command, flag]);
        expect(r.code).toBe(0);
        expect(r.err).toBe('');
        const lines = r.out.trimEnd().split('\n');
        expect(lines[0]).toBe('Usage:');
        expect(lines.length).toBeGreaterThan(1);
        for (const line of lines.slice(1)) expect(line).toMatch(new RegExp(`^  loss-inspector ${command} `));
      });
    }
  }

  it('help after other options still wins', () => {
    const r = runCli(['scan', '--json', 'no-such-file.py', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage:\n  loss-inspector scan /);
  });

  it('after `--`, --help is a file name', () => {
    const r = runCli(['scan', '--', '--help']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--help');
    expect(r.out).not.toContain('Usage:');
  });

  it('an unknown option is still a usage error on stderr', () => {
    const r = runCli(['check', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Unknown option --frobnicate.');
  });
});
