import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './editor/commandLoader';
import type { PairRevealer, SelectionPair } from './editor/commands';
import { configSection, readConfig, type Config } from './editor/config';
import { ClaimGutter } from './editor/claimGutter';
import { LossCodeLensProvider } from './editor/codeLensProvider';
import { LossCodeActionProvider, LossDiagnostics } from './editor/diagnostics';
import { DocumentAnalysisCache, type AnalysisEntry } from './editor/documentAnalysis';
import { FirstRunHint } from './editor/firstRunHint';
import { LossHoverProvider } from './editor/hoverProvider';
import { LossInlayHintsProvider } from './editor/inlayHintsProvider';
import { DocumentView } from './editor/locate';
import { LossStatusItem } from './editor/statusItem';
import type { LiveExplanation, LiveRead } from './live/liveHost';
import { liveLensSelector } from './live/liveIds';
import { LiveLoader } from './live/liveLoader';
import type * as PanelParts from './panel/index';
import type { LossPanelProvider } from './panel/lossPanelProvider';
import { panelViewType } from './panel/panelIds';
import type { LivePanelPair, PanelAnalyses, PanelModel } from './panel/panelModel';
import { Disposable, DisposableStore } from './util/disposable';
import { WorkerClient } from './worker/workerClient';
import type { LossRequest } from './core/types';
import { livePairId } from './protocol/worker';

/**
 * The root object: owns the worker client, the analysis cache, the providers, the commands and
 * the panel, each in a named lifetime (docs/architecture.md). Providers are registered per settings
 * snapshot and re-created when `lossInspector.languages` or `enable` change. It is the only
 * place that knows both the editor and the panel: it hands the panel the editor's analysis cache
 * through the panel's own {@link PanelAnalyses} interface.
 */
export class LossInspector extends Disposable {
  private config: Config = readConfig();
  private readonly log = this.register(vscode.window.createOutputChannel('Loss Inspector', { log: true }));
  private readonly worker: WorkerClient;
  private readonly cache: DocumentAnalysisCache;
  /** Providers registered for the current language selection. */
  private readonly providerStore = this.register(new DisposableStore());
  private readonly inlay: LossInlayHintsProvider;
  private readonly lenses: LossCodeLensProvider;

  /** The panel's model and webview provider, built on first use ({@link panelParts}). */
  private panelBuilt: { model: PanelModel; provider: LossPanelProvider } | undefined;
  /** The live bridge's lens, hover and command; its code loads on the first debug session or focus. */
  private readonly live: LiveLoader;
  private readonly diagnostics: LossDiagnostics;
  private readonly gutter: ClaimGutter;
  private readonly hint: FirstRunHint;
  /** How long `activate` took (set by extension.ts; read by the integration suite through the exports). */
  activation: { wallMs: number; cpuMs: number } = { wallMs: NaN, cpuMs: NaN };

  constructor(private readonly context: vscode.ExtensionContext) {
    super();
    this.worker = new WorkerClient({
      workerPath: path.join(context.extensionPath, 'dist', 'worker.js'),
      logger: { info: (m) => this.log.info(m), warn: (m) => this.log.warn(m) },
    });
    this.register({ dispose: () => void this.worker.dispose() });
    this.cache = this.register(new DocumentAnalysisCache(this.worker, this.config, this.log));
    this.inlay = this.register(new LossInlayHintsProvider(this.cache, () => this.config));
    this.lenses = this.register(new LossCodeLensProvider(this.cache, () => this.config));
    this.diagnostics = this.register(new LossDiagnostics(this.cache, context.extensionUri));
    this.register(new LossStatusItem(this.cache, () => this.config));
    this.gutter = this.register(new ClaimGutter(this.cache, () => this.config, context.extensionUri));
    const workspaceDiagnostics = this.register(vscode.languages.createDiagnosticCollection('lossInspector.workspace'));
    // Retained while hidden: reopening the panel shows its last numbers at once instead of
    // rebuilding the webview (bench:ui measured 1.6–2.7 s per open without it).
    this.register(
      vscode.window.registerWebviewViewProvider(
        panelViewType,
        { resolveWebviewView: (view) => this.panelParts().provider.resolveWebviewView(view) },
        { webviewOptions: { retainContextWhenHidden: true } },
      ),
    );
    this.register(
      vscode.commands.registerCommand('lossInspector.openPanelInEditor', () =>
        this.panelParts().provider.openInEditor(),
      ),
    );
    const panel: PairRevealer = {
      reveal: async (uri, pairId, options) => {
        // A visible panel asked to keep the focus is not revealed: the focus command's round trip
        // through the workbench and the webview's focus change cost a selection about 14 ms.
        const inPlace = options?.keepFocus === true && this.panelBuilt?.provider.viewVisible() === true;
        // Both at once: the model's work does not wait for the focus round trip.
        await Promise.all([
          inPlace ? undefined : vscode.commands.executeCommand(`${panelViewType}.focus`),
          this.panelParts().model.show(uri, pairId),
        ]);
      },
      showSelection: async (pair) => {
        await Promise.all([
          vscode.commands.executeCommand(`${panelViewType}.focus`),
          this.panelParts().model.showLive(selectionPanelPair(pair)),
        ]);
      },
    };
    this.hint = this.register(
      new FirstRunHint(this.cache, context.globalState, (entry) => panel.reveal(entry.uri.toString(), null)),
    );
    this.live = this.register(
      new LiveLoader({
        show: async (read) => {
          await Promise.all([
            vscode.commands.executeCommand(`${panelViewType}.focus`),
            this.panelParts().model.showLive(livePanelPair(read)),
          ]);
        },
        // A panel not built yet shows no live read that could go stale.
        moved: () => this.panelBuilt?.model.liveMoved(),
        lookingAt: (uri, line) => this.panelBuilt?.model.livePosition(uri, line + 1),
        opening: () => void vscode.commands.executeCommand(`${panelViewType}.focus`),
        explain: (request) => explainLive(this.worker, request),
        log: this.log,
      }),
    );
    for (const d of registerCommands({
      cache: this.cache,
      worker: this.worker,
      config: () => this.config,
      panel,
      workspaceDiagnostics,
      log: this.log,
      hasLiveDiagnostics: (uri) => this.diagnostics.collection.has(uri),
    }))
      this.register(d);
    this.register(
      this.cache.onDidChange((entry) => {
        this.inlay.refresh();
        // Not for text documents: VS Code asks for their lenses again after every edit and the
        // provider waits for that version's analysis, while a refresh restarts VS Code's CodeLens
        // debounce (250 ms or more), which made the lenses lag the other surfaces. Notebook
        // outputs change no cell text, so notebooks still need the event.
        if (entry.notebook && entry.status !== 'pending') this.lenses.refresh();
        // A live analysis supersedes Check All Claims for that file: one diagnostic per claim, never a stale one.
        if (entry.status !== 'pending') workspaceDiagnostics.delete(entry.uri);
      }),
    );
    this.register(
      vscode.window.onDidChangeTextEditorSelection(() => {
        if (this.config.inlineValues === 'currentLine') this.inlay.refresh();
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(configSection)) this.onConfigChanged();
      }),
    );
    // Trusting the workspace makes its values of the restricted settings count (editor/config.ts).
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.onConfigChanged()));
    this.registerProviders();
    this.cache.analyzeVisible();
  }

  /** The shared worker client and analysis cache (read by the integration suite through the exports). */
  get services(): {
    worker: WorkerClient;
    cache: DocumentAnalysisCache;
    config: () => Config;
    log: vscode.LogOutputChannel;
    gutter: ClaimGutter;
    hint: FirstRunHint;
    /** Built when first read, as on the panel's first use. */
    readonly panel: PanelModel;
    liveHover: { readonly reads: number };
  } {
    const panel = () => this.panelParts().model;
    return {
      worker: this.worker,
      cache: this.cache,
      config: () => this.config,
      log: this.log,
      gutter: this.gutter,
      hint: this.hint,
      get panel() {
        return panel();
      },
      liveHover: this.live,
    };
  }

  /**
   * The panel, built on first use. Its code is a bundle of its own (dist/panel.js), required here
   * rather than imported, so activation neither loads nor runs it (scripts/lazy-parts.mjs).
   */
  private panelParts(): { model: PanelModel; provider: LossPanelProvider } {
    if (!this.panelBuilt) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const parts = require('./panel/index') as typeof PanelParts;
      const model = this.register(
        new parts.PanelModel(panelAnalyses(this.cache), this.worker, () => this.config, this.log),
      );
      const provider = this.register(new parts.LossPanelProvider(this.context.extensionUri, model, this.log));
      this.panelBuilt = { model, provider };
    }
    return this.panelBuilt;
  }

  private registerProviders(): void {
    this.providerStore.clear();
    void vscode.commands.executeCommand('setContext', 'lossInspector.supportedLanguages', this.config.languages);
    if (!this.config.enable) return;
    const selector: vscode.DocumentSelector = [
      ...this.config.languages.map((language) => ({ language })),
      { notebookType: 'jupyter-notebook', language: 'python' },
    ];
    this.providerStore.add(
      vscode.languages.registerHoverProvider(selector, new LossHoverProvider(this.cache, () => this.config)),
    );
    this.providerStore.add(vscode.languages.registerInlayHintsProvider(selector, this.inlay));
    this.providerStore.add(vscode.languages.registerCodeLensProvider(selector, this.lenses));
    // Offers nothing unless a debug session is paused in the document.
    this.providerStore.add(vscode.languages.registerCodeLensProvider(liveLensSelector, this.live));
    this.providerStore.add(vscode.languages.registerHoverProvider(liveLensSelector, this.live));
    this.providerStore.add(
      vscode.languages.registerCodeActionsProvider(selector, new LossCodeActionProvider(this.cache), {
        providedCodeActionKinds: LossCodeActionProvider.kinds,
      }),
    );
  }

  private onConfigChanged(): void {
    const before = this.config;
    this.config = readConfig();
    if (before.enable !== this.config.enable || before.languages.join() !== this.config.languages.join())
      this.registerProviders();
    if (
      before.dtype !== this.config.dtype ||
      before.maxElements !== this.config.maxElements ||
      before.enable !== this.config.enable ||
      before.languages.join() !== this.config.languages.join() ||
      before.debounceMs !== this.config.debounceMs
    ) {
      // Diagnostics computed under the old settings (or for a language no longer enabled) would go
      // stale: drop them; re-analysing the visible documents brings back the current ones.
      this.diagnostics.collection.clear();
      this.cache.updateConfig(this.config);
    }
    this.inlay.refresh();
    this.lenses.refresh();
    this.gutter.refresh();
  }
}

/** Hover reads are held under one key, so they never push the panel's live pairs out of the worker. */
const liveHoverKey = 'live:hover';
let liveHoverVersion = 0;

/** A live read's loss and its worst sample, computed in the worker for the live hover. */
async function explainLive(worker: WorkerClient, request: LossRequest): Promise<LiveExplanation> {
  const version = ++liveHoverVersion;
  const held = await worker.request('holdLive', { key: liveHoverKey, version, request });
  if (!held.ok) return { loss: null, worst: null, count: 0, error: held.error.message };
  const h = held.value;
  if (h.loss === null) return { loss: null, worst: null, count: 0, error: h.error?.message ?? null };
  const count = h.N * h.S;
  const seen = await worker.request('inspect', {
    key: liveHoverKey,
    version,
    pairId: livePairId,
    element: 0,
    topK: 1,
    targetLimit: Math.min(count, maxHoverSamples),
  });
  let worst: LiveExplanation['worst'] = null;
  for (const t of seen.ok ? (seen.value.targets ?? []) : []) {
    if (!t.ignored && (worst === null || t.nll > worst.loss))
      worst = { sample: t.sample, loss: t.nll, target: t.target, pTarget: t.pTarget };
  }
  return { loss: h.loss, worst, count, error: null };
}

/** Samples the hover looks through for the worst one (a long batch is summarised by its first ones). */
const maxHoverSamples = 100_000;

/** A live read as the panel shows it. */
function livePanelPair(read: LiveRead): LivePanelPair {
  const m = read.meta;
  const notes = [...read.notes];
  if (m.reduced && !read.stream) {
    notes.push(
      vscode.l10n.t(
        'Over the transfer budget: the program computed all {0} per-row losses, and the {1} largest rows were read for the breakdown; the full batch’s loss is {2}.',
        m.reduced.positions,
        m.reduced.rows.length,
        m.reduced.loss,
      ),
    );
  }
  const label = m.frame.path ? (m.frame.path.split(/[\\/]/).pop() ?? '') : '';
  return {
    request: read.request,
    // A full read's arrays are this pair's alone; a first paint or a reduced read gets rows appended.
    owned: !m.reduced,
    inputName: m.input.expression,
    targetName: m.target.expression,
    documentLabel: label,
    uri: read.uri,
    frame: m.frame.name,
    line: m.frame.line,
    callLine: m.call ? m.call.line + 1 : null,
    programLoss: m.programLoss
      ? { expression: m.programLoss.expression, value: m.programLoss.value, dtype: m.programLoss.dtype }
      : null,
    // A first paint over the budget: the batch's loss is still being computed in the program.
    reducedLoss: m.reduced && !m.reduced.pending ? m.reduced.loss : null,
    reduced:
      m.reduced && read.fetchRows
        ? {
            positions: m.reduced.positions,
            rows: m.reduced.rows,
            fetchRows: read.fetchRows,
            terms: m.reduced.positionLosses,
          }
        : null,
    notes,
    isCurrent: read.isCurrent,
    ...(read.stream ? { stream: read.stream } : {}),
  };
}

/** Two selected literals as the panel's ad-hoc pair: computed like a live pair, badged as the selection. */
function selectionPanelPair(p: SelectionPair): LivePanelPair {
  return {
    request: p.request,
    inputName: p.logitsName,
    targetName: p.targetName,
    documentLabel: p.documentLabel,
    uri: p.uri,
    frame: '',
    line: p.line,
    callLine: null,
    programLoss: null,
    reducedLoss: null,
    notes: [],
    isCurrent: () => true,
    selection: { line: p.line, endLine: p.endLine },
  };
}

/** The editor's analysis cache as the panel sees it. */
function panelAnalyses(cache: DocumentAnalysisCache): PanelAnalyses<AnalysisEntry> {
  return {
    onDidChange: cache.onDidChange,
    supports: (document) => cache.supports(document),
    peek: (document) => cache.peek(document),
    ensure: (document) => cache.ensure(document),
    inspect: (document, entry, params) => cache.inspect(document, entry, params),
    reanalyse: (document, entry, code) => cache.reanalyse(document, entry, code),
    covers: (entry, document) =>
      entry.uri.toString() === document.uri.toString() ||
      (entry.notebook?.getCells().some((c) => c.document === document) ?? false),
    pairNear: (entry, document, offset) => new DocumentView(entry, document).pairNear(offset),
    pairRange: (entry, document, pair) => {
      const anchor = pair.call ?? entry.analysis?.arrays.find((a) => a.id === pair.logits.id);
      return anchor ? new DocumentView(entry, document).range(anchor) : undefined;
    },
  };
}
