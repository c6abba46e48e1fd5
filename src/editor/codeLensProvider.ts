import * as vscode from 'vscode';
import type { Config } from './config';
import type { DocumentAnalysisCache } from './documentAnalysis';
import { lensMapping, lensTitle } from './format';
import { DocumentView, pairView, staleText } from './locate';

/**
 * A lens answered while the edit's analysis is still on its way: where the last answer had one, its
 * command filled in by resolveCodeLens from the edited version's analysis.
 */
class PendingLens extends vscode.CodeLens {
  constructor(
    line: number,
    readonly document: vscode.TextDocument,
    /** The last answer's command on this line, kept if the analysis no longer has a pair here. */
    readonly previous: vscode.Command,
    /** The lines of the whole pending answer. */
    readonly lines: readonly number[],
  ) {
    super(new vscode.Range(line, 0, line, 0));
  }
}

/** One lens of an answer: its line and command. */
interface Answer {
  line: number;
  command: vscode.Command;
}

/**
 * `cross-entropy 2.1438 · Inspect` above every detected pair; opens the panel on it.
 *
 * After an edit, VS Code repaints the title of a lens on a line that already had one only in its
 * resolve pass, which it schedules 250 ms or more after provideCodeLenses answers (docs/testing.md).
 * So while an edit that kept every line in place is analysed, provideCodeLenses answers at once with
 * the last answer's lines and no commands, and resolveCodeLens waits for the analysis: the resolve
 * pass starts at VS Code's debounce instead of after the analysis. Otherwise (the first answer, a
 * line added or removed) it waits and answers with commands, which a new lens paints at once.
 */
export class LossCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Per text document: the last answer, while every edit since kept the lines where they were. */
  private readonly last = new Map<string, Answer[]>();
  /** The answer for one document version, shared by the resolves of its pending lenses. */
  private built: { uri: string; version: number; answer: Promise<Answer[] | undefined> } | undefined;
  /** The document version whose pending lenses already asked VS Code to ask again. */
  private reasked: { uri: string; version: number } | undefined;
  private readonly listeners: vscode.Disposable[];

  constructor(
    private readonly cache: DocumentAnalysisCache,
    private readonly config: () => Config,
  ) {
    this.listeners = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        const key = e.document.uri.toString();
        if (!this.last.has(key)) return;
        for (const c of e.contentChanges)
          if (c.range.start.line !== c.range.end.line || /[\r\n]/.test(c.text)) {
            this.last.delete(key);
            return;
          }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.last.delete(d.uri.toString())),
    ];
  }

  refresh(): void {
    // Settings or a notebook's outputs changed: the next answer is computed again.
    this.built = undefined;
    this.changed.fire();
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.last.clear();
    this.changed.dispose();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const ready = this.cache.peek(document);
    const previous = this.last.get(document.uri.toString());
    if (previous && (!ready || ready.status === 'pending')) {
      const lines = previous.map((a) => a.line);
      return previous.map((a) => new PendingLens(a.line, document, a.command, lines));
    }
    // Waits for the analysis of this version (a pending one too): VS Code asks again after every
    // edit, so this answer is the one that updates the lenses, together with the other surfaces.
    const answer = await this.answerFor(document);
    if (!answer || token.isCancellationRequested) return [];
    return answer.map((a) => new vscode.CodeLens(new vscode.Range(a.line, 0, a.line, 0), a.command));
  }

  async resolveCodeLens(lens: vscode.CodeLens, token: vscode.CancellationToken): Promise<vscode.CodeLens> {
    if (!(lens instanceof PendingLens)) return lens;
    const answer = await this.answerFor(lens.document);
    const line = lens.range.start.line;
    lens.command = answer?.find((a) => a.line === line)?.command ?? lens.previous;
    // A pair gone from a line or new on another: VS Code asks again (once), and now gets the answer.
    const { document } = lens;
    const same = answer && answer.length === lens.lines.length && answer.every((a, i) => a.line === lens.lines[i]);
    const key = { uri: document.uri.toString(), version: document.version };
    if (
      answer &&
      !same &&
      !token.isCancellationRequested &&
      !(this.reasked?.uri === key.uri && this.reasked.version === key.version)
    ) {
      this.reasked = key;
      this.changed.fire();
    }
    return lens;
  }

  /** The lenses of the document's current version (once per version), remembered for the next edit. */
  private answerFor(document: vscode.TextDocument): Promise<Answer[] | undefined> {
    const uri = document.uri.toString();
    if (this.built?.uri === uri && this.built.version === document.version) return this.built.answer;
    const answer = this.compute(document);
    this.built = { uri, version: document.version, answer };
    return answer;
  }

  private async compute(document: vscode.TextDocument): Promise<Answer[] | undefined> {
    const entry = await this.cache.ensure(document, { afterDebounce: true });
    if (!entry?.analysis) return undefined;
    const view = new DocumentView(entry, document);
    const uri = (entry.notebook?.uri ?? document.uri).toString();
    const decimals = this.config().decimals;
    const answer: Answer[] = [];
    const seen = new Set<number>();
    for (const pair of view.pairs()) {
      const anchor = pair.call ?? view.analysis?.arrays.find((a) => a.id === pair.logits.id);
      if (!anchor) continue;
      const line = view.range(anchor).start.line;
      if (seen.has(line)) continue;
      seen.add(line);
      // Kept from the last version that parsed: the value is shown, and said to be so.
      const stale = entry.stale?.pairs.has(pair.id) ?? false;
      const shown = pairView(pair);
      const value = lensTitle(shown, decimals, vscode.l10n);
      const title = `${stale ? `${value} ${vscode.l10n.t('(stale)')}` : value} · ${vscode.l10n.t('Inspect')}`;
      // Another library's call: the tooltip says how it maps to torch (the title names the call).
      const mapping = lensMapping(shown, vscode.l10n);
      const open = vscode.l10n.t('Open the step-by-step breakdown in the Loss Inspector panel');
      const tooltip = mapping ? `${mapping}\n${open}` : open;
      answer.push({
        line,
        command: {
          title,
          command: 'lossInspector.openPair',
          arguments: [{ uri, pairId: pair.id }],
          tooltip: stale ? `${staleText(entry)}\n${tooltip}` : tooltip,
        },
      });
    }
    // Notebook cells' lenses follow their notebook's analysis (refreshed by the root object), so
    // only a text document's answer is reused while its next edit is analysed.
    if (!entry.notebook && entry.version === document.version) this.last.set(document.uri.toString(), answer);
    return answer;
  }
}
