/**
 * Which changes the panel makes ahead (src/panel/panelAhead.ts): the next sample, the other dtype,
 * the two other reductions, and the way back to the options on show before a control change, each
 * spelled as the webview posts that change (the webview finds a kept snapshot by that message).
 */
import { describe, expect, it } from 'vitest';
import { aheadChanges, backChange } from '../../../src/panel/panelAhead';
import type { PanelOptions } from '../../../src/protocol/webview';

const shown: PanelOptions = {
  reduction: 'mean',
  dtype: 'float32',
  labelSmoothing: 0,
  ignoreIndex: -100,
  inputKind: 'logits',
  hasWeight: false,
  weight: null,
};

describe('changes made ahead', () => {
  it('makes the next sample at once, and the other dtype and the two other reductions when idle', () => {
    expect(aheadChanges(0, 4, 'float32', 'mean')).toEqual({
      now: [{ type: 'selectSample', element: 1 }],
      idle: [
        { type: 'setControls', controls: { dtype: 'float64' } },
        { type: 'setControls', controls: { reduction: 'sum' } },
        { type: 'setControls', controls: { reduction: 'none' } },
      ],
    });
    // The last sample has no next; 'both' dtypes has no other dtype.
    expect(aheadChanges(3, 4, 'both', 'none')).toEqual({
      now: [],
      idle: [
        { type: 'setControls', controls: { reduction: 'mean' } },
        { type: 'setControls', controls: { reduction: 'sum' } },
      ],
    });
  });

  it('goes back to the value on show before each single control change', () => {
    expect(backChange(shown, { labelSmoothing: 0.1 })).toEqual({ labelSmoothing: 0 });
    expect(backChange({ ...shown, labelSmoothing: 0.1 }, { labelSmoothing: 0.2 })).toEqual({ labelSmoothing: 0.1 });
    expect(backChange(shown, { reduction: 'sum' })).toEqual({ reduction: 'mean' });
    expect(backChange(shown, { dtype: 'both' })).toEqual({ dtype: 'float32' });
    expect(backChange(shown, { ignoreIndex: 3 })).toEqual({ ignoreIndex: -100 });
    expect(backChange(shown, { inputKind: 'log_probs' })).toEqual({ inputKind: 'logits' });
    // As the webview posts it: the same JSON as a user setting that value again.
    expect(JSON.stringify({ type: 'setControls', controls: backChange(shown, { labelSmoothing: 0.5 }) })).toBe(
      JSON.stringify({ type: 'setControls', controls: { labelSmoothing: 0 } }),
    );
  });

  it('makes no way back when nothing changes, for a weight, or for several fields at once', () => {
    expect(backChange(shown, { labelSmoothing: 0 })).toBeUndefined();
    expect(backChange(shown, { reduction: 'mean' })).toBeUndefined();
    expect(backChange(shown, { weight: [1, 2, 3] })).toBeUndefined();
    expect(backChange(shown, { reduction: 'sum', labelSmoothing: 0.1 })).toBeUndefined();
    expect(backChange({ ...shown, labelSmoothing: -0 }, { labelSmoothing: 0 })).toBeUndefined();
  });
});
