import * as vscode from 'vscode';
import type { PairAnalysis } from '../core/detection';
import { formatBreakdown } from '../core/breakdownExport';
import type { CopyKind, PairSummary } from '../protocol/webview';
import type { PanelData, PanelDataParams, WorkerRequester } from '../protocol/worker';
import { errorShown, fileName, type PanelAnalyses, type PanelEntry } from './panelDocument';
import { livePytorch, type HeldLivePair, type LivePanelHost } from './panelLive';
import { panelExport } from './panelExport';

/* The panel's copy buttons: the breakdown of the pair shown, in the format asked for, to the clipboard. */

/** What the shown result was computed from: the copy buttons export it. */
export interface ShownPair<E extends PanelEntry = PanelEntry> {
  document: vscode.TextDocument;
  entry: E;
  pair: PairAnalysis;
  summary: PairSummary;
  data: PanelData;
  /** What the panel asked the worker for `data`, less the shown columns: a copy asks it for the full sample. */
  request: PanelDataParams;
}

/** Copies a live pair: only as PyTorch, from the values the worker holds. */
export async function copyLivePair(m: LivePanelHost, live: HeldLivePair, kind: CopyKind): Promise<void> {
  // A live pair has no document behind it: its PyTorch snippet is built from the values held
  // in the worker; the other formats describe a document's pair.
  if (kind !== 'pytorch') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('For a pair read from a paused program, Loss Inspector copies the PyTorch snippet.'),
    );
    return;
  }
  const snippet = await livePytorch(m, live);
  if (!snippet) return;
  await vscode.env.clipboard.writeText(snippet);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Loss Inspector: copied'), 2000);
}

/** Copies a document's pair shown in the panel. */
export async function copyShownPair<E extends PanelEntry>(
  cache: PanelAnalyses<E>,
  worker: WorkerRequester,
  shown: ShownPair<E>,
  kind: CopyKind,
  decimals: number,
): Promise<void> {
  // The panel holds the shown columns only: the sample's every class comes from the worker now,
  // from the computation it keeps for the panel (one sample's rows, no recomputation of the batch).
  let breakdown = shown.data.breakdown;
  if (!breakdown) {
    const r = await worker.request(
      'panelData',
      { ...shown.request, ...(shown.data.heatMapId ? { heatMapId: shown.data.heatMapId } : {}) },
      { supersedeKey: `panel-copy:${shown.request.key}` },
    );
    if (!r.ok || !r.value.breakdown) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Loss Inspector could not copy this sample: {0}', r.ok ? 'no breakdown' : errorShown(r.error)),
      );
      return;
    }
    breakdown = r.value.breakdown;
  }
  // The pair's values (for the snippet, the JSON and the targets of the Markdown's loss table)
  // come from the kept analysis; the numbers shown come from the panel's own reply.
  let values: { input: number[]; target: number[] } | null = null;
  if (kind !== 'csv') {
    const { outcome } = await cache.inspect(shown.document, shown.entry, {
      pairId: shown.pair.id,
      withData: true,
      topK: 1,
    });
    if (outcome.ok && outcome.value.data) values = outcome.value.data;
  }
  if (!values && (kind === 'json' || kind === 'pytorch')) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Loss Inspector could not read the values of this pair. Edit the file to try again.'),
    );
    return;
  }
  const text = formatBreakdown(
    kind,
    panelExport({
      file: fileName(shown.document),
      pair: shown.pair,
      summary: shown.summary,
      data: shown.data,
      breakdown,
      values,
      decimals,
    }),
  );
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Loss Inspector: copied'), 2000);
}
