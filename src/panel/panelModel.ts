import * as vscode from 'vscode';
import type { PairAnalysis } from '../core/detection/types';
import type { Config } from '../editor/config';
import type { AnalysisEntry, DocumentAnalysisCache } from '../editor/documentAnalysis';
import { pytorchSnippet } from '../editor/format';
import { DocumentView } from '../editor/locate';
import type {
  ControlOverrides,
  CopyKind,
  Locale,
  PairItem,
  PairSummary,
  PanelOptions,
  PanelState,
} from '../protocol/webview';
import type { PanelComputeOptions } from '../protocol/worker';
import { Disposable } from '../util/disposable';
import type { KernelClient } from '../worker/kernelClient';
import { stepTableCsv, stepTableMarkdown } from './copyText';
import type { PanelController } from './panelController';
import { buildPanelState, coarsenHeatMap, defaultPanelView, emptyPanelState, type PanelView } from './panelState';

/**
 * The panel's model (implements {@link PanelController}): follows the pair under the cursor in
 * the active editor, keeps the user's overrides per pair, asks the worker for the numbers and
 * publishes complete snapshots. A result for an older request or document version is dropped.
 */
export class PanelModel extends Disposable implements PanelController {
  private readonly changed = this.register(new vscode.EventEmitter<PanelState>());
  readonly onDidChangeState = this.changed.event;
  private state: PanelState;
  private document: vscode.TextDocument | undefined;
  private pairId: number | null = null;
  private element = 0;
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

  constructor(
    private readonly cache: DocumentAnalysisCache,
    private readonly client: KernelClient,
    private readonly config: () => Config,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.state = emptyPanelState(locale());
    this.register(
      cache.onDidChange((e) => {
        if (this.document && this.owns(e)) void this.refresh();
      }),
    );
    this.register(vscode.window.onDidChangeTextEditorSelection((e) => this.follow(e.textEditor)));
    this.register(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.follow(e);
      }),
    );
    if (vscode.window.activeTextEditor) this.follow(vscode.window.activeTextEditor);
  }

  getState(): PanelState {
    return this.state;
  }

  /** Shows a pair (from a lens, hover link or command); `uri` '' keeps the current document. */
  async show(uri: string, pairId: number | null): Promise<void> {
    if (uri) {
      const doc =
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ??
        vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri)?.cellAt(0)?.document;
      if (doc) this.document = doc;
    }
    if (pairId !== null && pairId !== this.pairId) {
      this.pairId = pairId;
      this.element = 0;
      this.view = { ...defaultPanelView };
    }
    await this.refresh();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) void this.refresh();
  }

  onSelectPair(id: number): void {
    void this.show('', id);
  }

  onSelectSample(element: number): void {
    this.element = element;
    this.view = { ...this.view, lossOffset: null };
    void this.refresh();
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
    let text = '';
    if (kind === 'markdown') text = stepTableMarkdown(this.state);
    else if (kind === 'csv') text = stepTableCsv(this.state);
    else {
      const entry = this.document ? this.cache.peek(this.document) : undefined;
      const pair = entry?.analysis?.pairs.find((p) => p.id === this.pairId);
      if (!entry || !pair) return;
      const r = await this.client.inspect({
        key: entry.uri.toString(),
        version: entry.version,
        pairId: pair.id,
        withData: true,
        topK: 1,
      });
      if (!r.ok || !r.inspection.data) return;
      const o = this.effective(pair);
      const d = r.inspection.data;
      text = pytorchSnippet(
        { shape: d.inputShape, data: d.input },
        { shape: d.targetShape, data: d.target, probabilities: pair.targetKind === 'probabilities' },
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
    if (text) await vscode.env.clipboard.writeText(text);
  }

  async onReveal(pairId: number): Promise<void> {
    const entry = this.document ? this.cache.peek(this.document) : undefined;
    const pair = entry?.analysis?.pairs.find((p) => p.id === pairId);
    if (!entry || !pair || !this.document) return;
    const view = new DocumentView(entry, this.document);
    const anchor = pair.call ?? entry.analysis?.arrays.find((a) => a.id === pair.logits.id);
    if (!anchor) return;
    const editor = await vscode.window.showTextDocument(this.document, { preserveFocus: false });
    const range = view.range(anchor);
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private owns(e: AnalysisEntry): boolean {
    const doc = this.document;
    if (!doc) return false;
    return e.uri.toString() === doc.uri.toString() || (e.notebook?.getCells().some((c) => c.document === doc) ?? false);
  }

  /** Follows the pair under the cursor of a supported editor. */
  private follow(editor: vscode.TextEditor): void {
    if (!this.cache.supports(editor.document)) return;
    const entry = this.cache.peek(editor.document);
    const switched = this.document !== editor.document;
    this.document = editor.document;
    if (entry?.analysis) {
      const pair = new DocumentView(entry, editor.document).pairNear(editor.document.offsetAt(editor.selection.active));
      if (pair && pair.id !== this.pairId) {
        this.pairId = pair.id;
        this.element = 0;
        this.view = { ...defaultPanelView };
        void this.refresh();
        return;
      }
    }
    if (switched) void this.refresh();
  }

  private overrideKey(): string | null {
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
    const code = this.codeOptions(pair);
    const o = { ...code, ...(this.overrides.get(`${this.document?.uri.toString()}#${pair.id}`) ?? {}) };
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
    this.changed.fire(state);
  }

  /** Recomputes the snapshot for the current document, pair, options and view. */
  async refresh(): Promise<void> {
    const seq = ++this.seq;
    // Hidden: keep following the cursor (document, pair) but compute nothing; `ready` refreshes.
    if (!this.visible) return;
    const doc = this.document;
    const label = doc ? (doc.uri.path.split('/').pop() ?? '') : '';
    const cfg = this.config();
    if (!doc) return this.publish(emptyPanelState(locale(), label));
    const entry = await this.cache.ensure(doc);
    if (seq !== this.seq) return;
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
    if (!pair) return this.publish(buildPanelState({ ...base, pair: null, result: null, breakdown: null }));
    const eff = this.effective(pair);
    const claim = pair.claims.map((id) => analysis.claims.find((c) => c.id === id)).find((c) => c !== undefined);
    const N = pair.inputShape.length > 1 ? pair.inputShape[0] : 1;
    const C = pair.inputShape.length > 1 ? pair.inputShape[1] : (pair.inputShape[0] ?? 0);
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
    };
    if (pair.error && !this.overrides.has(this.overrideKey() ?? '')) {
      return this.publish(
        buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: pair.error.message }),
      );
    }
    const { choice: _choice, ...options } = eff;
    const replyKey = `${entry.uri.toString()}|${entry.version}|${pair.id}|${this.element}|${JSON.stringify(options)}`;
    // Only for the same analysis object: settings such as maxElements re-analyse the same version.
    const cached = this.replies.get(replyKey);
    let data = cached?.analysis === analysis ? cached.data : undefined;
    if (cached && data) {
      // Most recently used last: Map keeps insertion order.
      this.replies.delete(replyKey);
      this.replies.set(replyKey, cached);
    } else {
      this.publish(buildPanelState({ ...base, pair: summary, result: null, breakdown: null, status: 'computing' }));
      const r = await this.client.panelData({
        key: entry.uri.toString(),
        version: entry.version,
        pairId: pair.id,
        element: this.element,
        options,
      });
      if (seq !== this.seq) return;
      if (!r.ok) {
        if (r.error.code !== 'cancelled') this.log.warn(`panel: ${r.error.code}: ${r.error.message}`);
        if (r.error.code === 'cancelled') return;
        return this.publish(
          buildPanelState({ ...base, pair: summary, result: null, breakdown: null, error: r.error.message }),
        );
      }
      data = { ...r.data, heatMap: r.data.heatMap ? coarsenHeatMap(r.data.heatMap) : null };
      this.replies.set(replyKey, { analysis, data });
      while (this.replies.size > maxCachedReplies) this.replies.delete(this.replies.keys().next().value as string);
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
}

/** A successful worker reply for the panel. */
type PanelReply = Extract<Awaited<ReturnType<KernelClient['panelData']>>, { ok: true }>['data'];

/** Replies kept by {@link PanelModel}: a (64, 50 257) one holds about 4 MB (the sample's full rows). */
const maxCachedReplies = 4;

function locale(): Locale {
  return vscode.env.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
