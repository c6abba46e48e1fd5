// Snapshots made ahead (src/panel/panelAhead.ts): the one the panel's model makes for the next
// sample, for the other dtype, for the other reductions and for the change back to the options shown
// before a control change, is the snapshot the model then publishes when that change is
// made, field for field (the webview shows the first and takes the second as its confirmation).
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { AheadNote } from '../../../src/panel/panelContext';
import type { ControlOverrides, PanelState } from '../../../src/protocol/webview';
import { closeAllEditors, getExtension, openFixture, ourLenses, waitFor } from '../helpers';

interface PanelModelLike {
  getState(): PanelState;
  readonly onDidAhead: vscode.Event<AheadNote>;
  onSelectSample(element: number): void;
  onSetControls(overrides: ControlOverrides): void;
  onResetControls(): void;
}

suite('panel snapshots made ahead', () => {
  let panel: PanelModelLike;
  const notes: AheadNote[] = [];
  let listener: vscode.Disposable | undefined;

  suiteSetup(async () => {
    await closeAllEditors();
    panel = (getExtension().exports as { services: { panel: PanelModelLike } }).services.panel;
    listener = panel.onDidAhead((note) => notes.push(note));
  });

  suiteTeardown(async () => {
    listener?.dispose();
    panel?.onResetControls();
    await closeAllEditors();
  });

  /** The note made ahead for `on` while sample `at` is on show, once the model has made it. */
  const noteFor = (on: AheadNote['on'], at: number, since = 0) =>
    waitFor(`a snapshot made ahead for ${JSON.stringify(on)} at sample ${at}`, () =>
      notes.slice(since).find((n) => n.at === at && JSON.stringify(n.on) === JSON.stringify(on)),
    );

  const ready = (what: string, holds: (s: PanelState) => boolean) =>
    waitFor(what, () => {
      const s = panel.getState();
      return s.status === 'ready' && !s.stale && holds(s) ? s : undefined;
    });

  test('the next sample, the other dtype, the other reductions and the way back, made ahead, are what the change then shows', async () => {
    const { document } = await openFixture('seed_batch.py');
    const [lens] = await waitFor('a lens', async () => {
      const l = await ourLenses(document);
      return l.length ? l : undefined;
    });
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    await ready('sample 0 on show', (s) => s.sample?.element === 0 && s.pair?.options.dtype === 'float32');

    const next = await noteFor({ type: 'selectSample', element: 1 }, 0);
    assert.equal(next.state.sample?.element, 1);
    panel.onSelectSample(1);
    const shown = await ready('sample 1 on show', (s) => s.sample?.element === 1);
    assert.equal(JSON.stringify(shown), JSON.stringify(next.state));

    const other = await noteFor({ type: 'setControls', controls: { dtype: 'float64' } }, 1);
    assert.equal(other.state.pair?.options.dtype, 'float64');
    assert.notEqual(JSON.stringify(other.state.reduction), JSON.stringify(shown.reduction));
    const beforeSwitch = notes.length;
    panel.onSetControls({ dtype: 'float64' });
    const switched = await ready('float64 on show', (s) => s.pair?.options.dtype === 'float64');
    assert.equal(switched.sample?.element, 1);
    assert.equal(JSON.stringify(switched), JSON.stringify(other.state));

    // Once idle again, the two other reductions in the dtype on show.
    const none = await noteFor({ type: 'setControls', controls: { reduction: 'none' } }, 1, beforeSwitch);
    const sum = await noteFor({ type: 'setControls', controls: { reduction: 'sum' } }, 1, beforeSwitch);
    assert.equal(sum.state.pair?.options.reduction, 'sum');
    assert.equal(sum.state.pair?.options.dtype, 'float64');
    assert.equal(none.state.pair?.options.reduction, 'none');
    panel.onSetControls({ reduction: 'sum' });
    const summed = await ready('sum on show', (s) => s.pair?.options.reduction === 'sum');
    assert.equal(summed.sample?.element, 1);
    assert.equal(JSON.stringify(summed), JSON.stringify(sum.state));

    // A new label smoothing: the change back to the one before is made ahead (from the reply kept).
    const beforeSmoothing = notes.length;
    panel.onSetControls({ labelSmoothing: 0.25 });
    await ready('ε 0.25 on show', (s) => s.pair?.options.labelSmoothing === 0.25);
    const back = await noteFor({ type: 'setControls', controls: { labelSmoothing: 0 } }, 1, beforeSmoothing);
    assert.equal(back.state.pair?.options.labelSmoothing, 0);
    panel.onSetControls({ labelSmoothing: 0 });
    const restored = await ready('ε 0 on show', (s) => s.pair?.options.labelSmoothing === 0);
    assert.equal(JSON.stringify(restored), JSON.stringify(back.state));
    assert.equal(JSON.stringify(restored.reduction), JSON.stringify(summed.reduction));
  });
});
