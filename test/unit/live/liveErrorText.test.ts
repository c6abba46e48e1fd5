/**
 * The live bridge's errors reach a Korean user in Korean: the bridge attaches a stable detail (id
 * and values) to its own sentences, and the host words it with vscode.l10n from
 * l10n/bundle.l10n.ko.json (src/live/liveErrorText.ts); an adapter's or the program's own words
 * stay as written, inside a translated sentence per code. Fails when a Korean string is missing,
 * when a sentence drops a value, or when the bridge stops attaching a detail.
 */
import { describe, expect, it } from 'vitest';
import { inspectLive } from '../../../src/live/bridge';
import { liveDetailText, liveErrorText } from '../../../src/live/liveErrorText';
import {
  CancelSource,
  LiveError,
  SessionState,
  liveErrorDetailIds,
  request,
  resolveFrame,
  type DebugSessionLike,
  type LiveErrorDetail,
} from '../../../src/live/session';
import { englishL10n } from '../../../src/editor/format';
import { hangul, koreanBundle, koreanL10n } from '../koreanL10n';

const bundle = koreanBundle;

/** One detail of every id, with values that show up in the text (the key type makes the table complete). */
const samples: { [I in LiveErrorDetail['id']]: Extract<LiveErrorDetail, { id: I }> } = {
  untrusted: { id: 'untrusted' },
  unsupported_session: { id: 'unsupported_session', type: 'cppdbg' },
  not_paused: { id: 'not_paused' },
  no_threads: { id: 'no_threads' },
  stale_frame: { id: 'stale_frame' },
  cancelled: { id: 'cancelled' },
  not_plain_pick: { id: 'not_plain_pick', text: 'model(x)', role: 'target' },
  not_plain_option: { id: 'not_plain_option', name: 'weight', text: 'w()' },
  not_number_option: { id: 'not_number_option', name: 'ignoreIndex', text: 'k' },
  not_plain_weight: { id: 'not_plain_weight', text: 'weights()' },
  bad_reduction: { id: 'bad_reduction', text: 'mode' },
  over_budget: { id: 'over_budget', name: 'logits', mib: '412.5', budgetMib: '64.0' },
  helper_failed: { id: 'helper_failed', reason: 'PermissionError' },
};

const values = (d: LiveErrorDetail) =>
  Object.entries(d)
    .filter(([k]) => k !== 'id' && k !== 'role')
    .map(([, v]) => String(v));

describe('live errors in the user’s language', () => {
  it('has a sample of every detail id', () => {
    expect(Object.keys(samples).sort()).toEqual([...liveErrorDetailIds].sort());
  });

  for (const id of liveErrorDetailIds) {
    it(`${id}: an English sentence and its Korean translation, each with its values`, () => {
      const detail = samples[id];
      const asked: string[] = [];
      const english = liveDetailText(detail, englishL10n)!;
      const korean = liveDetailText(detail, koreanL10n(asked))!;
      expect(asked).toHaveLength(1);
      expect(bundle[asked[0]!], `no Korean for "${asked[0]}"`).toBeTruthy();
      expect(korean).toMatch(hangul);
      for (const v of values(detail)) {
        expect(english).toContain(v);
        expect(korean).toContain(v);
      }
    });
  }

  it('words an error without a detail by its code, keeping the adapter’s own words', () => {
    const ko = koreanL10n();
    const failed = liveErrorText({ code: 'evaluation_failed', message: "NameError: name 'x' is not defined" }, ko);
    expect(failed).toMatch(hangul);
    expect(failed).toContain("NameError: name 'x' is not defined");
    const bad = liveErrorText({ code: 'bad_envelope', message: 'A chunk is not base64.' }, ko);
    expect(bad).toMatch(hangul);
    expect(bad).toContain('A chunk is not base64.');
    expect(liveErrorText({ code: 'cancelled', message: 'cancelled' }, ko)).toMatch(hangul);
    expect(liveErrorText({ code: 'stale_frame', message: 'x' }, ko)).toBe(
      bundle['The program moved on — inspect again.'],
    );
    // The host's own refusals are worded by the host already.
    expect(liveErrorText({ code: 'not_plain', message: '이미 한국어' }, ko)).toBe('이미 한국어');
  });

  it('keeps the English message of a detail word for word (the log and callers read it)', () => {
    const e = new LiveError('not_plain', 'The weight w() is not a plain name.', {
      id: 'not_plain_weight',
      text: 'w()',
    });
    expect(liveErrorText(e, englishL10n)).toBe(e.message);
  });
});

/** A session that answers `threads` with none and refuses anything else with `reply`. */
function session(type = 'debugpy', reply = 'unable to find frame'): DebugSessionLike {
  return {
    type,
    customRequest: (command: string) =>
      command === 'threads' ? Promise.resolve({ threads: [] }) : Promise.reject(new Error(reply)),
  };
}

async function detailOf(p: Promise<unknown>): Promise<LiveErrorDetail | undefined> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LiveError);
    return (e as LiveError).detail;
  }
  throw new Error('no error');
}

describe('the bridge attaches a detail to its own errors', () => {
  it('not paused, no threads, a frame gone, a cancel', async () => {
    const state = new SessionState();
    expect(await detailOf(resolveFrame(session(), state))).toEqual({ id: 'not_paused' });
    state.stopped();
    expect(await detailOf(resolveFrame(session(), state))).toEqual({ id: 'no_threads' });
    expect(await detailOf(request(session(), state, state.epoch, 'stackTrace', {}))).toEqual({ id: 'stale_frame' });
    expect(await detailOf(request(session(), state, state.epoch - 1, 'threads', {}))).toEqual({ id: 'stale_frame' });
    const cancel = new CancelSource();
    cancel.cancel();
    expect(await detailOf(request(session(), state, state.epoch, 'threads', {}, cancel.token))).toEqual({
      id: 'cancelled',
    });
    // The adapter's own failure has no detail: its words are shown inside the code's sentence.
    expect(await detailOf(request(session('debugpy', 'boom'), state, state.epoch, 'evaluate', {}))).toBeUndefined();
  });

  it('an untrusted workspace and a session it does not read', async () => {
    const state = new SessionState();
    state.stopped(1);
    const base = { state, source: { text: 'loss = F.cross_entropy(x, y)\n', line: 0 }, budgetBytes: 1 << 20 };
    expect(await detailOf(inspectLive({ ...base, session: session(), trusted: false }))).toEqual({ id: 'untrusted' });
    expect(await detailOf(inspectLive({ ...base, session: session('cppdbg'), trusted: true }))).toEqual({
      id: 'unsupported_session',
      type: 'cppdbg',
    });
  });
});
