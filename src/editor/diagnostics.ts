import * as vscode from 'vscode';
import type { Finding } from '../core/detection';
import { Disposable } from '../util/disposable';
import type { AnalysisEntry, DocumentAnalysisCache } from './documentAnalysis';
import { DocumentView } from './locate';

const severities: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * Issue 4 shows beginner mistakes as Information: the code runs, torch computes a number, and the
 * user may mean it. Detection reports them as warnings (its severity suits the CLI's exit code), so
 * the editor maps them by code here.
 */
const editorSeverity: Partial<Record<string, vscode.DiagnosticSeverity>> = {
  softmax_applied_twice: vscode.DiagnosticSeverity.Information,
  log_probs_expected: vscode.DiagnosticSeverity.Information,
  probabilities_not_normalised: vscode.DiagnosticSeverity.Information,
};

/** Diagnostic source; also how the quick-fix provider recognises our diagnostics. */
export const diagnosticSource = 'Loss Inspector';

/** Findings → diagnostics, with a code that links to its explanation in media/findings.md. */
export class LossDiagnostics extends Disposable {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('lossInspector'));

  constructor(
    cache: DocumentAnalysisCache,
    private readonly extensionUri: vscode.Uri,
  ) {
    super();
    this.register(cache.onDidChange((e) => this.update(e)));
    // Live diagnostics describe an open document's text; once it is closed they can only go stale.
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)));
    this.register(
      vscode.workspace.onDidCloseNotebookDocument((n) => {
        for (const cell of n.getCells()) this.collection.delete(cell.document.uri);
      }),
    );
  }

  /** Diagnostics for one text document of an entry (a cell for notebooks). */
  diagnosticsFor(entry: AnalysisEntry, document: vscode.TextDocument): vscode.Diagnostic[] {
    const view = new DocumentView(entry, document);
    return view.findings().map((f) => {
      const d = new vscode.Diagnostic(
        view.range(f),
        this.message(f, view),
        editorSeverity[f.code] ?? severities[f.severity] ?? vscode.DiagnosticSeverity.Information,
      );
      d.source = diagnosticSource;
      d.code = {
        value: f.code,
        target: vscode.Uri.joinPath(this.extensionUri, 'media', 'findings.md').with({ fragment: f.code }),
      };
      if (f.code === 'claim_unverified') d.tags = [vscode.DiagnosticTag.Unnecessary];
      return d;
    });
  }

  /**
   * Detection words its findings in English (the CLI prints them). A wrong claim, the finding users
   * meet most, is re-worded here through vscode.l10n from the claim's own fields, as Check All Claims
   * words it; torch's error messages stay as torch prints them.
   */
  private message(f: Finding, view: DocumentView): string {
    if (f.code === 'claim_mismatch' && f.claimId !== undefined) {
      const claim = view.analysis?.claims.find((c) => c.id === f.claimId);
      if (claim?.computed !== null && claim?.computed !== undefined && claim.expected) {
        return vscode.l10n.t(
          'Claimed {0}, but the loss is {1} (torch prints {2}).',
          claim.text,
          String(claim.computed),
          claim.expected,
        );
      }
    }
    // Other findings: detection's English is the most detailed wording; other locales get a
    // translated sentence per code (torch's own error messages stay as torch prints them).
    if (!vscode.env.language.toLowerCase().startsWith('en')) {
      const claim = f.claimId !== undefined ? view.analysis?.claims.find((c) => c.id === f.claimId) : undefined;
      switch (f.code) {
        case 'softmax_applied_twice':
          return vscode.l10n.t(
            'The input is already probabilities (softmax applied twice): CrossEntropyLoss applies log_softmax itself, so pass the raw logits.',
          );
        case 'log_probs_expected':
          return vscode.l10n.t(
            'NLLLoss expects log-probabilities (log_softmax output): apply log_softmax first, or use CrossEntropyLoss.',
          );
        case 'claim_unverified':
          return vscode.l10n.t(
            'Cannot verify the claimed {0}: its expression is not one Loss Inspector can evaluate.',
            claim?.text ?? '',
          );
        case 'too_large':
          return vscode.l10n.t('This literal is larger than lossInspector.maxElements; it is skipped.');
        case 'one_hot_integer_target':
          return vscode.l10n.t(
            "The target is a one-hot integer tensor of the input's shape: pass class indices (target.argmax(dim=1)) or target.float().",
          );
        case 'probabilities_not_normalised':
          return vscode.l10n.t('Probability targets should sum to 1 in every row.');
        default:
          break;
      }
    }
    return f.message;
  }

  private update(entry: AnalysisEntry): void {
    if (entry.status === 'pending') return;
    if (entry.notebook) {
      for (const cell of entry.notebook.getCells())
        this.collection.set(cell.document.uri, this.diagnosticsFor(entry, cell.document));
      return;
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === entry.uri.toString());
    if (document)
      this.collection.set(document.uri, entry.status === 'ready' ? this.diagnosticsFor(entry, document) : []);
  }
}

/** Quick fixes: "Update to tensor(2.3519)" for a claim that does not hold. */
export class LossCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly cache: DocumentAnalysisCache) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const entry = this.cache.peek(document);
    if (!entry || entry.status !== 'ready') return [];
    const view = new DocumentView(entry, document);
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== diagnosticSource) continue;
      // Diagnostics come back as copies: find the finding by its code and range.
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      const fix = view.findings().find((f) => f.code === code && f.fix && view.range(f).isEqual(d.range))?.fix;
      if (!fix) continue;
      const action = new vscode.CodeAction(vscode.l10n.t('Update to {0}', fix.newText), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(
        document.uri,
        new vscode.Range(document.positionAt(fix.start), document.positionAt(fix.end)),
        fix.newText,
      );
      action.edit = edit;
      actions.push(action);
    }
    return actions;
  }
}
