import * as vscode from 'vscode';
import { Disposable } from '../util/disposable';
import type { DocumentAnalysisCache } from './documentAnalysis';
import { DocumentView } from './locate';

/**
 * One status item for the active editor: computing, how many pairs and wrong claims, or a short
 * explanation when analysis failed (worker crash, a literal over the element cap).
 */
export class LossStatusItem extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('lossInspector.status', vscode.StatusBarAlignment.Right, 100),
  );

  constructor(private readonly cache: DocumentAnalysisCache) {
    super();
    this.item.name = 'Loss Inspector';
    this.item.command = 'lossInspector.showPanel';
    this.register(cache.onDidChange(() => this.update()));
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.update();
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    const entry = editor ? this.cache.peek(editor.document) : undefined;
    if (!editor || !entry) {
      this.item.hide();
      return;
    }
    if (entry.status === 'pending') {
      this.item.text = '$(sync~spin) ' + vscode.l10n.t('Loss Inspector');
      this.item.tooltip = vscode.l10n.t('Computing losses…');
    } else if (entry.status === 'error') {
      this.item.text = '$(warning) ' + vscode.l10n.t('Loss Inspector');
      this.item.tooltip = vscode.l10n.t(
        'Analysis failed: {0}. Edit the file to try again.',
        entry.error?.message ?? '',
      );
    } else {
      const view = new DocumentView(entry, editor.document);
      const pairs = view.pairs().length;
      const wrong = view.claims().filter((c) => c.status === 'wrong').length;
      const skipped = view.findings().filter((f) => f.code === 'too_large').length;
      if (pairs === 0 && wrong === 0 && skipped === 0) {
        this.item.hide();
        return;
      }
      this.item.text = `$(graph) ${pairs === 1 ? vscode.l10n.t('1 pair') : vscode.l10n.t('{0} pairs', pairs)}${wrong ? ` · $(error) ${wrong}` : ''}${skipped ? ' · $(circle-slash)' : ''}`;
      this.item.tooltip = [
        vscode.l10n.t('Loss Inspector: {0} pairs, {1} wrong claims', pairs, wrong),
        skipped ? vscode.l10n.t('Some literals are larger than lossInspector.maxElements and were skipped.') : '',
      ]
        .filter(Boolean)
        .join('\n');
    }
    this.item.show();
  }
}
