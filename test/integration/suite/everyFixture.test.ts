// Every detection fixture folder in the real VS Code. test/fixtures/realpatterns*/ hold the families
// docs/detection.md lists (one folder per study of real code), each checked by its unit test against
// the analyzer alone. Here each folder gives one pair, picked by rule from its expected.json (the
// first snippet the editor reads, with a scalar loss alone on its line), and, when it has one, one
// wrong printed value: the pair's CodeLens shows the fixture's number, a hover on its line shows it
// too, the panel opened from the lens shows it in its headline, and the wrong print is a
// claim_mismatch diagnostic on its own line. The numbers are the
// generators' (gen_realpatternsN.py, torch 1.13); nothing here is written per folder, so a folder
// added later is checked the day it lands.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { PanelState } from '../../../src/protocol/webview';
import {
  closeAllEditors,
  codeOf,
  getExtension,
  hoverText,
  openFile,
  ourLenses,
  repoRoot,
  waitFor,
  waitForDiagnostic,
} from '../helpers';

interface Expected {
  files: {
    file: string;
    negative?: boolean;
    pairs: { line: number; name: string; loss?: number; losses?: number[]; unverified?: boolean }[];
    claims: { line: number; text: string; status: 'holds' | 'wrong' | 'none' }[];
  }[];
}

/** What the editor reads with the default `lossInspector.languages` (plain text and notebooks are not here). */
const editorFile = /\.(py|md|js|mjs|cjs|jsx|ts|tsx)$/;

/** How the lens and the hover write a loss with the default 4 decimals (in range for fixed notation). */
const shownOf = (v: number): string | null => (v >= 1e-4 && v < 1e8 ? v.toFixed(4) : null);

interface Pick {
  folder: string;
  pair?: { file: string; line: number; name: string; shown: string; loss: number };
  wrong?: { file: string; line: number; text: string };
}

function pick(folder: string): Pick {
  const json = JSON.parse(
    readFileSync(path.join(repoRoot, 'test', 'fixtures', folder, 'expected.json'), 'utf8'),
  ) as Expected;
  const files = json.files.filter((f) => !f.negative && editorFile.test(f.file));
  const picked: Pick = { folder };
  for (const f of files) {
    if (picked.pair) break;
    for (const p of f.pairs) {
      const shown = typeof p.loss === 'number' && !p.unverified ? shownOf(p.loss) : null;
      if (shown === null || f.pairs.filter((x) => x.line === p.line).length !== 1) continue;
      picked.pair = { file: f.file, line: p.line, name: p.name, shown, loss: p.loss! };
      break;
    }
  }
  for (const f of files) {
    const wrong = f.claims.find((c) => c.status === 'wrong');
    if (wrong) {
      picked.wrong = { file: f.file, line: wrong.line, text: wrong.text };
      break;
    }
  }
  return picked;
}

const folders = readdirSync(path.join(repoRoot, 'test', 'fixtures'))
  .filter((d) => /^realpatterns\d+$/.test(d))
  .sort((a, b) => Number(a.slice(12)) - Number(b.slice(12)));

/**
 * The first hover on `line` (0-based) that shows `shown`, trying the start of each word, bracket and
 * number of the line (a page's `Input: [0.6, 0.3, 0.1], 0` has no call to hover).
 */
async function hoverShowing(
  document: vscode.TextDocument,
  line: number,
  shown: string,
  seen: string[] = [],
): Promise<string | undefined> {
  const text = document.lineAt(line).text;
  const starts = [...text.matchAll(/[A-Za-z_]\w*|\[|\d+/g)].slice(0, 60).map((m) => m.index! + 1);
  // Pass after pass until a deadline, as hoverUntil waits: on a loaded machine a first pass can come early.
  for (const deadline = Date.now() + 20_000; ;) {
    seen.length = 0;
    for (const column of starts) {
      const hover = await hoverText(document, new vscode.Position(line, column));
      if (hover.includes(shown)) return hover;
      seen.push(`${column}: ${hover.slice(0, 200)}`);
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function panelState(): PanelState {
  const { panel } = (getExtension().exports as { services: { panel: { getState(): PanelState } } }).services;
  return panel.getState();
}

/** The number the panel's headline shows: another library's or a formula's, else torch's in the dtype on show. */
function panelLoss(s: PanelState): number | null {
  if (s.pair?.origin) return s.pair.origin.loss;
  const r = s.reduction;
  const main = r ? (r.dtype === 'float64' ? r.float64 : r.float32) : null;
  return main?.loss ?? null;
}

suite('every detection fixture folder in the editor', () => {
  suiteSetup(closeAllEditors);

  test('finds the fixture folders and a pair in nearly every one', () => {
    assert.ok(folders.length >= 90, `only ${folders.length} realpatterns folders`);
    const without = folders.filter((f) => !pick(f).pair);
    // A folder of vectors, notebooks or plain text only has no pair to show here; a few do.
    assert.ok(without.length <= folders.length / 10, `no editor pair in ${without.join(', ')}`);
  });

  for (const folder of folders)
    test(`${folder}: its pair's lens and hover show the fixture's number; a wrong print is a claim_mismatch`, async function () {
      this.timeout(120_000);
      const { pair, wrong } = pick(folder);
      if (!pair && !wrong) this.skip();
      try {
        if (pair) {
          const { document } = await openFile(path.join(repoRoot, 'test', 'fixtures', folder, pair.file));
          const where = `line ${pair.line} of ${folder}/${pair.file} (${pair.name})`;
          const lens = await waitFor(`the lens on ${where}`, async () =>
            (await ourLenses(document)).find((l) => l.line === pair.line - 1 && !l.title.startsWith('…')),
          );
          assert.ok(lens.title.includes(` ${pair.shown}`), `${where}: lens "${lens.title}", expected ${pair.shown}`);
          const seen: string[] = [];
          const hover = await hoverShowing(document, pair.line - 1, pair.shown, seen);
          assert.ok(
            hover !== undefined,
            `${where}: no hover on the line shows ${pair.shown}; hovers:\n${seen.join('\n')}`,
          );
          // The panel, opened from the lens: its headline's number.
          const opened = (lens.command!.arguments ?? [])[0] as { pairId: number };
          await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
          let last: PanelState | undefined;
          const state = await waitFor(`the panel on ${where}`, async () => {
            const s = (last = panelState());
            // This pair of this file, not the last folder's still on show.
            const own = s.selectedPairId === opened.pairId && s.documentLabel === path.basename(pair.file);
            return own && s.status === 'ready' && s.pair && panelLoss(s) !== null ? s : undefined;
          }).catch((error: Error) => {
            const s = last;
            const seen = s && {
              status: s.status,
              error: s.error,
              label: s.documentLabel,
              selected: s.selectedPairId,
              origin: s.pair?.origin && { title: s.pair.origin.title, loss: s.pair.origin.loss },
              reduction: s.reduction && { reduction: s.reduction.reduction, dtype: s.reduction.dtype },
              loss: s && panelLoss(s),
            };
            throw new Error(`${error.message}; the panel: ${JSON.stringify(seen)} (pair ${opened.pairId})`);
          });
          const shownLoss = panelLoss(state)!;
          assert.ok(
            Math.abs(shownLoss - pair.loss) <= 5e-5 + 1e-5 * Math.abs(pair.loss),
            `${where}: the panel shows ${shownLoss}, the fixture ${pair.loss}`,
          );
        }
        if (wrong) {
          const { document } = await openFile(path.join(repoRoot, 'test', 'fixtures', folder, wrong.file));
          const d = await waitForDiagnostic(
            document.uri,
            `claim_mismatch on line ${wrong.line} of ${folder}/${wrong.file}`,
            (x) => codeOf(x) === 'claim_mismatch' && x.range.start.line === wrong.line - 1,
          );
          // The message quotes the printed value it finds wrong.
          const digits = /\d+\.\d+/.exec(wrong.text)?.[0];
          if (digits) assert.ok(d.message.includes(digits), `${d.message} (the print: ${wrong.text})`);
        }
      } finally {
        await closeAllEditors();
      }
    });
});
