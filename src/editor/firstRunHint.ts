import * as vscode from 'vscode';
import { Disposable } from '../util/disposable';
import type { AnalysisEntry, DocumentAnalysisCache } from './documentAnalysis';
import { DocumentView } from './locate';

/** The global-state key that remembers the hint was given. */
const shownKey = 'lossInspector.panelHintShown';

/**
 * Once per user (not per workspace): the first time a file shown in the editor has pairs, say how
 * many were found and offer to open the panel, whose activity-bar icon a new user has no reason to
 * click. Never again after that, whatever the answer. Setting `lossInspector.panelHint: false` turns
 * it off.
 */
export class FirstRunHint extends Disposable {
  /** What the hint said, once it has (read by the integration suite). */
  shown: { pairs: number; file: string } | undefined;

  constructor(
    cache: DocumentAnalysisCache,
    private readonly state: vscode.Memento,
    private readonly openPanel: (entry: AnalysisEntry) => Thenable<unknown>,
  ) {
    super();
    this.register(cache.onDidChange((entry) => this.consider(entry)));
  }

  /** Forgets that the hint was given (tests; a user's "reset" would be the same). */
  async reset(): Promise<void> {
    this.shown = undefined;
    await this.state.update(shownKey, undefined);
  }

  private consider(entry: AnalysisEntry): void {
    if (this.shown || this.state.get<boolean>(shownKey) || entry.status !== 'ready' || !entry.analysis) return;
    // Off in the test harness's quiet profile: a toast would cover what the UI tests look at.
    if (vscode.workspace.getConfiguration('lossInspector').get<boolean>('panelHint') === false) return;
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const view = new DocumentView(entry, editor.document);
    const mine = entry.notebook ? view.cell !== -1 : entry.uri.toString() === editor.document.uri.toString();
    if (!mine) return;
    const pairs = entry.analysis.pairs.length;
    if (pairs === 0) return;
    const file = entry.uri.path.split('/').pop() ?? '';
    this.shown = { pairs, file };
    void this.state.update(shownKey, true);
    const open = vscode.l10n.t('Open the Panel');
    void vscode.window
      .showInformationMessage(
        pairs === 1
          ? vscode.l10n.t('Loss Inspector found 1 pair in {0}: open the panel to see every step of its loss.', file)
          : vscode.l10n.t(
              'Loss Inspector found {0} pairs in {1}: open the panel to see every step of their losses.',
              pairs,
              file,
            ),
        open,
      )
      .then((answer) => (answer === open ? this.openPanel(entry) : undefined));
  }
}
