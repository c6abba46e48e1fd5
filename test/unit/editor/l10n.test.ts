/**
 * Every user-visible string of the extension host has a Korean translation: the strings that
 * @vscode/l10n-dev extracts from the host's sources (the tool that writes bundle.l10n.json, so a
 * string it cannot see is a string translators never get), and the manifest's %keys% in
 * package.nls.ko.json.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The host: everything that runs in the extension host and may show text to a person. */
const hostFiles = [
  ...sources(join(root, 'src/editor')),
  ...sources(join(root, 'src/panel')),
  ...sources(join(root, 'src/live')),
  join(root, 'src/lossInspector.ts'),
  join(root, 'src/extension.ts'),
];

/**
 * The core's sentences that the host's sibling rooms share (src/core/sharedText.ts): they call
 * `l10n.t('…')` on the `l10n` the host hands in. The extractor reads only files that import `l10n`
 * from 'vscode', which the core may not, so it is shown them with that import in front.
 */
const coreSentenceFiles = sources(join(root, 'src/core')).filter((f) => readFileSync(f, 'utf8').includes('l10n.t('));

let extracted: Record<string, unknown> = {};

beforeAll(async () => {
  extracted = await getL10nJson([
    ...hostFiles.map((f) => ({ extension: '.ts', contents: readFileSync(f, 'utf8') })),
    ...coreSentenceFiles.map((f) => ({
      extension: '.ts',
      contents: `import type { l10n } from 'vscode';\n${readFileSync(f, 'utf8')}`,
    })),
  ]);
});

describe('Korean localisation', () => {
  const bundle = JSON.parse(readFileSync(join(root, 'l10n/bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;

  it('extracts the host strings, the pure formatters’ included', () => {
    const keys = Object.keys(extracted);
    expect(keys.length).toBeGreaterThan(30);
    // From src/editor/format.ts, which receives `l10n` instead of importing vscode at run time.
    expect(keys).toContain('Loss of this sample: −log p[{0}] = {1}');
    // From a provider calling vscode.l10n.t directly.
    expect(keys).toContain('Computed by Loss Inspector as torch.nn.CrossEntropyLoss would.');
    // From the core's shared sentences, which the editor and the panel both show.
    expect(keys).toContain('torch’s loss has no argument for these sample weights.');
  });

  it('translates every extracted string, keeping its placeholders', () => {
    const missing: string[] = [];
    for (const key of Object.keys(extracted)) {
      const ko = bundle[key];
      if (!ko) {
        missing.push(key);
        continue;
      }
      for (const ph of key.match(/\{\d+\}/g) ?? []) expect(ko, key).toContain(ph);
    }
    expect(missing).toEqual([]);
  });

  it('has no translation left over for a string the sources no longer use', () => {
    expect(Object.keys(bundle).filter((k) => !Object.hasOwn(extracted, k))).toEqual([]);
  });

  it('translates every manifest string', () => {
    const en = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const ko = JSON.parse(readFileSync(join(root, 'package.nls.ko.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    for (const m of manifest.matchAll(/"%([^%"]+)%"/g)) expect(en[m[1]!], m[1]).toBeTruthy();
  });
});
