import * as vscode from 'vscode';
import { Disposable } from '../util/disposable';
import type { Config } from './config';
import type { DocumentAnalysisCache } from './documentAnalysis';
import { DocumentView } from './locate';

/**
 * ✓ and ✗ in the gutter of every line whose printed claim holds or does not (setting
 * `lossInspector.claimGutter`, off by default: the gutter is shared with breakpoints and source
 * control). For tutorial authors who want to scan a long file for the one wrong comment.
 */
export class ClaimGutter extends Disposable {
  private readonly holds: vscode.TextEditorDecorationType;
  private readonly wrong: vscode.TextEditorDecorationType;
  /** What was last set on each visible editor's document: 0-based lines (read by the integration suite). */
  private readonly applied = new Map<string, { holds: number[]; wrong: number[] }>();

  constructor(
    private readonly cache: DocumentAnalysisCache,
    private readonly config: () => Config,
    extensionUri: vscode.Uri,
  ) {
    super();
    this.holds = this.register(
      vscode.window.createTextEditorDecorationType({
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'claim-holds.svg'),
        gutterIconSize: '70%',
      }),
    );
    this.wrong = this.register(
      vscode.window.createTextEditorDecorationType({
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'claim-wrong.svg'),
        gutterIconSize: '70%',
        overviewRulerColor: new vscode.ThemeColor('editorError.foreground'),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
      }),
    );
    this.register(cache.onDidChange(() => this.refresh()));
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.refresh()));
  }

  /** The lines marked in a document's editors, or undefined when none is marked. */
  marked(uri: vscode.Uri): { holds: number[]; wrong: number[] } | undefined {
    return this.applied.get(uri.toString());
  }

  refresh(): void {
    this.applied.clear();
    const on = this.config().claimGutter;
    for (const editor of vscode.window.visibleTextEditors) {
      const lines = on ? this.linesOf(editor.document) : { holds: [], wrong: [] };
      editor.setDecorations(
        this.holds,
        lines.holds.map((l) => new vscode.Range(l, 0, l, 0)),
      );
      editor.setDecorations(
        this.wrong,
        lines.wrong.map((l) => new vscode.Range(l, 0, l, 0)),
      );
      if (lines.holds.length || lines.wrong.length) this.applied.set(editor.document.uri.toString(), lines);
    }
  }

  private linesOf(document: vscode.TextDocument): { holds: number[]; wrong: number[] } {
    const entry = this.cache.peek(document);
    if (!entry?.analysis) return { holds: [], wrong: [] };
    const view = new DocumentView(entry, document);
    const holds = new Set<number>();
    const wrong = new Set<number>();
    for (const claim of view.claims()) {
      // Kept from before an edit that does not parse: not re-judged, so no verdict in the gutter.
      if (entry.stale?.claims.has(claim.id)) continue;
      const line = view.range(claim).start.line;
      if (claim.status === 'holds') holds.add(line);
      else if (claim.status === 'wrong') wrong.add(line);
    }
    // A line with a wrong claim is not also marked as holding.
    for (const l of wrong) holds.delete(l);
    return { holds: [...holds].sort((a, b) => a - b), wrong: [...wrong].sort((a, b) => a - b) };
  }
}
