/**
 * Every user-visible string of the extension host has a Korean translation: the strings passed to
 * vscode.l10n.t (aliased `t`) in src/, the manifest's %keys% in package.nls.ko.json.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = [
  ...sources(join(root, 'src/editor')),
  ...sources(join(root, 'src/panel')),
  join(root, 'src/lossInspector.ts'),
];
const used = new Set<string>();
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  if (!/vscode\.l10n\.t|const t = /.test(text)) continue;
  for (const m of text.matchAll(/(?:\bt|l10n\.t)\(\s*(['"])((?:\\.|(?!\1).)*)\1/g))
    used.add(m[2].replace(/\\(.)/g, '$1'));
}

describe('Korean localisation', () => {
  const bundle = JSON.parse(readFileSync(join(root, 'l10n/bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;

  it('finds the strings in the sources', () => {
    expect(used.size).toBeGreaterThan(30);
  });

  for (const s of used) {
    it(`translates "${s}"`, () => {
      expect(bundle[s], s).toBeTruthy();
      // Placeholders survive translation.
      for (const ph of s.match(/\{\d+\}/g) ?? []) expect(bundle[s]).toContain(ph);
    });
  }

  it('translates every manifest string', () => {
    const en = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const ko = JSON.parse(readFileSync(join(root, 'package.nls.ko.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    for (const m of manifest.matchAll(/"%([^%"]+)%"/g)) expect(en[m[1]], m[1]).toBeTruthy();
  });
});
