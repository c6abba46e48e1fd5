import * as vscode from 'vscode';
import { errorText } from '../core/errorText';
import { reasonText } from '../core/reasonText';
import type { Config } from './config';
import type { DocumentAnalysisCache } from './documentAnalysis';
import {
  claimDtype,
  claimHoverMarkdown,
  escapeMarkdown,
  lossHoverMarkdown,
  placeText,
  rowHoverMarkdown,
  targetHoverMarkdown,
  type LiteralView,
  type RowView,
} from './format';
import { DocumentView, pairView, staleText } from './locate';

/** Command links inside hovers: `command:` URIs with JSON arguments. */
export function commandLink(command: string, args: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/**
 * Hovers over a logits literal (the row under the cursor), a target literal (each target's p and
 * −log p), and a loss call or printed claim (the total and its reduction). The numbers come from
 * the worker; the host only formats them.
 */
export class LossHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly cache: DocumentAnalysisCache,
    private readonly config: () => Config,
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const entry = await this.cache.ensure(document);
    if (!entry || token.isCancellationRequested) return undefined;
    const view = new DocumentView(entry, document);
    const offset = document.offsetAt(position);
    const decimals = this.config().decimals;
    if (entry.status === 'error' && entry.error) {
      return new vscode.Hover(
        new vscode.MarkdownString(
          vscode.l10n.t('Loss Inspector could not analyse this file: {0}', errorText(entry.error, vscode.l10n)),
        ),
      );
    }
    const a = view.analysis;
    if (!a) return undefined;
    const uri = (entry.notebook?.uri ?? document.uri).toString();
    const links = (pairId: number) => ({
      inspect: commandLink('lossInspector.openPair', { uri, pairId }),
      copy: commandLink('lossInspector.copyAsPyTorch', { uri, pairId }),
    });
    // Results kept from the last version that parsed: say so, and do not ask the worker, which
    // holds only the current (unparsable) version.
    const staleNote = (pairId: number | null) =>
      pairId !== null && entry.stale?.pairs.has(pairId) ? `\n\n_${escapeMarkdown(staleText(entry))}_` : '';
    const md = (text: string, range: vscode.Range) => {
      const m = new vscode.MarkdownString(text);
      m.isTrusted = { enabledCommands: ['lossInspector.openPair', 'lossInspector.copyAsPyTorch'] };
      m.supportHtml = false;
      return new vscode.Hover(m, range);
    };

    const claim = view.claimAt(offset);
    if (claim) {
      const pair = claim.pairId !== null ? a.pairs.find((p) => p.id === claim.pairId) : undefined;
      const verdict = claimHoverMarkdown(
        { ...claim, reason: claim.reason ? reasonText(claim.reason, vscode.l10n) : null },
        claimDtype(claim, pair?.dtype ?? null),
        vscode.l10n,
      );
      const stale = entry.stale?.claims.has(claim.id) ? `\n\n_${escapeMarkdown(staleText(entry))}_` : '';
      const body = pair
        ? `${verdict}${stale}\n\n${lossHoverMarkdown(pairView(pair), decimals, vscode.l10n, links(pair.id))}`
        : `${verdict}${stale}`;
      return md(body, view.range(claim));
    }
    const call = view.callAt(offset);
    if (call)
      return md(
        lossHoverMarkdown(pairView(call), decimals, vscode.l10n, links(call.id)) + staleNote(call.id),
        view.range(call.call!),
      );

    const site = view.arrayAt(offset);
    if (!site) return undefined;
    if (site.error)
      return md(
        `**${escapeMarkdown(site.name ?? vscode.l10n.t('array'))}**: ${escapeMarkdown(site.error)}`,
        view.range(site),
      );
    const use = view.literalUse(site);
    if (!use) return undefined;
    const { pair, role } = use;
    const place = view.pairLine(pair);
    const about: LiteralView = {
      name: site.name,
      shape: site.shape,
      otherPairs: use.others,
      pairPlace: placeText(place.line, place.cell, vscode.l10n),
    };
    const pv = pairView(pair);
    if (pair.error || entry.stale?.pairs.has(pair.id))
      return md(lossHoverMarkdown(pv, decimals, vscode.l10n, links(pair.id)) + staleNote(pair.id), view.range(site));
    if (role === 'logits') {
      const { outcome: r } = await this.cache.inspect(document, entry, { pairId: pair.id, offset, topK: 10 });
      if (!r.ok || token.isCancellationRequested)
        return r.ok ? undefined : md(escapeMarkdown(errorText(r.error, vscode.l10n)), view.range(site));
      const s = r.value.sample;
      const indices = r.value.classIndices ?? s.softmax.map((_, i) => i);
      const row: RowView = {
        row: r.value.sample.element,
        target: s.target,
        ignored: s.ignored,
        C: r.value.C,
        loss: s.loss,
        classes: indices.map((index, k) => ({
          index,
          logit: s.logits[k] ?? NaN,
          softmax: s.softmax[k] ?? NaN,
          logSoftmax: s.logSoftmax[k] ?? NaN,
        })),
      };
      return md(rowHoverMarkdown(pv, row, decimals, vscode.l10n, links(pair.id), about), view.range(site));
    }
    const { outcome: r } = await this.cache.inspect(document, entry, { pairId: pair.id, topK: 1, targetLimit: 20 });
    if (!r.ok || token.isCancellationRequested)
      return r.ok ? undefined : md(escapeMarkdown(errorText(r.error, vscode.l10n)), view.range(site));
    return md(
      targetHoverMarkdown(pv, r.value.targets ?? [], decimals, vscode.l10n, links(pair.id), about),
      view.range(site),
    );
  }
}
