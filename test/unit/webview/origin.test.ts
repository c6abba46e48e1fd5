/**
 * The panel's account of another library's pair, from detection of the generated library snippets
 * to the DOM: the host's origin (title, mapping sentences, Copy PyTorch decided), the guard that
 * checks it on the wire, and the header the webview renders from it (text only), in English and
 * Korean.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import type { PairAnalysis } from '../../../src/core/detection';
import { englishL10n } from '../../../src/editor/format';
import { buildPanelState, defaultPanelView } from '../../../src/panel/panelState';
import { pairOrigin } from '../../../src/panel/pairOrigin';
import { hostToWebviewProblem, type PairOrigin, type PanelState } from '../../../src/protocol/webview';
import { defaultUiState, renderPanel } from '../../../webview/render';
import { fixture } from '../panel/fixture';
import { pairOf, stateFor } from '../panel/states';

const snippets = path.resolve(__dirname, '../../fixtures/libraries/snippets');

function pairAt(file: string, line: number): PairAnalysis {
  const doc = analyzeText(readFileSync(path.join(snippets, file), 'utf8'), { fileName: file });
  const p = doc.pairs.find((x) => x.call?.line === line);
  if (!p) throw new Error(`no pair on ${file}:${line}`);
  return p;
}

let root: HTMLElement;
beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement('main');
  document.body.appendChild(root);
});

/** The snapshot the panel publishes for a library pair without torch steps. */
function libraryOnlyState(origin: PairOrigin, locale: 'en' | 'ko' = 'en'): PanelState {
  const summary = { ...pairOf(fixture.seedBatch.float32), origin };
  return buildPanelState({
    locale,
    documentLabel: 'keras.py',
    decimals: 4,
    pairs: [{ id: 7, label: 'y_pred, y_true', line: 8, loss: origin.loss, failed: false }],
    selectedPairId: 7,
    pair: summary,
    result: null,
    breakdown: null,
    view: defaultPanelView,
    status: 'ready',
  });
}

function render(state: PanelState): void {
  expect(hostToWebviewProblem({ type: 'state', state })).toBeNull();
  renderPanel(root, state, { ...defaultUiState, open: {} }, { post: () => undefined, setUi: () => undefined });
}

describe('the origin of a Keras pair that takes probabilities', () => {
  const pair = pairAt('keras.py', 8);
  const origin = pairOrigin(pair, englishL10n)!;

  it('names the call, keeps the library number, explains the clipping and offers no snippet', () => {
    expect(origin.title).toBe('keras.losses.CategoricalCrossentropy');
    expect(origin.library).toBe('Keras');
    expect(origin.loss).toBe(pair.loss);
    expect(origin.torchSteps).toBe(false);
    expect(origin.pytorch).toBe(false);
    expect(origin.noCopy).toMatch(/takes probabilities/);
    expect(origin.notes[0]).toMatch(
      /^Keras takes probabilities unless from_logits=True: .* clips p to \[1e-7, 1 − 1e-7\]/,
    );
    expect(origin.notes).toContain("The losses are averaged over the examples, like reduction='mean'.");
    expect(origin.notes.at(-1)).toMatch(/^No torch call gives this number/);
  });

  it('renders the call and its value as the headline, the notes, the per-example losses; no controls, no copy', () => {
    render(libraryOnlyState(origin));
    expect(root.querySelector('#origin-call')!.textContent).toBe('keras.losses.CategoricalCrossentropy');
    expect(root.querySelector('#headline-loss')!.textContent).toBe(pair.loss!.toFixed(4));
    expect(root.querySelectorAll('#origin-notes li')).toHaveLength(origin.notes.length);
    expect(root.querySelector('#origin-losses')!.textContent).toBe(
      `Per example: [${pair.losses!.map((v) => v.toFixed(4)).join(', ')}]`,
    );
    expect(root.querySelector('#origin-no-copy')!.textContent).toMatch(/^No "Copy PyTorch": this library takes/);
    expect(root.querySelector('#copy-pytorch')).toBeNull();
    expect(root.querySelector('#sec-controls')).toBeNull();
    expect(root.querySelector('#sec-sample')).toBeNull();
  });

  it('renders a title from the document as text, never markup', () => {
    render(libraryOnlyState({ ...origin, title: '<img src=x onerror=alert(1)>' }));
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('#origin-call')!.textContent).toBe('<img src=x onerror=alert(1)>');
  });

  it('has its fixed labels in Korean, and the heading the host wrote (localised there)', () => {
    render(libraryOnlyState({ ...origin, heading: 'Keras의 계산 방식과 torch 비교' }, 'ko'));
    expect(root.querySelector('.origin-heading')!.textContent).toBe('Keras의 계산 방식과 torch 비교');
    expect(root.querySelector('#origin-losses')!.textContent).toMatch(/^예제별: /);
  });
});

describe('the origin of a pair whose number torch gives', () => {
  it('Keras from_logits=True: the torch steps stay, with the Keras call as the headline and Copy PyTorch', () => {
    const pair = pairAt('keras.py', 29);
    const origin = pairOrigin(pair, englishL10n)!;
    expect(origin).toMatchObject({
      title: 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)',
      torchSteps: true,
      pytorch: true,
      noCopy: null,
    });
    expect(origin.notes.at(-1)).toBe(
      'The steps below are torch’s CrossEntropyLoss() on the values Keras receives: the same number.',
    );
    const state = stateFor(fixture.seedBatch.float32);
    render({ ...state, pair: { ...state.pair!, origin } });
    expect(root.querySelector('#origin-call')!.textContent).toBe(origin.title);
    expect(root.querySelector('#copy-pytorch')).not.toBeNull();
    expect(root.querySelector('#sec-controls')).not.toBeNull();
  });

  it('MLX with sample weights: no snippet, and the weights are explained', () => {
    const origin = pairOrigin(pairAt('mlx_losses.py', 10), englishL10n)!;
    expect(origin.pytorch).toBe(false);
    expect(origin.noCopy).toMatch(/sample weights/);
    expect(origin.notes.join(' ')).toMatch(/multiplied by its sample weight/);
  });

  it('scikit-learn: clipping by its eps and the renormalisation are said', () => {
    const origin = pairOrigin(pairAt('sklearn_log_loss.py', 6), englishL10n)!;
    expect(origin.title).toBe('sklearn.metrics.log_loss');
    expect(origin.notes[0]).toMatch(/clips them to \[2\.22e-16, 1 − 2\.22e-16\], divides each row by its sum/);
  });

  it('torch losses have no origin', () => {
    const doc = analyzeText(
      'import torch\nloss = torch.nn.CrossEntropyLoss()(torch.tensor([[1.0, 2.0]]), torch.tensor([1]))',
      {
        fileName: 't.py',
      },
    );
    expect(pairOrigin(doc.pairs[0], englishL10n)).toBeNull();
  });
});

describe('the facts line of a formula whose torch steps read log-probabilities', () => {
  it('does not call the code’s formula NLLLoss; with the user’s own options it names the loss computed', () => {
    const pair = analyzeText(
      [
        'import numpy as np',
        'def cross_entropy(p, y):',
        '    return -np.mean(np.log(p[np.arange(len(y)), y] + 1e-9))',
        'p = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]])',
        'y = np.array([1, 2])',
        'loss = cross_entropy(p, y)',
      ].join('\n'),
      { fileName: 'a.py' },
    ).pairs[0];
    const origin = pairOrigin(pair, englishL10n)!;
    expect(origin.torchSteps).toBe(true);
    const base = pairOf(fixture.seedBatch.float32);
    const logProbs = { ...base.options, inputKind: 'log_probs' as const };
    const state = (options: typeof logProbs) =>
      buildPanelState({
        locale: 'en',
        documentLabel: 'a.py',
        decimals: 4,
        pairs: [{ id: 7, label: 'p, y', line: 6, loss: origin.loss, failed: false }],
        selectedPairId: 7,
        pair: { ...base, codeOptions: logProbs, options, origin },
        result: null,
        breakdown: null,
        view: defaultPanelView,
        status: 'ready',
      });
    render(state(logProbs));
    expect(root.querySelector('.facts')!.textContent).not.toContain('NLLLoss');
    expect(root.querySelector('#origin-heading')!.textContent).toBe('What cross_entropy computes');
    render(state({ ...logProbs, reduction: 'sum' }));
    expect(root.querySelector('.facts')!.textContent).toContain('NLLLoss');
  });
});
