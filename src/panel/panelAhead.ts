/**
 * Snapshots sent ahead of the change that shows them. After the panel shows a document pair, the
 * model builds the snapshot of the next sample (at once after a sample change), of the other
 * dtype and of the two other reductions (once the panel has been idle {@link optionsAheadDelayMs}),
 * exactly as a `selectSample` or
 * `setControls` message would make it, and the connection sends each as an {@link AheadNotification}. The webview keeps
 * them and, when the user makes that change, shows the kept snapshot while the message goes to
 * the host, whose own snapshot then confirms it: the change paints without the round trip through
 * VS Code's server and the extension host (8–15 ms, and most of a sample change's p95).
 *
 * Each snapshot names its *context*: everything it shows but the sample (document version, pair,
 * options, view, locale, decimals), as a small number per distinct key. A snapshot ahead is valid
 * only from the context and sample it was made from (`from`, `at`): another document version,
 * option or page is another context, where what the webview kept for the older one never applies.
 */
import type {
  AheadChange,
  ControlOverrides,
  PairOrigin,
  PairSummary,
  PanelOptions,
  PanelState,
  Reduction,
} from '../protocol/webview';
import { contextKey, panelContexts, type AheadNote } from './panelContext';
import type { PanelData, PanelDataParams, WorkerRequester } from '../protocol/worker';
import type { DocumentAnalysis, PairAnalysis } from '../core/detection';
import { pairSummary, type EffectiveOptions as Effective } from './panelDocument';
import type { PanelReplies } from './panelReplies';
import { buildPanelState, shownElement, shownRequest, type PanelStateInput, type PanelView } from './panelState';

export type { AheadChange } from '../protocol/webview';
export type { AheadNote } from './panelContext';

/**
 * How long the panel stays unchanged before the other dtype is made ahead, and, after a change
 * other than the sample, the next sample too: a request the worker runs cannot be interrupted,
 * and one made ahead while the user changes option after option delayed the next change (the
 * first label smoothing changes waited 80 ms in the worker at load 20).
 */
export const optionsAheadDelayMs = 300;

/**
 * The changes made ahead of a snapshot showing `element` of `total` with dtype `dtype` and reduction
 * `reduction`: the next sample (`now`: at once when paging); after {@link optionsAheadDelayMs}, the
 * other dtype (it may build that dtype's heat map, which a user paging samples would not wait for)
 * and the two other reductions, which the worker answers from the rows' losses it holds, without a
 * pass over the input (worker/panelCompute.ts, reReduced). Label smoothing, the weight and
 * ignore_index take any value the user types, so none is guessed ahead.
 */
export function aheadChanges(
  element: number,
  total: number,
  dtype: 'float32' | 'float64' | 'both',
  reduction: Reduction,
): { now: AheadChange[]; idle: AheadChange[] } {
  // The previous one is usually one the webview showed (and keeps).
  const now: AheadChange[] = element + 1 < total ? [{ type: 'selectSample', element: element + 1 }] : [];
  const idle: AheadChange[] =
    dtype === 'both' ? [] : [{ type: 'setControls', controls: { dtype: dtype === 'float32' ? 'float64' : 'float32' } }];
  for (const other of reductions)
    if (other !== reduction) idle.push({ type: 'setControls', controls: { reduction: other } });
  return { now, idle };
}

/**
 * The change that takes the controls back to `before` (the options on show) after the user's
 * change `change`: the fields it changes, each with its value before, so that it is the message
 * the webview posts when the user sets that value again. Undefined when nothing would change back.
 * The weight is left out (a list of up to 256 numbers, rarely toggled).
 */
export function backChange(before: PanelOptions, change: ControlOverrides): ControlOverrides | undefined {
  const back: ControlOverrides = {};
  if (change.reduction !== undefined && change.reduction !== before.reduction) back.reduction = before.reduction;
  if (change.dtype !== undefined && change.dtype !== before.dtype) back.dtype = before.dtype;
  if (change.labelSmoothing !== undefined && change.labelSmoothing !== before.labelSmoothing)
    back.labelSmoothing = before.labelSmoothing;
  if (change.ignoreIndex !== undefined && change.ignoreIndex !== before.ignoreIndex)
    back.ignoreIndex = before.ignoreIndex;
  if (change.inputKind !== undefined && change.inputKind !== before.inputKind) back.inputKind = before.inputKind;
  if (change.weight !== undefined) return undefined;
  return Object.keys(back).length === 1 ? back : undefined;
}

/** The reductions in the order the panel's menu lists them. */
const reductions: readonly Reduction[] = ['mean', 'sum', 'none'];

/** The key of a worker reply: a default element may be answered with another (the first valid target), so it keys apart from a picked one. */
export function replyKeyOf(
  entry: { uri: { toString(): string }; version: number },
  pairId: number,
  element: number,
  picked: boolean,
  options: unknown,
  shown: unknown,
): string {
  return `${entry.uri.toString()}|${entry.version}|${pairId}|${element}${picked ? '' : '?'}|${JSON.stringify(options)}|${JSON.stringify(shown)}`;
}

/** What a snapshot is built of besides the worker's reply. */
export type StateBase = Omit<PanelStateInput, 'pair' | 'result' | 'breakdown'>;

/** The snapshot of a worker reply. */
export function stateOf(base: StateBase, summary: PairSummary, data: PanelData): PanelState {
  return buildPanelState({
    ...base,
    pair: summary,
    result: data.result,
    otherResult: data.otherResult,
    breakdown: data.breakdown,
    shown: data.shown ?? null,
    heatMap: data.heatMap,
    // torch's own words stay on show: it raises on the first bad target it meets.
    error: data.invalidTargets ? `Target ${data.invalidTargets.values[0]} is out of bounds.` : null,
    invalidTargets: data.invalidTargets ?? null,
  });
}

/** Marks `state` with its context and returns the context's id. */
export function contextOf(
  state: PanelState,
  c: {
    entry: { uri: { toString(): string }; version: number };
    analysis: object;
    pair: { id: number };
    options: unknown;
    view: PanelView;
    base: { locale: string; decimals: number };
  },
): number {
  return panelContexts.mark(
    state,
    contextKey({
      uri: c.entry.uri.toString(),
      version: c.entry.version,
      analysis: c.analysis,
      pairId: c.pair.id,
      options: c.options,
      view: c.view,
      locale: c.base.locale,
      decimals: c.base.decimals,
    }),
  );
}

/** What {@link makeAheads} needs of the refresh that published the snapshot on show. */
export interface AheadInputs {
  /** The context of the snapshot on show. */
  from: number;
  entry: { uri: { toString(): string }; version: number; analysis: DocumentAnalysis | null };
  pair: PairAnalysis;
  /** The request of the snapshot on show, with the element it shows. */
  request: PanelDataParams;
  base: StateBase & { locale: string; decimals: number };
  summary: PairSummary;
  eff: Effective;
  /** Where the pair's code comes from, as its summary names it. */
  origin: PairOrigin | null;
  /** The user picked the sample on show (else it is the default the worker may move). */
  picked: boolean;
  /** The snapshot on show differs from the one before only in its sample: the next sample is made at once. */
  paging: boolean;
  /**
   * The worker had not computed the other dtype yet when it answered (it does so in steps, between
   * requests): asked for now it would compute it in one piece, which the next request would wait
   * for, so that dtype is not made ahead.
   */
  otherPending: boolean;
  /** The reply key of the snapshot on show. */
  shownKey: string;
  replies: PanelReplies;
  worker: WorkerRequester;
  /** Aborted by the next refresh. */
  signal: AbortSignal;
  /**
   * The change back to the options on show before the user's last control change, when the
   * snapshot on show is that change's (see {@link backChange}): users compare two values.
   */
  back?: ControlOverrides;
  /** The options in effect with `more` over the user's overrides. */
  merged(more: ControlOverrides): Effective;
  made(note: AheadNote): void;
  log: { warn(message: string): void };
}

/**
 * Makes the snapshots of {@link aheadChanges} one after the other, each as the refresh of that
 * change would (the same reply key, request and builder), keeping the worker's replies so that the
 * refresh that follows the change is answered without the worker. Stops when `signal` aborts.
 */
export function makeAheads(a: AheadInputs): void {
  const analysis = a.entry.analysis;
  if (!analysis) return;
  /** What the refresh after `on` would ask the worker for, and its reply key. */
  const planOf = (on: AheadChange) => {
    const sample = on.type === 'selectSample';
    const element = sample ? on.element : a.request.element;
    const picked = sample || a.picked;
    const view = sample ? { ...a.base.view, lossOffset: null } : a.base.view;
    const eff = sample ? a.eff : a.merged(on.controls);
    const { choice: _choice, ...options } = eff;
    const shown = shownRequest(view);
    const key = replyKeyOf(a.entry, a.pair.id, element, picked, options, shown);
    return { sample, element, picked, view, eff, options, shown, key };
  };
  const ahead = async (on: AheadChange): Promise<void> => {
    const { sample, element, picked, view, eff, options, shown, key } = planOf(on);
    let summary = a.summary;
    if (!sample) {
      summary = pairSummary(analysis, a.pair, eff);
      if (a.origin) summary.origin = a.origin;
    }
    let data = a.replies.get(key, analysis);
    if (!data) {
      const held = a.replies.heldHeatMap();
      const alsoHeld = a.replies.alsoHeld();
      const r = await a.worker.request(
        'panelData',
        {
          ...a.request,
          element,
          preferValid: !picked,
          options,
          shown,
          ...(held !== undefined ? { heatMapId: held } : {}),
          // The other dtype after an ε change: its rows only, made of that dtype's map held before.
          ...(alsoHeld.length > 0 ? { alsoHeld } : {}),
        },
        // Behind any request the user makes meanwhile (WorkerClient queues it first).
        { supersedeKey: `panelAhead:${a.entry.uri.toString()}`, signal: a.signal, ahead: true },
      );
      if (a.signal.aborted || !r.ok || a.replies.lacksHeatMap(r.value)) return;
      data = a.replies.keep(key, analysis, r.value);
      // The shown reply's heat map stays the one held last: the worker leaves it out of the next answers.
      a.replies.get(a.shownKey, analysis);
    }
    if (a.signal.aborted || (sample && shownElement(data) !== element)) return;
    const state = stateOf({ ...a.base, view }, summary, data);
    contextOf(state, { entry: a.entry, analysis, pair: a.pair, options, view, base: a.base });
    a.made({ from: a.from, at: a.request.element, on, state });
  };
  const changes = aheadChanges(a.request.element, a.summary.N * a.summary.S, a.eff.choice, a.eff.reduction);
  const later = a.otherPending ? [] : changes.idle;
  const now = a.paging ? changes.now : [];
  const idle = a.paging ? later : [...changes.now, ...later];
  if (a.back && !a.paging) {
    // Back to the options shown before: at once when their reply is kept (no worker), else when idle.
    const back: AheadChange = { type: 'setControls', controls: a.back };
    if (a.replies.has(planOf(back).key, analysis)) now.unshift(back);
    else idle.push(back);
  }
  void (async () => {
    // Not before the snapshot on show is posted (a microtask after it is published): built here at
    // once, a snapshot made ahead (the change back, from a kept reply) went out first and the
    // user's answer crossed VS Code's server behind it.
    await afterPost();
    for (const on of now) if (!a.signal.aborted) await ahead(on);
    if (idle.length === 0 || a.signal.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, optionsAheadDelayMs));
    for (const on of idle) if (!a.signal.aborted) await ahead(on);
  })().catch((err: unknown) => a.log.warn(`Loss Inspector panel: a snapshot made ahead failed: ${String(err)}`));
}

/**
 * Resolves on a later task than the one publishing the snapshot on show, so after the microtask
 * that posts it (PanelConnection.schedulePost).
 */
function afterPost(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
