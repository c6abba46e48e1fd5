/**
 * Why a loss or a claim has no number, in the display language. Detection (src/core/detection)
 * writes its reasons in English, many filled in with code from the file and some wrapping another
 * reason ("the call to `f` is not followed: <why>"); the CLI prints them as they are. The editor
 * and the panel show them through {@link reasonText}, which recognises each English template
 * (reasonSentences.ts), translates the reasons nested in it the same way, keeps code fragments,
 * names and numbers verbatim, and gives back the English text it does not recognise: a reason is
 * never dropped or cut, only left in English.
 */
import { reasonSentences, type ReasonSentence } from './reasonSentences';
import type { CoreL10n } from './sharedText';

interface Pattern {
  /** The English template (`{0}` …), the l10n key. */
  key: string;
  /** The literal parts of the template: a reason without one of them cannot match (a cheap first test). */
  parts: string[];
  re: RegExp;
  /** For each `{n}`: the regex group that holds it, and whether it stands in code (`…`), kept verbatim. */
  slots: { group: number; code: boolean }[];
  sentence: ReasonSentence;
}

/** Longer reasons (a whole literal quoted as the code that was not read) are left in English. */
const maxLength = 20_000;
/** Reasons nest a few levels at most ("stops before it: the call … is not followed: it has …"). */
const maxDepth = 8;

let patterns: Pattern[] | null = null;

/** The template a sentence gives to `l10n.t`, read by calling it with a recorder. */
function templateOf(sentence: ReasonSentence): string {
  let key = '';
  sentence({ t: (message) => (key = message) }, []);
  return key;
}

function compile(sentence: ReasonSentence): Pattern {
  const key = templateOf(sentence);
  const slots: Pattern['slots'] = [];
  const parts: string[] = [];
  let source = '^';
  let last = 0;
  let groups = 0;
  for (const m of key.matchAll(/\{(\d+)\}/g)) {
    const literal = key.slice(last, m.index);
    parts.push(literal);
    source += escapeRegExp(literal);
    const n = Number(m[1]);
    if (slots[n]) source += `\\${slots[n].group}`;
    else {
      // Inside backticks when an odd number of them comes before: a name or a code fragment.
      const code = (key.slice(0, m.index).match(/`/g)?.length ?? 0) % 2 === 1;
      slots[n] = { group: ++groups, code };
      source += '([\\s\\S]*?)';
    }
    last = m.index + m[0].length;
  }
  parts.push(key.slice(last));
  source += `${escapeRegExp(key.slice(last))}$`;
  return { key, parts: parts.filter((p) => p.length > 0), re: new RegExp(source), slots, sentence };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The patterns, the most specific (the most literal text) first, so that a general one never hides it. */
function allPatterns(): Pattern[] {
  patterns ??= reasonSentences
    .map(compile)
    .sort((a, b) => b.parts.join('').length - a.parts.join('').length || a.key.localeCompare(b.key));
  return patterns;
}

/** The template a reason is written from and the values filled into it; null when no template fits. */
export function matchReason(text: string): { key: string; values: string[] } | null {
  if (text.length > maxLength) return null;
  for (const p of allPatterns()) {
    if (!p.parts.every((part) => text.includes(part))) continue;
    const m = p.re.exec(text);
    if (m) return { key: p.key, values: p.slots.map((s) => m[s.group] ?? '') };
  }
  return null;
}

/** The English template keys of every reason sentence (for tests and the bundle check). */
export function reasonTemplateKeys(): string[] {
  return allPatterns().map((p) => p.key);
}

/**
 * A detection reason in the display language: each recognised template through `l10n`, the
 * reasons nested in it translated in turn, code and numbers verbatim; English where no template
 * fits. With an English `l10n` it gives back the very text it was given.
 */
export function reasonText(text: string, l10n: CoreL10n): string {
  return translate(text, l10n, 0);
}

function translate(text: string, l10n: CoreL10n, depth: number): string {
  if (depth > maxDepth || text.length > maxLength) return text;
  for (const p of allPatterns()) {
    if (!p.parts.every((part) => text.includes(part))) continue;
    const m = p.re.exec(text);
    if (!m) continue;
    const values = p.slots.map((s) => {
      const v = m[s.group] ?? '';
      return s.code ? v : translate(v, l10n, depth + 1);
    });
    return p.sentence(l10n, values);
  }
  return text;
}
