/**
 * One word per idea in the Korean UI. A learner who reads "타깃" in one row and "정답" in the next
 * wonders whether they are two different tensors; the same goes for a minus sign that changes
 * shape inside one row. These tests read every Korean string the user can see (the panel's
 * dictionary, the extension host's bundle and the manifest's) so that a new translation cannot
 * bring the other word or the other minus back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { koreanKeys, translator } from '../../../webview/l10n';

const root = join(__dirname, '../../..');

function json(path: string): Record<string, string> {
  return JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, string>;
}

const ko = translator('ko');
/** The panel's Korean strings, keyed by their English source. */
const panel: [string, string][] = koreanKeys.map((k) => [k, ko(k)]);
/** The host's (hovers, diagnostics, commands) and the manifest's Korean strings. */
const host: [string, string][] = Object.entries(json('l10n/bundle.l10n.ko.json'));
const manifest: [string, string][] = Object.entries(json('package.nls.ko.json'));
const all = [...panel, ...host, ...manifest];

/** Words that were used for the target next to 타깃; each would make a second name for it. */
const otherTargetWords = ['정답', '목표값', '레이블', '라벨', '타겟'];

/** A minus in a mathematical position written with the ASCII hyphen: `-log`, ` - `, `-2`, `-{0}`, `-q`. */
const asciiMathMinus = /(^|[\s(=[×·:])-(?=\s|log|\d|\{|[a-zA-Zα-ω]\b|[a-z]·)/;

describe('Korean terms', () => {
  it('finds Korean strings in all three places', () => {
    expect(panel.length).toBeGreaterThan(50);
    expect(host.length).toBeGreaterThan(50);
    expect(manifest.length).toBeGreaterThan(10);
  });

  it('calls the target 타깃 everywhere, never by another word', () => {
    const offenders = all.filter(([, v]) => otherTargetWords.some((w) => v.includes(w)));
    expect(offenders).toEqual([]);
  });

  it('translates every English "target" with 타깃', () => {
    const missing = all.filter(([k, v]) => /\btargets?\b/i.test(stripCode(k)) && !v.includes('타깃'));
    expect(missing).toEqual([]);
  });

  it('keeps one minus sign within each string: the panel writes ASCII, as its numbers are', () => {
    // The panel prints numbers with the ASCII minus (pasteable into code), so its labels do too.
    expect(panel.filter(([, v]) => v.includes('\u2212'))).toEqual([]);
    expect(panel.filter(([k]) => k.includes('\u2212'))).toEqual([]);
  });

  it('keeps one minus sign within each string: a host string with U+2212 has no ASCII math minus', () => {
    // Hovers print numbers with U+2212 (`fmt`), so a label beside them uses it as well.
    const mixed = [...host, ...manifest].filter(
      ([k, v]) => (v.includes('\u2212') && asciiMathMinus.test(v)) || (k.includes('\u2212') && asciiMathMinus.test(k)),
    );
    expect(mixed).toEqual([]);
    const changed = host.filter(([k, v]) => k.includes('\u2212') !== v.includes('\u2212'));
    expect(changed).toEqual([]);
  });

  it('the minus check itself sees a mixed row', () => {
    expect(asciiMathMinus.test('−log p = -2.1438')).toBe(true);
    expect(asciiMathMinus.test('원-핫 1')).toBe(false);
    expect(asciiMathMinus.test('클래스 {0}–{1}')).toBe(false);
  });
});

/**
 * English text without the places where `target` is code or a formula (`target.argmax`,
 * `w[target]`, `target = ignore_index`), which stay untranslated in every language.
 */
function stripCode(text: string): string {
  return text
    .replace(/`[^`]*`/g, '')
    .replace(/\btarget\.[a-z]+/gi, '')
    .replace(/\[target\]/g, '')
    .replace(/\btarget =/g, '');
}
