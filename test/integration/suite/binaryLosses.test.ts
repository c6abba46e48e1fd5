// The binary log loss in the real VS Code (docs/detection.md 3.17): −(y·log p + (1 − y)·log(1 − p))
// written with numpy, and torch's BCELoss on literal tensors. The lens shows the number each computes
// (reference.json, from test/fixtures/integration/gen_reference.py: numpy's own value, torch's own
// BCELoss), the hover repeats it, and the wrong printed value under the BCELoss is a claim_mismatch
// diagnostic naming the right one.
import { suite, suiteSetup, test } from 'mocha';
import { assertLibraryClaimMismatch, assertLibraryLensAndHover, closeAllEditors } from '../helpers';

const file = 'binary_losses.py';

suite('binary log losses', () => {
  suiteSetup(closeAllEditors);

  for (const [name, code] of [
    ['by_hand', '-np.mean(labels'],
    ['bce', 'nn.BCELoss()(probs'],
  ] as const)
    test(`${name}: the lens and the hover show the loss the code computes`, () =>
      assertLibraryLensAndHover(file, name, code, 2));

  test('the wrong printed BCELoss is a claim_mismatch naming the right value', async () => {
    await assertLibraryClaimMismatch(file, '0.4567', 'bce');
  });
});
