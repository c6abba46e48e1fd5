import * as vscode from 'vscode';
import type { DocumentAnalysis, PairAnalysis } from '../core/detection';
import { formatBreakdown } from '../core/breakdownExport';
import { pytorchSnippet } from '../core/pytorchSnippet';
import { pairOrigin } from './pairOrigin';
import type { ErrorInfo, LossRequest, NdArray } from '../core/types';
import type {
  ControlOverrides,
  CopyKind,
  LiveBadge,
  Locale,
  PairItem,
  PairSummary,
  PanelOptions,
  PanelState,
  StaleNote,
} from '../protocol/webview';
import { maxLiveRows } from '../protocol/webview';
import {
  livePairId,
  type HoldLiveResult,
  type InspectParams,
  type Inspection,
  type Outcome,
  type PanelComputeOptions,
  type PanelData,
  type WorkerRequester,
} from '../protocol/worker';
import { Disposable } from '../util/disposable';
import { lossesAgree } from '../util/lossesAgree';
import type { PanelController } from './panelController';
import { panelExport } from './panelExport';
import { buildPanelState, coarsenHeatMap, defaultPanelView, emptyPanelState, type PanelView } from './panelState';

/** The analysis of one document version, as the panel reads it. */
export interface PanelEntry {
  uri: vscode.Uri;
  version: number;
  status: 'pending' | 'ready' | 'error';
  analysis: DocumentAnalysis | null;
  error: ErrorInfo | null;
  /**
   * While the text does not parse, the analysis may hold pairs kept from the last version that
   * did (the editor's stale merge): their ids, which the worker's analysis of this version lacks.
   */
  stale?: { pairs: ReadonlySet<number> } | null;
}

/**
 * What the panel needs of the shared per-document analysis. The root object builds it over the
 * editor's analysis cache, so the panel sits beside the editor and never imports it.
 */
export interface PanelAnalyses<E extends PanelEntry = PanelEntry> {
  /** Fires when the analysis of a document changes status or content. */
  readonly onDidChange: vscode.Event<E>;
  /** Whether the document is one that is analysed. */
  supports(document: vscode.TextDocument): boolean;
  /** The current analysis of the document's current version, if there is one. */
  peek(document: vscode.TextDocument): E | undefined;
  /** The analysis of the document's current version, computed now if needed; undefined if unsupported or closed. */
  ensure(document: vscode.TextDocument): Promise<E | undefined>;
  /** One pair's numbers from the worker (re-analysing once if the worker lost the analysis). */
  inspect(
    document: vscode.TextDocument,
    entry: E,
    params: Omit<InspectParams, 'key' | 'version'>,
  ): Promise<{ entry: E; outcome: Outcome<Inspection> }>;
  /** Whether `entry` is the analysis of `document` (its notebook's, for a cell). */
  covers(entry: E, document: vscode.TextDocument): boolean;
  /** The pair a cursor at `offset` belongs to. */
  pairNear(entry: E, document: vscode.TextDocument, offset: number): PairAnalysis | undefined;
  /** Where the pair's code (its call, else its logits) is in `document`. */
  pairRange(entry: E, document: vscode.TextDocument, pair: PairAnalysis): vscode.Range | undefined;
}

/**
 * A pair read from a program paused in the debugger, as the panel shows it. The root object builds
 * it from the live bridge's result, so the panel never imports src/live.
 */
export interface LivePanelPair {
  /** The kernel request built from the program's tensors; the worker computes everything from it. */
  request: LossRequest;
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
  readonly positions: number;
  readonly message: string | null;
  /** Stops the full pull between chunks, as the progress notification's cancel does. */
  cancel(): void;
}

/** A live pair held by the worker under its own key. */
interface HeldLivePair {
  key: string;
  /** Bumped when rows read on demand extend the request (the worker holds the newest). */
  version: number;
  pair: LivePanelPair;
  /** Why the last on-demand row read failed, shown beside the row field. */
  rowError: string | null;
  hold: HoldLiveResult | null;
  error: string | null;
}

export { lossesAgree } from '../util/lossesAgree';

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
  private state: PanelState;
  private document: vscode.TextDocument | undefined;
  private pairId: number | null = null;
  private element = 0;
  /** The user picked {@link element} (a sample click); otherwise it is a default the worker may move off a bad target. */
  private elementPicked = false;
  private view: PanelView = { ...defaultPanelView };
  /** Overrides per `uri#pairId`. */
  private readonly overrides = new Map<string, ControlOverrides>();
  private seq = 0;
  /** A view shows the snapshots (its webview said `ready` and was not hidden since). */
  private visible = false;
  /**
   * The last few worker replies, by document version, pair, sample and options (a reply is a pure
   * function of those): going back to a pair already shown repaints at once instead of asking the
   * worker to recompute every sample of a (64, 50 257) batch (about 0.5 s) again.
   */
  private readonly replies = new Map<string, { analysis: object; data: PanelReply }>();
  /**
   * The last snapshot with a result, per document uri: shown (marked stale) while the document
   * does not parse and its pair cannot be found, so that one missing bracket mid-typing does not
   * wipe the panel.
   */
  private readonly lastGood = new Map<string, PanelState>();
  /** What the shown result was computed from: the copy buttons export it. */
  private shown:
    { document: vscode.TextDocument; entry: E; pair: PairAnalysis; summary: PairSummary; data: PanelReply } | undefined;
  /** The live pair shown instead of the document's pairs, until a document pair is shown again. */
  private live: HeldLivePair | null = null;
  private liveCount = 0;

  constructor(
    private readonly cache: PanelAnalyses<E>,
    private readonly worker: WorkerRequester,
    private readonly config: () => PanelSettings,
    private readonly log: { warn(message: string): void },
  ) {
    super();
    this.state = emptyPanelState(locale());
    this.register(
      cache.onDidChange((e) => {
        if (this.document && this.owns(e)) void this.refresh();
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
        if (e.closed.length > 0 && this.document && !this.isInTab(this.document)) this.forgetDocument();
      }),
    );
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.document) this.forgetDocument();
      }),
    );
    if (vscode.window.activeTextEditor) this.follow(vscode.window.activeTextEditor);
  }

  /** Whether some editor tab shows `document` (or the notebook holding it). */
  private isInTab(document: vscode.TextDocument): boolean {
    const uris = new Set([document.uri.toString()]);
    for (const notebook of vscode.workspace.notebookDocuments)
      if (notebook.getCells().some((c) => c.document === document)) uris.add(notebook.uri.toString());
    for (const group of vscode.window.tabGroups.all)
      for (const tab of group.tabs) {
        const input = tab.input;
        const uri =
          input instanceof vscode.TabInputText || input instanceof vscode.TabInputNotebook
            ? input.uri
            : input instanceof vscode.TabInputTextDiff
              ? input.modified
              : undefined;
        if (uri && uris.has(uri.toString())) return true;
      }
    return false;
  }

  /** The document was closed: show the empty panel, naming nothing. */
  private forgetDocument(): void {
    if (this.document) this.lastGood.delete(this.document.uri.toString());
    this.document = undefined;
    this.pairId = null;
    this.element = 0;
    this.elementPicked = false;
    this.view = { ...defaultPanelView };
    this.shown = undefined;
    void this.refresh();
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
        this.element = 0;
        this.elementPicked = false;
        this.view = { ...defaultPanelView };
      }
      if (doc) this.document = doc;
    }
    if (pairId !== null && pairId !== this.pairId) {
      this.pairId = pairId;
      this.element = 0;
      this.elementPicked = false;
      this.view = { ...defaultPanelView };
    }
    await this.refresh();
  }

  /**
   * Shows a pair read from a paused program: the worker holds its request under a key of its own
   * and computes the breakdown from it, exactly as for a document's pair.
   */
  async showLive(pair: LivePanelPair): Promise<void> {
    const shown = this.live;
    if (pair.stream && shown?.pair.stream === pair.stream) return this.replaceLive(shown, pair);
    const live: HeldLivePair = {
      key: `live:${++this.liveCount}`,
      version: 1,
      pair,
      rowError: null,
      hold: null,
      error: null,
    };
    this.live = live;
    this.document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === pair.uri) ?? this.document;
    this.pairId = livePairId;
    this.element = 0;
    this.elementPicked = false;
    this.view = { ...defaultPanelView };
    void this.refresh();
    const r = await this.worker.request(
      'holdLive',
      { key: live.key, version: live.version, request: pair.request },
      { supersedeKey: 'live:hold' },
    );
    if (this.live !== live) return;
    if (!r.ok) live.error = r.error.message;
    else {
      live.hold = r.value;
      live.error = r.value.error?.message ?? null;
    }
    await this.refresh();
  }

  /**
   * The full read of a progressive pull replaces its first paint: held under a key of its own,
   * then swapped in once the worker holds it (the first paint stays on show meanwhile), with the
   * same row in view (the position the first paint showed) and the user's overrides kept.
   */
  private async replaceLive(first: HeldLivePair, pair: LivePanelPair): Promise<void> {
    const live: HeldLivePair = {
      key: `live:${++this.liveCount}`,
      version: 1,
      pair,
      rowError: null,
      hold: null,
      error: null,
    };
    const r = await this.worker.request(
      'holdLive',
      { key: live.key, version: live.version, request: pair.request },
      { supersedeKey: 'live:hold' },
    );
    if (this.live !== first) return;
    if (!r.ok) live.error = r.error.message;
    else {
      live.hold = r.value;
      live.error = r.value.error?.message ?? null;
    }
    const position = first.pair.reduced?.rows[this.element];
    if (position !== undefined) this.element = position;
    const overrides = this.overrides.get(`${first.key}#${livePairId}`);
    if (overrides) this.overrides.set(`${live.key}#${livePairId}`, overrides);
    this.live = live;
    await this.refresh();
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

  /**
   * Row `position` of an over-budget live input: selected when read already, else read from the
   * paused program (only while it is still at the stop the pair was read at), appended to the
   * request the worker holds, and selected.
   */
  async onSelectLiveRow(position: number): Promise<void> {
    const live = this.live;
    const reduced = live?.pair.reduced;
    if (!live || !reduced || position >= reduced.positions) return;
    const at = reduced.rows.indexOf(position);
    if (at >= 0) return this.onSelectSample(at);
    if (!live.pair.isCurrent()) {
      live.rowError = vscode.l10n.t('The program moved on — inspect again.');
      return this.refresh();
    }
    if (reduced.rows.length >= maxLiveRows) {
      live.rowError = vscode.l10n.t('At most {0} rows are kept: inspect again to start over.', maxLiveRows);
      return this.refresh();
    }
    let got: { input: NdArray; target: NdArray };
    try {
      got = await reduced.fetchRows([position]);
    } catch (err) {
      if (this.live !== live) return;
      live.rowError = err instanceof Error ? err.message : String(err);
      return this.refresh();
    }
    if (this.live !== live || live.pair.reduced !== reduced) return;
    const request = appendRows(live.pair.request, got);
    live.pair = { ...live.pair, request, reduced: { ...reduced, rows: [...reduced.rows, position] } };
    live.version++;
    live.rowError = null;
    live.hold = null;
    this.element = reduced.rows.length;
    this.view = { ...this.view, lossOffset: null };
    const r = await this.worker.request(
      'holdLive',
      { key: live.key, version: live.version, request },
      { supersedeKey: 'live:hold' },
    );
    if (this.live !== live) return;
    if (!r.ok) live.error = r.error.message;
    else {
      live.hold = r.value;
      live.error = r.value.error?.message ?? null;
    }
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
    this.overrides.set(key, { ...(this.overrides.get(key) ?? {}), ...overrides });
    void this.refresh();
  }

  onResetControls(): void {
    const key = this.overrideKey();
    if (key) this.overrides.delete(key);
    void this.refresh();
  }

  onSetShift(shift: number): void {
    this.view = { ...this.view, shift };
    void this.refresh();
  }

  async onCopy(kind: CopyKind): Promise<void> {
    if (this.live) {
      // A live pair has no document behind it: its PyTorch snippet is built from the values held
      // in the worker; the other formats describe a document's pair.
      if (kind !== 'pytorch') {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('For a pair read from a paused program, Loss Inspector copies the PyTorch snippet.'),
        );
        return;
      }
      const snippet = await this.livePytorch(this.live);
      if (!snippet) return;
      await vscode.env.clipboard.writeText(snippet);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Loss Inspector: copied'), 2000);
      return;
    }
    const noCopy = kind === 'pytorch' ? this.state.pair?.origin : null;
    if (noCopy && !noCopy.pytorch) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Loss Inspector does not copy PyTorch code for this pair: {0}', noCopy.noCopy ?? ''),
      );
      return;
    }
    const shown = this.shown;
    if (!shown || this.state.stale) return;
    // The pair's values (for the snippet, the JSON and the targets of the Markdown's loss table)
    // come from the kept analysis; the numbers shown come from the panel's own reply.
    let values: { input: number[]; target: number[] } | null = null;
    if (kind !== 'csv') {
      const { outcome } = await this.cache.inspect(shown.document, shown.entry, {
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
        values,
        decimals: this.config().decimals,
      }),
    );
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Loss Inspector: copied'), 2000);
  }

  async onReveal(pairId: number): Promise<void> {
    if (this.live) {
      const { uri, line } = this.live.pair;
      if (!uri) return;
      const at = new vscode.Position(Math.max(0, line - 1), 0);
      await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(at, at) });
      return;
    }
    const document = this.document;
    const entry = document ? this.cache.peek(document) : undefined;
    const pair = entry?.analysis?.pairs.find((p) => p.id === pairId);
    if (!entry || !pair || !document) return;
    const range = this.cache.pairRange(entry, document, pair);
    if (!range) return;
    const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
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
      this.element = 0;
      this.elementPicked = false;
      this.view = { ...defaultPanelView };
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
        this.element = 0;
        this.elementPicked = false;
        this.view = { ...defaultPanelView };
        void this.refresh();
        return;
      }
    }
    if (switched) void this.refresh();
  }

  private overrideKey(): string | null {
    if (this.live) return `${this.live.key}#${livePairId}`;
    return this.document && this.pairId !== null ? `${this.document.uri.toString()}#${this.pairId}` : null;
  }

  private codeOptions(pair: PairAnalysis): PanelOptions {
    return {
      reduction: pair.options.reduction,
      dtype: pair.dtype,
      labelSmoothing: pair.options.labelSmoothing,
      ignoreIndex: pair.options.ignoreIndex,
      inputKind: pair.options.inputKind,
      hasWeight: !!pair.options.weight,
      weight: pair.options.weight,
    };
  }

  private effective(pair: PairAnalysis): PanelComputeOptions & { choice: PanelOptions['dtype'] } {
    return this.merged(this.codeOptions(pair), `${this.document?.uri.toString()}#${pair.id}`);
  }

  private merged(code: PanelOptions, overrideKey: string): PanelComputeOptions & { choice: PanelOptions['dtype'] } {
    const o = { ...code, ...(this.overrides.get(overrideKey) ?? {}) };
    const weight = o.weight === undefined ? code.weight : o.weight;
    return {
      reduction: o.reduction,
      dtype: o.dtype === 'float64' ? 'float64' : 'float32',
      choice: o.dtype,
      labelSmoothing: o.labelSmoothing,
      ignoreIndex: o.ignoreIndex,
      weight,
      inputKind: o.inputKind,
    };
  }

  private publish(state: PanelState): void {
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

  /** Recomputes the snapshot for the current document, pair, options and view. */
  async refresh(): Promise<void> {
    const seq = ++this.seq;
    // Hidden: keep following the cursor (document, pair) but compute nothing; `ready` refreshes.
    if (!this.visible) return;
    if (this.live) return this.refreshLive(seq, this.live);
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
        error: entry?.error?.message ?? null,
      });
    }
    const analysis = entry.analysis;
    const pairs: PairItem[] = analysis.pairs.map((p) => ({
      id: p.id,
      label: `${p.logits.argName ?? p.logits.name ?? 'logits'}, ${p.target.argName ?? p.target.name ?? 'target'}`,
      line: (p.call ?? p.logits).line,
      cell: (p.call ?? p.logits).cell ?? null,
      loss: p.loss,
      failed: !!p.error,
    }));
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
    const claim = pair.claims.map((id) => analysis.claims.find((c) => c.id === id)).find((c) => c !== undefined);
    const [d0 = 0, d1 = 0] = pair.inputShape;
    const N = pair.inputShape.length > 1 ? d0 : 1;
    const C = pair.inputShape.length > 1 ? d1 : d0;
    const S = pair.inputShape.slice(2).reduce((a, b) => a * b, 1);
    const summary: PairSummary = {
      id: pair.id,
      logitsName: pair.logits.argName ?? pair.logits.name,
      targetName: pair.target.argName ?? pair.target.name,
      inputShape: pair.inputShape,
      targetShape: pair.targetShape,
      lossShape: pair.inputShape.length > 1 ? [N, ...pair.inputShape.slice(2)] : [],
      N,
      C,
      S,
      targetKind: pair.targetKind ?? 'indices',
      codeOptions: this.codeOptions(pair),
      options: {
        reduction: eff.reduction,
        dtype: eff.choice,
        labelSmoothing: eff.labelSmoothing,
        ignoreIndex: eff.ignoreIndex,
        inputKind: eff.inputKind,
        hasWeight: !!eff.weight,
        weight: eff.weight,
      },
      claimText: claim?.text ?? null,
      claimOk: claim ? (claim.status === 'unverified' ? null : claim.status === 'holds') : null,
      codePrinted: pair.printed,
    };
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
        buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: pair.error.message }),
      );
    }
    const { choice: _choice, ...options } = eff;
    // A default element may be answered with another (the first valid target): it keys apart from a picked one.
    const replyKey = `${entry.uri.toString()}|${entry.version}|${pair.id}|${this.element}${this.elementPicked ? '' : '?'}|${JSON.stringify(options)}`;
    // Only for the same analysis object: settings such as maxElements re-analyse the same version.
    const cached = this.replies.get(replyKey);
    let data = cached?.analysis === analysis ? cached.data : undefined;
    if (cached && data) {
      // Most recently used last: Map keeps insertion order.
      this.replies.delete(replyKey);
      this.replies.set(replyKey, cached);
    } else {
      const computing = () =>
        this.publish(buildPanelState({ ...base, pair: summary, result: null, breakdown: null, status: 'computing' }));
      // Another sample or option of the pair on show: keep its numbers until the reply, which
      // usually comes within a frame or two; "computing" only if it does not. Blanking the panel
      // first cost a second render and post, and flashed.
      const sameShown = this.shown?.entry === entry && this.shown.pair.id === pair.id;
      const slow = sameShown ? setTimeout(() => seq === this.seq && computing(), computingDelayMs) : undefined;
      if (!sameShown) computing();
      const r = await this.worker.request(
        'panelData',
        {
          key: entry.uri.toString(),
          version: entry.version,
          pairId: pair.id,
          element: this.element,
          preferValid: !this.elementPicked,
          options,
        },
        { supersedeKey: `panel:${entry.uri.toString()}` },
      );
      clearTimeout(slow);
      if (seq !== this.seq) return;
      if (!r.ok) {
        if (r.error.code !== 'cancelled') this.log.warn(`panel: ${r.error.code}: ${r.error.message}`);
        if (r.error.code === 'cancelled') return;
        return this.publish(
          buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: r.error.message }),
        );
      }
      data = this.keepReply(replyKey, analysis, r.value);
    }
    this.element = data.breakdown.element;
    this.shown = { document: doc, entry, pair, summary, data };
    this.publish(
      buildPanelState({
        ...base,
        pair: summary,
        result: data.result,
        otherResult: data.otherResult,
        breakdown: data.breakdown,
        heatMap: data.heatMap,
        // torch's own words stay on show: it raises on the first bad target it meets.
        error: data.invalidTargets ? `Target ${data.invalidTargets.values[0]} is out of bounds.` : null,
        invalidTargets: data.invalidTargets ?? null,
      }),
    );
  }

  private badge(live: HeldLivePair): LiveBadge {
    const p = live.pair;
    const ours = p.reducedLoss ?? (live.hold && live.pair.request.reduction !== 'none' ? live.hold.loss : null);
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
              state: !p.reduced ? 'done' : p.stream.state === 'done' ? 'streaming' : p.stream.state,
              positions: p.stream.positions,
              batchLoss: p.reducedLoss,
              message: p.stream.message,
            },
          }
        : {}),
    };
  }

  /** The snapshot of a live pair: the same cards as a document's pair, under the live badge. */
  private async refreshLive(seq: number, live: HeldLivePair): Promise<void> {
    const cfg = this.config();
    const p = live.pair;
    const base = {
      locale: locale(),
      documentLabel: p.documentLabel,
      decimals: cfg.decimals,
      pairs: [
        {
          id: livePairId,
          label: `${p.inputName}, ${p.targetName}`,
          line: p.callLine ?? p.line,
          // A first paint holds some rows: the pair's loss is the batch's, as the program computed it.
          loss: (p.stream && p.reducedLoss) ?? live.hold?.loss ?? null,
          failed: live.error !== null,
        },
      ],
      selectedPairId: livePairId,
      view: this.view,
      live: this.badge(live),
    };
    const hold = live.hold;
    if (!hold) {
      return this.publish(
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
    const overrideKey = `${live.key}#${livePairId}`;
    const eff = this.merged(code, overrideKey);
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
      options: {
        reduction: eff.reduction,
        dtype: eff.choice,
        labelSmoothing: eff.labelSmoothing,
        ignoreIndex: eff.ignoreIndex,
        inputKind: eff.inputKind,
        hasWeight: !!eff.weight,
        weight: eff.weight,
      },
      claimText: null,
      claimOk: null,
    };
    if (live.error && !this.overrides.has(overrideKey)) {
      return this.publish(
        buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: live.error }),
      );
    }
    const { choice: _choice, ...options } = eff;
    const replyKey = `${live.key}|${live.version}|${this.element}|${JSON.stringify(options)}`;
    const cached = this.replies.get(replyKey);
    let data = cached?.analysis === live ? cached.data : undefined;
    if (!data) {
      this.publish(buildPanelState({ ...base, pair: summary, result: null, breakdown: null, status: 'computing' }));
      const r = await this.worker.request(
        'panelData',
        { key: live.key, version: live.version, pairId: livePairId, element: this.element, options },
        { supersedeKey: 'panel:live' },
      );
      if (seq !== this.seq || this.live !== live) return;
      if (!r.ok) {
        if (r.error.code === 'cancelled') return;
        this.log.warn(`panel (live): ${r.error.code}: ${r.error.message}`);
        return this.publish(
          buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: r.error.message }),
        );
      }
      data = this.keepReply(replyKey, live, r.value);
    }
    this.element = data.breakdown.element;
    this.publish(
      buildPanelState({
        ...base,
        pair: summary,
        result: data.result,
        otherResult: data.otherResult,
        breakdown: data.breakdown,
        heatMap: data.heatMap,
      }),
    );
  }

  /** A worker reply as the panel keeps it (heat map coarsened), cached under `key`, oldest evicted. */
  private keepReply(key: string, analysis: object, reply: PanelReply): PanelReply {
    const data = { ...reply, heatMap: reply.heatMap ? coarsenHeatMap(reply.heatMap) : null };
    this.replies.set(key, { analysis, data });
    while (this.replies.size > maxCachedReplies) this.replies.delete(this.replies.keys().next().value as string);
    return data;
  }

  /** "Copy as PyTorch" for a live pair: the values the program held, with the options in effect. */
  private async livePytorch(live: HeldLivePair): Promise<string> {
    const r = await this.worker.request('inspect', {
      key: live.key,
      version: live.version,
      pairId: livePairId,
      withData: true,
      topK: 1,
    });
    if (!r.ok || !r.value.data) return '';
    const o = this.merged(liveCodeOptions(live.pair.request), `${live.key}#${livePairId}`);
    const d = r.value.data;
    return pytorchSnippet(
      { shape: d.inputShape, data: d.input },
      { shape: d.targetShape, data: d.target, probabilities: live.hold?.targetKind === 'probabilities' },
      {
        dtype: o.dtype,
        reduction: o.reduction,
        weight: o.weight,
        ignoreIndex: o.ignoreIndex,
        labelSmoothing: o.labelSmoothing,
        inputKind: o.inputKind,
      },
    );
  }
}

/** A selection change the user made (the debugger's reveal of a paused line has no kind, or Command). */
function userMoved(kind: vscode.TextEditorSelectionChangeKind | undefined): boolean {
  return kind === vscode.TextEditorSelectionChangeKind.Keyboard || kind === vscode.TextEditorSelectionChangeKind.Mouse;
}

/** A live request with rows read on demand appended: (k, C) + (m, C) rows, (k) + (m) targets. */
function appendRows(r: LossRequest, more: { input: NdArray; target: NdArray }): LossRequest {
  const cat = (a: NdArray, b: NdArray): NdArray => {
    const data = new Float64Array(a.data.length + b.data.length);
    data.set(a.data);
    data.set(b.data, a.data.length);
    return { data, shape: [(a.shape[0] ?? 0) + (b.shape[0] ?? 0), ...a.shape.slice(1)], integral: a.integral };
  };
  return { ...r, input: cat(r.input, more.input), target: cat(r.target, more.target) };
}

/** The options a live request carries: those of the program's criterion and call. */
function liveCodeOptions(r: LossRequest): PanelOptions {
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

/** A successful worker reply for the panel. */
type PanelReply = PanelData;

/** How long the panel keeps the shown pair's numbers while another sample or option is computed. */
const computingDelayMs = 150;

/** Replies kept by {@link PanelModel}: a (64, 50 257) one holds about 4 MB (the sample's full rows, as Float64Arrays). */
const maxCachedReplies = 4;

/** Documents whose last good snapshot {@link PanelModel} keeps for while they do not parse. */
const maxLastGood = 8;

/** The file name the panel shows: the last segment of the path (a notebook's, for its cells). */
function fileName(document: vscode.TextDocument): string {
  return document.uri.path.split('/').pop() ?? '';
}

/** Where the analysis stopped parsing, or null when it parses. */
export function parseErrorOf(analysis: DocumentAnalysis): StaleNote | null {
  const f = analysis.findings.find((x) => x.code === 'parse_error');
  if (!f) return null;
  // The tokenizer's words for a bracket left open: "'[' was never closed".
  const open = /^'([[({])' was never closed/.exec(f.message);
  return { line: Math.max(1, f.line), cell: f.cell ?? null, opener: open ? open[1]! : null };
}

/**
 * The 1-based line of the cursor when `document` (or, in a notebook, the cell `cell` of the
 * stale note) is the active editor's: where the user is typing.
 */
function editLineOf(document: vscode.TextDocument, stale: StaleNote): number | null {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return null;
  const active = editor.document;
  if (active.uri.toString() === document.uri.toString() && stale.cell === null) return editor.selection.active.line + 1;
  if (stale.cell === null || active.uri.scheme !== 'vscode-notebook-cell') return null;
  // A notebook: the cursor counts when it is in the cell that does not parse.
  const notebook = vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document === active));
  const index = notebook?.getCells().findIndex((c) => c.document === active);
  const same = notebook?.getCells().some((c) => c.document.uri.toString() === document.uri.toString());
  return same && index === stale.cell ? editor.selection.active.line + 1 : null;
}

function locale(): Locale {
  return vscode.env.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
