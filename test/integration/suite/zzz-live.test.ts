// Runs last (zzz-): after a debug session the notebook suite's executeCodeLensProvider fails with
// "Illegal argument" in this window; the cause is not found yet, so the other suites run first.
// The live bridge inside the real VS Code: a Python program paused under debugpy (served by the
// test-only extension test/fixtures/live/debugpy-adapter) and a Node program paused under the
// built-in js-debug, read through `vscode.DebugSession.customRequest` and the focused frame
// (`vscode.debug.activeStackItem`), exactly as the extension does.
// The transfer benches in this window are in zzzz-live-bench.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { inspectLive } from '../../../src/live/bridge';
import { jsChunkBytes } from '../../../src/live/javascript';
import { SessionState } from '../../../src/live/session';
import type { PanelState } from '../../../src/protocol/webview';
import { lineOf, lossOf, ok, pausedFrame, startPython } from '../liveDebug';
import { closeAllEditors, codeLenses, getExtension, harnessEnv, hoverText, positionOf, waitFor } from '../helpers';

/** The part of the extension's exports these tests read: the panel's current snapshot. */
interface Exports {
  services: { panel: { getState(): PanelState }; liveHover: { reads: number } };
}

interface CommandResult {
  ok: boolean;
  code?: string;
  message?: string;
  frame?: string;
  /** The session's tracker took the read's answers in the extension host (src/live/replyTap.ts). */
  tapped?: boolean;
  /** The command's phases (src/live/liveTrace.ts), each DAP request among them. */
  trace?: { phase: string; at: number }[];
}

/** The `evaluate` requests the command sent, in order. */
function evaluatesOf(r: CommandResult): string[] {
  return (r.trace ?? []).map((m) => m.phase).filter((p) => p.startsWith('→ evaluate'));
}

async function panelState(): Promise<{ getState(): PanelState }> {
  return ((await getExtension().activate()) as Exports).services.panel;
}

/** How many hovers read from a paused program so far. */
async function hoverReads(): Promise<number> {
  return ((await getExtension().activate()) as Exports).services.liveHover.reads;
}

/** The live part of the hovers at `position` (the document's own hover may answer there too). */
async function liveHoverAt(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const text = await hoverText(document, position);
  const at = text.indexOf('**Live loss**');
  return at < 0 ? '' : text.slice(at);
}

/** The panel once it shows a computed live pair whose badge is at `line` (a new read replaces an older one). */
async function livePanel(expectLabel: string): Promise<PanelState> {
  const panel = await panelState();
  return waitFor(
    `the panel on the live pair ${expectLabel}`,
    () => {
      const s = panel.getState();
      const label = s.pairs[0]?.label;
      return s.live && s.status === 'ready' && s.reduction && label === expectLabel ? s : undefined;
    },
    60_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; panel ${JSON.stringify({ ...panel.getState(), sample: null, heatMap: null })}`);
  });
}

/** The loss in the panel's headline, in its working dtype. */
function panelLoss(s: PanelState): number {
  const r = s.reduction!;
  const totals = r.dtype === 'float64' ? r.float64 : r.float32;
  return totals!.loss;
}

const repo = harnessEnv.extensionPath ?? path.resolve(__dirname, '..', '..', '..');
const fixture = (name: string) => path.join(repo, 'test', 'fixtures', 'live', name);

suite('Live inspection in the real VS Code', function () {
  this.timeout(300_000);
  const states = new Map<string, SessionState>();
  const stateOf = (s: vscode.DebugSession) => {
    let st = states.get(s.id);
    if (!st) states.set(s.id, (st = new SessionState()));
    return st;
  };
  const subscriptions: vscode.Disposable[] = [];
  /** What the adapters said, for the message of a test that times out. */
  const events: string[] = [];

  suiteSetup(function () {
    subscriptions.push(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: {
            type?: string;
            event?: string;
            command?: string;
            success?: boolean;
            message?: string;
          }) => {
            stateOf(session).onMessage(m);
            if (m.command === 'setBreakpoints') events.push(`reply ${JSON.stringify(m)}`);
            if (m.type === 'event' || m.success === false)
              events.push(`${session.type}:${m.event ?? m.command}${m.message ? ` ${m.message}` : ''}`);
          },
          onWillReceiveMessage: (m: { command?: string; arguments?: unknown }) => {
            if (m.command === 'setBreakpoints') events.push(`request ${JSON.stringify(m.arguments)}`);
          },
          onError: (e) => events.push(`${session.type}:error ${e.message}`),
          onExit: (code) => events.push(`${session.type}:exit ${code}`),
        }),
      }),
    );
  });

  suiteTeardown(async () => {
    await vscode.debug.stopDebugging();
    await waitFor('no debug session', () => vscode.debug.activeDebugSession === undefined || undefined, 30_000).catch(
      () => undefined,
    );
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    for (const d of subscriptions) d.dispose();
    // A pause opens the program's source in an editor; later suites expect the window as they left it.
    await closeAllEditors();
  });

  const pausePython = (program: string, lines: number[]) => startPython(program, lines, events);

  test('debugpy: the seed batch built at run time in train_step reads 2.3519, torch agrees, and 2.1438 for one row', async () => {
    const program = fixture('seed_train.py');
    const text = fs.readFileSync(program, 'utf8');
    const line = lineOf(text, '# PAUSE');
    const frame = await pausePython(program, [line]);
    assert.equal(frame.session.type, 'debugpy');
    const base = {
      session: frame.session,
      state: stateOf(frame.session),
      focus: { threadId: frame.threadId, frameId: frame.frameId },
      trusted: vscode.workspace.isTrusted,
    };
    const batch = ok(await inspectLive({ ...base, source: { text, line: line - 1, path: program }, near: true }));
    assert.equal(batch.meta.frame.name, 'train_step');
    assert.equal(batch.meta.frame.line, line);
    assert.equal(lossOf(batch).toFixed(4), '2.3519');
    assert.equal(batch.meta.programLoss?.expression, 'loss', JSON.stringify({ ...batch.meta, reduced: null }));
    assert.ok(Math.abs(lossOf(batch) - batch.meta.programLoss!.value) < 1e-6);
    const singleLine = lineOf(text, 'single = criterion(first, first_target)');
    const single = ok(await inspectLive({ ...base, source: { text, line: singleLine - 1, path: program } }));
    assert.equal(lossOf(single).toFixed(4), '2.1438');

    // The hover over a loss call the frame has passed: the live loss, the program's own value and
    // the sample with the highest loss, read once per stop and call however the pointer moves.
    const document = await vscode.workspace.openTextDocument(program);
    const before = await hoverReads();
    const callAt = positionOf(document, 'criterion(output, target)');
    const hover = await liveHoverAt(document, callAt.translate(0, 3));
    assert.match(hover, /frame ` train_step ` line 21/, hover);
    assert.match(hover, /cross-entropy = 2\.3519 \(float32\), recomputed from ` output ` \(2, 10\) float32/, hover);
    assert.match(hover, /Sample 1 \(of 2\) has the highest loss: 2\.5601 \(target 5, p = 0\.0773\)/, hover);
    assert.match(hover, /The program’s ` loss ` = 2\.3519: agrees/, hover);
    assert.equal(await hoverReads(), before + 1);
    for (const column of [0, 12, 'criterion(output, target)'.length - 1]) {
      assert.equal(await liveHoverAt(document, callAt.translate(0, column)), hover);
    }
    assert.equal(await hoverReads(), before + 1, 'moving the pointer over the same call read the program again');
    const singleHover = await liveHoverAt(document, positionOf(document, 'criterion(first, first_target)'));
    assert.match(singleHover, /cross-entropy = 2\.1438 .*\n\nSample 0 \(of 1\)/s, singleHover);
    assert.match(singleHover, /The program’s ` single ` = 2\.1438: agrees/, singleHover);
    assert.equal(await hoverReads(), before + 2);
    // Not a loss call, or a call the frame has not reached: no live hover, nothing read.
    assert.equal(await liveHoverAt(document, positionOf(document, 'torch.tensor([1, 5])')), '');
    assert.equal(await hoverReads(), before + 2);

    // The lens on the paused frame's loss line, and what clicking it does: the panel on the live pair.
    const lossLine = lineOf(text, 'loss = criterion(output, target)');
    const lenses = await waitFor(
      'the Inspect live values lens',
      async () => {
        const ls = (await codeLenses(document)).filter((l) => l.command?.command === 'lossInspector.inspectLive');
        return ls.length > 0 ? ls : undefined;
      },
      30_000,
    );
    assert.deepEqual(
      lenses.map((l) => [l.line + 1, l.title]),
      [[lossLine, 'Inspect live values']],
    );
    const clicked = await vscode.commands.executeCommand<CommandResult>(
      'lossInspector.inspectLive',
      ...(lenses[0]!.command!.arguments ?? []),
    );
    assert.equal(clicked.ok, true, JSON.stringify(clicked));
    assert.equal(clicked.tapped, true, 'the answers came through the tracker');
    let state = await livePanel('output, target');
    assert.equal(panelLoss(state).toFixed(4), '2.3519');
    assert.deepEqual([state.live!.frame, state.live!.line, state.live!.paused], ['train_step', line, true]);
    assert.equal(state.live!.programLoss?.expression, 'loss');
    assert.equal(state.live!.programLoss!.value.toFixed(4), '2.3519');
    assert.equal(state.live!.agrees, true);
    assert.ok(state.sample && state.sample.classIndices.length > 0, 'the breakdown of a sample is shown');

    // The command on the single-sample line: the seed article's 2.1438, torch's value beside ours.
    const one = await vscode.commands.executeCommand<CommandResult>('lossInspector.inspectLive', {
      uri: document.uri.toString(),
      line: singleLine - 1,
    });
    assert.equal(one.ok, true, JSON.stringify(one));
    state = await livePanel('first, first_target');
    assert.equal(panelLoss(state).toFixed(4), '2.1438');
    assert.equal(state.live!.programLoss?.expression, 'single');
    assert.equal(state.live!.programLoss!.value.toFixed(4), '2.1438');
    assert.equal(state.live!.agrees, true);

    // From the palette, without a line: the loss call nearest the paused line.
    const palette = await vscode.commands.executeCommand<CommandResult>('lossInspector.inspectLive');
    assert.equal(palette.ok, true, JSON.stringify(palette));
    state = await livePanel('output, target');
    assert.equal(panelLoss(state).toFixed(4), '2.3519');

    // The program moves on: the badge says so (never presented as the current stop), and the
    // command reads nothing.
    await vscode.debug.stopDebugging(frame.session);
    const panel = await panelState();
    await waitFor(
      'the badge to say the program moved on',
      () => panel.getState().live?.paused === false || undefined,
      30_000,
    );
    assert.equal(panelLoss(panel.getState()).toFixed(4), '2.3519');
    const after = await vscode.commands.executeCommand<CommandResult>('lossInspector.inspectLive');
    assert.equal(after.ok, false);
    assert.equal(after.code, 'not_paused');
  });

  test("debugpy: a read queued behind the Variables view's answer says what it waits for, then reads 2.1438", async () => {
    // queue_step.py's frame holds a local whose repr takes 20 s: VS Code's Variables view asks for
    // it at the stop, and debugpy's adapter forwards nothing else until pydevd has answered.
    const program = fixture('queue_step.py');
    const text = fs.readFileSync(program, 'utf8');
    const asked: string[] = [];
    const answered: string[] = [];
    const watch = vscode.debug.registerDebugAdapterTrackerFactory('debugpy', {
      createDebugAdapterTracker: () => ({
        onWillReceiveMessage: (m: { type?: string; command?: string }) => {
          if (m.type === 'request' && m.command === 'variables') asked.push('variables');
        },
        onDidSendMessage: (m: { type?: string; command?: string }) => {
          if (m.type === 'response' && m.command === 'variables') answered.push('variables');
        },
      }),
    });
    try {
      // The program pauses itself at breakpoint().
      await pausePython(program, []);
      // The Variables view on show (an earlier test may have left another view in the side bar).
      await vscode.commands.executeCommand('workbench.debug.action.focusVariablesView');
      await waitFor("the Variables view's request", () => asked.length > 0 || undefined, 60_000);
      assert.equal(answered.length, 0, 'the Variables view was answered before the read started');
      const document = await vscode.workspace.openTextDocument(program);
      const r = await vscode.commands.executeCommand<CommandResult>('lossInspector.inspectLive', {
        uri: document.uri.toString(),
        line: lineOf(text, 'loss = criterion(logits, labels)') - 1,
      });
      assert.equal(r.ok, true, JSON.stringify(r));
      const phases = (r.trace ?? []).map((m) => m.phase);
      assert.ok(
        phases.some((p) => /^waiting behind the editor's variables \(seq \d+\)$/.test(p)),
        `the read did not say it waited for the Variables view: ${JSON.stringify(phases)}`,
      );
      assert.ok(answered.length > 0, 'the read ended before the request it waited for was answered');
      const state = await livePanel('logits, labels');
      assert.equal(panelLoss(state).toFixed(4), '2.1438');
    } finally {
      watch.dispose();
      await vscode.debug.stopDebugging();
    }
  });

  test('debugpy over the budget: another row selected in the panel is read from the paused program', async () => {
    const program = fixture('rows_step.py');
    const text = fs.readFileSync(program, 'utf8');
    const line = lineOf(text, '# PAUSE');
    const config = vscode.workspace.getConfiguration('lossInspector');
    await config.update('live.budgetMiB', 1, vscode.ConfigurationTarget.Global);
    try {
      const frame = await pausePython(program, [line]);
      const document = await vscode.workspace.openTextDocument(program);
      const lossLine = lineOf(text, 'loss = F.cross_entropy(logits, labels)');
      const ext = (await getExtension().activate()) as Exports & {
        services: {
          panel: { onSelectLiveRow(position: number): Promise<void>; onDidChangeState: vscode.Event<PanelState> };
        };
      };
      // Every snapshot the panel publishes: the first paint is on show only until the batch's loss.
      const seen: PanelState[] = [];
      const watch = ext.services.panel.onDidChangeState((s) => seen.push(s));
      const r = await vscode.commands.executeCommand<CommandResult>('lossInspector.inspectLive', {
        uri: document.uri.toString(),
        line: lossLine - 1,
      });
      assert.equal(r.ok, true, JSON.stringify(r));
      const panel = await waitFor(
        'the batch loss on show',
        () => {
          const s = ext.services.panel.getState();
          return s.status === 'ready' && s.live?.stream?.state === 'done' && s.live.rowTerm?.ours != null
            ? s
            : undefined;
        },
        60_000,
      );
      watch.dispose();
      // torch's own loss of a row, read from the program's `per_row`, and of the batch.
      const torchOf = async (expression: string) =>
        Number(
          (
            (await frame.session.customRequest('evaluate', {
              expression,
              frameId: frame.frameId,
              context: 'watch',
            })) as { result: string }
          ).result,
        );
      const torchRow = (position: number) => torchOf(`float(per_row[${position}])`);
      // The first paint: row 0 with torch's term beside ours, the batch's loss still computing.
      const first = seen.find((s) => s.status === 'ready' && s.live?.stream?.state === 'streaming');
      assert.ok(first, `no first paint among ${seen.map((s) => `${s.status}/${s.live?.stream?.state}`).join(', ')}`);
      assert.equal(first.live!.stream!.kind, 'reduce');
      assert.equal(first.live!.stream!.batchLoss, null);
      assert.equal(first.pairs[0]!.loss, null);
      assert.deepEqual(first.live!.rows!.read, [0]);
      assert.equal(first.live!.rowTerm!.position, 0);
      assert.ok(Math.abs(first.live!.rowTerm!.program - (await torchRow(0))) < 1e-5);
      assert.equal(first.live!.rowTerm!.agrees, true);
      // The final read: the batch's loss computed in the program, equal to torch's own.
      assert.ok(Math.abs(panel.live!.stream!.batchLoss! - (await torchOf('float(loss)'))) < 1e-5);
      assert.equal(panel.live!.rowTerm!.position, 0);
      const rows = panel.live!.rows!;
      assert.equal(rows.total, 300);
      assert.equal(rows.read[0], 0);
      // Row 0, then the 8 rows with the highest loss (7 more when row 0 is among them).
      assert.ok(rows.read.length === 9 || rows.read.length === 8, JSON.stringify(rows.read));
      assert.equal(rows.failed, null);
      const read0 = rows.read.length;
      const position = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((p) => !rows.read.includes(p))!;
      await ext.services.panel.onSelectLiveRow(position);
      const after = await waitFor(
        `row ${position} read and selected`,
        () => {
          const s = ext.services.panel.getState();
          return s.live?.rows?.read.includes(position) && s.sample?.element === read0 && s.status === 'ready'
            ? s
            : undefined;
        },
        60_000,
      );
      assert.deepEqual(after.live!.rows!.read, [...rows.read, position]);
      assert.ok(Math.abs(after.sample!.loss - (await torchRow(position))) < 1e-5, JSON.stringify(after.sample!.loss));
      // A row read already is selected without reading anything.
      await ext.services.panel.onSelectLiveRow(rows.read[2]!);
      await waitFor(
        'the third top row selected',
        () => ext.services.panel.getState().sample?.element === 2 || undefined,
        30_000,
      );
      assert.equal(ext.services.panel.getState().live!.rows!.read.length, read0 + 1);

      // Once the program moved on, a row is not read: the panel says why.
      await vscode.debug.stopDebugging(frame.session);
      await waitFor(
        'the badge to say the program moved on',
        () => ext.services.panel.getState().live?.paused === false || undefined,
        30_000,
      );
      const other = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19].find((p) => !after.live!.rows!.read.includes(p))!;
      await ext.services.panel.onSelectLiveRow(other);
      const moved = await waitFor(
        'the row field to say the program moved on',
        () => ext.services.panel.getState().live?.rows?.failed ?? undefined,
        30_000,
      );
      assert.equal(moved, 'The program moved on — inspect again.');
      assert.equal(ext.services.panel.getState().live!.rows!.read.length, read0 + 1);
    } finally {
      await config.update('live.budgetMiB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('debugpy: cancelling the command ends its own read, not the hover’s read waiting behind it', async () => {
    // (2048, 32 000) float32 over a 1 MiB budget: both reads reduce every row in the program.
    const program = fixture('budget_step.py');
    const text = fs.readFileSync(program, 'utf8');
    const config = vscode.workspace.getConfiguration('lossInspector');
    await config.update('live.budgetMiB', 1, vscode.ConfigurationTarget.Global);
    try {
      const frame = await pausePython(program, []); // the program's own breakpoint()
      const document = await vscode.workspace.openTextDocument(program);
      const lossLine = lineOf(text, 'loss = F.cross_entropy(logits, labels)') - 1;
      const ext = (await getExtension().activate()) as Exports & {
        services: { panel: { onStopLiveStream(): void } };
      };
      const panel = ext.services.panel;
      const command = Promise.resolve(
        vscode.commands.executeCommand('lossInspector.inspectLive', { uri: document.uri.toString(), line: lossLine }),
      ) as Promise<CommandResult>;
      await waitFor(
        "the command's first paint, its batch loss being computed",
        () => panel.getState().live?.stream?.state === 'streaming' || undefined,
        120_000,
      );
      // The hover's read goes out while the command's still runs, and waits behind it in the adapter.
      const before = await hoverReads();
      const comma = text.split('\n')[lossLine]!.indexOf(',');
      const hover = liveHoverAt(document, new vscode.Position(lossLine, comma));
      await waitFor('the hover to read', async () => (await hoverReads()) > before || undefined, 60_000);
      panel.onStopLiveStream();
      assert.equal((await command).code, 'cancelled');
      const shown = await hover;
      const ours = /cross-entropy = (\d+\.\d{4}), computed in the program/.exec(shown);
      const torch = /The program’s ` loss ` = (\d+\.\d{4}): agrees/.exec(shown);
      assert.ok(ours && torch, shown);
      assert.equal(ours[1], torch[1]);
      await vscode.debug.stopDebugging(frame.session);
    } finally {
      await config.update('live.budgetMiB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('debugpy progressive read: the worst row paints first, torch-exact; the full read replaces it; stop and continue say so', async () => {
    const program = fixture('stream_step.py');
    const text = fs.readFileSync(program, 'utf8');
    const line = lineOf(text, '# PAUSE');
    const frame = await pausePython(program, [line]);
    const document = await vscode.workspace.openTextDocument(program);
    const lossLine = lineOf(text, 'loss = F.cross_entropy(logits, labels)');
    const ext = (await getExtension().activate()) as Exports & {
      services: { panel: { onStopLiveStream(): void } };
    };
    const panel = ext.services.panel;
    const inspect = () =>
      Promise.resolve(
        vscode.commands.executeCommand<CommandResult>('lossInspector.inspectLive', {
          uri: document.uri.toString(),
          line: lossLine - 1,
        }),
      );
    // torch's own values, read from the program's `loss` and `per_row`.
    const torchValue = async (f: vscode.DebugStackFrame, expression: string) =>
      Number(
        (
          (await f.session.customRequest('evaluate', { expression, frameId: f.frameId, context: 'watch' })) as {
            result: string;
          }
        ).result,
      );
    const firstPaint = (after: number, reading: Promise<CommandResult>) => {
      let ended: CommandResult | undefined;
      void reading.then((r) => (ended = r));
      return waitFor(
        'the first paint (the worst row, while every row streams)',
        () => {
          const s = panel.getState();
          if (ended && !ended.ok)
            throw new Error(`read ${after + 1} ended before its first paint: ${JSON.stringify(ended)}`);
          return s.live?.stream?.state === 'streaming' && s.status === 'ready' && s.sample && panelSeq > after
            ? s
            : undefined;
        },
        120_000,
        10,
      ).catch((err: Error) => {
        const st = panel.getState();
        throw new Error(
          `${err.message} (read ${after + 1}); panel ${JSON.stringify({ ...st, sample: st.sample?.element, heatMap: null, reduction: null, stability: null })}`,
        );
      });
    };
    // Each read's first paint is a new snapshot: tell them apart by the stream's first sighting.
    let panelSeq = 0;
    let lastStream: unknown;
    const watch = setInterval(() => {
      const st = panel.getState().live?.stream;
      if (st?.state === 'streaming' && lastStream !== 'streaming') panelSeq++;
      lastStream = st?.state;
    }, 5);
    try {
      const torchLoss = await torchValue(frame, 'float(loss)');
      const reading = inspect();
      const first = await firstPaint(0, reading);
      const row = first.live!.rows!.read[0]!;
      assert.deepEqual(first.live!.rows!.read, [row]);
      assert.equal(first.live!.rows!.total, 64);
      assert.equal(first.sample!.element, 0);
      const torchRow = await torchValue(frame, `float(per_row[${row}])`);
      assert.ok(Math.abs(first.sample!.loss - torchRow) < 1e-5, `${first.sample!.loss} vs torch ${torchRow}`);
      // The batch's loss while streaming is torch's, computed in the program, and labelled so.
      assert.ok(Math.abs(first.live!.stream!.batchLoss! - torchLoss) < 1e-5, JSON.stringify(first.live!.stream));
      assert.ok(Math.abs(first.pairs[0]!.loss! - torchLoss) < 1e-5);
      assert.equal((await reading).ok, true);
      const full = await waitFor(
        'the full read in place of the first paint',
        () => {
          const s = panel.getState();
          return s.live?.stream?.state === 'done' && s.status === 'ready' && s.sample ? s : undefined;
        },
        120_000,
      );
      // float32 sums in another order: a few units in the last place (2⁻²⁰ relative, as the badge allows).
      assert.ok(
        Math.abs(panelLoss(full) - torchLoss) <= torchLoss * 2 ** -20,
        `${panelLoss(full)} vs torch ${torchLoss}`,
      );
      assert.equal(full.live!.rows, undefined);
      assert.equal(full.live!.agrees, true);
      // The same row stays in view, now as row `row` of all 64.
      assert.equal(full.sample!.element, row);
      assert.ok(Math.abs(full.sample!.loss - torchRow) < 1e-5);

      // Stopped mid-stream (the panel's button; the notification's cancel does the same).
      const stopped = inspect();
      const again = await firstPaint(1, stopped);
      panel.onStopLiveStream();
      assert.equal((await stopped).code, 'cancelled');
      const kept = await waitFor(
        'the first paint labelled as cancelled',
        () => {
          const s = panel.getState();
          return s.live?.stream?.state === 'cancelled' && s.status === 'ready' ? s : undefined;
        },
        60_000,
      );
      assert.equal(kept.live!.paused, true);
      assert.deepEqual(kept.live!.rows!.read, [row]);
      assert.equal(kept.sample!.loss, again.sample!.loss);
      assert.ok(Math.abs(kept.sample!.loss - torchRow) < 1e-5);

      // The program continued mid-stream: the read stops, the first paint says the program moved on.
      const moving = inspect();
      await firstPaint(2, moving);
      await frame.session.customRequest('continue', { threadId: frame.threadId });
      const r = await moving;
      assert.equal(r.code, 'stale_frame', JSON.stringify(r));
      assert.equal(r.message, 'The program moved on — inspect again.');
      const stale = await waitFor(
        'the first paint marked stale',
        () => {
          const s = panel.getState();
          return s.live?.stream?.state === 'stale' && s.live.paused === false ? s : undefined;
        },
        60_000,
      );
      assert.deepEqual(stale.live!.rows!.read, [row]);
    } finally {
      clearInterval(watch);
      // End the session whatever happened, so the next test's session gets the focus.
      await vscode.debug.stopDebugging(frame.session);
      await waitFor('no debug session', () => vscode.debug.activeDebugSession === undefined || undefined, 30_000);
    }
  });

  test('js-debug: Float32Array logits of a paused Node program read 2.3519 in the child session', async () => {
    const program = fixture('train_step.js');
    const text = fs.readFileSync(program, 'utf8');
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'node',
      request: 'launch',
      name: 'live js test',
      program,
      console: 'internalConsole',
    });
    assert.ok(started, 'the node session did not start');
    const frame = await pausedFrame(60_000, /node/);
    const o = ok(
      await inspectLive({
        session: frame.session,
        state: stateOf(frame.session),
        focus: { threadId: frame.threadId, frameId: frame.frameId },
        source: { text, line: lineOf(text, '// STOP:seed') - 1, path: program },
        near: true,
        trusted: vscode.workspace.isTrusted,
      }),
    );
    assert.equal(o.meta.input.kind, 'Float32Array');
    assert.equal(lossOf(o).toFixed(4), '2.3519');

    // The hover over the paused function's loss call; not over the definition of the same name.
    const document = await vscode.workspace.openTextDocument(program);
    const before = await hoverReads();
    const hover = await liveHoverAt(document, positionOf(document, 'crossEntropy(logits, targets);').translate(0, 2));
    assert.match(hover, /frame ` seedBatch `/, hover);
    assert.match(
      hover,
      /cross-entropy = 2\.3519 \(float32\), recomputed from ` logits ` \(2, 10\) Float32Array/,
      hover,
    );
    assert.match(hover, /Sample 1 \(of 2\) has the highest loss: 2\.5601 \(target 5, p = 0\.0773\)/, hover);
    assert.match(hover, /The program’s ` loss ` = 2\.3519: agrees/, hover);
    assert.equal(await liveHoverAt(document, positionOf(document, 'function crossEntropy(').translate(0, 10)), '');
    assert.equal(await hoverReads(), before + 1);

    // The command in the child session: the panel on the Float32Array pair, the program's own
    // float64 loss beside our float32 recomputation.
    const r = await vscode.commands.executeCommand<CommandResult>('lossInspector.inspectLive');
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.tapped, true, 'the answers came through the tracker of the child session');
    assert.equal(r.frame, 'seedBatch');
    // One evaluate: logits, targets and the program's loss, described and carried in one reply.
    assert.equal(evaluatesOf(r).length, 1, JSON.stringify(r.trace));
    const state = await livePanel('logits, targets');
    assert.equal(panelLoss(state).toFixed(4), '2.3519');
    assert.equal(state.live!.frame, 'seedBatch');
    assert.equal(state.live!.programLoss?.expression, 'loss');
    assert.equal(state.live!.programLoss!.value.toFixed(4), '2.3519');
    assert.equal(state.live!.agrees, true);
    await vscode.debug.stopDebugging();
  });
  test('js-debug progressive reads: Float32Array logits of 256 KB and 12.9 MB paint the worst row first; the full read replaces it', async () => {
    // The bench's Node program (test/bench/live_bench.js), paused with (64, 1000) logits, then in a
    // session of its own with (64, 50257) ones. Through js-debug even 256 KB paints first: its one
    // reply of 342 KB took 0.5-1 s in the adapter (see tappedFirstPaintAbove in liveHost.ts).
    const program = path.join(repo, 'test', 'bench', 'live_bench.js');
    const text = fs.readFileSync(program, 'utf8');
    for (const [arg, classes] of [
      ['small', 1000],
      ['vocab', 50257],
    ] as const) {
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      const started = await vscode.debug.startDebugging(undefined, {
        type: 'node',
        request: 'launch',
        name: `live js progressive test, ${arg}`,
        program,
        args: [arg],
        console: 'internalConsole',
      });
      assert.ok(started, 'the node session did not start');
      const frame = await pausedFrame(60_000, /node/);
      const document = await vscode.workspace.openTextDocument(program);
      const panel = await panelState();
      // The program's own float64 loss of the same float32 values.
      const programLoss = Number(
        (
          (await frame.session.customRequest('evaluate', {
            expression: 'String(loss)',
            frameId: frame.frameId,
            context: 'clipboard',
          })) as { result: string }
        ).result.replace(/"/g, ''),
      );
      let first: PanelState | undefined;
      const watch = setInterval(() => {
        const s = panel.getState();
        if (
          !first &&
          s.live?.stream?.state === 'streaming' &&
          s.status === 'ready' &&
          s.sample &&
          s.pair?.C === classes
        )
          first = s;
      }, 5);
      try {
        const r = await vscode.commands.executeCommand<CommandResult>('lossInspector.inspectLive', {
          uri: document.uri.toString(),
          line: lineOf(text, '// BENCH:step') - 2,
        });
        assert.equal(r.ok, true, JSON.stringify(r));
        // The first paint came with the one prepare request; then the logits in chunks of jsChunkBytes.
        const phases = (r.trace ?? []).map((m) => m.phase);
        const painted = phases.indexOf('first paint read');
        assert.ok(painted > 0, JSON.stringify(phases));
        assert.equal(
          phases.slice(0, painted).filter((p) => p.startsWith('→ evaluate')).length,
          1,
          JSON.stringify(phases),
        );
        assert.equal(evaluatesOf(r).length, 1 + Math.ceil((64 * classes * 4) / jsChunkBytes), JSON.stringify(phases));
        assert.ok(first, 'the panel never showed a first paint');
        assert.deepEqual(first.live!.rows!.total, 64);
        const row = first.live!.rows!.read[0]!;
        // The batch's loss of the first paint was computed in the program, in float64: the program's own.
        assert.ok(Math.abs(first.live!.stream!.batchLoss! - programLoss) < 1e-9, JSON.stringify(first.live!.stream));
        const done = await waitFor(
          'the full read on show',
          () => {
            const s = panel.getState();
            // Ready with its totals: the full read's state may be published while the panel still
            // computes it (when the read ends before the first paint is on show).
            return s.live?.stream?.state === 'done' && s.status === 'ready' && s.reduction && s.pair?.C === classes
              ? s
              : undefined;
          },
          120_000,
        );
        // Every figure is now the kernel's (float32 as torch would compute it), the same row in view.
        assert.ok(Math.abs(panelLoss(done) - programLoss) < 1e-4 * programLoss, `${panelLoss(done)} vs ${programLoss}`);
        assert.equal(done.sample!.element, row);
        assert.ok(
          Math.abs(done.sample!.loss - first.sample!.loss) < 1e-5,
          `${done.sample!.loss} vs ${first.sample!.loss}`,
        );
      } finally {
        clearInterval(watch);
        // End the program's session, then any other (js-debug's launcher parent). This is the suite's last
        // test: once the panel has shown the full read, how long js-debug takes to end a program holding
        // 12.9 MB is not what it checks (it outlived 30 s once in CI), and suiteTeardown waits again.
        await vscode.debug.stopDebugging(frame.session);
        await vscode.debug.stopDebugging();
        await waitFor(
          'no debug session',
          () => vscode.debug.activeDebugSession === undefined || undefined,
          30_000,
        ).catch((e: unknown) => console.log(`[live] ${String(e)}`));
      }
    }
  });
});
