import * as vscode from 'vscode';
import type { ArraySite } from '../core/detection';
import type { LossRequest } from '../core/types';
import type { WorkerRequester } from '../protocol/worker';
import { configSection, type Config, type InlineValuesMode } from './config';
import type { DocumentAnalysisCache } from './documentAnalysis';
import { noTorchCopyText } from '../core/sharedText';
import { errorText } from '../core/errorText';
import { classCountOf } from '../core/invalidTargets';
import { fmt, shapeText } from './format';
import { DocumentView } from './locate';
import { pairIdentity, torchExport } from '../core/libraryView';
import { targetCandidates, typedTarget } from './selectionTargets';
import { exportOfInspection, formatBreakdown } from '../core/breakdownExport';
import type { CommandId } from './commandIds';
import { checkWorkspace } from './workspaceCheck';

/** Where "Inspect" sends a pair: the side panel. */
export interface PairRevealer {
  /**
   * Shows the pair in the panel and moves the focus there, so that a keyboard user lands on it;
   * with `keepFocus` (a CodeLens or hover link clicked with the mouse) a panel already on screen
   * shows the pair without being revealed, and the focus stays where it was.
   */
  reveal(uri: string, pairId: number | null, options?: { keepFocus?: boolean }): Promise<void>;
  /** Shows two selected literals that no loss call pairs, as an ad-hoc pair marked as the selection. */
  showSelection(pair: SelectionPair): Promise<void>;
}

/** Two literals of a document read as logits and target with torch's defaults (Inspect Selection). */
export interface SelectionPair {
  request: LossRequest;
  /** Names for the panel: the variables the literals are assigned to, else `logits` / `target`. */
  logitsName: string;
  targetName: string;
  uri: string;
  documentLabel: string;
  /** 1-based lines the selection spans. */
  line: number;
  endLine: number;
}

/** Arguments of the internal commands used by lenses and hover links. */
interface PairArgs {
  uri: string;
  pairId: number;
}

function isPairArgs(x: unknown): x is PairArgs {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as PairArgs).uri === 'string' &&
    Number.isSafeInteger((x as PairArgs).pairId)
  );
}

/**
 * Asks for the target of selected logits: the class-index arrays of the file whose shape fits, or
 * class indices typed into the same box. Undefined when the user cancels.
 */
async function chooseTarget(
  candidates: ArraySite[],
  classes: number,
): Promise<{ site: ArraySite } | { typed: string } | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { site: ArraySite }>();
  pick.items = candidates.map((x) => ({
    label: x.name ?? vscode.l10n.t('array'),
    description: `${shapeText(x.shape)} · ${vscode.l10n.t('line {0}', x.line)}`,
    site: x,
  }));
  pick.placeholder = vscode.l10n.t(
    'Choose the target for the selected logits, or type class indices (0 to {0}) and press Enter',
    Math.max(0, classes - 1),
  );
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: { site: ArraySite } | { typed: string } | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0] ?? pick.activeItems[0];
      // Typed text that no item matches is a class index, not a filter.
      if (item && pick.value.trim() === '') finish({ site: item.site });
      else if (pick.value.trim() !== '' && !/^\d[\d\s,[\]]*$/.test(pick.value.trim()) && item)
        finish({ site: item.site });
      else if (pick.value.trim() !== '') finish({ typed: pick.value });
      else finish(undefined);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}

/**
 * Where a setting the user already chose lives: a command that changes it writes it back there
 * (a workspace's choice stays the workspace's), and to the user settings when it is not set.
 */
function scopeOf(key: string): vscode.ConfigurationTarget {
  const values = vscode.workspace.getConfiguration(configSection).inspect(key);
  return values?.workspaceValue !== undefined && vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
}

/** What the commands work with (handed over by the root object through ./commandLoader.ts). */
export interface CommandDeps {
  cache: DocumentAnalysisCache;
  worker: WorkerRequester;
  config: () => Config;
  panel: PairRevealer;
  workspaceDiagnostics: vscode.DiagnosticCollection;
  log: vscode.LogOutputChannel;
  /** Whether an open document already has live diagnostics (for its unsaved text, too): the workspace check then adds none. */
  hasLiveDiagnostics: (uri: vscode.Uri) => boolean;
}

/**
 * The bodies of the command-palette commands (category "Loss Inspector"), each a few lines over
 * the cache and worker. ./commandLoader.ts registers their ids at activation and loads this file
 * (dist/commands.js) when one first runs.
 */
export function commandBodies(deps: CommandDeps): Record<CommandId, (arg?: unknown) => unknown> {
  const { cache, worker, config, panel } = deps;

  const pairAtCursor = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const entry = await cache.ensure(editor.document);
    if (!entry?.analysis) return undefined;
    const view = new DocumentView(entry, editor.document);
    const line = editor.selection.active.line;
    const onLine = view.pairOnLine(line);
    const pair = onLine ?? view.pairNear(editor.document.offsetAt(editor.selection.active));
    return pair ? { entry, pair, view, onLine: onLine !== undefined, line: line + 1 } : undefined;
  };

  const documentFor = (uri: string) =>
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ??
    vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri)?.cellAt(0)?.document;

  /** Copies the pair's export; returns the text copied, or undefined when nothing was. */
  const copyPair = async (
    uri: string,
    pairId: number,
    kind: 'pytorch' | 'markdown' | 'json',
  ): Promise<string | undefined> => {
    const document = documentFor(uri);
    const ensured = document ? await cache.ensure(document) : undefined;
    if (!document || !ensured) return undefined;
    // Another library's number that no torch call gives: say why instead of copying a snippet
    // that would print a different number.
    const known = ensured.analysis?.pairs.find((p) => p.id === pairId);
    const copy = known ? torchExport(known) : null;
    if (kind === 'pytorch' && copy && !copy.offered) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Loss Inspector does not copy PyTorch code for this pair: {0}',
          noTorchCopyText(copy.reason, vscode.l10n),
        ),
      );
      return undefined;
    }
    const { entry, outcome: r } = await cache.inspect(document, ensured, { pairId, withData: true, topK: 0 });
    if (!r.ok) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Loss Inspector: {0}', errorText(r.error, vscode.l10n)));
      return undefined;
    }
    const pair = entry.analysis?.pairs.find((p) => p.id === pairId);
    if (!pair) return undefined;
    const identity = pairIdentity(pair);
    const claim = pair.claims.map((id) => entry.analysis?.claims.find((c) => c.id === id)).find((c) => c) ?? null;
    const file = document.uri.path.split('/').pop() ?? '';
    const text = formatBreakdown(
      kind,
      exportOfInspection({
        pair,
        inspection: r.value,
        file,
        claim,
        decimals: config().decimals,
        origin: identity.family === 'library' ? identity.title : null,
      }),
    );
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Loss Inspector: copied'), 2000);
    return text;
  };

  return {
    'lossInspector.inspectPairAtCursor': async () => {
      const found = await pairAtCursor();
      if (!found) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Loss Inspector found no logits/target pair in this file.'),
        );
        return;
      }
      if (!found.onLine) {
        // Say so rather than open another line's pair as if it were this one's; offer the nearest.
        const near = found.view.pairLine(found.pair);
        const go = vscode.l10n.t('Inspect line {0}', near.line);
        void vscode.window
          .showInformationMessage(
            vscode.l10n.t(
              'There is no logits/target pair on line {0}. The nearest is on line {1}.',
              found.line,
              near.line,
            ),
            go,
          )
          .then((answer) => (answer === go ? panel.reveal(found.entry.uri.toString(), found.pair.id) : undefined));
        return undefined;
      }
      await panel.reveal(found.entry.uri.toString(), found.pair.id);
      return found.pair.loss;
    },
    'lossInspector.openPair': async (args: unknown) => {
      if (!isPairArgs(args)) return;
      // A CodeLens or a hover's link: a visible panel takes the pair where the user looks, and the
      // editor keeps the focus (its live region says the result); the commands above still move it.
      await panel.reveal(args.uri, args.pairId, { keepFocus: true });
    },
    'lossInspector.copyAsPyTorch': async (args: unknown) => {
      // The text copied (undefined when nothing was): scripted callers and tests read it.
      if (isPairArgs(args)) return copyPair(args.uri, args.pairId, 'pytorch');
      return undefined;
    },
    'lossInspector.inspectSelection': async (options?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) return undefined;
      // Scripted use (tests, keybindings): `{ target: "1, 5" }` answers the target question up front.
      const given =
        typeof options === 'object' && options !== null && typeof (options as { target?: unknown }).target === 'string'
          ? (options as { target: string }).target
          : undefined;
      const document = editor.document;
      const text = document.getText(editor.selection);
      const selectionStart = document.offsetAt(editor.selection.start);
      const dtype = config().dtype;
      const common = { maxElements: config().maxElements, ...(dtype ? { dtypeOverride: dtype } : {}) };
      // Detection runs in the worker: a selection can be a 10 MB literal.
      const r = await worker.request('analyze', {
        key: `selection:${document.uri.toString()}`,
        version: 0,
        transient: true,
        text,
        languageId: document.languageId,
        fileName: document.fileName,
        ...common,
      });
      if (!r.ok) return undefined;
      const found = r.value.analysis;
      const selected = found.arrays;
      const entry = await cache.ensure(document);
      const documentSites = entry?.analysis?.arrays ?? [];
      const siteAt = (offsetInSelection: number) =>
        documentSites.find((x) => x.start === selectionStart + offsetInSelection);
      /** The document's own pair for what was selected, so the panel can show it step by step. */
      let documentPair: number | undefined;
      const pairOf = (logitsId: number | undefined, targetId: number | undefined) =>
        entry?.analysis?.pairs.find((p) => p.logits.id === logitsId && p.target.id === targetId)?.id;
      let result: { loss: number | null; text: string } | undefined;
      /** Two literals no loss call pairs: shown in the panel as the selection. */
      let adHoc: SelectionPair | undefined;
      let targetName: string | undefined;
      const first = found.pairs[0];
      const startOf = (id: number) => selected.find((x) => x.id === id)?.start ?? -1;
      // A pair found by names and shapes (no call): the document's own when it pairs the same literals.
      const inferred =
        first && !first.call
          ? pairOf(siteAt(startOf(first.logits.id))?.id, siteAt(startOf(first.target.id))?.id)
          : undefined;
      if (first && (first.call || inferred !== undefined)) {
        result = {
          loss: first.loss,
          text: first.error
            ? errorText(first.error, vscode.l10n)
            : `${first.options.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss'} ${shapeText(first.inputShape)} = ${first.printed ?? fmt(first.loss, config().decimals)}`,
        };
        const call = first.call;
        documentPair = call
          ? entry?.analysis?.pairs.find((p) => p.call?.start === selectionStart + call.start)?.id
          : inferred;
      } else {
        // Arrays but no loss call: ask the worker for the loss of two literals read as logits and target.
        let logitsText: string | undefined;
        let targetText: string | undefined;
        const [a, b] = selected;
        if (a && b) {
          logitsText = text.slice(a.start, a.end);
          targetText = text.slice(b.start, b.end);
          documentPair = pairOf(siteAt(a.start)?.id, siteAt(b.start)?.id);
        } else if (a) {
          const logitsSite = siteAt(a.start);
          const candidates = targetCandidates(a.shape, documentSites, logitsSite?.id);
          const C = classCountOf(a.shape);
          const chosen = given !== undefined ? { typed: given } : await chooseTarget(candidates, C ?? 0);
          if (!chosen) return undefined;
          logitsText = text.slice(a.start, a.end);
          if ('site' in chosen) {
            targetText = document.getText(
              new vscode.Range(document.positionAt(chosen.site.start), document.positionAt(chosen.site.end)),
            );
            documentPair = pairOf(logitsSite?.id, chosen.site.id);
            targetName = chosen.site.name ?? undefined;
          } else {
            const typed = typedTarget(chosen.typed, a.shape);
            if (typed === null) {
              void vscode.window.showWarningMessage(
                vscode.l10n.t(
                  'Loss Inspector: "{0}" is not a target for logits {1}: type one class index from 0 to {2} per sample.',
                  chosen.typed,
                  shapeText(a.shape),
                  (C ?? 1) - 1,
                ),
              );
              return undefined;
            }
            targetText = typed;
          }
        }
        if (logitsText !== undefined && targetText !== undefined) {
          const languageId = document.languageId;
          const p = await worker.request('arrayPair', {
            logits: { text: logitsText, languageId },
            target: { text: targetText, languageId },
            withRequest: documentPair === undefined,
            ...common,
          });
          if (p.ok) {
            const v = p.value;
            if (v.request && !v.error) {
              adHoc = {
                request: v.request,
                logitsName: (a && (a.name ?? siteAt(a.start)?.name)) || 'logits',
                targetName: (b && (b.name ?? siteAt(b.start)?.name)) || targetName || 'target',
                uri: document.uri.toString(),
                documentLabel: document.uri.path.split('/').pop() ?? '',
                line: editor.selection.start.line + 1,
                endLine: editor.selection.end.line + 1,
              };
            }
            result = {
              loss: v.loss,
              text: v.error
                ? errorText(v.error, vscode.l10n)
                : `CrossEntropyLoss ${shapeText(v.inputShape)} = ${v.printed ?? fmt(v.loss, config().decimals)}`,
            };
          }
        }
      }
      if (!result) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Select two literals (logits and target) to inspect them.'),
        );
        return undefined;
      }
      // The panel explains pairs of the document, and a combination the code never computes as the
      // selection; only what cannot be computed is answered in a message.
      if (documentPair !== undefined && entry) await panel.reveal(entry.uri.toString(), documentPair);
      else if (adHoc) await panel.showSelection(adHoc);
      else void vscode.window.showInformationMessage(vscode.l10n.t('Loss Inspector: {0}', result.text));
      return result.loss;
    },
    'lossInspector.showPanel': () => panel.reveal('', null),
    'lossInspector.toggleInlineValues': async () => {
      // all → currentLine → off → all: each of the three modes is one step away, none is lost.
      const order: InlineValuesMode[] = ['all', 'currentLine', 'off'];
      const next = order[(order.indexOf(config().inlineValues) + 1) % order.length]!;
      await vscode.workspace.getConfiguration(configSection).update('inlineValues', next, scopeOf('inlineValues'));
      const said: Record<InlineValuesMode, string> = {
        all: vscode.l10n.t('Loss Inspector: inline values on every line'),
        currentLine: vscode.l10n.t('Loss Inspector: inline values on the cursor line only'),
        off: vscode.l10n.t('Loss Inspector: inline values off'),
      };
      void vscode.window.setStatusBarMessage(said[next], 4000);
      return next;
    },
    'lossInspector.chooseDtype': async (value?: unknown) => {
      const current = config().dtype ?? 'fromCode';
      const mark = (v: string, text: string) => (v === current ? `${text} · ${vscode.l10n.t('current')}` : text);
      const items = [
        {
          label: vscode.l10n.t('From code'),
          description: mark('fromCode', vscode.l10n.t('torch float tensors → float32, numpy → float64, dtype= wins')),
          value: 'fromCode',
        },
        { label: 'float32', description: mark('float32', vscode.l10n.t("torch's default tensors")), value: 'float32' },
        { label: 'float64', description: mark('float64', 'numpy'), value: 'float64' },
      ];
      const chosen =
        typeof value === 'string'
          ? items.find((i) => i.value === value)
          : await vscode.window.showQuickPick(
              items.map((i) => ({ ...i, picked: i.value === current })),
              {
                placeHolder:
                  current === 'fromCode'
                    ? vscode.l10n.t('Arithmetic precision for Loss Inspector (now: from the code)')
                    : vscode.l10n.t('Arithmetic precision for Loss Inspector (now: {0} for every pair)', current),
              },
            );
      if (!chosen) return undefined;
      await vscode.workspace.getConfiguration(configSection).update('dtype', chosen.value, scopeOf('dtype'));
      void vscode.window.setStatusBarMessage(
        chosen.value === 'fromCode'
          ? vscode.l10n.t('Loss Inspector: each pair in the dtype its code implies')
          : vscode.l10n.t('Loss Inspector: every pair in {0}', chosen.value),
        4000,
      );
      return chosen.value;
    },
    'lossInspector.copyBreakdown': async (format?: unknown) => {
      const found = await pairAtCursor();
      if (!found) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Loss Inspector found no logits/target pair in this file.'),
        );
        return;
      }
      const kinds = [
        { label: 'Markdown', value: 'markdown' as const },
        { label: 'JSON', value: 'json' as const },
        { label: vscode.l10n.t('PyTorch snippet'), value: 'pytorch' as const },
      ];
      const kind =
        typeof format === 'string'
          ? kinds.find((k) => k.value === format)
          : await vscode.window.showQuickPick(kinds, { placeHolder: vscode.l10n.t('Copy the breakdown as…') });
      if (kind) await copyPair(found.entry.uri.toString(), found.pair.id, kind.value);
    },
    'lossInspector.checkWorkspaceClaims': () =>
      checkWorkspace({
        worker,
        config: config(),
        collection: deps.workspaceDiagnostics,
        log: deps.log,
        isLive: deps.hasLiveDiagnostics,
      }),
  };
}
