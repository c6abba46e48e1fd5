// An exercise page about a loss in the real VS Code (docs/detection.md 3.20): a Markdown problem
// statement whose worked examples give inputs and an `Output:` value. The hover over a right
// expected value says it holds and shows the number torch computes for the example (from
// test/fixtures/realpatterns8/expected.json, written by gen_realpatterns8.py with torch in float64),
// and the deliberately wrong one is a claim_mismatch diagnostic on its `Output:` line naming the
// right value.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import { closeAllEditors, codeOf, dec4, hoverUntil, inside, openFile, repoRoot, waitForDiagnostic } from '../helpers';

interface Expected {
  files: {
    file: string;
    pairs: { line: number; loss?: number }[];
    claims: { line: number; text: string; status: string }[];
  }[];
}

const dir = path.join(repoRoot, 'test', 'fixtures', 'realpatterns8');
const page = 'snippets/categorical_index.md';
const expected = (JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected).files.find(
  (f) => f.file === page,
)!;
/** The example's loss: the pair on the line above the claim. */
const lossFor = (claimLine: number): number => expected.pairs.find((p) => p.line === claimLine - 1)!.loss!;

suite('exercise pages', () => {
  suiteSetup(closeAllEditors);

  test('over a right Output value: it holds, with the number computed for the example', async () => {
    const claim = expected.claims.find((c) => c.status === 'holds')!;
    const { document } = await openFile(path.join(dir, page));
    assert.equal(document.languageId, 'markdown');
    const text = await hoverUntil(document, inside(document, `Output: ${claim.text}`, 0, 10), '✓');
    assert.ok(text.includes(dec4(lossFor(claim.line))), text);
    // The page's loss in words (its examples write no call), never the catalogue's internal id.
    const plain = text.replace(/\\(.)/g, '$1');
    assert.ok(plain.includes('the page’s categorical cross-entropy of probabilities'), text);
    assert.ok(!plain.includes('page.categorical'), text);
  });

  test('the wrong Output value is a claim_mismatch on its line naming the right value', async () => {
    const claim = expected.claims.find((c) => c.status === 'wrong')!;
    const { document } = await openFile(path.join(dir, page));
    const d = await waitForDiagnostic(
      document.uri,
      'claim_mismatch',
      (x) => codeOf(x) === 'claim_mismatch' && x.range.start.line === claim.line - 1,
    );
    assert.ok(d.message.includes(dec4(lossFor(claim.line))), d.message);
  });
});
