import * as vscode from 'vscode';
import type { Config } from './config';
import type { DocumentAnalysisCache } from './documentAnalysis';
import { lensMapping, lensTitle } from './format';
import { DocumentView, pairView, staleText } from './locate';

/** `cross-entropy 2.1438 · Inspect` above every detected pair; opens the panel on it. */
export class LossCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

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

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    // Waits for the analysis of this version (a pending one too): VS Code asks again after every
    // edit, so this answer is the one that updates the lenses, together with the other surfaces.
    const entry = await this.cache.ensure(document, { afterDebounce: true });
    if (!entry || token.isCancellationRequested || !entry.analysis) return [];
    const view = new DocumentView(entry, document);
    const uri = (entry.notebook?.uri ?? document.uri).toString();
    const decimals = this.config().decimals;
    const lenses: vscode.CodeLens[] = [];
    const seen = new Set<number>();
    for (const pair of view.pairs()) {
      const anchor = pair.call ?? view.analysis?.arrays.find((a) => a.id === pair.logits.id);
      if (!anchor) continue;
      const line = view.range(anchor).start.line;
      if (seen.has(line)) continue;
      seen.add(line);
      // Kept from the last version that parsed: the value is shown, and said to be so.
      const stale = entry.stale?.pairs.has(pair.id) ?? false;
      const shown = pairView(pair);
      const value = lensTitle(shown, decimals, vscode.l10n);
      const title = `${stale ? `${value} ${vscode.l10n.t('(stale)')}` : value} · ${vscode.l10n.t('Inspect')}`;
      // Another library's call: the tooltip says how it maps to torch (the title names the call).
      const mapping = lensMapping(shown, vscode.l10n);
      const open = vscode.l10n.t('Open the step-by-step breakdown in the Loss Inspector panel');
      const tooltip = mapping ? `${mapping}\n${open}` : open;
      lenses.push(
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title,
          command: 'lossInspector.openPair',
          arguments: [{ uri, pairId: pair.id }],
          tooltip: stale ? `${staleText(entry)}\n${tooltip}` : tooltip,
        }),
      );
    }
    return lenses;
  }
}
