/**
 * The panel's strings in English and Korean. Keys are the English text (as with vscode.l10n),
 * with `{0}`-style placeholders; a missing translation falls back to English. Formulas are not
 * translated: the mathematics reads the same in both languages.
 */
import type { Locale } from '../src/protocol/webview';

/** `vscode.l10n.t`'s shape. */
export type Translate = (message: string, ...args: (string | number)[]) => string;

const ko: Record<string, string> = {
  'No rows': '행 없음',
  'The input {0} has no rows: there is no sample to take a loss of, so there are no steps to show. torch still computes the call.':
    '입력 {0}에 행이 없습니다. 손실을 계산할 샘플이 없어 보여 줄 계산 단계도 없습니다. 그래도 torch는 이 호출을 계산합니다.',
  'The mean divides a sum of nothing by a count of nothing: 0 / 0 = nan.':
    '평균은 아무것도 없는 합을 0개로 나눕니다: 0 / 0 = nan.',
  'The sum of no losses is 0.': '손실이 하나도 없으면 합은 0입니다.',
  "reduction='none' gives one loss per sample: here an empty tensor.":
    "reduction='none'은 샘플마다 손실을 하나씩 돌려줍니다. 여기서는 빈 텐서입니다.",
  'A sum over all {0} classes: every class with q > 0 adds a share.':
    '{0}개 클래스 전체에 대한 합: q > 0인 클래스마다 몫을 더합니다.',
  'Backpropagation starts here: how much the loss changes per unit of x[{0}]. Softmax and cross-entropy together give this simple form.':
    '역전파는 여기서 시작합니다: x[{0}]가 1만큼 변할 때 손실이 변하는 양입니다. 소프트맥스와 크로스 엔트로피를 함께 미분하면 이렇게 간단해집니다.',
  'Bars on the right: mean loss per row.': '오른쪽 막대: 행별 평균 손실.',
  Batch: '배치',
  'Class {0} is the target: one-hot 1.': '클래스 {0}이(가) 타깃: 원-핫 1.',
  'Classes {0}–{1} of {2} (and the target)': '클래스 {0}–{1} / 전체 {2} (타깃 포함)',
  'Colour by': '색 기준',
  'Colour: log p from {0} (clear) to 0 (full).': '색: log p, {0}(투명)부터 0(진함)까지.',
  'Colour: p from 0 (clear) to 1 (full).': '색: p, 0(투명)부터 1(진함)까지.',
  'Computing…': '계산 중…',
  'Copy CSV': 'CSV 복사',
  'Copy Markdown': '마크다운 복사',
  'Copy PyTorch': 'PyTorch 코드 복사',
  'D = the number of kept samples.': 'D = 제외되지 않은 샘플 수.',
  'D = {0} (the denominator of the mean; 1 for sum or none).': 'D = {0} (평균의 분모; sum과 none에서는 1).',
  'Each cell shows the largest p of the samples and classes it covers.':
    '각 칸은 포함하는 샘플과 클래스 중 가장 큰 p를 보여 줍니다.',
  Error: '오류',
  'Every exp(x + k) underflows to 0 in float32: the naive softmax is 0/0 = nan. The shifted one is unchanged.':
    'float32에서 모든 exp(x + k)가 0으로 언더플로합니다: 단순 소프트맥스는 0/0 = nan입니다. 최댓값을 뺀 계산은 그대로입니다.',
  'Final loss in float32 and float64': 'float32와 float64의 최종 손실',
  'Given as input (NLLLoss): no softmax is applied.': '입력으로 주어짐 (NLLLoss): 소프트맥스를 적용하지 않습니다.',
  'Given by the target tensor (class probabilities).': '타깃 텐서가 준 값 (클래스 확률).',
  'Go to code': '코드로 이동',
  'No "Copy PyTorch": {0}': '"PyTorch 코드 복사" 없음: {0}',
  'Per example': '예제별',
  'Heat map of {0} over {1} samples × {2} classes, with per-row losses. Arrow keys choose a row, Enter selects it.':
    '{1}개 샘플 × {2}개 클래스의 {0} 히트맵과 행별 손실. 화살표 키로 행을 고르고 Enter로 선택합니다.',
  'Hover or use the arrow keys to read a row; click to select its sample.':
    '마우스를 올리거나 화살표 키로 행을 읽고, 클릭하면 그 샘플을 선택합니다.',
  'Ignored sample: loss 0': '제외된 샘플: 손실 0',
  'Loss of sample {0}. Enter or click selects it.': '샘플 {0}의 손실. Enter나 클릭으로 선택합니다.',
  'Naive against max-shifted softmax in float32': 'float32에서 단순 소프트맥스와 최댓값을 뺀 소프트맥스 비교',
  'Next classes': '다음 클래스',
  'Next page': '다음 페이지',
  'Next sample': '다음 샘플',
  'No class weight: every class counts once.': '클래스 가중치 없음: 모든 클래스가 한 번씩 셉니다.',
  'No document': '문서 없음',
  'No logits and target found in this document. Write them as torch.tensor, np.array or plain lists, or select them and run "Inspect selection".':
    '이 문서에서 로짓과 타깃을 찾지 못했습니다. torch.tensor, np.array 또는 리스트로 작성하거나, 선택한 뒤 "선택 영역 검사"를 실행하세요.',
  'Not the target: one-hot 0.': '타깃이 아님: 원-핫 0.',
  Options: '옵션',
  Pair: '쌍',
  'Per-sample losses': '샘플별 손실',
  'Previous classes': '이전 클래스',
  'Previous page': '이전 페이지',
  'Previous sample': '이전 샘플',
  Reduction: '리덕션',
  'Reset to code': '코드 값으로 되돌리기',
  'Samples {0}–{1} of {2}': '샘플 {0}–{1} / 전체 {2}',
  'Softmax does not change when the same constant is added to every logit, but exp(x) overflows float32 beyond x ≈ 88.72. Subtracting the max first keeps every exponent ≤ 0.':
    '모든 로짓에 같은 상수를 더해도 소프트맥스는 변하지 않지만, exp(x)는 x ≈ 88.72를 넘으면 float32에서 오버플로합니다. 먼저 최댓값을 빼면 모든 지수가 0 이하가 됩니다.',
  'Softmax of sample {0}': '샘플 {0}의 소프트맥스',
  'Softmax of sample {0}: bar chart of p per class; the values follow.':
    '샘플 {0}의 소프트맥스: 클래스별 p 막대그래프. 값은 이어서 읽어 줍니다.',
  Stability: '수치 안정성',
  'Steps of sample {0}: one column per class': '샘플 {0}의 계산 단계: 클래스마다 한 열',
  Steps: '계산 단계',
  'Subtracting the max (class {0}) keeps every exp ≤ 1, so nothing overflows.':
    '최댓값(클래스 {0})을 빼면 모든 exp ≤ 1이 되어 오버플로가 없습니다.',
  'The code claims': '코드에 적힌 값',
  'The program computed': '프로그램이 계산한 값',
  'live · frame {0} line {1}': '실행 중 · 프레임 {0} {1}번째 줄',
  'step paused': '일시 중지됨',
  'row (0–{0})': '행 (0–{0})',
  'Rows read from the program ({0} of {1}): {2}': '프로그램에서 읽은 행 ({0} / 전체 {1}): {2}',
  'the program moved on — inspect again': '프로그램이 계속 진행했습니다 — 다시 살펴보세요',
  'Recomputed from all {0} rows.': '{0}개 행 전체로 다시 계산했습니다.',
  'First paint: the batch’s loss {0} was computed inside the program; the rows shown are recomputed here. Reading all {1} rows…':
    '먼저 보여 드림: 배치 손실 {0}은 프로그램 안에서 계산했고, 보이는 행은 여기서 다시 계산했습니다. {1}개 행 전체를 읽는 중…',
  'Reading all rows was cancelled: the batch’s loss {0} was computed inside the program; only the rows shown were recomputed here.':
    '전체 행 읽기를 취소했습니다: 배치 손실 {0}은 프로그램 안에서 계산한 값이고, 보이는 행만 여기서 다시 계산했습니다.',
  'The program moved on before all {0} rows were read: nothing more is read, and these figures are of the stop they were read at.':
    '{0}개 행을 모두 읽기 전에 프로그램이 계속 진행했습니다: 더 읽지 않으며, 이 값들은 읽은 시점의 정지 상태 값입니다.',
  'Reading all rows failed: {0}': '전체 행 읽기 실패: {0}',
  'Stop reading': '읽기 중지',
  Stop: '중지',
  'Batch loss {0}: computed in the program by torch over all {1} rows; the rows shown were read and recomputed here.':
    '배치 손실 {0}: 프로그램 안에서 torch가 {1}개 행 전체로 계산했습니다. 보이는 행은 읽어 와서 여기서 다시 계산했습니다.',
  "Sum of the {1} rows' losses {0}: computed in the program by torch (reduction='none' returns them unreduced); the rows shown were read and recomputed here.":
    "{1}개 행 손실의 합 {0}: 프로그램 안에서 torch가 계산했습니다(reduction='none'은 손실을 줄이지 않고 돌려줍니다). 보이는 행은 읽어 와서 여기서 다시 계산했습니다.",
  'Batch loss: computing… (in the program by torch, over all {0} rows). The rows shown were read first and are recomputed here.':
    '배치 손실: 계산 중… (프로그램 안에서 torch가 {0}개 행 전체로 계산). 보이는 행은 먼저 읽어 와서 여기서 다시 계산했습니다.',
  'The batch loss was not computed (cancelled): only the rows shown were read and recomputed here.':
    '배치 손실은 계산하지 않았습니다(취소됨): 보이는 행만 읽어 와서 여기서 다시 계산했습니다.',
  'The program moved on before the batch loss was computed: nothing more is read, and these figures are of the stop they were read at.':
    '배치 손실을 계산하기 전에 프로그램이 계속 진행했습니다: 더 읽지 않으며, 이 값들은 읽은 시점의 정지 상태 값입니다.',
  'Computing the batch loss failed: {0}': '배치 손실 계산 실패: {0}',
  'Row {0}: torch computed {1} in the program; recomputed here: {2}':
    '행 {0}: 프로그램 안에서 torch가 계산한 값 {1}, 여기서 다시 계산한 값 {2}',
  differs: '다름',
  agrees: '일치함',
  disagrees: '일치하지 않음',
  'The largest logit: max = {0}': '가장 큰 로짓: max = {0}',
  'The logit of class {0} as written in the code.': '코드에 적힌 클래스 {0}의 로짓.',
  'This sample is ignored (target = ignore_index): it adds 0.':
    '이 샘플은 제외됩니다 (target = ignore_index): 0을 더합니다.',
  'Top {0} classes by p (and the target) of {1}': 'p가 큰 상위 {0}개 클래스 (타깃 포함) / 전체 {1}',
  'Top {0}': '상위 {0}',
  'With probability targets the mean divides by the number of samples N·d1·…·dK.':
    '확률 타깃에서는 평균이 샘플 수 N·d1·…·dK로 나눕니다.',
  'With weight=, the mean divides by Σ w[target] of the kept samples, not by N.':
    'weight=가 있으면 평균은 N이 아니라 제외되지 않은 샘플의 Σ w[target]으로 나눕니다.',
  'as in the code': '코드와 같음',
  both: '둘 다',
  changed: '변경됨',
  class: '클래스',
  classes: '클래스',
  'constant k added to every logit': '모든 로짓에 더할 상수 k',
  denominator: '분모',
  'does not match': '일치하지 않음',
  error: '오류',
  'float32 overflows above exp(88.72) ≈ 3.4e38.': 'float32는 exp(88.72) ≈ 3.4e38을 넘으면 오버플로합니다.',
  'highest p': '최대 p',
  ignored: '제외됨',
  input: '입력',
  line: '줄',
  'log p (input)': 'log p (입력)',
  'log-probabilities (NLLLoss)': '로그 확률 (NLLLoss)',
  'logit x': '로짓 x',
  'logits (CrossEntropyLoss)': '로짓 (CrossEntropyLoss)',
  logits: '로짓',
  matches: '일치',
  'mean loss': '평균 손실',
  'naive p': '단순 p',
  'none (C = {0} values, comma-separated)': '없음 (C = {0}개 값, 쉼표로 구분)',
  'none: one loss per sample (their sum is {0})': 'none: 샘플마다 손실 하나 (합은 {0})',
  'not computed': '계산하지 않음',
  numerator: '분자',
  'others ({0})': '나머지 ({0})',
  probabilities: '확률',
  'probability target': '확률 타깃',
  'q = 0, so this class adds nothing (0·log p counts as 0).':
    'q = 0이므로 이 클래스는 아무것도 더하지 않습니다 (0·log p는 0으로 셉니다).',
  sample: '샘플',
  samples: '샘플',
  'shifted p': '최댓값을 뺀 p',
  'softmax p': '소프트맥스 p',
  'sum and none do not divide: D = 1.': 'sum과 none은 나누지 않습니다: D = 1.',
  'target q': '타깃 q',
  target: '타깃',
  'weight w': '가중치 w',
  'weight= rescales the loss of each class.': 'weight=는 클래스마다 손실의 크기를 조정합니다.',
  'what torch prints': 'torch 출력',
  '{0} classes not shown hold Σp = {1}.': '표시하지 않은 {0}개 클래스의 Σp = {1}.',
  '{0} classes not shown.': '표시하지 않은 클래스 {0}개.',
  '{0} ignored samples add 0 and are left out of D.': '제외된 샘플 {0}개는 0을 더하고 D에서 빠집니다.',
  '{0} losses': '손실 {0}개',
  '{0} of {1} samples are ignored (greyed).': '샘플 {1}개 중 {0}개는 제외됩니다 (회색).',
  '{0} values from the code': '코드의 값 {0}개',
  'Class weights can be set here for up to {0} classes.':
    '클래스 가중치는 클래스가 {0}개 이하일 때 여기서 설정할 수 있습니다.',
  'Σ exp(x + k) = {0} fits in float32: both agree. Try k = 100.':
    'Σ exp(x + k) = {0}은(는) float32에 들어갑니다: 두 계산이 같습니다. k = 100을 넣어 보세요.',
  'Σ exp(x + k) = {0}: {1} of {2} exponentials overflow float32, so the naive softmax breaks. The shifted one is unchanged.':
    'Σ exp(x + k) = {0}: {2}개 중 {1}개의 지수가 float32에서 오버플로하여 단순 소프트맥스가 깨집니다. 최댓값을 뺀 계산은 그대로입니다.',
  'predicted (largest p)': '예측 (p가 가장 큼)',
  predicted: '예측',
  'Rows: samples (index on the left). Columns: classes {0}–{1}. Bars: the loss of each row.':
    '행: 샘플 (왼쪽에 번호). 열: 클래스 {0}–{1}. 막대: 행마다의 손실.',
  'Colour: p from 0 (clear) to 1 (full), on a square-root scale so that small p stay visible.':
    '색: p, 0(투명)부터 1(진함)까지. 작은 p도 보이도록 제곱근 눈금을 씁니다.',
  'D = {0}: the number of samples (probability targets count every sample).':
    'D = {0}: 샘플 수 (확률 타깃은 모든 샘플을 셉니다).',
  'D = {0}: the sum of the class weights w[target] of the {1} non-ignored targets.':
    'D = {0}: 제외되지 않은 타깃 {1}개의 클래스 가중치 w[target]의 합.',
  'D = {0}: the number of non-ignored targets.': 'D = {0}: 제외되지 않은 타깃의 수.',
  'line {0}': '{0}행',
  'cell {0}, line {1}': '셀 {0}, {1}행',
  'Waiting for {0} to parse.': '{0}이(가) 구문 분석되기를 기다리는 중입니다.',
  'This document could not be analysed.': '이 문서를 분석할 수 없습니다.',
  'Open a Python file, a notebook, or a Markdown, JSON or JavaScript file with logits and a target: their cross-entropy appears here step by step.':
    '로짓과 타깃이 있는 Python 파일, 노트북, Markdown, JSON 또는 JavaScript 파일을 여세요: 크로스 엔트로피가 여기에 단계별로 나타납니다.',
  'Loss Inspector found no logits and target in {0}. It reads literals such as torch.tensor([[…]]), np.array or plain lists passed to a loss; to pair two literals yourself, select them and run "Inspect Selection".':
    'Loss Inspector가 {0}에서 로짓과 타깃을 찾지 못했습니다. 손실 함수에 넘긴 torch.tensor([[…]]), np.array 또는 리스트 리터럴을 읽습니다. 두 리터럴을 직접 짝지으려면 선택한 뒤 "선택 영역 검사"를 실행하세요.',
  'Open in Editor Area': '편집기 영역에서 열기',
  'Show this view full width in the editor area': '이 보기를 편집기 영역에 전체 너비로 표시',
  'Waiting for the {0} opened on {1} to be closed ({2} is being typed).':
    '{1}에서 연 {0}이(가) 닫히기를 기다리는 중입니다 ({2} 입력 중).',
  'Waiting for the {0} opened on {1} to be closed.': '{1}에서 연 {0}이(가) 닫히기를 기다리는 중입니다.',
  'Waiting for {0} to parse ({1} is being typed).': '{0}이(가) 구문 분석되기를 기다리는 중입니다 ({1} 입력 중).',
  'The numbers below are the last result from before the edit.': '아래 숫자는 편집 전의 마지막 결과입니다.',
  'sample {0}': '샘플 {0}',
  'Valid targets are class indices 0 to {0} ({1} classes), or ignore_index ({2}). torch stops at the first other value, so there is no loss; the steps of the other samples are shown.':
    '올바른 타깃은 클래스 번호 0부터 {0}까지({1}개 클래스) 또는 ignore_index({2})입니다. torch는 그 밖의 첫 값에서 멈추므로 손실이 없습니다. 나머지 샘플의 계산 단계를 보여 줍니다.',
  'Out of range': '범위 밖',
  'and {0} more': '외 {0}개',
  'Target {0} is not a class: valid targets are 0 to {1}. This sample has no loss; its softmax and log-softmax below do not depend on the target.':
    '타깃 {0}은(는) 클래스가 아닙니다: 올바른 타깃은 0부터 {1}까지입니다. 이 샘플에는 손실이 없습니다. 아래의 소프트맥스와 로그 소프트맥스는 타깃과 무관합니다.',
  'target out of range': '타깃이 범위 밖',
  'lines {0}–{1}': '{0}–{1}행',
  Selection: '선택 영역',
  'two literals you selected, read as logits and target with the default options; no loss call in the code pairs them.':
    '선택한 두 리터럴을 기본 옵션의 로짓과 타깃으로 읽었습니다. 코드의 어떤 손실 호출도 이 둘을 짝짓지 않습니다.',
  'Target out of range: torch raises here. Enter or click shows this sample.':
    '타깃이 범위 밖입니다: torch는 여기서 오류를 냅니다. Enter나 클릭으로 이 샘플을 봅니다.',
  'No total: torch raises on a target out of range before it reduces.':
    '합계 없음: torch는 축소하기 전에 범위 밖 타깃에서 오류를 냅니다.',
  'a single class index': '클래스 인덱스 하나',
  'with your options': '바꾼 옵션으로',
  'With your options ({0}) torch prints': '바꾼 옵션({0})으로 torch 출력:',
  'Steps of {0}: one row per class': '{0}의 계산 단계: 클래스마다 한 행',
  'Not shown at this width: {0}. Hover a value for its formula, or open the view in the editor area.':
    '이 너비에서는 표시하지 않음: {0}. 값 위에 마우스를 올리면 식이 보이며, 편집기 영역에서 열 수도 있습니다.',
  'sample {0} ({1} of {2})': '샘플 {0} ({2}개 중 {1}번째)',
  'why torch subtracts the max': 'torch가 최댓값을 빼는 이유',
  "with the code's options": '코드의 옵션으로',
  "judged with the code's options": '코드의 옵션으로 판정',
  'the sample': '이 샘플',
  loss: '손실',
  'not shown': '표시 안 함',
  'torch prints': 'torch 출력',
  none: '없음',
  '{0} values, comma-separated': '값 {0}개, 쉼표로 구분',
};

const dictionaries: Record<Locale, Record<string, string> | null> = { en: null, ko };

/** Fills `{0}`, `{1}`… with `args`. */
function fill(message: string, args: (string | number)[]): string {
  return message.replace(/\{(\d+)\}/g, (m, i) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

/** The translate function for `locale`. */
export function translator(locale: Locale): Translate {
  const dict = dictionaries[locale];
  return (message, ...args) => fill(dict?.[message] ?? message, args);
}

/** Every English key that has a Korean translation (for the completeness test). */
export const koreanKeys: readonly string[] = Object.keys(ko);
