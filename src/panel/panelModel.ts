import * as vscode from 'vscode';
import type { PairAnalysis } from '../core/detection';
import { pairOrigin } from './pairOrigin';
import type { ControlOverrides, CopyKind, PanelOptions, PanelState } from '../protocol/webview';
import { livePairId, type PanelDataParams, type WorkerRequester } from '../protocol/worker';
import { Disposable } from '../util/disposable';
import {
  editLineOf,
  errorShown,
  fileName,
  isInTab,
  locale,
  codeOptions,
  effectiveOptions,
  pairKeyOf,
  pairItems,
  pairSummary,
  parseErrorOf,
  revealPair,
  userMoved,
  type EffectiveOptions,
  type PanelAnalyses,
  type PanelEntry,
} from './panelDocument';
import {
  applyHold,
  holdLive,
  refreshLive,
  shownLivePosition,
  type HeldLivePair,
  type LivePanelHost,
  type LivePanelPair,
} from './panelLive';
import type { PanelController } from './panelController';
import { copyLivePair, copyShownPair, type ShownPair } from './panelCopy';
import { buildPanelState, emptyPanelState, freshView, shownElement, shownRequest, type PanelView } from './panelState';
import { PanelReplies } from './panelReplies';
import { startRoute, takeTrace, type HostTrace } from './panelTrace';
import { backChange, contextOf, makeAheads, replyKeyOf, stateOf, type AheadNote } from './panelAhead';
import { EarlyPanelData, naming } from './panelEarly';
import { readLiveRow } from './panelLiveRow';

export type { PanelAnalyses, PanelEntry } from './panelDocument';
export { lossesAgree } from '../util/lossesAgree';
export type { LivePanelPair, LiveStreamLike } from './panelLive';
export { parseErrorOf } from './panelDocument';

/** The settings the panel reads. */
export interface PanelSettings {
  decimals: number;
}

/**
 * The panel's model (implements {@link PanelController}): follows the pair under the cursor in
 * the active editor, keeps the user's overrides per pair, asks the worker for the numbers and
 * publishes complete snapshots. A result for an older request or document version is dropped.
 */
export class PanelModel<E extends PanelEntry = PanelEntry> extends Disposable implements PanelController {
  private readonly changed = this.register(new vscode.EventEmitter<PanelState>());
  readonly onDidChangeState = this.changed.event;
  private readonly aheadMade = this.register(new vscode.EventEmitter<AheadNote>());
  /** Snapshots made ahead of the changes that show them (./panelAhead.ts). */
  readonly onDidAhead = this.aheadMade.event;
  /** The change back to the options shown before the user's last control change, for its pair (./panelAhead.ts). */
  private back: { key: string; controls: ControlOverrides } | undefined;
  /** Stops the snapshots being made ahead of the shown one. */
  private aheadStop: AbortController | undefined;
  /** The context of the last snapshot published with a result (./panelAhead.ts). */
  private lastContext = 0;
  private state: PanelState;
  private document: vscode.TextDocument | undefined;
  private pairId: number | null = null;
  private element = 0;
  /** The user picked {@link element} (a sample click); otherwise it is a default the worker may move off a bad target. */
  private elementPicked = false;
  private view: PanelView = freshView();
  /** Overrides per `uri#pairId`. */
  private readonly overrides = new Map<string, ControlOverrides>();
  private seq = 0;
  /** A view shows the snapshots (its webview said `ready` and was not hidden since). */
  private visible = false;
  /** The last few worker replies, and their heat maps. */
  private readonly replies = new PanelReplies();
  /**
   * The last snapshot with a result, per document uri: shown (marked stale) while the document
   * does not parse and its pair cannot be found, so that one missing bracket mid-typing does not
   * wipe the panel.
   */
  private readonly lastGood = new Map<string, PanelState>();
  /** What the shown result was computed from: the copy buttons export it. */
  private shown: ShownPair<E> | undefined;
  /** The panel's request about the version being analysed, asked right behind its analysis (./panelEarly.ts). */
  private readonly early: EarlyPanelData;
  /** The live pair shown instead of the document's pairs, until a document pair is shown again. */
  private live: HeldLivePair | null = null;
  private liveCount = 0;
  /** What the live part (panelLive.ts) reads and writes of this model. */
  private readonly liveHost: LivePanelHost;

  constructor(
    private readonly cache: PanelAnalyses<E>,
    private readonly worker: WorkerRequester,
    private readonly config: () => PanelSettings,
    private readonly log: { warn(message: string): void },
  ) {
    super();
    this.early = new EarlyPanelData(worker);
    this.liveHost = {
      worker: this.worker,
      log: this.log,
      decimals: () => this.config().decimals,
      view: () => this.view,
      element: () => this.element,
      setElement: (element) => {
        this.element = element;
      },
      current: (seq, live) => seq === this.seq && this.live === live,
      hasOverrides: (overrideKey) => this.overrides.has(overrideKey),
      merged: (code, overrideKey) => this.merged(code, overrideKey),
      reply: (key, owner) => this.replies.get(key, owner),
      keepReply: (key, owner, reply) => this.replies.keep(key, owner, reply),
      heldHeatMap: () => this.replies.heldHeatMap(),
      lacksHeatMap: (reply) => this.replies.lacksHeatMap(reply),
      publish: (state) => this.publish(state),
    };
    this.state = emptyPanelState(locale());
    this.register(
      cache.onDidChange((e) => {
        if (!this.document || !this.owns(e)) return;
        if (e.status === 'pending') this.askEarly(e);
        void this.refresh();
      }),
    );
    this.register(vscode.window.onDidChangeTextEditorSelection((e) => this.follow(e.textEditor, e.kind)));
    this.register(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.follow(e);
      }),
    );
    // Once no editor shows the document any more, the panel stops naming it.
    this.register(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.closed.length > 0 && this.document && !isInTab(this.document)) this.forgetDocument();
      }),
    );
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.document) this.forgetDocument();
      }),
    );
    if (vscode.window.activeTextEditor) this.follow(vscode.window.activeTextEditor);
  }

  /** The document was closed: show the empty panel, naming nothing. */
  private forgetDocument(): void {
    if (this.document) this.lastGood.delete(this.document.uri.toString());
    this.document = undefined;
    this.pairId = null;
    this.startPair();
    this.shown = undefined;
    void this.refresh();
  }

  /** A pair newly shown: its first sample, in the default view (the cards the webview shows open stay open). */
  private startPair(): void {
    this.element = 0;
    this.elementPicked = false;
    this.view = freshView(this.view);
  }

  getState(): PanelState {
    return this.state;
  }

  /** Shows a pair (from a lens, hover link or command); `uri` '' keeps the current document. */
  async show(uri: string, pairId: number | null): Promise<void> {
    if (uri || pairId !== null) this.live = null;
    if (uri) {
      const doc =
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ??
        vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri)?.cellAt(0)?.document;
      if (doc && doc !== this.document) {
        // Another document: its pair ids and samples are its own, so a sample picked in the last one does not carry over.
        this.pairId = null;
        this.startPair();
      }
      if (doc) this.document = doc;
    }
    if (pairId !== null && pairId !== this.pairId) {
      this.pairId = pairId;
      this.startPair();
    }
    startRoute('show'); // traced like a webview message (./panelTrace.ts)
    await this.refresh();
  }

  /**
   * Shows a pair read from a paused program: the worker holds its request under a key of its own
   * and computes the breakdown from it, exactly as for a document's pair.
   */
  async showLive(pair: LivePanelPair): Promise<void> {
    const shown = this.live;
    if (pair.stream && shown?.pair.stream === pair.stream) return this.replaceLive(shown, pair);
    const live = this.newLive(pair);
    this.live = live;
    this.document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === pair.uri) ?? this.document;
    this.pairId = livePairId;
    this.startPair();
    void this.refresh();
    const r = await holdLive(this.worker, live);
    if (this.live !== live) return;
    applyHold(live, r);
    await this.refresh();
  }

  /** A live pair under a key of its own, not yet held by the worker. */
  private newLive(pair: LivePanelPair): HeldLivePair {
    return { key: `live:${++this.liveCount}`, version: 1, pair, rowError: null, hold: null, error: null };
  }

  /**
   * The full read of a progressive pull replaces its first paint: held under a key of its own,
   * then swapped in once the worker holds it (the first paint stays on show meanwhile), with the
   * same row in view (the position the first paint showed) and the user's overrides kept.
   */
  private async replaceLive(first: HeldLivePair, pair: LivePanelPair): Promise<void> {
    const live = this.newLive(pair);
    const r = await holdLive(this.worker, live);
    if (this.live !== first) return;
    applyHold(live, r);
    // The same row stays in view: row `position` of all rows, or, over the budget (where the
    // full read holds some rows too), wherever that position is among the rows it holds.
    const position = first.pair.reduced?.rows[this.element];
    const rows = pair.reduced?.rows;
    if (position !== undefined) this.element = rows ? Math.max(0, rows.indexOf(position)) : position;
    const overrides = this.overrides.get(pairKeyOf(first.key, livePairId));
    if (overrides) this.overrides.set(pairKeyOf(live.key, livePairId), overrides);
    this.live = live;
    await this.refresh();
  }

  /** The over-budget row in view of the live pair of the call at `uri`, 1-based `callLine`, if shown. */
  livePosition(uri: string | undefined, callLine: number): number | undefined {
    return this.live ? shownLivePosition(this.live, this.element, uri, callLine) : undefined;
  }

  /** The program moved (or stopped again): the badge says whether the values are of the current stop. */
  liveMoved(): void {
    if (this.live) void this.refresh();
  }

  setVisible(visible: boolean): void {
    const was = this.visible;
    this.visible = visible;
    // Already shown (the provider starts computing when the webview is created, before its script
    // says `ready`): a second refresh would only drop the one in flight and start it again.
    if (visible && !was) void this.refresh();
  }

  onSelectPair(id: number): void {
    if (this.live) return;
    void this.show('', id);
  }

  onSelectSample(element: number): void {
    this.element = element;
    this.elementPicked = true;
    this.view = { ...this.view, lossOffset: null };
    void this.refresh();
  }

  /** The stop button of a progressive read: the full pull stops between chunks; the first paint stays. */
  onStopLiveStream(): void {
    const stream = this.live?.pair.stream;
    if (stream?.state === 'streaming') stream.cancel();
  }

  /** Row `position` of an over-budget live input: selected, read from the paused program first if needed (./panelLiveRow.ts). */
  async onSelectLiveRow(position: number): Promise<void> {
    const live = this.live;
    const row = live ? await readLiveRow(live, position, () => this.live === live) : undefined;
    if (!live || row === undefined) return;
    if (row === 'failed') return this.refresh();
    if (!row.read) return this.onSelectSample(row.at);
    this.element = row.at;
    this.view = { ...this.view, lossOffset: null };
    const r = await holdLive(this.worker, live);
    if (this.live !== live) return;
    applyHold(live, r);
    await this.refresh();
  }

  onSetClassWindow(start: number | null): void {
    this.view = { ...this.view, classStart: start };
    void this.refresh();
  }

  onSetLossPage(offset: number): void {
    this.view = { ...this.view, lossOffset: offset };
    void this.refresh();
  }

  onSetControls(overrides: ControlOverrides): void {
    const key = this.overrideKey();
    if (!key) return;
    const shown = this.shown;
    const before = shown && pairKeyOf(shown.entry.uri, shown.pair.id) === key ? shown.summary.options : null;
    const back = before ? backChange(before, overrides) : undefined;
    this.back = back ? { key, controls: back } : undefined;
    this.overrides.set(key, { ...(this.overrides.get(key) ?? {}), ...overrides });
    void this.refresh();
  }

  onResetControls(): void {
    this.back = undefined;
    const key = this.overrideKey();
    if (key) this.overrides.delete(key);
    void this.refresh();
  }

  onSetShift(shift: number): void {
    this.view = { ...this.view, shift };
    void this.refresh();
  }

  onShowCards(cards: { stability: boolean }): void {
    this.view = { ...this.view, stability: cards.stability };
    void this.refresh();
  }

  async onCopy(kind: CopyKind): Promise<void> {
    if (this.live) return copyLivePair(this.liveHost, this.live, kind);
    const noCopy = kind === 'pytorch' ? this.state.pair?.origin : null;
    if (noCopy && !noCopy.pytorch) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Loss Inspector does not copy PyTorch code for this pair: {0}', noCopy.noCopy ?? ''),
      );
      return;
    }
    const shown = this.shown;
    if (!shown || this.state.stale) return;
    await copyShownPair(this.cache, this.worker, shown, kind, this.config().decimals);
  }

  onReveal(pairId: number): Promise<void> {
    return revealPair(this.cache, this.live?.pair ?? null, this.document, pairId);
  }

  private owns(e: E): boolean {
    return this.document !== undefined && this.cache.covers(e, this.document);
  }

  /** Follows the pair under the cursor of a supported editor. */
  private follow(editor: vscode.TextEditor, kind?: vscode.TextEditorSelectionChangeKind): void {
    if (!this.cache.supports(editor.document)) return;
    const entry = this.cache.peek(editor.document);
    const switched = this.document !== editor.document;
    // Another cell of the same notebook is the same analysis: its pair and sample stay.
    const otherAnalysis = switched && !(entry && this.document && this.cache.covers(entry, this.document));
    // A live pair belongs to its paused file: another file brings the panel back to the code's pairs.
    if (switched && this.live) {
      this.live = null;
      this.pairId = null;
    }
    this.document = editor.document;
    if (otherAnalysis) {
      // Another document: its pair ids and samples are its own, so a sample picked in the last one does not carry over.
      this.pairId = null;
      this.startPair();
    }
    if (entry?.analysis) {
      const pair = this.cache.pairNear(entry, editor.document, editor.document.offsetAt(editor.selection.active));
      // In its own file, a live pair stays until the user moves the cursor to a pair of the code
      // (the debugger moving it to the next paused line does not count).
      if (this.live) {
        if (!pair || !userMoved(kind)) return;
        this.live = null;
        this.pairId = null;
      }
      if (pair && pair.id !== this.pairId) {
        this.pairId = pair.id;
        this.startPair();
        void this.refresh();
        return;
      }
    }
    if (switched) void this.refresh();
  }

  /**
   * The version `pending` is being analysed: asks the worker now, right behind the analysis, for
   * what the panel will ask once it is back if the pair on show keeps its id and options.
   */
  private askEarly(pending: E): void {
    const s = this.shown;
    if (!s || !this.visible || this.live || s.document !== this.document || s.pair.id !== this.pairId)
      return this.early.drop();
    const { choice: _choice, ...options } = this.effective(s.pair);
    const key = pending.uri.toString();
    const [element, preferValid, shown] = [this.element, !this.elementPicked, shownRequest(this.view)];
    const params = { key, version: pending.version, pairId: s.pair.id, element, preferValid, options, shown };
    this.early.ask(naming(params, this.replies.heldHeatMap()), s.pair.inputShape, `panel:${key}`);
  }

  private overrideKey(): string | null {
    if (this.live) return pairKeyOf(this.live.key, livePairId);
    return this.document && this.pairId !== null ? pairKeyOf(this.document.uri, this.pairId) : null;
  }

  private effective(pair: PairAnalysis): EffectiveOptions {
    return this.merged(codeOptions(pair), pairKeyOf(this.document?.uri, pair.id));
  }

  private merged(code: PanelOptions, overrideKey: string, more?: ControlOverrides): EffectiveOptions {
    return effectiveOptions(code, this.overrides.get(overrideKey), more);
  }

  private publish(state: PanelState, trace?: HostTrace): void {
    trace?.published(state);
    this.state = state;
    if (state.status !== 'ready' || state.stale) this.shown = undefined;
    if (state.status === 'ready' && !state.stale && this.document) {
      const key = this.document.uri.toString();
      this.lastGood.delete(key);
      this.lastGood.set(key, state);
      while (this.lastGood.size > maxLastGood) this.lastGood.delete(this.lastGood.keys().next().value as string);
    }
    this.changed.fire(state);
  }

  /** Recomputes the snapshot for the current document, pair, options and view (`again`: after a re-analysis). */
  async refresh(again = false): Promise<void> {
    const seq = ++this.seq;
    const trace = takeTrace();
    this.aheadStop?.abort();
    this.aheadStop = undefined;
    // Hidden: keep following the cursor (document, pair) but compute nothing; `ready` refreshes.
    if (!this.visible) return;
    if (this.live) return refreshLive(this.liveHost, seq, this.live);
    const doc = this.document;
    const label = doc ? fileName(doc) : '';
    const cfg = this.config();
    if (!doc) return this.publish(emptyPanelState(locale(), label));
    const entry = await this.cache.ensure(doc);
    if (seq !== this.seq) return;
    const parsed = entry?.analysis ? parseErrorOf(entry.analysis) : null;
    const stale = parsed ? { ...parsed, editLine: editLineOf(doc, parsed) } : null;
    const lastGood = this.lastGood.get(doc.uri.toString());
    // Mid-typing: the text does not parse and the pair shown is gone from it. Keep the last
    // result, marked stale, until the text parses again.
    const shownGone =
      !entry?.analysis?.pairs.some((p) => p.id === this.pairId) ||
      (this.pairId !== null && !!entry?.stale?.pairs.has(this.pairId));
    if (stale && shownGone) {
      if (lastGood) return this.publish({ ...lastGood, stale });
      // Nothing shown yet for this document: the kept pairs cannot be computed, so say what the panel waits for.
      if (entry?.stale?.pairs.size) return this.publish({ ...emptyPanelState(locale(), label), stale });
    }
    if (!entry || !entry.analysis) {
      return this.publish({
        ...emptyPanelState(locale(), label),
        status: entry?.status === 'error' ? 'error' : 'empty',
        error: entry?.error ? errorShown(entry.error) : null,
      });
    }
    const analysis = entry.analysis;
    const pairs = pairItems(analysis);
    let pair = analysis.pairs.find((p) => p.id === this.pairId);
    if (!pair) {
      pair = analysis.pairs[0];
      this.pairId = pair?.id ?? null;
    }
    const base = {
      locale: locale(),
      documentLabel: label,
      decimals: cfg.decimals,
      pairs,
      selectedPairId: this.pairId,
      view: this.view,
    };
    if (!pair) return this.publish(buildPanelState({ ...base, pair: null, result: null, breakdown: null, stale }));
    const eff = this.effective(pair);
    const summary = pairSummary(analysis, pair, eff);
    const origin = pairOrigin(pair, vscode.l10n);
    if (origin) summary.origin = origin;
    if (origin && !origin.torchSteps && !pair.error) {
      // Another library's rule with no torch call behind it: the header names it and lists its
      // per-example losses; there are no torch steps to ask the worker for. Nothing of the worker's
      // is shown now: a copy must not take the previous pair's reply.
      this.shown = undefined;
      return this.publish(buildPanelState({ ...base, pair: summary, result: null, breakdown: null, status: 'ready' }));
    }
    // A target out of range still has samples worth showing: the worker masks the bad ones.
    if (pair.error && pair.error.code !== 'target_out_of_bounds' && !this.overrides.has(this.overrideKey() ?? '')) {
      return this.publish(
        buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: errorShown(pair.error) }),
      );
    }
    const { choice: _choice, ...options } = eff;
    // The worker builds the shown columns and the stability card (if open): their page and shift key the reply too.
    const shownView = shownRequest(this.view);
    const replyKey = replyKeyOf(entry, pair.id, this.element, this.elementPicked, options, shownView);
    const request: PanelDataParams = {
      key: entry.uri.toString(),
      version: entry.version,
      pairId: pair.id,
      element: this.element,
      preferValid: !this.elementPicked,
      options,
    };
    // Only for the same analysis object: settings such as maxElements re-analyse the same version.
    let data = this.replies.get(replyKey, analysis);
    if (!data) {
      const computing = () =>
        this.publish(buildPanelState({ ...base, pair: summary, result: null, breakdown: null, status: 'computing' }));
      // Another sample or option of the pair on show, or its analysis after an edit: keep its numbers
      // until the reply, which usually comes within a frame or two; "computing" only if it does not.
      // Blanking the panel first cost a second render and post, and flashed.
      const sameShown = this.shown?.document === doc && this.shown.pair.id === pair.id;
      const slow = sameShown ? setTimeout(() => seq === this.seq && computing(), computingDelayMs) : undefined;
      if (!sameShown) computing();
      const params = { ...request, shown: shownView };
      const ask = (heatMapId: number | undefined) =>
        this.worker.request('panelData', naming(params, heatMapId), {
          supersedeKey: `panel:${entry.uri.toString()}`,
          onHops: trace?.took,
        });
      const held = this.replies.heldHeatMap();
      let r = await this.early.reply(
        naming(params, held),
        () => ask(held),
        () => seq === this.seq,
      );
      // Dropped meanwhile (never more than a few are kept): ask again, with the map this time.
      if (seq === this.seq && r.ok && this.replies.lacksHeatMap(r.value)) r = await ask(undefined);
      clearTimeout(slow);
      if (seq !== this.seq) return;
      if (!r.ok) {
        if (r.error.code !== 'cancelled') this.log.warn(`panel: ${r.error.code}: ${r.error.message}`);
        if (r.error.code === 'cancelled') return;
        // The worker dropped this analysis (it keeps a few documents') or restarted: analyse again, once.
        if (!again && (await this.cache.reanalyse(doc, entry, r.error.code)) && seq === this.seq)
          return this.refresh(true);
        return this.publish(
          buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: errorShown(r.error) }),
        );
      }
      data = this.replies.keep(replyKey, analysis, r.value);
    }
    this.element = shownElement(data);
    // A copy asks for the sample on show, whichever the worker picked.
    const copyRequest = { ...request, element: this.element, preferValid: false };
    this.shown = { document: doc, entry, pair, summary, data, request: copyRequest };
    const state = stateOf(base, summary, data);
    const context = contextOf(state, { entry, analysis, pair, options, view: this.view, base });
    this.publish(state, trace);
    // What the next changes will show, made now (./panelAhead.ts).
    this.aheadStop = new AbortController();
    const paging = context === this.lastContext;
    this.lastContext = context;
    const { replies, worker, log } = this;
    const pairKey = pairKeyOf(entry.uri, pair.id);
    makeAheads({
      ...{ from: context, entry, pair, request: copyRequest, base, summary, eff, origin, picked: this.elementPicked },
      ...{ paging, otherPending: !!data.otherPending, shownKey: replyKey, replies, worker, log },
      ...(this.back?.key === pairKey ? { back: this.back.controls } : {}),
      signal: this.aheadStop.signal,
      merged: (more) => this.merged(codeOptions(pair), pairKey, more),
      made: (note) => this.aheadMade.fire(note),
    });
  }
}

/** How long the panel keeps the shown pair's numbers while another sample or option is computed. */
const computingDelayMs = 150;

/** Documents whose last good snapshot {@link PanelModel} keeps for while they do not parse. */
const maxLastGood = 8;
