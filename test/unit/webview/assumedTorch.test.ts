/**
 * The panel's header for a loss taken to be torch's though the file does not import it: the mark
 * beside the loss's name and the reason under the headline, as text (from the host, localised
 * there), passed by the wire guard; a state without the note shows neither.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { hostToWebviewProblem, type PairOrigin, type PanelState } from '../../../src/protocol/webview';
import { defaultUiState, renderPanel } from '../../../webview/render';
import { fixture } from '../panel/fixture';
import { stateFor } from '../panel/states';

let root: HTMLElement;
beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement('main');
  document.body.appendChild(root);
});

function render(state: PanelState): void {
  expect(hostToWebviewProblem({ type: 'state', state })).toBeNull();
  renderPanel(root, state, { ...defaultUiState, open: {} }, { post: () => undefined, setUi: () => undefined });
}

function withNote(note: { mark: string; reason: string }, locale: 'en' | 'ko' = 'en'): PanelState {
  const state = stateFor(fixture.seedBatch.float32, { locale });
  return { ...state, pair: { ...state.pair!, assumedTorch: note } };
}

describe('assumed torch in the panel header', () => {
  const reason = 'F is not imported in this file: read as torch.nn.functional.cross_entropy.';

  it('marks the headline and says why below it', () => {
    render(withNote({ mark: 'assumed torch', reason }));
    const headline = root.querySelector('.headline')!;
    expect(headline.textContent).toMatch(/^CrossEntropyLoss assumed torch = 2\.3519/);
    expect(root.querySelector('#assumed-torch')!.getAttribute('title')).toBe(reason);
    expect(root.querySelector('#assumed-torch-reason')!.textContent).toBe(reason);
  });

  it('shows the host’s Korean words as they come', () => {
    const ko = {
      mark: 'torch로 가정',
      reason: '이 파일에는 F의 import가 없습니다: torch.nn.functional.cross_entropy(으)로 읽었습니다.',
    };
    render(withNote(ko, 'ko'));
    expect(root.querySelector('#assumed-torch')!.textContent).toBe(ko.mark);
    expect(root.querySelector('#assumed-torch-reason')!.textContent).toBe(ko.reason);
  });

  it('renders markup in the reason as text', () => {
    render(withNote({ mark: 'assumed torch', reason: '<img src=x onerror=alert(1)> is not imported' }));
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('#assumed-torch-reason')!.textContent).toContain('<img');
  });

  it('has neither without the note', () => {
    render(stateFor(fixture.seedBatch.float32));
    expect(root.querySelector('#assumed-torch')).toBeNull();
    expect(root.querySelector('#assumed-torch-reason')).toBeNull();
  });

  // A pair named by its origin (a torch formula, torch's binary loss, another library's call) has its
  // own headline: the call or the formula and its value. The mark stands beside it there too.
  for (const c of [
    {
      locale: 'en' as const,
      title: 'torch formula −log_softmax(x)[y]',
      note: { mark: 'assumed torch', reason: 'torch is not imported in this file: read as torch.tensor.' },
    },
    {
      locale: 'ko' as const,
      title: 'torch 수식 −log_softmax(x)[y]',
      note: { mark: 'torch로 가정', reason: '이 파일에는 torch의 import가 없습니다: torch.tensor(으)로 읽었습니다.' },
    },
  ])
    it(`marks the headline of a pair named by its origin (${c.locale})`, () => {
      const state = withNote(c.note, c.locale);
      const origin: PairOrigin = {
        title: c.title,
        loss: 2.3519,
        losses: [],
        count: 0,
        pytorch: true,
        noCopy: null,
        library: 'torch',
        heading: 'What this torch formula computes',
        notes: ['A formula written with torch.'],
        torchSteps: true,
      };
      render({ ...state, pair: { ...state.pair!, origin } });
      const headline = root.querySelector('#origin-headline')!;
      expect(headline.textContent).toBe(`${c.title} ${c.note.mark} = 2.3519`);
      expect(headline.querySelector('#assumed-torch')!.getAttribute('title')).toBe(c.note.reason);
      expect(root.querySelectorAll('#assumed-torch')).toHaveLength(1);
      expect(root.querySelector('#assumed-torch-reason')!.textContent).toBe(c.note.reason);
    });

  it('is checked on the wire', () => {
    const state = withNote({ mark: 'assumed torch', reason });
    const bad = { ...state, pair: { ...state.pair!, assumedTorch: { mark: 3, reason } } } as unknown as PanelState;
    expect(hostToWebviewProblem({ type: 'state', state: bad })).not.toBeNull();
  });
});
