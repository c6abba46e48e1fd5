import * as vscode from 'vscode';
import type { ClaimAnalysis } from '../core/detection';
import { reasonText } from '../core/reasonText';
import type { Config } from './config';
import type { DocumentAnalysisCache } from './documentAnalysis';
import { claimInlineLabel, inlineLabel, inlinePending, inlineTooltip } from './format';
import { DocumentView, pairView, staleText } from './locate';

/**
 * At the end of a line that prints a claimed value: `✓ torch prints tensor(2.1438)` when the claim
 * holds, `✗ torch prints tensor(2.3519)` (the right value) when it does not; on a line that
 * computes a loss and claims nothing: `CE = 2.1438`, or another library's call by its short name
 * (`SparseCategoricalCrossentropy = 0.2874`). Claims in Markdown output blocks are marked
 * on their own line, a notebook's stored outputs on the statement that printed them.
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
    const lines = new Map<number, { label: string; tooltip: string }>();
    const add = (line: number, label: string, tooltip: string) => {
      if (cursorLine !== undefined && line !== cursorLine) return;
      if (line < range.start.line || line > range.end.line) return;
      if (!lines.has(line)) lines.set(line, { label, tooltip });
    };
    if (entry.status === 'pending' && !entry.analysis) return [];
    const pending = entry.status === 'pending';
    const staleSuffix = (stale: boolean) => (stale ? ` ${vscode.l10n.t('(stale)')}` : '');
    const staleTip = (stale: boolean) => (stale ? `\n${staleText(entry)}` : '');
    // Claims first: a line that prints a claimed value gets the verdict, not the value again.
    if (!pending) {
      for (const claim of view.claims()) {
        const stale = entry.stale?.claims.has(claim.id) ?? false;
        add(
          view.range(claim).start.line,
          claimInlineLabel({ ...claim, reason: claim.reason ?? null }, vscode.l10n) + staleSuffix(stale),
          claimTooltip(claim) + staleTip(stale),
        );
      }
    }
    for (const pair of view.pairs()) {
      if (!pair.call) continue;
      const stale = entry.stale?.pairs.has(pair.id) ?? false;
      const pv = pairView(pair);
      const label = pending
        ? inlinePending(pv, vscode.l10n)
        : inlineLabel(pv, cfg.decimals, vscode.l10n) + staleSuffix(stale);
      add(view.range(pair.call).end.line, label, inlineTooltip(pv, vscode.l10n) + staleTip(stale));
    }
    const hints: vscode.InlayHint[] = [];
    // In line order, as a reader meets them (claims were collected first, to win their lines).
    for (const [line, { label, tooltip }] of [...lines].sort((a, b) => a[0] - b[0])) {
      const end = document.lineAt(line).range.end;
      const hint = new vscode.InlayHint(end, label, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = tooltip;
      hints.push(hint);
    }
    return hints;
  }
}

function claimTooltip(claim: ClaimAnalysis): string {
  switch (claim.status) {
    case 'holds':
      return vscode.l10n.t('The printed value {0} is what the code prints.', claim.text);
    case 'wrong':
      return vscode.l10n.t('The printed value {0} is not what the code prints.', claim.text);
    case 'unverified':
      return vscode.l10n.t('This value could not be checked: {0}', reasonText(claim.reason ?? '', vscode.l10n));
  }
}
