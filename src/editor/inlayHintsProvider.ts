import * as vscode from 'vscode';
import type { Config } from './config';
import type { DocumentAnalysisCache } from './documentAnalysis';
import { inlineLabel } from './format';
import { DocumentView, pairView } from './locate';

/**
 * `CE = 2.1438` at the end of each line that computes a loss and each line that prints one.
 * Modes: off, current line, all (setting `lossInspector.inlineValues`).
 */
export class LossInlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(
    private readonly cache: DocumentAnalysisCache,
    private readonly config: () => Config,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideInlayHints(
    document: vscode.TextDocument,
    range: vscode.Range,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlayHint[]> {
    const cfg = this.config();
    if (cfg.inlineValues === 'off') return [];
    const entry = this.cache.peek(document) ?? (await this.cache.ensure(document, { afterDebounce: true }));
    if (!entry || token.isCancellationRequested) return [];
    const view = new DocumentView(entry, document);
    const cursorLine =
      cfg.inlineValues === 'currentLine'
        ? vscode.window.activeTextEditor?.document === document
          ? vscode.window.activeTextEditor.selection.active.line
          : -1
        : undefined;
    const lines = new Map<number, string>();
    const add = (line: number, label: string) => {
      if (cursorLine !== undefined && line !== cursorLine) return;
      if (line < range.start.line || line > range.end.line) return;
      if (!lines.has(line)) lines.set(line, label);
    };
    if (entry.status === 'pending' && !entry.analysis) return [];
    for (const pair of view.pairs()) {
      const label =
        entry.status === 'pending'
          ? vscode.l10n.t('CE: computing…')
          : inlineLabel(pairView(pair), cfg.decimals, vscode.l10n);
      if (pair.call) add(view.range(pair.call).end.line, label);
      for (const id of pair.claims) {
        const claim = view.analysis?.claims.find((c) => c.id === id);
        if (claim && view.owns(claim) && claim.source === 'comment') add(view.range(claim).start.line, label);
      }
    }
    const hints: vscode.InlayHint[] = [];
    for (const [line, label] of lines) {
      const end = document.lineAt(line).range.end;
      const hint = new vscode.InlayHint(end, label, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = vscode.l10n.t('Computed by Loss Inspector as torch.nn.CrossEntropyLoss would.');
      hints.push(hint);
    }
    return hints;
  }
}
