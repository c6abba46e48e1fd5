import type { LossRequest, NdArray } from '../core/types';
import { pytorchSnippet } from '../core/pytorchSnippet';
import { catRows } from '../core/rows';
import type { LiveBadge, PanelOptions, PanelState, PairSummary } from '../protocol/webview';
import {
  livePairId,
  type HoldLiveResult,
  type Outcome,
  type PanelComputeOptions,
  type PanelData,
  type WorkerRequester,
} from '../protocol/worker';
import { lossesAgree } from '../util/lossesAgree';
import { errorShown, locale, pairKeyOf, summaryOptions } from './panelDocument';
import { stateOf, type StateBase } from './panelAhead';
import { buildPanelState, shownElement, shownRequest, type PanelView } from './panelState';

/*
 * Pairs read from a program paused in the debugger, as the panel shows them: the pair the root
 * object hands over, the badge above its cards, its snapshot and its "Copy as PyTorch". The
 * panel's model (panelModel.ts) holds the live pair and calls these with a LivePanelHost.
 */

/**
 * A pair read from a program paused in the debugger, as the panel shows it. The root object builds
 * it from the live bridge's result, so the panel never imports src/live.
 */
export interface LivePanelPair {
  /** The kernel request built from the program's tensors; the worker computes everything from it. */
  request: LossRequest;
  /**
   * The request's input and target arrays belong to this pair alone (a full read from the
   * program): the panel moves them to the worker instead of copying them, after which they are
   * not readable here. Rows are never appended to such a pair, and its weight stays (the
   * options read it).
   */
  owned?: boolean | undefined;
  /** The expressions the tensors were read from. Program text. */
  inputName: string;
  targetName: string;
  /** The file the frame is paused in (its name, for the panel's title) and where to reveal it. */
  documentLabel: string;
  uri: string | undefined;
  /** The frame's function and 1-based line. */
  frame: string;
  line: number;
  /** 1-based line of the loss call read, or null when the user picked both tensors. */
  callLine: number | null;
  /** The loss the program computed itself, when its loss line already ran. */
  programLoss: { expression: string; value: number; dtype: string } | null;
  /** Over the budget: the full batch's loss the program's helper computed (the request holds only some rows). */
  reducedLoss: number | null;
  /**
   * Over the budget: how many positions the input has, which of them the request holds (in
   * request order), and how to read more from the paused program (rejects once it moved on).
   */
  reduced?:
    | {
        positions: number;
        rows: number[];
        fetchRows(positions: number[]): Promise<{ input: NdArray; target: NdArray }>;
        /** Every position's loss term as torch computed it in the program (NaN where not known yet). */
        terms?: Float64Array | undefined;
      }
    | null
    | undefined;
  notes: string[];
  /** Whether the program is still paused at the stop these values were read at. */
  isCurrent(): boolean;
  /**
   * A progressive read: the same object on its first paint (the rows with the highest loss, and
   * the batch's loss the program computed) and on the full read, which replaces the first paint in
   * place; its state says how the full pull stands.
   */
  stream?: LiveStreamLike | undefined;
  /**
   * Not read from a program: two literals the user selected, which no loss call pairs (1-based
   * lines of the selection). The panel shows them the same way, under a badge that says so.
   */
  selection?: { line: number; endLine: number };
}

/** Where a progressive read's full pull stands (the host updates it; see LiveStream in src/live). */
export interface LiveStreamLike {
  readonly state: 'streaming' | 'done' | 'cancelled' | 'stale' | 'failed';
  /** `reduce`: over the budget, the batch's loss is computed in the program after the rows looked at. */
  readonly kind?: 'pull' | 'reduce' | undefined;
  readonly positions: number;
  readonly message: string | null;
  /** Stops the full pull between chunks, as the progress notification's cancel does. */
  cancel(): void;
}

/** A live pair held by the worker under its own key. */
export interface HeldLivePair {
  key: string;
  /** Bumped when rows read on demand extend the request (the worker holds the newest). */
  version: number;
  pair: LivePanelPair;
  /** Why the last on-demand row read failed, shown beside the row field. */
  rowError: string | null;
  hold: HoldLiveResult | null;
  error: string | null;
}

/** What the live part reads and writes of the panel's model. */
export interface LivePanelHost {
  readonly worker: WorkerRequester;
  readonly log: { warn(message: string): void };
  decimals(): number;
  view(): PanelView;
  /** The sample shown (a row of the request), and moving it to the one the worker answered. */
  element(): number;
  setElement(element: number): void;
  /** Whether `seq` is still the latest refresh and `live` still the pair shown. */
  current(seq: number, live: HeldLivePair): boolean;
  hasOverrides(overrideKey: string): boolean;
  merged(code: PanelOptions, overrideKey: string): PanelComputeOptions & { choice: PanelOptions['dtype'] };
  /** A kept worker reply for `key`, if it was computed for `owner`. */
  reply(key: string, owner: object): PanelData | undefined;
  keepReply(key: string, owner: object, reply: PanelData): PanelData;
  /** The heat map held last ({@link PanelData.heatMapId}), for the worker to leave out of its reply. */
  heldHeatMap(): number | undefined;
  /** Whether `reply` names a heat map no longer held: ask again without an id. */
  lacksHeatMap(reply: PanelData): boolean;
  publish(state: PanelState): void;
}

export function liveBadge(live: HeldLivePair, rowTerm?: LiveBadge['rowTerm']): LiveBadge {
  const p = live.pair;
  // Over the budget the request holds some rows: only the batch's loss from the program compares.
  const ours = p.reduced
    ? p.reducedLoss
    : (p.reducedLoss ?? (live.hold && live.pair.request.reduction !== 'none' ? live.hold.loss : null));
  const reducing = p.stream?.kind === 'reduce';
  return {
    frame: p.frame,
    line: p.line,
    paused: p.isCurrent(),
    programLoss: p.programLoss,
    agrees:
      p.programLoss && ours !== null
        ? lossesAgree(ours, p.request.dtype, p.programLoss.value, p.programLoss.dtype)
        : null,
    notes: p.notes,
    ...(p.selection ? { selection: p.selection } : {}),
    ...(p.reduced ? { rows: { total: p.reduced.positions, read: p.reduced.rows, failed: live.rowError } } : {}),
    ...(p.stream
      ? {
          stream: {
            // The first paint holds some rows; the full read, which replaces it, holds all of them.
            // Over the budget both hold some rows: the full read is the one with the batch's loss.
            state: (reducing ? p.reducedLoss !== null : !p.reduced)
              ? 'done'
              : p.stream.state === 'done'
                ? 'streaming'
                : p.stream.state,
            ...(reducing ? { kind: 'reduce' as const } : {}),
            positions: p.stream.positions,
            batchLoss: p.reducedLoss,
            message: p.stream.message,
          },
        }
      : {}),
    ...(rowTerm ? { rowTerm } : {}),
  };
}

/**
 * Over the budget: the shown row's loss term as torch computed it in the program, beside ours for
 * the fetched row (`ours` null while the worker has not answered, or under the user's overrides,
 * when the two are not the same loss).
 */
export function liveRowTerm(live: HeldLivePair, element: number, ours: number | null): LiveBadge['rowTerm'] {
  const r = live.pair.reduced;
  const position = r?.rows[element];
  const program = position === undefined ? undefined : r?.terms?.[position];
  if (position === undefined || program === undefined || Number.isNaN(program)) return undefined;
  return {
    position,
    program,
    ours,
    agrees: ours === null ? null : lossesAgree(ours, live.pair.request.dtype, program, 'float32'),
  };
}

/** The snapshot of a live pair: the same cards as a document's pair, under the live badge. */
export async function refreshLive(m: LivePanelHost, seq: number, live: HeldLivePair): Promise<void> {
  const p = live.pair;
  const base = {
    locale: locale(),
    documentLabel: p.documentLabel,
    decimals: m.decimals(),
    pairs: [
      {
        id: livePairId,
        label: `${p.inputName}, ${p.targetName}`,
        line: p.callLine ?? p.line,
        // A first paint or a read over the budget holds some rows: the pair's loss is the batch's,
        // as the program computed it (none yet while it is being computed).
        loss: p.reduced ? p.reducedLoss : (live.hold?.loss ?? null),
        failed: live.error !== null,
      },
    ],
    selectedPairId: livePairId,
    view: m.view(),
    live: liveBadge(live),
  };
  const hold = live.hold;
  if (!hold) {
    return m.publish(
      buildPanelState({
        ...base,
        pair: null,
        result: null,
        breakdown: null,
        error: live.error,
        ...(live.error ? {} : { status: 'computing' as const }),
      }),
    );
  }
  const code = liveCodeOptions(p.request);
  const overrideKey = pairKeyOf(live.key, livePairId);
  const eff = m.merged(code, overrideKey);
  const summary: PairSummary = {
    id: livePairId,
    logitsName: p.inputName,
    targetName: p.targetName,
    inputShape: hold.inputShape,
    targetShape: hold.targetShape,
    lossShape: hold.lossShape,
    N: Math.max(1, hold.N),
    C: Math.max(1, hold.C),
    S: Math.max(1, hold.S),
    targetKind: hold.targetKind ?? 'indices',
    codeOptions: code,
    options: summaryOptions(eff),
    claimText: null,
    claimOk: null,
  };
  if (live.error && !m.hasOverrides(overrideKey)) {
    return m.publish(buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: live.error }));
  }
  const { choice: _choice, ...options } = eff;
  const view = m.view();
  const shownView = shownRequest(view);
  const replyKey = `${live.key}|${live.version}|${m.element()}|${JSON.stringify(options)}|${JSON.stringify(shownView)}`;
  // As for a document's pair: the heat map the panel holds is named, not sent again. A big pair's
  // float64 (or float32) totals may come in a second answer, after the breakdown is on show.
  const ask = (heatMapId: number | undefined, otherLater: boolean) =>
    m.worker.request(
      'panelData',
      {
        key: live.key,
        version: live.version,
        pairId: livePairId,
        element: m.element(),
        options,
        shown: shownView,
        ...(heatMapId !== undefined ? { heatMapId } : {}),
        ...(otherLater ? { otherLater } : {}),
      },
      { supersedeKey: 'panel:live' },
    );
  const answer = async (otherLater: boolean): Promise<PanelData | undefined> => {
    let r = await ask(m.heldHeatMap(), otherLater);
    if (m.current(seq, live) && r.ok && m.lacksHeatMap(r.value)) r = await ask(undefined, otherLater);
    if (!m.current(seq, live)) return undefined;
    if (!r.ok) {
      if (r.error.code === 'cancelled') return undefined;
      m.log.warn(`panel (live): ${r.error.code}: ${r.error.message}`);
      m.publish(buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: errorShown(r.error) }));
      return undefined;
    }
    return m.keepReply(replyKey, live, r.value);
  };
  let data = m.reply(replyKey, live);
  if (!data) {
    m.publish(buildPanelState({ ...base, pair: summary, result: null, breakdown: null, status: 'computing' }));
    data = await answer(true);
    if (!data) return;
  }
  showLiveData(m, live, data, base, summary, overrideKey);
  // The other dtype's totals, computed once the rest was answered: the same sample and options.
  if (data.otherPending) {
    const full = await answer(false);
    if (full) showLiveData(m, live, full, base, summary, overrideKey);
  }
}

/** Publishes a worker answer for the live pair: the sample it shows, and torch's row term beside it. */
function showLiveData(
  m: LivePanelHost,
  live: HeldLivePair,
  data: PanelData,
  base: StateBase,
  summary: PairSummary,
  overrideKey: string,
): void {
  m.setElement(shownElement(data));
  // Over the budget: torch's term for the shown row beside ours (not under the user's overrides).
  const ours = m.hasOverrides(overrideKey) ? null : (data.shown?.sample.loss ?? data.breakdown?.loss ?? null);
  const rowTerm = liveRowTerm(live, shownElement(data), ours);
  m.publish(stateOf(rowTerm ? { ...base, live: liveBadge(live, rowTerm) } : base, summary, data));
}

/** "Copy as PyTorch" for a live pair: the values the program held, with the options in effect. */
export async function livePytorch(m: LivePanelHost, live: HeldLivePair): Promise<string> {
  const r = await m.worker.request('inspect', {
    key: live.key,
    version: live.version,
    pairId: livePairId,
    withData: true,
    topK: 1,
  });
  if (!r.ok || !r.value.data) return '';
  const o = m.merged(liveCodeOptions(live.pair.request), pairKeyOf(live.key, livePairId));
  const d = r.value.data;
  return pytorchSnippet(
    { shape: d.inputShape, data: d.input },
    { shape: d.targetShape, data: d.target, probabilities: live.hold?.targetKind === 'probabilities' },
    o,
  );
}

/** A live request with rows read on demand appended: (k, C) + (m, C) rows, (k) + (m) targets. */
export function appendRows(r: LossRequest, more: { input: NdArray; target: NdArray }): LossRequest {
  return { ...r, input: catRows(r.input, more.input), target: catRows(r.target, more.target) };
}

/**
 * The buffers of an owned pair's input and target that can move to the worker whole: each its
 * own, unshared ArrayBuffer, listed once. A view into a bigger buffer is copied as before.
 */
function movableBuffers(pair: LivePanelPair): ArrayBuffer[] {
  if (!pair.owned || pair.reduced) return [];
  const out: ArrayBuffer[] = [];
  for (const a of [pair.request.input.data, pair.request.target.data]) {
    const b = a.buffer;
    if (b instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === b.byteLength && !out.includes(b))
      out.push(b);
  }
  return out;
}

/** Asks the worker to hold `live`'s request (the latest such request supersedes the others). */
export function holdLive(worker: WorkerRequester, live: HeldLivePair): Promise<Outcome<HoldLiveResult>> {
  return worker.request(
    'holdLive',
    { key: live.key, version: live.version, request: live.pair.request },
    // A full read of 12.9 MB was a 25.7 MB copy to the worker (229-271 ms under load); moved, it is none.
    { supersedeKey: 'live:hold', transfer: movableBuffers(live.pair) },
  );
}

/** The options a live request carries: those of the program's criterion and call. */
export function liveCodeOptions(r: LossRequest): PanelOptions {
  const weight = r.weight ? Array.from(r.weight.data) : null;
  return {
    reduction: r.reduction,
    dtype: r.dtype,
    labelSmoothing: r.labelSmoothing,
    ignoreIndex: r.ignoreIndex,
    inputKind: r.inputKind,
    hasWeight: weight !== null,
    weight,
  };
}

/** What the worker said when asked to hold a live pair: its first result, or why there is none. */
export function applyHold(live: HeldLivePair, r: Outcome<HoldLiveResult>): void {
  if (!r.ok) live.error = errorShown(r.error);
  else {
    live.hold = r.value;
    live.error = r.value.error ? errorShown(r.value.error) : null;
  }
}

/** The over-budget row (position) `element` shows of `live`, if `live` is the call at `uri`, 1-based `callLine`. */
export function shownLivePosition(
  live: HeldLivePair,
  element: number,
  uri: string | undefined,
  callLine: number,
): number | undefined {
  const p = live.pair;
  if (!p.reduced || p.uri !== uri || p.callLine !== callLine) return undefined;
  return p.reduced.rows[element];
}
