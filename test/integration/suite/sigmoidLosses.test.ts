// docs/detection.md 3.19 in the real VS Code: a Sigmoid module written before torch's BCELoss, and a
// binary log loss summed by a loop over zip() in a user's function. The lens shows the number each
// computes (reference.json, from test/fixtures/integration/gen_reference.py: torch's own BCELoss of
// its own sigmoid, the loop's own Python arithmetic), the hover repeats it, and the wrong printed
// value under the BCELoss is a claim_mismatch diagnostic naming the right one.
import { suite, suiteSetup, test } from 'mocha';
import { assertLibraryClaimMismatch, assertLibraryLensAndHover, closeAllEditors } from '../helpers';

const file = 'sigmoid_losses.py';

suite('sigmoid before BCELoss, loops over zip', () => {
  suiteSetup(closeAllEditors);

  for (const [name, code] of [
    ['after_sigmoid', 'nn.BCELoss()(act(scores)'],
    ['looped', 'summed([1, 0, 1]'],
  ] as const)
    test(`${name}: the lens and the hover show the loss the code computes`, () =>
      assertLibraryLensAndHover(file, name, code, 2));

  test('the wrong printed BCELoss of a sigmoid is a claim_mismatch naming the right value', async () => {
    await assertLibraryClaimMismatch(file, '0.6445', 'after_sigmoid');
  });
});
