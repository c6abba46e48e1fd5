import * as vscode from 'vscode';
import type { NdArray } from '../core/types';
import { maxLiveRows } from '../protocol/webview';
import { appendRows, type HeldLivePair } from './panelLive';

/**
 * Row `position` of an over-budget live input (./panelModel.ts `onSelectLiveRow`): where it is among
 * the rows held (`read: false`), or read from the paused program (only while it is still at the
 * stop the pair was read at) and appended to the pair's request, whose version goes up
 * (`read: true`: the worker must hold it again); 'failed' with the pair's `rowError` set; undefined
 * when there is nothing to do or the pair is no longer shown (`shown()`) once the row is read.
 */
export async function readLiveRow(
  live: HeldLivePair,
  position: number,
  shown: () => boolean,
): Promise<{ at: number; read: boolean } | 'failed' | undefined> {
  const reduced = live.pair.reduced;
  if (!reduced || position >= reduced.positions) return undefined;
  const at = reduced.rows.indexOf(position);
  if (at >= 0) return { at, read: false };
  if (!live.pair.isCurrent()) {
    live.rowError = vscode.l10n.t('The program moved on — inspect again.');
    return 'failed';
  }
  if (reduced.rows.length >= maxLiveRows) {
    live.rowError = vscode.l10n.t('At most {0} rows are kept: inspect again to start over.', maxLiveRows);
    return 'failed';
  }
  let got: { input: NdArray; target: NdArray };
  try {
    got = await reduced.fetchRows([position]);
  } catch (err) {
    if (!shown()) return undefined;
    live.rowError = err instanceof Error ? err.message : String(err);
    return 'failed';
  }
  if (!shown() || live.pair.reduced !== reduced) return undefined;
  const request = appendRows(live.pair.request, got);
  live.pair = { ...live.pair, request, reduced: { ...reduced, rows: [...reduced.rows, position] } };
  live.version++;
  live.rowError = null;
  live.hold = null;
  return { at: reduced.rows.length, read: true };
}
