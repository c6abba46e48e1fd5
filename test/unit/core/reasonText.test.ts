/**
 * The detection layer's reasons in Korean (src/core/reasonText.ts). The coverage test reads every
 * reason template from the detection sources (reasonTemplates.ts) and asks the translator to
 * recognise each with sample values: a reason added in English without its Korean sentence fails
 * it. The fixtures' real reasons, nested ones included, must come out with no English template
 * left, and with an English `l10n` every reason must come back unchanged.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { matchReason, reasonTemplateKeys, reasonText } from '../../../src/core/reasonText';
import { englishL10n } from '../../../src/editor/format';
import { reasonTemplates } from './reasonTemplates';
import { koreanBundle, koreanL10n } from '../koreanL10n';

const root = join(__dirname, '../../..');
const bundle = koreanBundle;
const korean = koreanL10n();

const templates = reasonTemplates(root, ['src/core/detection', 'src/core/analysis', 'src/core/libraries']);

describe('reason templates of the detection layer', () => {
  it('finds them in the sources, nested and conditional ones included', () => {
    expect(templates.length).toBeGreaterThan(150);
    const samples = templates.flatMap((t) => t.samples);
    expect(samples).toContain('`x1` is not defined in this source: what it computes is not known');
    expect(samples).toContain('the call to `x1` is not followed: x1');
    // Both branches of `${x.site.error ? 'input' : 'target'}`.
    expect(samples).toContain('the input literal cannot be read (x1)');
    expect(samples).toContain('the target literal cannot be read (x1)');
    // A fragment another reason names ("its body has a for loop").
    expect(samples).toContain('a for loop');
  });

  it('has a Korean sentence for every one', () => {
    const missing = templates.flatMap((t) =>
      t.samples.filter((s) => matchReason(s) === null).map((s) => `${t.at}: ${s}`),
    );
    expect(missing).toEqual([]);
  });

  it('has every sentence in the Korean bundle, its placeholders kept', () => {
    const keys = reasonTemplateKeys();
    expect(keys.filter((k) => !bundle[k])).toEqual([]);
    for (const k of keys) for (const ph of k.match(/\{\d+\}/g) ?? []) expect(bundle[k], k).toContain(ph);
  });

  it('gives back every reason unchanged in English', () => {
    for (const s of templates.flatMap((t) => t.samples)) expect(reasonText(s, englishL10n)).toBe(s);
  });
});

describe('reasonText in Korean', () => {
  it('translates a reason with code in it, keeping the code', () => {
    expect(reasonText('`model` is not defined in this source: what it computes is not known', korean)).toBe(
      '`model`은(는) 이 소스에 정의되어 있지 않음: 무엇을 계산하는지 알 수 없음',
    );
  });

  it('translates the reasons nested in a reason', () => {
    expect(reasonText('the call to `loss_fn` is not followed: its body has an elif outside an if', korean)).toBe(
      '`loss_fn` 호출은 따라가지 않음: 본문에 if 밖의 elif이(가) 있음',
    );
    expect(
      reasonText(
        'the code stops before it: `nn.CrossEntropyLoss` takes no keyword `dims` (TypeError) on line 7',
        korean,
      ),
    ).toBe('코드가 여기 오기 전에 멈춤: `nn.CrossEntropyLoss`에는 키워드 `dims`이(가) 없음 (TypeError) (7번째 줄)');
    expect(reasonText('`F.cross_entropy(z.log(), y)` is not computed here (`.log()` is not modelled)', korean)).toBe(
      '`F.cross_entropy(z.log(), y)`은(는) 여기서 계산하지 않음 (`.log()`은(는) 다루지 않음)',
    );
  });

  it('words the English stand-ins detection writes in place of code in Korean', () => {
    expect(reasonText('`an argument` is not computed here (this negation is not modelled)', korean)).toBe(
      '인수 하나를 여기서 계산하지 않음 (이 부호 반전은 다루지 않음)',
    );
  });

  it('keeps a reason it does not know in English, whole, also when nested', () => {
    expect(reasonText('a reason nobody wrote a sentence for', korean)).toBe('a reason nobody wrote a sentence for');
    expect(reasonText('the call to `f` is not followed: a reason nobody wrote', korean)).toBe(
      '`f` 호출은 따라가지 않음: a reason nobody wrote',
    );
    // torch's own error message stays as torch prints it.
    expect(reasonText('the loss call fails: Target 5 is out of bounds.', korean)).toBe(
      '손실 호출이 실패함: Target 5 is out of bounds.',
    );
  });

  it('reads a reason quoting a long stretch of code in one pass (hang guard)', () => {
    // Compared as booleans: a failure would print the whole literal.
    const code = `torch.tensor([${'0.5, '.repeat(1500)}0.5])`;
    const english = `\`${code}\` is not computed here (\`${code}\` is not modelled)`;
    const korean2 = `\`${code}\`은(는) 여기서 계산하지 않음 (\`${code}\`은(는) 다루지 않음)`;
    expect(reasonText(english, korean) === korean2).toBe(true);
    // Beyond the length read, the reason stays whole, in English.
    const huge = `\`${'x'.repeat(30_000)}\` is not modelled`;
    expect(reasonText(huge, korean) === huge).toBe(true);
  });
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.py') ? [p] : [];
  });
}

describe('the fixtures’ reasons', () => {
  it('come out in Korean with no English template left, at any depth', () => {
    const reasons = new Set<string>();
    for (const file of [...sources(join(root, 'test/fixtures')), ...sources(join(root, 'examples'))]) {
      const analysis = analyzeText(readFileSync(file, 'utf8'), { fileName: file });
      for (const p of analysis.pairs) if (p.unverified) reasons.add(p.unverified);
      for (const c of analysis.claims) if (c.reason) reasons.add(c.reason);
    }
    expect(reasons.size).toBeGreaterThan(20);
    const untranslated = [...reasons].filter((r) => {
      const ko = reasonText(r, korean);
      // What is left English: code in backticks, torch's and the parsers' own words (as written below).
      return ko === r || /\b(is|are) not (modelled|known|followed|computed)\b/.test(ko.replace(/`[^`]*`/g, ''));
    });
    expect(untranslated).toEqual([]);
  });
});
