import * as vscode from 'vscode';
import type { Finding, PairAnalysis } from '../core/detection';
import { errorText } from '../core/errorText';
import { classCountOf } from '../core/invalidTargets';
import { reasonText } from '../core/reasonText';
import { Disposable } from '../util/disposable';
import type { AnalysisEntry, DocumentAnalysisCache } from './documentAnalysis';
import { claimMismatchMessage, placeText } from './format';
import { DocumentView } from './locate';
import { outOfRangeTargets, softmaxArgument } from './sourceText';

const severities: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * Beginner mistakes are Information: the code runs, torch computes a number, and the user may mean
 * it. Detection reports them as warnings (its severity suits the CLI's exit code), so the editor
 * maps them by code here. A parse error is a Hint: text being typed does not parse for a moment,
 * and the language server already reports real syntax errors.
 */
const editorSeverity: Partial<Record<string, vscode.DiagnosticSeverity>> = {
  softmax_applied_twice: vscode.DiagnosticSeverity.Information,
  log_probs_expected: vscode.DiagnosticSeverity.Information,
  probabilities_not_normalised: vscode.DiagnosticSeverity.Information,
  parse_error: vscode.DiagnosticSeverity.Hint,
};

/** Diagnostic source; also how the quick-fix provider recognises our diagnostics. */
export const diagnosticSource = 'Loss Inspector';

/** The command a diagnostic's code opens: the finding's entry of media/findings.md, as a preview. */
export const explainFindingCommand = 'lossInspector.explainFinding';

/** The view type of the built-in Markdown extension's preview editor. */
const markdownPreviewEditor = 'vscode.markdown.preview.editor';

/** Out-of-range targets squiggled one by one, at most this many per pair. */
const maxTargetMarks = 20;

/** Findings → diagnostics, with a code that opens its explanation (media/findings.md) in a preview. */
export class LossDiagnostics extends Disposable {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('lossInspector'));

  constructor(
    cache: DocumentAnalysisCache,
    private readonly extensionUri: vscode.Uri,
  ) {
    super();
    this.register(vscode.commands.registerCommand(explainFindingCommand, (code: unknown) => this.explain(code)));
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
    return view.findings().flatMap((f) => {
      const severity = editorSeverity[f.code] ?? severities[f.severity] ?? vscode.DiagnosticSeverity.Information;
      if (f.code === 'target_out_of_bounds') {
        const marks = this.targetDiagnostics(f, view, severity);
        if (marks.length) return marks;
      }
      return [this.diagnostic(view.range(f), this.message(f, view, entry), severity, f.code)];
    });
  }

  private diagnostic(
    range: vscode.Range,
    message: string,
    severity: vscode.DiagnosticSeverity,
    code: string,
  ): vscode.Diagnostic {
    const d = new vscode.Diagnostic(range, message, severity);
    d.source = diagnosticSource;
    d.code = { value: code, target: explainUri(code) };
    if (code === 'claim_unverified') d.tags = [vscode.DiagnosticTag.Unnecessary];
    return d;
  }

  /**
   * "Target 10 is out of bounds" on the offending element itself (the `10` of `[10]`), with the
   * valid range, rather than on the whole loss call; the call is related information.
   */
  private targetDiagnostics(f: Finding, view: DocumentView, severity: vscode.DiagnosticSeverity): vscode.Diagnostic[] {
    const pair = view.analysis?.pairs.find((p) => p.id === f.pairId);
    const site = pair && view.analysis?.arrays.find((a) => a.id === pair.target.id);
    if (!pair || !site || !view.owns(site)) return [];
    const C = classCount(pair);
    if (C === null) return [];
    const literal = view.document.getText(view.range({ start: site.literalStart, end: site.literalEnd }));
    const bad = outOfRangeTargets(literal, C, pair.options.ignoreIndex, maxTargetMarks);
    const call = pair.call;
    return bad.map((b) => {
      const at = site.literalStart + b.start;
      const d = this.diagnostic(
        view.range({ start: at, end: at + b.end - b.start }),
        vscode.l10n.t('Target {0} is out of bounds: class indices go from 0 to {1} ({2} classes).', b.text, C - 1, C),
        severity,
        f.code,
      );
      if (call && view.owns(call))
        d.relatedInformation = [
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(view.document.uri, view.range(call)),
            vscode.l10n.t('torch raises here: {0}', f.message),
          ),
        ];
      return d;
    });
  }

  /**
   * Detection words its findings in English (the CLI prints them). The ones users meet most are
   * re-worded here through vscode.l10n from their own fields; torch's error messages stay as torch
   * prints them.
   */
  /**
   * Opens the entry of media/findings.md for a finding code as a rendered, read-only Markdown
   * preview scrolled to its heading (the raw file at line 1 invites edits and hides the entry).
   * The code arrives from a `command:` link: anything but a plain code word is refused.
   */
  private async explain(code: unknown): Promise<void> {
    if (typeof code !== 'string' || !/^[a-z_]{1,64}$/.test(code)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Loss Inspector: there is no explanation for that finding.'));
      return;
    }
    const file = vscode.Uri.joinPath(this.extensionUri, 'media', 'findings.md');
    try {
      // The headings are the codes themselves, so the preview's slug for the entry is the code.
      await vscode.commands.executeCommand('vscode.openWith', file.with({ fragment: code }), markdownPreviewEditor);
    } catch {
      // Without the built-in Markdown extension: the source, at the entry's heading.
      const doc = await vscode.workspace.openTextDocument(file);
      const line = doc.getText().split('\n').indexOf(`## ${code}`);
      await vscode.window.showTextDocument(doc, {
        preview: true,
        selection: new vscode.Range(Math.max(0, line), 0, Math.max(0, line), 0),
      });
    }
  }

  private message(f: Finding, view: DocumentView, entry: AnalysisEntry): string {
    if (f.code === 'claim_mismatch' && f.claimId !== undefined) {
      const claim = view.analysis?.claims.find((c) => c.id === f.claimId);
      if (claim?.expected) return claimMismatchMessage(claim, vscode.l10n);
    }
    if (f.code === 'parse_error') {
      const where = placeText(f.line, f.cell, vscode.l10n);
      return entry.stale
        ? vscode.l10n.t(
            '{0} does not parse yet ({1}). Loss Inspector shows the results of the last version that did until it does.',
            where,
            f.message,
          )
        : vscode.l10n.t(
            '{0} does not parse yet ({1}). Loss Inspector reads this file again once it does.',
            where,
            f.message,
          );
    }
    // A pair's error in Loss Inspector's own words (an empty input, the element cap): the sentence
    // of its detail, in the user's language. Torch's errors have none and keep torch's wording.
    const pairError = f.pairId === undefined ? undefined : view.analysis?.pairs.find((p) => p.id === f.pairId)?.error;
    if (pairError?.detail && pairError.code === f.code) return errorText(pairError, vscode.l10n);
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
          // Detection's reason, in this language where its sentence is known (English where not).
          return claim?.reason
            ? vscode.l10n.t('Cannot verify the claimed {0}: {1}.', claim.text, reasonText(claim.reason, vscode.l10n))
            : vscode.l10n.t(
                'Cannot verify the claimed {0}: its expression is not one Loss Inspector can evaluate.',
                claim?.text ?? '',
              );
        case 'pair_unverified': {
          const unverified = view.analysis?.pairs.find((p) => p.id === f.pairId)?.unverified;
          if (unverified) return vscode.l10n.t('This loss is not computed: {0}.', reasonText(unverified, vscode.l10n));
          break;
        }
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

/** `command:lossInspector.explainFinding?["code"]`: VS Code opens diagnostic code links with commands allowed. */
export function explainUri(code: string): vscode.Uri {
  return vscode.Uri.parse(`command:${explainFindingCommand}?${encodeURIComponent(JSON.stringify([code]))}`);
}

/** The number of classes C of a pair's input: (C), (N, C) or (N, C, d1, …). */
function classCount(pair: PairAnalysis): number | null {
  const C = classCountOf(pair.inputShape);
  return C === null || C < 1 ? null : C;
}

/**
 * Quick fixes: "Update to tensor(2.3519)" for a claim that does not hold; "Remove the extra
 * softmax" when CrossEntropyLoss gets softmax output; "Apply log_softmax" and "Use
 * CrossEntropyLoss" when NLLLoss gets raw logits.
 */
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
      const finding = view.findings().find((f) => f.code === code && view.range(f).isEqual(d.range));
      if (!finding) continue;
      // Fixes computed from stale results would edit text that has changed since.
      if (finding.pairId !== undefined && entry.stale?.pairs.has(finding.pairId)) continue;
      const pair = view.analysis?.pairs.find((p) => p.id === finding.pairId);
      const add = (title: string, edits: { range: vscode.Range; text: string }[], preferred: boolean) => {
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = preferred;
        const edit = new vscode.WorkspaceEdit();
        for (const e of edits) edit.replace(document.uri, e.range, e.text);
        action.edit = edit;
        actions.push(action);
      };
      if (finding.fix) {
        add(
          vscode.l10n.t('Update to {0}', finding.fix.newText),
          [{ range: view.range(finding.fix), text: finding.fix.newText }],
          true,
        );
      } else if (finding.code === 'softmax_applied_twice') {
        const text = document.getText(view.range(finding));
        const inner = softmaxArgument(text);
        if (inner !== null)
          add(
            vscode.l10n.t('Remove the extra softmax: pass {0}', inner.text),
            [{ range: view.range({ start: finding.start, end: finding.end }), text: inner.text }],
            true,
          );
      } else if (finding.code === 'log_probs_expected' && pair) {
        const text = document.getText(view.range(finding));
        const dim = pair.inputShape.length >= 2 ? 1 : 0;
        const fn = /^\s*import\s+torch\.nn\.functional\s+as\s+F\b/m.test(document.getText()) ? 'F' : 'torch';
        const wrapped = `${fn}.log_softmax(${text}, dim=${dim})`;
        add(vscode.l10n.t('Apply log_softmax: {0}', wrapped), [{ range: view.range(finding), text: wrapped }], true);
        const swap = crossEntropySwap(document, view, pair);
        if (swap) add(vscode.l10n.t('Use CrossEntropyLoss instead of NLLLoss'), [swap], false);
      }
    }
    return actions;
  }
}

/**
 * The edit that turns the NLLLoss of a pair into CrossEntropyLoss on the same arguments: the
 * functional `nll_loss` in the call, an inline `NLLLoss()` in the call, or the `NLLLoss` the
 * criterion was made from (`criterion = nn.NLLLoss()`, searched above the call).
 */
function crossEntropySwap(
  document: vscode.TextDocument,
  view: DocumentView,
  pair: PairAnalysis,
): { range: vscode.Range; text: string } | undefined {
  const call = pair.call;
  if (!call || (call.kind !== 'NLLLoss' && call.kind !== 'nll_loss')) return undefined;
  const callText = document.getText(view.range(call));
  const local = (offset: number, from: string, to: string) => ({
    range: view.range({ start: call.start + offset, end: call.start + offset + from.length }),
    text: to,
  });
  const functional = /\bnll_loss\b/.exec(callText);
  if (call.kind === 'nll_loss') return functional ? local(functional.index, 'nll_loss', 'cross_entropy') : undefined;
  const inline = /\bNLLLoss\b/.exec(callText);
  if (inline) return local(inline.index, 'NLLLoss', 'CrossEntropyLoss');
  const callee = call.callee;
  if (!callee || !/^[A-Za-z_][\w.]*$/.test(callee)) return undefined;
  // Only the text above the call, and not more than a window of it (a file can be 10 MB).
  const window = 200_000;
  const from = Math.max(0, call.start - window);
  const before = document.getText(view.range({ start: from, end: call.start }));
  const pattern = new RegExp(`(?:^|[^\\w.])${callee.replace(/\./g, '\\.')}\\s*=\\s*[\\w.]*?\\bNLLLoss\\s*\\(`, 'g');
  let last: RegExpExecArray | null = null;
  for (let m = pattern.exec(before); m; m = pattern.exec(before)) last = m;
  if (!last) return undefined;
  const at = from + last.index + last[0].lastIndexOf('NLLLoss');
  return {
    range: view.range({ start: at, end: at + 'NLLLoss'.length }),
    text: 'CrossEntropyLoss',
  };
}
