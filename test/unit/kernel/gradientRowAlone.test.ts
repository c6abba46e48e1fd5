/**
 * A float32 input the forward read from its float64 source (the panel's one-shot forward: no
 * float32 copy made) gets a gradient row from that sample's row alone, rounded as the copy would
 * hold it, instead of a copy of the whole input (for a (64, 50 257) pair its workspace, 7–14 ms on
 * the panel's first answer). Big enough inputs for a workspace, label smoothing or not, shown
 * classes or all: every value equals the row the whole gradient holds (made with the copy), to the
 * bit, and no copy is made.
 */
import { describe, expect, it } from 'vitest';
import { crossEntropy, gradient, gradientRow, prepare } from '../../../src/core/kernel';
import { inputWorkspaceMinElements } from '../../../src/core/kernel/input';
import { same } from './floatCompare';
import { xorshift32 } from './xorshift32';

const N = 6;
const C = (inputWorkspaceMinElements / N) | 0 | 1;

function request(eps: number, weighted: boolean, seed: number) {
  const r = xorshift32(seed);
  // Values that float32 rounds: the copy's rounding is what is being checked.
  const x = Float64Array.from({ length: N * C }, () => (r() - 0.5) * 17.3);
  x[2 * C + 9] = 1e-46; // rounds to 0 in float32
  x[3 * C + 4] = 3.4e38 * 2; // past float32's largest: +Inf in the copy
  return prepare({
    input: { data: x, shape: [N, C], integral: false },
    target: {
      data: Float64Array.from({ length: N }, (_, n) => (n === 4 ? -100 : (n * 7919) % C)),
      shape: [N],
      integral: true,
    },
    weight: weighted ? { data: Float64Array.from({ length: C }, () => 0.5 + r()), shape: [C], integral: false } : null,
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: eps,
    dtype: 'float32',
    inputKind: 'logits',
  });
}

describe('a float32 gradient row without the input’s float32 copy', () => {
  for (const eps of [0, 0.1])
    for (const weighted of [false, true])
      it(`equals the whole gradient’s row, to the bit (ε = ${eps}${weighted ? ', weighted' : ''})`, () => {
        const p = request(eps, weighted, 11 + eps * 10 + (weighted ? 1 : 0));
        const res = crossEntropy(p, false, { oneShot: true });
        expect(p.x).toBeNull();
        const classes = [0, 3, 9, 4, C - 1, 77];
        const rows = Array.from({ length: N }, (_, e) => ({
          all: gradientRow(p, res, e),
          shown: gradientRow(p, res, e, classes),
        }));
        // The row alone: no copy of the whole input was made for it.
        expect(p.x).toBeNull();
        const q = request(eps, weighted, 11 + eps * 10 + (weighted ? 1 : 0));
        const whole = gradient(q, crossEntropy(q, false, { oneShot: true }));
        const wrong: string[] = [];
        for (let e = 0; e < N; e++)
          for (let c = 0; c < C; c++) {
            const want = whole[e * C + c]!;
            if (!same(rows[e]!.all[c]!, want)) wrong.push(`[${e}][${c}] ${rows[e]!.all[c]} vs ${want}`);
            const k = classes.indexOf(c);
            if (k >= 0 && !same(rows[e]!.shown[k]!, want)) wrong.push(`shown [${e}][${c}]`);
          }
        expect(wrong.slice(0, 5)).toEqual([]);
      });
});
