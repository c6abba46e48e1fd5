/**
 * The webview contract's guards: both directions are untrusted, so every malformed shape must be
 * rejected, and everything the builders produce must pass.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeHostMessage,
  encodeHostMessage,
  hostToWebviewProblem,
  isHostToWebview,
  isWebviewToHost,
  maxPairs,
  webviewToHostProblem,
  type PanelState,
  type WebviewToHost,
} from '../../../src/protocol/webview';
import { emptyPanelState } from '../../../src/panel/panelState';
import { seedBatchState } from './states';

const validMessages: WebviewToHost[] = [
  { type: 'ready' },
  { type: 'selectPair', id: 3 },
  { type: 'selectSample', element: 9999 },
  { type: 'setClassWindow', start: null },
  { type: 'setClassWindow', start: 40 },
  { type: 'setLossPage', offset: 200 },
  { type: 'setControls', controls: {} },
  {
    type: 'setControls',
    controls: {
      reduction: 'sum',
      dtype: 'both',
      labelSmoothing: 0.1,
      ignoreIndex: -100,
      weight: [1, 2.5],
      inputKind: 'log_probs',
    },
  },
  { type: 'setControls', controls: { weight: null } },
  { type: 'resetControls' },
  { type: 'setShift', shift: -1000.5 },
  { type: 'showCards', stability: true },
  { type: 'copy', kind: 'markdown' },
  { type: 'copy', kind: 'csv' },
  { type: 'copy', kind: 'pytorch' },
  { type: 'revealInEditor', id: 0 },
];

describe('isWebviewToHost', () => {
  it.each(validMessages.map((m) => [m.type, m]))('accepts %s', (_type, message) => {
    expect(webviewToHostProblem(message)).toBeNull();
    expect(isWebviewToHost(message)).toBe(true);
  });

  const bad: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['no type', { id: 3 }],
    ['an unknown type', { type: 'runScript', code: 'alert(1)' }],
    ['a prototype key as type', { type: 'constructor' }],
    ['an extra field', { type: 'ready', payload: new Array(1_000_000).fill(0) }],
    ['a string id', { type: 'selectPair', id: '3' }],
    ['a fractional id', { type: 'selectPair', id: 1.5 }],
    ['a negative element', { type: 'selectSample', element: -1 }],
    ['a NaN element', { type: 'selectSample', element: NaN }],
    ['an unsafe integer element', { type: 'selectSample', element: 2 ** 60 }],
    ['a missing element', { type: 'selectSample' }],
    ['a string class start', { type: 'setClassWindow', start: '0' }],
    ['a NaN shift', { type: 'setShift', shift: NaN }],
    ['an infinite shift', { type: 'setShift', shift: Infinity }],
    ['a huge shift', { type: 'setShift', shift: 1e300 }],
    ['cards without the stability flag', { type: 'showCards' }],
    ['a stability flag that is not a boolean', { type: 'showCards', stability: 'open' }],
    ['an unknown card', { type: 'showCards', stability: true, heatMap: false }],
    ['controls that are not an object', { type: 'setControls', controls: 'sum' }],
    ['an unknown control', { type: 'setControls', controls: { reduction: 'sum', eval: 'x' } }],
    ['an unknown reduction', { type: 'setControls', controls: { reduction: 'max' } }],
    ['an unknown dtype', { type: 'setControls', controls: { dtype: 'float16' } }],
    ['label smoothing above 1', { type: 'setControls', controls: { labelSmoothing: 1.5 } }],
    ['label smoothing NaN', { type: 'setControls', controls: { labelSmoothing: NaN } }],
    ['a fractional ignore_index', { type: 'setControls', controls: { ignoreIndex: 0.5 } }],
    ['a huge weight array', { type: 'setControls', controls: { weight: new Array(100_000).fill(1) } }],
    ['a NaN weight', { type: 'setControls', controls: { weight: [1, NaN] } }],
    ['a string weight', { type: 'setControls', controls: { weight: ['1'] } }],
    ['an unknown copy kind', { type: 'copy', kind: 'html' }],
    ['a reveal without id', { type: 'revealInEditor' }],
  ];
  it.each(bad)('rejects %s', (_name, message) => {
    expect(webviewToHostProblem(message)).toBeTypeOf('string');
    expect(isWebviewToHost(message)).toBe(false);
  });

  // Own names only: what Object.prototype has is not a message type or a field, and a key named
  // __proto__ (an own key after JSON.parse or structured clone) is rejected inside the guard.
  const inherited: [string, unknown][] = [
    ['a toString type', { type: 'toString' }],
    ['a __proto__ type', JSON.parse('{"type": "__proto__"}')],
    ['a __proto__ control', { type: 'setControls', controls: JSON.parse('{"__proto__": {"reduction": "sum"}}') }],
    ['a toString control', { type: 'setControls', controls: { toString: 'sum' } }],
    ['a constructor control', { type: 'setControls', controls: { constructor: 1 } }],
    ['a __proto__ field', JSON.parse('{"type": "ready", "__proto__": {}}')],
    ['a hasOwnProperty field', { type: 'selectPair', id: 1, hasOwnProperty: 2 }],
  ];
  it.each(inherited)('rejects %s without throwing', (_name, message) => {
    expect(() => webviewToHostProblem(message)).not.toThrow();
    expect(webviewToHostProblem(message)).toMatch(/unknown (message type|field)/);
  });

  it('rejects a value whose checks throw, as a problem and not an exception', () => {
    const hostile = {
      type: 'setControls',
      controls: new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('boom');
          },
        },
      ),
    };
    expect(webviewToHostProblem(hostile)).toBe('message could not be checked: boom');
  });
});

describe('isHostToWebview', () => {
  const state = seedBatchState();
  const wrap = (s: unknown) => ({ type: 'state', state: s });
  const patch = (f: (s: PanelState) => void): unknown => {
    const copy = structuredClone(state);
    f(copy);
    return wrap(copy);
  };

  it('accepts builder snapshots: empty and the seed batch', () => {
    expect(hostToWebviewProblem(wrap(emptyPanelState('ko', 'a.py')))).toBeNull();
    expect(hostToWebviewProblem(wrap(state))).toBeNull();
    expect(isHostToWebview(wrap(state))).toBe(true);
  });

  it('checks a heat map sent to keep, and a snapshot naming one carries none itself', () => {
    const heatMap = state.heatMap!;
    expect(hostToWebviewProblem({ type: 'heatMap', id: 1, heatMap })).toBeNull();
    expect(hostToWebviewProblem({ type: 'heatMap', id: 0, heatMap })).toMatch(/id/);
    expect(hostToWebviewProblem({ type: 'heatMap', id: 1, heatMap: { ...heatMap, rowPick: [99, 0] } })).toMatch(
      /rowPick/,
    );
    expect(hostToWebviewProblem({ type: 'state', state: { ...state, heatMap: null }, heatMapId: 1 })).toBeNull();
    expect(hostToWebviewProblem({ type: 'state', state, heatMapId: 1 })).toMatch(/by reference/);
    expect(hostToWebviewProblem({ type: 'state', state: { ...state, heatMap: null }, heatMapId: 1.5 })).toMatch(
      /heatMapId/,
    );
  });

  it('checks a snapshot made ahead: a sample or option change the webview could post, its context and sample', () => {
    const ahead = {
      type: 'ahead',
      from: 3,
      at: 0,
      on: { type: 'selectSample', element: 1 },
      state: { ...state, heatMap: null },
      heatMapId: 1,
      context: 4,
    };
    expect(hostToWebviewProblem(ahead)).toBeNull();
    expect(hostToWebviewProblem({ ...ahead, on: { type: 'setControls', controls: { dtype: 'float64' } } })).toBeNull();
    expect(hostToWebviewProblem({ ...ahead, on: { type: 'setControls', controls: { dtype: 'float16' } } })).toMatch(
      /dtype/,
    );
    expect(hostToWebviewProblem({ ...ahead, on: { type: 'copy', kind: 'csv' } })).toMatch(/sample or option change/);
    expect(hostToWebviewProblem({ ...ahead, on: { type: 'selectSample', element: -1 } })).toMatch(/element/);
    expect(hostToWebviewProblem({ ...ahead, state })).toMatch(/by reference/);
    expect(hostToWebviewProblem({ ...ahead, context: 0 })).toMatch(/context/);
    expect(hostToWebviewProblem({ ...ahead, at: 0.5 })).toMatch(/at/);
    const { context: _context, ...noContext } = ahead;
    expect(hostToWebviewProblem(noContext)).toMatch(/context/);
    expect(hostToWebviewProblem({ type: 'state', state, context: 2, seen: 0 })).toBeNull();
    expect(hostToWebviewProblem({ type: 'state', state, seen: -1 })).toMatch(/seen/);
  });

  it('checks new rows of a kept heat map', () => {
    const { rowLoss, rowIgnored, rowPick } = state.heatMap!;
    const rows = { type: 'heatMapRows' as const, id: 2, base: 1, rowLoss, rowIgnored, rowPick };
    expect(hostToWebviewProblem(rows)).toBeNull();
    expect(hostToWebviewProblem({ ...rows, base: 2 })).toMatch(/its own id/);
    expect(hostToWebviewProblem({ ...rows, base: 0 })).toMatch(/base/);
    expect(hostToWebviewProblem({ ...rows, rowPick: [0] })).toMatch(/rowPick/);
    expect(hostToWebviewProblem({ ...rows, rowIgnored: rowIgnored.map(() => 1) })).toMatch(/rowIgnored/);
    expect(hostToWebviewProblem({ ...rows, rowLoss: Array(300).fill(1) })).toMatch(/rowLoss/);
    expect(hostToWebviewProblem({ ...rows, values: [] })).toMatch(/values/);
  });

  const bad: [string, unknown][] = [
    [
      'a missing field',
      patch((s) => {
        delete (s as Partial<PanelState>).heatMap;
      }),
    ],
    [
      'an extra field',
      patch((s) => {
        (s as unknown as Record<string, unknown>).html = '<b>';
      }),
    ],
    [
      'an unknown locale',
      patch((s) => {
        (s as { locale: string }).locale = 'fr';
      }),
    ],
    [
      'a numeric document label',
      patch((s) => {
        (s as unknown as { documentLabel: number }).documentLabel = 5;
      }),
    ],
    [
      'a very long error',
      patch((s) => {
        s.error = 'x'.repeat(1_000_000);
      }),
    ],
    [
      'too many pairs',
      patch((s) => {
        s.pairs = new Array(maxPairs + 1).fill(s.pairs[0]);
      }),
    ],
    [
      'decimals out of range',
      patch((s) => {
        s.decimals = 40;
      }),
    ],
    [
      'a line of 0',
      patch((s) => {
        s.pairs[0].line = 0;
      }),
    ],
    [
      'a string in the softmax row',
      patch((s) => {
        (s.sample!.softmax as unknown[])[0] = '0.1';
      }),
    ],
    [
      'a class row of the wrong length',
      patch((s) => {
        s.sample!.logits.push(1);
      }),
    ],
    [
      'classes not ascending',
      patch((s) => {
        s.sample!.classIndices.reverse();
      }),
    ],
    [
      'a class beyond C',
      patch((s) => {
        s.sample!.classIndices[9] = 10;
      }),
    ],
    [
      'too many shown classes',
      patch((s) => {
        s.sample!.classIndices = Array.from({ length: 100 }, (_, i) => i);
      }),
    ],
    [
      'a NaN class index',
      patch((s) => {
        s.sample!.classIndices[0] = NaN;
      }),
    ],
    [
      'a NaN label smoothing',
      patch((s) => {
        s.pair!.options.labelSmoothing = NaN;
      }),
    ],
    [
      'ignored flags of the wrong length',
      patch((s) => {
        s.reduction!.ignored.push(false);
      }),
    ],
    [
      'more ignored than samples',
      patch((s) => {
        s.reduction!.ignoredCount = 3;
      }),
    ],
    [
      'a heat map with too few values',
      patch((s) => {
        s.heatMap!.values.pop();
      }),
    ],
    [
      'a heat map of 300 rows',
      patch((s) => {
        s.heatMap!.rows = 300;
      }),
    ],
    [
      'heat map rows that do not cover the batch',
      patch((s) => {
        s.heatMap!.rowStart[2] = 5;
      }),
    ],
    [
      'a heat map pick past the batch',
      patch((s) => {
        s.heatMap!.rowPick[0] = 2;
      }),
    ],
    [
      'a state nested too deep',
      decodeHostMessage({ type: 'state', state: JSON.parse('['.repeat(5000) + ']'.repeat(5000)) }),
    ],
    ['a delta instead of a snapshot', { type: 'stateDelta', patch: {} }],
  ];
  it.each(bad)('rejects %s', (_name, message) => {
    expect(hostToWebviewProblem(message)).toBeTypeOf('string');
  });

  it('NaN and infinities survive JSON through the codec, and names stay strings', () => {
    const s = structuredClone(state);
    s.sample!.logits[0] = NaN;
    s.sample!.logits[1] = -Infinity;
    s.stability = { ...s.stability!, naiveSum: Infinity };
    s.pair!.logitsName = 'NaN';
    s.pair!.targetName = '{"$nf":"NaN"}';
    const wire = JSON.parse(JSON.stringify(encodeHostMessage({ type: 'state', state: s })));
    const back = decodeHostMessage(wire) as { state: PanelState };
    expect(hostToWebviewProblem(back)).toBeNull();
    expect(back.state.sample!.logits[0]).toBeNaN();
    expect(back.state.sample!.logits[1]).toBe(-Infinity);
    expect(back.state.stability!.naiveSum).toBe(Infinity);
    expect(back.state.pair!.logitsName).toBe('NaN');
    expect(back.state.pair!.targetName).toBe('{"$nf":"NaN"}');
    // Without the codec JSON would have turned them into null, which the guard rejects.
    expect(hostToWebviewProblem(JSON.parse(JSON.stringify({ type: 'state', state: s })))).toBeTypeOf('string');
  });
});
