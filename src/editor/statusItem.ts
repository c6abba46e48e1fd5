import * as vscode from 'vscode';
import { errorText } from '../core/errorText';
import { Disposable } from '../util/disposable';
import type { Config } from './config';
import type { DocumentAnalysisCache } from './documentAnalysis';
import { placeText } from './format';
import { DocumentView, staleText } from './locate';

/**
 * One status item for the active editor: computing, how many pairs and wrong claims, a dtype the
 * user forces on every pair, the line that does not parse yet (results kept from before), or a
 * short explanation when analysis failed (worker crash, a literal over the element cap).
 */
export class LossStatusItem extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('lossInspector.status', vscode.StatusBarAlignment.Right, 100),
  );

  constructor(
    private readonly cache: DocumentAnalysisCache,
    private readonly config: () => Config,
  ) {
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
    const dtype = this.config().dtype;
    const override = dtype ? ` · ${dtype}` : '';
    const overrideTip = dtype
      ? vscode.l10n.t('Every pair is computed in {0} (lossInspector.dtype); Choose dtype… changes it.', dtype)
      : '';
    if (entry.status === 'pending' && !entry.analysis) {
      this.item.text = '$(sync~spin) ' + vscode.l10n.t('Loss Inspector') + override;
      this.item.tooltip = [vscode.l10n.t('Computing losses…'), overrideTip].filter(Boolean).join('\n');
    } else if (entry.status === 'error') {
      this.item.text = '$(warning) ' + vscode.l10n.t('Loss Inspector') + override;
      this.item.tooltip = [
        vscode.l10n.t(
          'Analysis failed: {0}. Edit the file to try again.',
          entry.error ? errorText(entry.error, vscode.l10n) : '',
        ),
        overrideTip,
      ]
        .filter(Boolean)
        .join('\n');
    } else {
      const view = new DocumentView(entry, editor.document);
      const pairs = view.pairs().length;
      const wrong = view.claims().filter((c) => c.status === 'wrong').length;
      const skipped = view.findings().filter((f) => f.code === 'too_large').length;
      const waiting = entry.stale?.waitingFor;
      if (pairs === 0 && wrong === 0 && skipped === 0 && !waiting && !dtype) {
        this.item.hide();
        return;
      }
      const spin = entry.status === 'pending' ? '$(sync~spin)' : '$(graph)';
      this.item.text =
        `${spin} ${pairs === 1 ? vscode.l10n.t('1 pair') : vscode.l10n.t('{0} pairs', pairs)}` +
        `${wrong ? ` · $(error) ${wrong}` : ''}${skipped ? ' · $(circle-slash)' : ''}` +
        `${waiting ? ` · $(clock) ${placeText(waiting.line, waiting.cell, vscode.l10n)}` : ''}${override}`;
      this.item.tooltip = [
        vscode.l10n.t('Loss Inspector: {0} pairs, {1} wrong claims', pairs, wrong),
        skipped ? vscode.l10n.t('Some literals are larger than lossInspector.maxElements and were skipped.') : '',
        waiting ? staleText(entry) : '',
        overrideTip,
      ]
        .filter(Boolean)
        .join('\n');
    }
    this.item.show();
  }
}
