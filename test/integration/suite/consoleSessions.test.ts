// Console sessions as web pages paste them, in the real VS Code (docs/detection.md 3.15): a function
// whose body lost its indentation after the `...` prompts is followed, and a scikit-learn example
// flattened onto one line is read with its output. The lens shows the number the session computes
// (reference.json, from test/fixtures/integration/gen_reference.py), the hover repeats it, and the
// wrong printed value under the first call is a claim_mismatch diagnostic naming the right one.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { assertLibraryClaimMismatch, assertLibraryLensAndHover, closeAllEditors, codeOf } from '../helpers';

const file = 'console_session.py';

suite('console sessions pasted from pages', () => {
  suiteSetup(closeAllEditors);

  for (const [name, code] of [
    ['onehot_ce', '>>> onehot_ce(np.array'],
    ['log_loss', 'log_loss(["no"'],
  ] as const)
    test(`${name}: the lens and the hover show the session's own number`, () =>
      assertLibraryLensAndHover(file, name, code, code.length - 2));

  test('the wrong output under the followed function is a claim_mismatch naming the right value', async () => {
    const document = await assertLibraryClaimMismatch(file, '0.4567', 'onehot_ce');
    // The flattened example's own output holds: no diagnostic for it.
    const all = vscode.languages.getDiagnostics(document.uri).filter((x) => codeOf(x) === 'claim_mismatch');
    assert.equal(all.length, 1, all.map((x) => x.message).join('\n'));
  });
});
