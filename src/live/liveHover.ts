/**
 * The hover over a loss call while the program is paused in that call's block, at or after its
 * line: the live loss, the program's own value beside it, and the sample with the highest loss.
 *
 * Contracts:
 * - Only a hover reads, never a stop: a read happens when the pointer rests on the call, and its
 *   answer is kept per session, frame, stop and call, so moving the pointer over the call (or
 *   away and back) reads nothing again. The kept answers go when the program moves.
 * - The hovers over one call share its read, each cancelled on its own (VS Code cancels a hover
 *   the pointer left): the read is cancelled only when no hover waits for it any more, and then
 *   it is not kept, so the next hover reads again. Over the budget the read reduces in steps, so
 *   that cancel also stops the program's work. A command's read is a read of its own: cancelling
 *   it leaves the hovers' reads alone.
 * - Only the call's own arguments are evaluated. When one is not plain (`criterion(model(x), y)`)
 *   the hover says so and reads nothing: no pick, no list of the frame's tensors.
 * - The transfer budget holds: over it, the program computes the per-row losses and only those
 *   cross (4 bytes a row); no row of the input does.
 * - Only in a trusted workspace.
 */
import * as vscode from 'vscode';
import { lossesAgree } from '../util/lossesAgree';
import type { LossRequest } from '../core/types';
import { live, type FocusedRead, type LiveExplanation } from './liveHost';
import type { LossCall } from './lossCall';
import type { LiveMeta } from './types';
import { SharedWork } from './sharedWork';
import type { CancelToken, LiveError } from './session';
import { liveErrorText } from './liveErrorText';

/** Lines above the paused one searched for the hovered call's block. */
const blockWindow = 400;

/** Answers kept for the current stop (a few calls of one function). */
const maxKept = 8;

/** What a hover shows, computed once per (session, frame, stop, call). */
type HoverRead =
  | { kind: 'ok'; meta: LiveMeta; dtype: string; explained: LiveExplanation | null }
  | { kind: 'not_plain'; text: string }
  | { kind: 'error'; message: string };

/** What the hover needs of the host: the paused frame, the budget and the worker. */
export interface LiveHoverHost {
  focusedRead(): Promise<FocusedRead | undefined>;
  budgetBytes(): number;
  explain(request: LossRequest): Promise<LiveExplanation>;
}

export class LiveHoverProvider implements vscode.HoverProvider {
  private kept = new Map<string, SharedWork<HoverRead>>();
  private keptStop = '';
  /** How many hovers read from the program (for tests: moving the pointer must not read again). */
  reads = 0;

  constructor(
    private readonly host: LiveHoverHost,
    private readonly commandId: string,
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token?: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const focus = await this.host.focusedRead();
    if (!focus?.frame.path) return undefined;
    const docPath = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString();
    const { filePath } = live();
    if (filePath(focus.frame.path) !== filePath(docPath)) return undefined;
    const call = this.callAt(document, position, focus);
    if (!call) return undefined;
    const stop = `${focus.session.id}:${focus.frame.frameId}:${focus.state.epoch}`;
    if (stop !== this.keptStop) {
      this.kept = new Map();
      this.keptStop = stop;
    }
    const key = String(call.start);
    let read = this.kept.get(key);
    if (!read || read.cancelled) {
      const shared = new SharedWork((cancel) => this.read(document, call, focus, cancel));
      // A read every hover left is not kept: the next hover reads again.
      shared.result.then(
        () => shared.cancelled && this.kept.get(key) === shared && this.kept.delete(key),
        () => this.kept.get(key) === shared && this.kept.delete(key),
      );
      this.kept.set(key, (read = shared));
      while (this.kept.size > maxKept) this.kept.delete(this.kept.keys().next().value as string);
    }
    let answer: HoverRead;
    try {
      answer = await read.wait(token);
    } catch {
      return undefined; // this hover was cancelled (the pointer left), or every hover was
    }
    // The program may have moved while reading: an answer of another stop is never shown.
    if (focus.state.epoch !== focus.frame.epoch) return undefined;
    const range = new vscode.Range(document.positionAt(call.start), document.positionAt(call.end));
    const md = new vscode.MarkdownString(this.markdown(answer, call, focus, document));
    md.isTrusted = { enabledCommands: [this.commandId] };
    md.supportHtml = false;
    return new vscode.Hover(md, range);
  }

  /** The loss call under the pointer, when the frame is paused in its block at or after its line. */
  private callAt(document: vscode.TextDocument, position: vscode.Position, focus: FocusedRead): LossCall | undefined {
    const paused = focus.frame.line - 1;
    if (position.line > paused) return undefined;
    const text = document.getText();
    const offset = document.offsetAt(position);
    const window = Math.max(20, Math.min(blockWindow, paused - position.line + 1));
    return live()
      .lossCallsInBlock(text, paused, focus.language, window)
      .find((c) => c.start <= offset && offset <= c.end && c.line <= paused);
  }

  private async read(
    document: vscode.TextDocument,
    call: LossCall,
    focus: FocusedRead,
    token: CancelToken,
  ): Promise<HoverRead> {
    for (const arg of [call.input, call.target]) {
      if (arg.kind !== 'plain') return { kind: 'not_plain', text: arg.text };
    }
    this.reads++;
    try {
      const outcome = await live().inspectLive({
        session: focus.reader,
        state: focus.state,
        focus: { threadId: focus.frame.threadId, frameId: focus.frame.frameId },
        frame: focus.frame,
        source: { text: document.getText(), line: call.line, path: document.uri.fsPath },
        trusted: vscode.workspace.isTrusted,
        budgetBytes: this.host.budgetBytes(),
        topK: 0,
        stepped: true,
        token,
      });
      if (outcome.kind !== 'ok') return { kind: 'not_plain', text: outcome.missing.map((m) => m.text).join(', ') };
      const explained = outcome.meta.reduced ? null : await this.host.explain(outcome.request);
      return { kind: 'ok', meta: outcome.meta, dtype: outcome.request.dtype, explained };
    } catch (err) {
      // A cancelled read is not an answer to keep (it rejects, and is dropped from the kept ones).
      if (token.isCancellationRequested) throw err;
      const message =
        err instanceof live().LiveError
          ? liveErrorText(err as LiveError, vscode.l10n)
          : err instanceof Error
            ? err.message
            : String(err);
      return { kind: 'error', message };
    }
  }

  private markdown(answer: HoverRead, call: LossCall, focus: FocusedRead, document: vscode.TextDocument): string {
    const head = vscode.l10n.t('**Live loss** · frame {0} line {1}', code(focus.frame.name), focus.frame.line);
    const link = `[${vscode.l10n.t('Open in the panel')}](command:${this.commandId}?${encodeURIComponent(
      JSON.stringify([{ uri: document.uri.toString(), line: call.line }]),
    )})`;
    if (answer.kind === 'not_plain') {
      return [
        head,
        vscode.l10n.t(
          '{0} is not a plain name, so the hover reads nothing (it could run the program’s code). Inspect live values offers the frame’s tensors to pick from.',
          code(answer.text),
        ),
        link,
      ].join('\n\n');
    }
    if (answer.kind === 'error') return [head, escape(answer.message)].join('\n\n');
    const m = answer.meta;
    const lines = [head];
    const shape = `${code(m.input.expression)} (${m.input.shape.join(', ')}) ${m.input.dtype}`;
    let ours: number | null = null;
    const oursDtype = answer.dtype;
    if (m.reduced) {
      ours = m.reduced.loss;
      lines.push(
        vscode.l10n.t(
          'cross-entropy = {0}, computed in the program: {1} is over the transfer budget',
          num(ours),
          shape,
        ),
      );
      let worst = -1;
      m.reduced.positionLosses.forEach((v, i) => {
        if (worst < 0 || v > (m.reduced!.positionLosses[worst] ?? -Infinity)) worst = i;
      });
      if (worst >= 0) {
        lines.push(
          vscode.l10n.t(
            'Row {0} (of {1}) has the highest loss: {2} (computed in the program)',
            worst,
            m.reduced.positions,
            num(m.reduced.positionLosses[worst] ?? NaN),
          ),
        );
      }
    } else if (answer.explained) {
      const e = answer.explained;
      if (e.loss === null) return [head, shape, escape(e.error ?? ''), link].join('\n\n');
      ours = e.loss;
      lines.push(vscode.l10n.t('cross-entropy = {0} ({1}), recomputed from {2}', num(ours), oursDtype, shape));
      if (e.worst) {
        lines.push(
          e.worst.target === null
            ? vscode.l10n.t('Sample {0} (of {1}) has the highest loss: {2}', e.worst.sample, e.count, num(e.worst.loss))
            : vscode.l10n.t(
                'Sample {0} (of {1}) has the highest loss: {2} (target {3}, p = {4})',
                e.worst.sample,
                e.count,
                num(e.worst.loss),
                e.worst.target,
                num(e.worst.pTarget),
              ),
        );
      }
    }
    if (m.programLoss && ours !== null) {
      const agrees = lossesAgree(ours, oursDtype, m.programLoss.value, m.programLoss.dtype);
      lines.push(
        agrees
          ? vscode.l10n.t('The program’s {0} = {1}: agrees', code(m.programLoss.expression), num(m.programLoss.value))
          : vscode.l10n.t('The program’s {0} = {1}: differs', code(m.programLoss.expression), num(m.programLoss.value)),
      );
    }
    lines.push(link);
    return lines.join('\n\n');
  }
}

function num(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}

/** Program text inside inline code: a backtick in it would end the span, so the fence grows. */
function code(text: string): string {
  const clipped = text.length > 80 ? `${text.slice(0, 79)}…` : text;
  const fence = clipped.includes('`') ? '``' : '`';
  return `${fence} ${clipped.replace(/[\r\n]+/g, ' ')} ${fence}`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|~<>&]/g, (c) => `\\${c}`);
}
