/**
 * Detection's reason for a loss or a claim without a number reaches every surface in the display
 * language: the hover and the lens's view model (src/editor/locate.ts pairView), the claim's
 * hover, and the panel's account of the pair (src/panel/pairOrigin.ts). Here with the Korean
 * bundle standing in for `vscode.l10n` in a Korean VS Code (the integration suite's @ko tests read
 * the same in a real one); the English stays the analysis's, as the CLI prints it.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { reasonText } from '../../../src/core/reasonText';
import { claimHoverMarkdown, lossHoverMarkdown, type L10n } from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';
import { pairOrigin } from '../../../src/panel/pairOrigin';
import { koreanL10n } from '../koreanL10n';

const korean: L10n = koreanL10n();
const links = { inspect: 'command:open', copy: 'command:copy' };
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

function analysed(lines: string[]) {
  return analyzeText(lines.join('\n') + '\n', { fileName: 'a.py' });
}

describe('a loss without a number, in Korean', () => {
  it('a function defined nowhere: the hover and the panel say why in Korean, the name as written', () => {
    const doc = analysed([
      'import numpy as np',
      'p = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]])',
      't = np.array([0, 1])',
      'print(cross_entropy_loss(p, t))  # 0.4337',
    ]);
    const [pair] = doc.pairs;
    expect(pair.unverified).toBe('`cross_entropy_loss` is not defined in this source: what it computes is not known');
    const reason = '`cross_entropy_loss`은(는) 이 소스에 정의되어 있지 않음: 무엇을 계산하는지 알 수 없음';
    const hover = unescape(lossHoverMarkdown(pairView(pair, korean), 4, korean, links));
    expect(hover).toContain(`이 손실은 계산하지 않았습니다: ${reason}.`);
    expect(hover).not.toContain('is not defined');
    expect(pairOrigin(pair, korean)?.notes).toContain(`이 손실은 계산하지 않았습니다: ${reason}.`);
  });

  it('another library’s call with an option not known: the panel’s note is Korean', () => {
    const doc = analysed([
      'from tensorflow import keras',
      'y_true = [[0, 1, 0], [0, 0, 1]]',
      'y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]',
      'loss = keras.losses.CategoricalCrossentropy(from_logits=use_logits)(y_true, y_pred)',
    ]);
    const [pair] = doc.pairs;
    expect(pair.unverified).toBe('the value of from_logits is not known here');
    expect(pairOrigin(pair, korean)?.notes).toContain(
      '이 손실은 계산하지 않았습니다: from_logits의 값을 여기서는 알 수 없음.',
    );
  });

  it('a claim on a call not followed: the nested reason is Korean at both levels', () => {
    const doc = analysed([
      'import torch',
      'import torch.nn.functional as F',
      'def nll_of_log_softmax(*args):',
      '    return F.nll_loss(F.log_softmax(args[0], dim=1), args[1])',
      'x = torch.tensor([[2.0, 1.0, 0.1]])',
      'y = torch.tensor([0])',
      'print(nll_of_log_softmax(x, y))  # tensor(0.4170)',
    ]);
    const [claim] = doc.claims;
    expect(claim.reason).toBe('the call to `nll_of_log_softmax` is not followed: it takes *args or **kwargs');
    const md = claimHoverMarkdown({ ...claim, reason: reasonText(claim.reason!, korean) }, 'float32', korean);
    expect(unescape(md)).toBe(
      '이 값은 검증할 수 없습니다: `nll_of_log_softmax` 호출은 따라가지 않음: *args나 **kwargs를 받음',
    );
  });
});
