/**
 * A live read leaves the Debug Console as it was: no pydevd warning. pydevd sends an output event
 * "Evaluating: … did not finish after N seconds" (category `important`, shown in the Debug Console)
 * when one `evaluate` runs longer than PYDEVD_WARN_EVALUATION_TIMEOUT (3 s by default), and the
 * expression it quotes is the helper's whole request. Over the budget the reads the extension makes
 * (the command's progressive read, the hover's stepped one) therefore compute the loss of every row
 * in a job in the program and ask for it in steps that each wait at most `stepWaitMs`, never in one
 * `evaluate` that lasts the whole reduction.
 *
 * The program is test/fixtures/live/quiet_step.py: 4 G float32 logits (one row expanded), whose
 * reduction takes seconds on any machine. The threshold is lowered to 1.5 s so that the test is
 * short; a step answers within its 0.25 s wait plus its fixed cost. The first case checks the
 * premise, so that the test can fail: the one-shot reduction of the same tensor (one `evaluate`,
 * the read neither the command nor the hover makes) does make pydevd warn, and the warning is seen here.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectLive, type InspectLiveOptions } from '../../../src/live/bridge';
import type { LiveOutcome } from '../../../src/live/types';
import { launchPython, lineOf, pythonUnavailable, type Paused } from './dapHarness';

const script = resolve(__dirname, '../../fixtures/live/quiet_step.py');
const text = readFileSync(script, 'utf8');
const unavailable = pythonUnavailable();
if (unavailable) console.warn(`\n!!! SKIPPING the live console tests: ${unavailable} !!!\n`);

/** What pydevd prints about a slow evaluation (its make_evaluation_timeout_msg) or any of its own warnings. */
const pydevdWarning = /did not finish after|PYDEVD_[A-Z_]+|pydevd warning/;

describe.skipIf(!!unavailable)('live reads keep the Debug Console free of pydevd warnings', () => {
  let p: Paused;
  const line = lineOf(text, '# PAUSE');
  const base = (extra: Partial<InspectLiveOptions> = {}): InspectLiveOptions => ({
    session: p.session,
    state: p.state,
    source: { text, line: line - 1, path: script },
    trusted: true,
    ...extra,
  });
  /** The output events the adapter sends while `read` runs, and a moment after (pydevd's writer is a thread). */
  const outputsOf = async (read: () => Promise<LiveOutcome>) => {
    const before = p.outputs().length;
    const o = await read();
    await new Promise((r) => setTimeout(r, 300));
    // One more round trip: an event pydevd queued before it has reached us.
    await p.lastLine();
    return { o, outputs: p.outputs().slice(before) };
  };

  beforeAll(async () => {
    p = await launchPython(script, [line], { timeoutMs: 180_000, env: { PYDEVD_WARN_EVALUATION_TIMEOUT: '1.5' } });
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
  }, 30_000);

  it('premise: one evaluate that reduces every row makes pydevd warn in the Debug Console', async () => {
    const { o, outputs } = await outputsOf(() => inspectLive(base({ topK: 1 })));
    expect(o.kind).toBe('ok');
    const warned = outputs.filter((e) => pydevdWarning.test(e.output));
    expect(warned.length).toBeGreaterThan(0);
    expect(warned[0]!.output).toMatch(/Evaluating: .*"op\\*":\\*"prepare/);
  }, 180_000);

  it("the command's progressive read and the hover's stepped read send nothing to the Debug Console", async () => {
    const command = await outputsOf(() => inspectLive(base({ onFirstPaint: () => undefined })));
    expect(command.o.kind === 'ok' && command.o.meta.reduced?.positions).toBe(125_000);
    const hover = await outputsOf(() => inspectLive(base({ stepped: true, topK: 0 })));
    expect(hover.o.kind === 'ok' && hover.o.meta.reduced?.loss).toBe(
      command.o.kind === 'ok' ? command.o.meta.reduced?.loss : NaN,
    );
    // The program is paused: it prints nothing, so any output at all came from the debugger.
    expect(command.outputs).toEqual([]);
    expect(hover.outputs).toEqual([]);
  }, 300_000);
});
