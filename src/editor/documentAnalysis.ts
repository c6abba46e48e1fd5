import * as vscode from 'vscode';
import type { DocumentAnalysis, NotebookCellInput } from '../core/detection';
import type { ErrorInfo } from '../core/types';
import type {
  AnalyzeParams,
  AnalyzeResult,
  InspectParams,
  Inspection,
  Outcome,
  TextEdit,
  WorkerRequester,
} from '../protocol/worker';
import { Disposable } from '../util/disposable';
import type { Config } from './config';
import { InspectionMemo } from './inspectionMemo';
import { mergeStale, notebookMergeContext, parseErrorOf, textMergeContext, type StaleParts } from './staleMerge';

/** The analysis of one document version, or why there is none. */
export interface AnalysisEntry {
  /** The document (or notebook) uri. */
  uri: vscode.Uri;
  /** Version of the text document, or of the notebook. */
  version: number;
  status: 'pending' | 'ready' | 'error';
  analysis: DocumentAnalysis | null;
  error: ErrorInfo | null;
  /** Milliseconds the worker spent, for the status item and benchmarks. */
  analysisMs: number;
  /** The notebook analysed as a whole, when the entry belongs to one. */
  notebook: vscode.NotebookDocument | null;
  /**
   * Set when this version does not parse and `analysis` keeps results of the last version that
   * did (mapped to the current text): which pairs and claims are such, and where the parse stops.
   */
  stale?: StaleParts | null;
}

/** The last analysis without a parse error, kept to fill in while the text does not parse. */
interface GoodAnalysis {
  version: number;
  analysis: DocumentAnalysis;
  /** Notebooks: the cell sources it was made from. */
  cells?: string[];
  /** Text documents: the edits made since, in order; null once one was missed (nothing is kept). */
  edits: TextEdit[] | null;
  /** The document version the edits lead to. */
  editedVersion: number;
}

/** What the cache needs from a text document or a notebook. */
type Subject =
  { kind: 'text'; document: vscode.TextDocument } | { kind: 'notebook'; notebook: vscode.NotebookDocument };

/**
 * Per-document analysis, keyed by uri + version (docs/architecture.md): debounced while the user
 * types, computed in the worker, and dropped when a newer version exists, so a stale result is
 * never shown. Notebooks are analysed as one program (a pair may span cells); a cell's
 * TextDocument maps to its notebook's entry.
 */
export class DocumentAnalysisCache extends Disposable {
  private readonly entries = new Map<string, AnalysisEntry>();
  /** Per text document: the version whose text the worker holds, and the edits made since. */
  private readonly synced = new Map<string, { version: number; events: number; edits: TextEdit[] }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly good = new Map<string, GoodAnalysis>();
  /** Inspect answers per analysed version (the entry object is replaced when the version changes). */
  private readonly inspections = new WeakMap<AnalysisEntry, InspectionMemo>();
  private readonly waiters = new Map<string, { version: number; resolve: (e: AnalysisEntry | undefined) => void }[]>();
  private readonly onDidChangeEmitter = this.register(new vscode.EventEmitter<AnalysisEntry>());
  /** Fires when an entry changes status or gets a new analysis. */
  readonly onDidChange = this.onDidChangeEmitter.event;

  constructor(
    private readonly worker: WorkerRequester,
    private config: Config,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        const subject = this.subjectOf(e.document);
        if (!subject) return;
        if (subject.kind === 'text') {
          this.recordEdits(e);
          this.recordGoodEdits(e);
        }
        this.schedule(subject, this.config.debounceMs);
      }),
    );
    this.register(
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length || e.cellChanges.some((c) => c.outputs || c.document))
          this.schedule({ kind: 'notebook', notebook: e.notebook }, this.config.debounceMs);
      }),
    );
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)));
    this.register(vscode.workspace.onDidCloseNotebookDocument((n) => this.forget(n.uri)));
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.analyzeVisible()));
    this.register(vscode.window.onDidChangeVisibleNotebookEditors(() => this.analyzeVisible()));
    this.register({
      dispose: () => {
        for (const t of this.timers.values()) clearTimeout(t);
        this.timers.clear();
        for (const list of this.waiters.values()) for (const w of list) w.resolve(undefined);
        this.waiters.clear();
      },
    });
  }

  /** New settings: re-analyse what is visible (dtype, element cap and languages may have changed). */
  updateConfig(config: Config): void {
    this.config = config;
    this.entries.clear();
    // Kept results were computed under the old settings.
    this.good.clear();
    this.analyzeVisible();
  }

  /**
   * Starts analysing every visible supported document that has no current entry, the active
   * editor's first: the worker answers in the order asked, and that is the one the user looks at.
   */
  analyzeVisible(): void {
    if (!this.config.enable) return;
    const active = vscode.window.activeTextEditor?.document;
    const editors = [...vscode.window.visibleTextEditors].sort(
      (x, y) => Number(y.document === active) - Number(x.document === active),
    );
    for (const editor of editors) {
      const subject = this.subjectOf(editor.document);
      if (subject && !this.current(subject)) this.schedule(subject, 0);
    }
    for (const editor of vscode.window.visibleNotebookEditors) {
      const subject: Subject = { kind: 'notebook', notebook: editor.notebook };
      if (this.supportsNotebook(editor.notebook) && !this.current(subject)) this.schedule(subject, 0);
    }
  }

  /** The current entry for a document (or its notebook), if its version is the latest. */
  peek(document: vscode.TextDocument): AnalysisEntry | undefined {
    const subject = this.subjectOf(document);
    return subject ? this.current(subject) : undefined;
  }

  /**
   * The analysis of the document's current version: the cached one, or a fresh one. A hover or a
   * command is waiting, so by default the debounce is cut short and the analysis starts now.
   * `afterDebounce` (inlay hints, lenses: VS Code asks for them after every keystroke) waits for
   * the debounced analysis instead, so typing in a large file does not re-send its text to the
   * worker on every key. Resolves with an error entry, never rejects; with undefined when the
   * document is not analysed or closes while waiting.
   */
  async ensure(
    document: vscode.TextDocument,
    options: { afterDebounce?: boolean } = {},
  ): Promise<AnalysisEntry | undefined> {
    const subject = this.subjectOf(document);
    if (!subject) return undefined;
    const cur = this.current(subject);
    if (cur && cur.status !== 'pending') return cur;
    const key = this.keyOf(subject);
    const version = this.versionOf(subject);
    const promise = new Promise<AnalysisEntry | undefined>((resolve) => {
      const list = this.waiters.get(key) ?? [];
      list.push({ version, resolve });
      this.waiters.set(key, list);
    });
    const debouncing = this.timers.has(key);
    if (options.afterDebounce && debouncing) return promise;
    if (!cur || debouncing) this.schedule(subject, 0);
    return promise;
  }

  /**
   * Asks the worker about one pair of the document's analysis (hover rows, copy). The worker keeps
   * only its last few analyses, and none after a restart (crash, deadline): when it no longer has
   * this one (`invalid_request`) or died on the way (`worker_crashed`), the document is analysed
   * again and the request repeated once, so a hover never stays broken until the next edit.
   */
  async inspect(
    document: vscode.TextDocument,
    entry: AnalysisEntry,
    request: Omit<InspectParams, 'key' | 'version'>,
  ): Promise<{ entry: AnalysisEntry; outcome: Outcome<Inspection> }> {
    const ask = async (e: AnalysisEntry): Promise<Outcome<Inspection>> => {
      let memo = this.inspections.get(e);
      const kept = memo?.get(request);
      if (kept) return { ok: true, value: kept };
      const answer = await this.worker.request('inspect', { ...request, key: e.uri.toString(), version: e.version });
      if (answer.ok) {
        if (!memo) this.inspections.set(e, (memo = new InspectionMemo()));
        memo.set(request, answer.value);
      }
      return answer;
    };
    const outcome = await ask(entry);
    if (outcome.ok) return { entry, outcome };
    const fresh = await this.reanalyse(document, entry, outcome.error.code);
    return fresh ? { entry: fresh, outcome: await ask(fresh) } : { entry, outcome };
  }

  /**
   * The worker keeps only its last few analyses, and none after a restart (crash, deadline): when a
   * request about `entry` failed because the worker no longer has it (`invalid_request`) or died on
   * the way (`worker_crashed`), the document is analysed again. Resolves with the fresh entry to
   * repeat the request with once, or undefined (another failure, the document moved on, or the new
   * analysis failed).
   */
  async reanalyse(
    document: vscode.TextDocument,
    entry: AnalysisEntry,
    code: string,
  ): Promise<AnalysisEntry | undefined> {
    if (code !== 'invalid_request' && code !== 'worker_crashed') return undefined;
    const subject = this.subjectOf(document);
    if (!subject || this.versionOf(subject) !== entry.version) return undefined;
    this.log.info(`re-analysing ${entry.uri.toString(true)}: the worker no longer holds its analysis (${code})`);
    this.entries.delete(this.keyOf(subject));
    const fresh = await this.ensure(document);
    return fresh?.status === 'ready' ? fresh : undefined;
  }

  /** Whether a text document is one we analyse (its language is enabled, or it is a notebook cell). */
  supports(document: vscode.TextDocument): boolean {
    return this.subjectOf(document) !== undefined;
  }

  private supportsNotebook(notebook: vscode.NotebookDocument): boolean {
    return (
      this.config.enable && (notebook.notebookType === 'jupyter-notebook' || this.config.languages.includes('jupyter'))
    );
  }

  private subjectOf(document: vscode.TextDocument): Subject | undefined {
    if (!this.config.enable) return undefined;
    if (document.uri.scheme === 'vscode-notebook-cell') {
      const notebook = vscode.workspace.notebookDocuments.find((nb) =>
        nb.getCells().some((c) => c.document === document),
      );
      if (notebook && this.supportsNotebook(notebook)) return { kind: 'notebook', notebook };
      return undefined;
    }
    if (!this.config.languages.includes(document.languageId)) return undefined;
    return { kind: 'text', document };
  }

  private keyOf(subject: Subject): string {
    return (subject.kind === 'text' ? subject.document.uri : subject.notebook.uri).toString();
  }

  private versionOf(subject: Subject): number {
    return subject.kind === 'text' ? subject.document.version : subject.notebook.version;
  }

  private current(subject: Subject): AnalysisEntry | undefined {
    const entry = this.entries.get(this.keyOf(subject));
    return entry && entry.version === this.versionOf(subject) ? entry : undefined;
  }

  private schedule(subject: Subject, delayMs: number): void {
    const key = this.keyOf(subject);
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.run(subject);
      }, delayMs),
    );
  }

  /**
   * Keeps the edits since the version the worker holds, so the next analysis sends them instead
   * of the whole text. Changes of one event refer to the text before the event; applied from the
   * highest offset down, each one's offset stays valid for the next.
   */
  private recordEdits(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const sync = this.synced.get(key);
    if (!sync) return;
    if (sync.version + sync.events !== e.document.version - 1) {
      // A version went by unseen: fall back to the full text.
      this.synced.delete(key);
      return;
    }
    const changes = [...e.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
    for (const c of changes) sync.edits.push({ offset: c.rangeOffset, length: c.rangeLength, text: c.text });
    sync.events++;
    // Past a point, a full copy is cheaper than replaying edits.
    if (sync.edits.length > 5000) this.synced.delete(key);
  }

  /** The edits since the last analysis that parsed, to map its results to the current text. */
  private recordGoodEdits(e: vscode.TextDocumentChangeEvent): void {
    const good = this.good.get(e.document.uri.toString());
    if (!good?.edits) return;
    if (good.editedVersion !== e.document.version - 1 || good.edits.length > 5000) {
      good.edits = null;
      return;
    }
    const changes = [...e.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
    for (const c of changes) good.edits.push({ offset: c.rangeOffset, length: c.rangeLength, text: c.text });
    good.editedVersion = e.document.version;
  }

  /**
   * The entry for a finished analysis. One that parses becomes the last good one. One with a parse
   * error keeps the results of the last good one that it does not have itself, mapped through the
   * edits since (marked stale), so an unclosed bracket typed mid-edit does not wipe the file.
   */
  private settle(
    subject: Subject,
    key: string,
    version: number,
    analysis: DocumentAnalysis,
  ): {
    analysis: DocumentAnalysis;
    stale: StaleParts | null;
  } {
    const good = this.good.get(key);
    if (!parseErrorOf(analysis)) {
      this.good.set(key, {
        version,
        analysis,
        edits: subject.kind === 'text' ? [] : null,
        editedVersion: version,
        ...(subject.kind === 'notebook' ? { cells: subject.notebook.getCells().map((c) => c.document.getText()) } : {}),
      });
      return { analysis, stale: null };
    }
    if (!good) return { analysis, stale: null };
    let ctx;
    if (subject.kind === 'text') {
      if (!good.edits || good.editedVersion !== version) return { analysis, stale: null };
      const doc = subject.document;
      ctx = textMergeContext(good.edits, (offset) => doc.positionAt(offset).line + 1);
    } else {
      const cells = subject.notebook.getCells();
      ctx = notebookMergeContext(
        good.cells ?? [],
        cells.map((c) => c.document.getText()),
        (offset, cell) => (cells[cell]?.document.positionAt(offset).line ?? 0) + 1,
      );
    }
    const merged = mergeStale(analysis, good.analysis, ctx);
    return { analysis: merged.analysis, stale: merged.stale };
  }

  /** Sends this version to the worker: its edits since the version the worker holds, else the whole text. */
  private async analyze(subject: Subject, key: string, version: number): Promise<Outcome<AnalyzeResult>> {
    const common = {
      key,
      version,
      ...(this.config.dtype ? { dtypeOverride: this.config.dtype } : {}),
      maxElements: this.config.maxElements,
    };
    const ask = (params: AnalyzeParams) => this.worker.request('analyze', params, { supersedeKey: `analyze:${key}` });
    if (subject.kind === 'notebook') {
      return ask({
        ...common,
        cells: notebookCells(subject.notebook),
        languageId: 'jupyter',
        fileName: subject.notebook.uri.path,
      });
    }
    const doc = subject.document;
    const meta = { languageId: doc.languageId, fileName: doc.fileName };
    const sync = this.synced.get(key);
    const diff = sync && sync.version + sync.events === version && sync.edits.length > 0 ? sync : undefined;
    this.synced.set(key, { version, events: 0, edits: [] });
    let outcome = diff ? await ask({ ...common, ...meta, edits: diff.edits, baseVersion: diff.version }) : undefined;
    if (!outcome || (!outcome.ok && outcome.error.code === 'invalid_request')) {
      outcome = await ask({ ...common, ...meta, text: doc.getText() });
    }
    if (!outcome.ok && this.synced.get(key)?.version === version) this.synced.delete(key);
    return outcome;
  }

  private async run(subject: Subject): Promise<void> {
    const key = this.keyOf(subject);
    const version = this.versionOf(subject);
    const uri = subject.kind === 'text' ? subject.document.uri : subject.notebook.uri;
    const pending: AnalysisEntry = {
      uri,
      version,
      status: 'pending',
      analysis: this.entries.get(key)?.analysis ?? null,
      stale: this.entries.get(key)?.stale ?? null,
      error: null,
      analysisMs: 0,
      notebook: subject.kind === 'notebook' ? subject.notebook : null,
    };
    this.entries.set(key, pending);
    // Asked before `pending` fires: a listener's own request about this version (the panel's)
    // then reaches the worker right behind the analysis instead of ahead of it.
    const asked = this.analyze(subject, key, version);
    this.onDidChangeEmitter.fire(pending);
    const outcome = await asked;
    if (!outcome.ok && outcome.error.code === 'cancelled') return; // a newer run owns the entry
    // Drop a result for a version that is no longer current.
    if (version !== this.versionOf(subject) || this.entries.get(key) !== pending) return;
    let entry: AnalysisEntry;
    if (outcome.ok) {
      const settled = this.settle(subject, key, version, outcome.value.analysis);
      entry = {
        ...pending,
        status: 'ready',
        analysis: settled.analysis,
        analysisMs: outcome.value.analysisMs,
        stale: settled.stale,
      };
    } else entry = { ...pending, status: 'error', error: outcome.error };
    if (!outcome.ok)
      this.log.warn(`analysis of ${uri.toString(true)} failed: ${outcome.error.code}: ${outcome.error.message}`);
    this.entries.set(key, entry);
    this.onDidChangeEmitter.fire(entry);
    // Waiters for this version or an older one get the newest result there is.
    const waiting = this.waiters.get(key) ?? [];
    this.waiters.set(
      key,
      waiting.filter((w) => w.version > version),
    );
    for (const w of waiting) if (w.version <= version) w.resolve(entry);
  }

  /** A closed document: its entry, edits and timer go, and whoever waits for it gets undefined. */
  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.entries.delete(key);
    this.synced.delete(key);
    this.good.delete(key);
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    const waiting = this.waiters.get(key) ?? [];
    this.waiters.delete(key);
    for (const w of waiting) w.resolve(undefined);
  }
}

/** The cells of a notebook as detection takes them: source, kind and the text of stored outputs. */
export function notebookCells(notebook: vscode.NotebookDocument): NotebookCellInput[] {
  const decoder = new TextDecoder();
  return notebook.getCells().map((cell) => ({
    source: cell.document.getText(),
    kind: cell.kind === vscode.NotebookCellKind.Code ? ('code' as const) : ('markdown' as const),
    outputs: cell.outputs.flatMap((o) =>
      o.items
        .filter((i) => i.mime === 'text/plain' || i.mime === 'application/vnd.code.notebook.stdout')
        .map((i) => decoder.decode(i.data)),
    ),
  }));
}
