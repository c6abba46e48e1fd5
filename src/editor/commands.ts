import * as vscode from 'vscode';
import { LineCounter } from '../core/detection/lines';
import { formatTorchScalar } from '../core/format';
import type { KernelClient } from '../worker/kernelClient';
import { configSection, type Config } from './config';
import type { DocumentAnalysisCache } from './documentAnalysis';
import { fmt, pytorchSnippet, shapeText } from './format';
import { DocumentView } from './locate';

/** Keep in step with `transientKeyPrefix` in ../worker/analysisService.ts (not imported: that module pulls detection into the host bundle). */
const transientKeyPrefix = 'transient:';

const t = (message: string, ...args: (string | number | boolean)[]) => vscode.l10n.t(message, ...args);

/** Where "Inspect" sends a pair: the side panel. */
export interface PairRevealer {
  reveal(uri: string, pairId: number | null): Promise<void>;
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

/** The command-palette commands (category "Loss Inspector"). Each is a few lines over the cache and worker. */
export function registerCommands(deps: {
  cache: DocumentAnalysisCache;
  client: KernelClient;
  config: () => Config;
  panel: PairRevealer;
  workspaceDiagnostics: vscode.DiagnosticCollection;
  log: vscode.LogOutputChannel;
  /** Whether an open document already has live diagnostics (for its unsaved text, too): the workspace check then adds none. */
  hasLiveDiagnostics: (uri: vscode.Uri) => boolean;
}): vscode.Disposable[] {
  const { cache, client, config, panel } = deps;

  const pairAtCursor = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const entry = await cache.ensure(editor.document);
    if (!entry?.analysis) return undefined;
    const view = new DocumentView(entry, editor.document);
    const pair = view.pairNear(editor.document.offsetAt(editor.selection.active));
    return pair ? { entry, pair } : undefined;
  };

  const documentFor = (uri: string) =>
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ??
    vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri)?.cellAt(0)?.document;

  const copyPair = async (uri: string, pairId: number, kind: 'pytorch' | 'markdown' | 'json') => {
    const document = documentFor(uri);
    const ensured = document ? await cache.ensure(document) : undefined;
    if (!document || !ensured) return;
    const { entry, outcome: r } = await cache.inspect(document, ensured, {
      pairId,
      withData: kind === 'pytorch',
      topK: 0,
    });
    if (!r.ok) {
      void vscode.window.showWarningMessage(t('Loss Inspector: {0}', r.error.message));
      return;
    }
    const pair = entry.analysis?.pairs.find((p) => p.id === pairId);
    if (!pair) return;
    let text: string;
    if (kind === 'pytorch' && r.inspection.data) {
      const d = r.inspection.data;
      text = pytorchSnippet(
        { shape: d.inputShape, data: d.input },
        { shape: d.targetShape, data: d.target, probabilities: pair.targetKind === 'probabilities' },
        {
          dtype: pair.dtype,
          reduction: pair.options.reduction,
          weight: d.weight,
          ignoreIndex: pair.options.ignoreIndex,
          labelSmoothing: pair.options.labelSmoothing,
          inputKind: pair.options.inputKind,
        },
      );
    } else if (kind === 'json') {
      text = JSON.stringify(
        {
          pair: { logits: pair.logits, target: pair.target, options: pair.options, dtype: pair.dtype, loss: pair.loss },
          sample: r.inspection.sample,
          reduction: r.inspection.reduction,
        },
        null,
        2,
      );
    } else {
      const s = r.inspection.sample;
      const dec = config().decimals;
      const rows = [
        [t('class'), ...s.logits.map((_, i) => String(i))],
        ['x', ...s.logits.map((v) => fmt(v, dec))],
        ['x − max', ...(s.shifted ?? []).map((v) => fmt(v, dec))],
        ['exp(x − max)', ...(s.exp ?? []).map((v) => fmt(v, dec))],
        ['p', ...s.softmax.map((v) => fmt(v, dec))],
        ['log p', ...s.logSoftmax.map((v) => fmt(v, dec))],
        ['q', ...s.targetDistribution.map((v) => fmt(v, dec))],
        ['−q·log p', ...s.contributions.map((v) => fmt(v, dec))],
      ];
      text = [
        `${pair.options.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss'} ${shapeText(pair.inputShape)} → ${pair.printed ?? formatTorchScalar(pair.loss ?? NaN, pair.dtype)}`,
        '',
        `| ${rows[0].join(' | ')} |`,
        `|${rows[0].map(() => '---:').join('|')}|`,
        ...rows.slice(1).map((r2) => `| ${r2.join(' | ')} |`),
        '',
        `Σexp = ${fmt(s.sumExp, dec)}, logsumexp = ${fmt(s.logSumExp, dec)}, ${t('sample loss')} = ${fmt(s.loss, dec)}`,
        `${r.inspection.reduction.reduction}: ${fmt(r.inspection.reduction.numerator, dec)} / ${fmt(r.inspection.reduction.denominator, dec)} = ${fmt(r.inspection.reduction.loss, dec)}`,
      ].join('\n');
    }
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(t('Loss Inspector: copied'), 2000);
  };

  return [
    vscode.commands.registerCommand('lossInspector.inspectPairAtCursor', async () => {
      const found = await pairAtCursor();
      if (!found) {
        void vscode.window.showInformationMessage(t('Loss Inspector found no logits/target pair in this file.'));
        return;
      }
      await panel.reveal(found.entry.uri.toString(), found.pair.id);
      return found.pair.loss;
    }),
    vscode.commands.registerCommand('lossInspector.openPair', async (args: unknown) => {
      if (!isPairArgs(args)) return;
      await panel.reveal(args.uri, args.pairId);
    }),
    vscode.commands.registerCommand('lossInspector.copyAsPyTorch', async (args: unknown) => {
      if (isPairArgs(args)) await copyPair(args.uri, args.pairId, 'pytorch');
    }),
    vscode.commands.registerCommand('lossInspector.inspectSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) return undefined;
      const text = editor.document.getText(editor.selection);
      // Detection runs in the worker: a selection can be a 10 MB literal.
      const analyze = async (source: string, languageId: string) => {
        const r = await client.analyze({
          key: `${transientKeyPrefix}selection`,
          version: 0,
          text: source,
          languageId,
          fileName: editor.document.fileName,
          maxElements: config().maxElements,
          ...(config().dtype ? { dtypeOverride: config().dtype! } : {}),
        });
        return r.ok ? r.analysis : undefined;
      };
      const found = await analyze(text, editor.document.languageId);
      if (!found) return undefined;
      let pair: (typeof found.pairs)[number] | undefined = found.pairs[0];
      if (!pair && found.arrays.length >= 2) {
        pair = (
          await analyze(
            `logits = ${text.slice(found.arrays[0].start, found.arrays[0].end)}\ntarget = ${text.slice(found.arrays[1].start, found.arrays[1].end)}\n`,
            'python',
          )
        )?.pairs[0];
      }
      if (!pair && found.arrays.length === 1) {
        const entry = await cache.ensure(editor.document);
        const others = (entry?.analysis?.arrays ?? []).filter(
          (a) => a.start !== editor.document.offsetAt(editor.selection.start) + found.arrays[0].start,
        );
        const pick = await vscode.window.showQuickPick(
          others.map((a) => ({
            label: a.name ?? t('array'),
            description: `${shapeText(a.shape)} · ${t('line {0}', a.line)}`,
            site: a,
          })),
          { placeHolder: t('Choose the target for the selected logits') },
        );
        if (!pick) return undefined;
        const targetText = editor.document.getText(
          new vscode.Range(editor.document.positionAt(pick.site.start), editor.document.positionAt(pick.site.end)),
        );
        pair = (
          await analyze(
            `logits = ${text.slice(found.arrays[0].start, found.arrays[0].end)}\ntarget = ${targetText}\n`,
            'python',
          )
        )?.pairs[0];
      }
      if (!pair) {
        void vscode.window.showInformationMessage(t('Select two literals (logits and target) to inspect them.'));
        return undefined;
      }
      const message = pair.error
        ? pair.error.message
        : `${pair.options.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss'} ${shapeText(pair.inputShape)} = ${pair.printed ?? fmt(pair.loss, config().decimals)}`;
      void vscode.window.showInformationMessage(t('Loss Inspector: {0}', message));
      return pair.loss;
    }),
    vscode.commands.registerCommand('lossInspector.showPanel', () => panel.reveal('', null)),
    vscode.commands.registerCommand('lossInspector.toggleInlineValues', async () => {
      const c = vscode.workspace.getConfiguration(configSection);
      const next = config().inlineValues === 'off' ? 'all' : 'off';
      await c.update('inlineValues', next, vscode.ConfigurationTarget.Global);
      return next;
    }),
    vscode.commands.registerCommand('lossInspector.chooseDtype', async (value?: unknown) => {
      const items = [
        {
          label: t('From code'),
          description: t('torch float tensors → float32, numpy → float64, dtype= wins'),
          value: 'fromCode',
        },
        { label: 'float32', description: t("torch's default tensors"), value: 'float32' },
        { label: 'float64', description: 'numpy', value: 'float64' },
      ];
      const chosen =
        typeof value === 'string'
          ? items.find((i) => i.value === value)
          : await vscode.window.showQuickPick(items, { placeHolder: t('Arithmetic precision for Loss Inspector') });
      if (!chosen) return undefined;
      await vscode.workspace
        .getConfiguration(configSection)
        .update('dtype', chosen.value, vscode.ConfigurationTarget.Global);
      return chosen.value;
    }),
    vscode.commands.registerCommand('lossInspector.copyBreakdown', async (format?: unknown) => {
      const found = await pairAtCursor();
      if (!found) {
        void vscode.window.showInformationMessage(t('Loss Inspector found no logits/target pair in this file.'));
        return;
      }
      const kinds = [
        { label: 'Markdown', value: 'markdown' as const },
        { label: 'JSON', value: 'json' as const },
        { label: t('PyTorch snippet'), value: 'pytorch' as const },
      ];
      const kind =
        typeof format === 'string'
          ? kinds.find((k) => k.value === format)
          : await vscode.window.showQuickPick(kinds, { placeHolder: t('Copy the breakdown as…') });
      if (kind) await copyPair(found.entry.uri.toString(), found.pair.id, kind.value);
    }),
    vscode.commands.registerCommand('lossInspector.checkWorkspaceClaims', () =>
      checkWorkspace(client, config(), deps.workspaceDiagnostics, deps.log, deps.hasLiveDiagnostics),
    ),
  ];
}

/** Check All Claims in Workspace: every supported file, analysed in the worker, findings into the Problems view. */
async function checkWorkspace(
  client: KernelClient,
  cfg: Config,
  collection: vscode.DiagnosticCollection,
  log: vscode.LogOutputChannel,
  isLive: (uri: vscode.Uri) => boolean,
): Promise<{ files: number; claims: number; wrong: number }> {
  const files = await vscode.workspace.findFiles(
    '**/*.{py,ipynb,md,markdown,js,mjs,cjs,ts,mts,json}',
    '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/.vscode-test/**}',
    5000,
  );
  let claims = 0;
  let wrong = 0;
  collection.clear();
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Checking loss claims'), cancellable: true },
    async (progress, token) => {
      for (let i = 0; i < files.length && !token.isCancellationRequested; i++) {
        const uri = files[i];
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / files.length });
        let text: string;
        try {
          const bytes = await vscode.workspace.fs.readFile(uri);
          if (bytes.byteLength > 50 * 2 ** 20) continue;
          text = new TextDecoder().decode(bytes);
        } catch (err) {
          log.warn(`check: could not read ${uri.toString(true)}: ${(err as Error).message}`);
          continue;
        }
        const r = await client.analyze({
          key: `${transientKeyPrefix}check:${uri.toString()}`,
          version: 0,
          text,
          fileName: uri.path,
          maxElements: cfg.maxElements,
        });
        if (!r.ok) continue;
        claims += r.analysis.claims.length;
        const diags: vscode.Diagnostic[] = [];
        // Positions only for the claims that are reported, with detection's own line counting
        // (`\n`, `\r\n` and a lone `\r`, as the editor counts them).
        let lines: LineCounter | undefined;
        const pos = (offset: number) => {
          lines ??= new LineCounter(text);
          const lineStart =
            offset === 0 ? 0 : Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
          return new vscode.Position(lines.lineAt(offset) - 1, offset - lineStart);
        };
        for (const c of r.analysis.claims) {
          if (c.status !== 'wrong') continue;
          wrong++;
          const range =
            c.cell === undefined ? new vscode.Range(pos(c.start), pos(c.end)) : new vscode.Range(0, 0, 0, 0);
          const d = new vscode.Diagnostic(
            range,
            t('Claimed {0}, but the loss is {1} (torch prints {2}).', c.text, String(c.computed), c.expected ?? '?'),
            vscode.DiagnosticSeverity.Warning,
          );
          d.source = 'Loss Inspector';
          d.code = 'claim_mismatch';
          diags.push(d);
        }
        if (diags.length && !isLive(uri)) collection.set(uri, diags);
      }
    },
  );
  const summary = t('Loss Inspector checked {0} files: {1} claims, {2} wrong.', files.length, claims, wrong);
  if (wrong) void vscode.window.showWarningMessage(summary);
  else void vscode.window.showInformationMessage(summary);
  return { files: files.length, claims, wrong };
}
