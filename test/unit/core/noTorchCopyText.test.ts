/**
 * The sentences that say why "Copy as PyTorch" is missing are written once, in the core, and the
 * hover, the copy command and the panel's card all show that one sentence. Two copies (one in the
 * editor's formatters, one in the panel's) drift apart the first time one of them is edited.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NoTorchReason } from '../../../src/core/libraryView';
import { noTorchCopyText } from '../../../src/core/sharedText';
import { englishL10n } from '../../../src/editor/format';

const root = join(__dirname, '../../..');
const reasons: NoTorchReason[] = [
  'probabilities',
  'weights',
  'other',
  'binary',
  'no_number',
  'bits',
  'negated',
  'nll_probability_targets',
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('no-copy sentences', () => {
  it('are written in one file of the sources', () => {
    const files = [...sources(join(root, 'src')), ...sources(join(root, 'webview'))].map((f) => ({
      f: f.slice(root.length + 1),
      text: readFileSync(f, 'utf8'),
    }));
    for (const reason of reasons) {
      const sentence = noTorchCopyText(reason, englishL10n);
      const holders = files.filter((x) => x.text.includes(sentence)).map((x) => x.f);
      expect(holders, reason).toEqual(['src/core/sharedText.ts']);
    }
  });

  it('one sentence per reason, each a full sentence', () => {
    const all = reasons.map((r) => noTorchCopyText(r, englishL10n));
    expect(new Set(all).size).toBe(reasons.length);
    for (const s of all) expect(s).toMatch(/^[a-z].*\.$/);
  });
});
