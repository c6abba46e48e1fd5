import { describe, expect, it } from 'vitest';
import { CancelSource, untilCancelled, type CancelToken } from '../../../src/live/session';
import { SharedWork } from '../../../src/live/sharedWork';

/** Work that ends when `finish` is called, or rejects as cancelled when its token is. */
function controlled() {
  let finish!: (v: number) => void;
  let seen: CancelToken | undefined;
  const work = new SharedWork<number>((token) => {
    seen = token;
    return untilCancelled(new Promise<number>((r) => (finish = r)), token);
  });
  return { work, finish: (v: number) => finish(v), token: () => seen! };
}

describe('SharedWork: waiters cancelled each on its own', () => {
  it('a waiter that cancels leaves; the others get the result, and the work is not cancelled', async () => {
    const { work, finish, token } = controlled();
    const a = new CancelSource();
    const b = new CancelSource();
    const pa = work.wait(a.token);
    const pb = work.wait(b.token);
    a.cancel();
    await expect(pa).rejects.toMatchObject({ code: 'cancelled' });
    expect(token().isCancellationRequested).toBe(false);
    finish(7);
    await expect(pb).resolves.toBe(7);
    expect(work.cancelled).toBe(false);
  });

  it('the work is cancelled when the last waiter leaves before it ends, and a new waiter is refused', async () => {
    const { work, token } = controlled();
    const a = new CancelSource();
    const b = new CancelSource();
    const pa = work.wait(a.token);
    const pb = work.wait(b.token);
    a.cancel();
    expect(token().isCancellationRequested).toBe(false);
    b.cancel();
    await expect(pb).rejects.toMatchObject({ code: 'cancelled' });
    await expect(pa).rejects.toMatchObject({ code: 'cancelled' });
    expect(token().isCancellationRequested).toBe(true);
    expect(work.cancelled).toBe(true);
    await expect(work.result).rejects.toMatchObject({ code: 'cancelled' });
    await expect(work.wait()).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('a waiter without a token keeps the work alive; a cancel after the end changes nothing', async () => {
    const { work, finish, token } = controlled();
    const a = new CancelSource();
    const pa = work.wait(a.token);
    const plain = work.wait();
    a.cancel();
    await expect(pa).rejects.toMatchObject({ code: 'cancelled' });
    expect(token().isCancellationRequested).toBe(false);
    finish(3);
    await expect(plain).resolves.toBe(3);
    const late = new CancelSource();
    const pl = work.wait(late.token);
    await expect(pl).resolves.toBe(3);
    late.cancel();
    expect(work.cancelled).toBe(false);
  });

  it('a token already cancelled is refused without joining', async () => {
    const { work, finish } = controlled();
    const gone = new CancelSource();
    gone.cancel();
    await expect(work.wait(gone.token)).rejects.toMatchObject({ code: 'cancelled' });
    const other = work.wait();
    finish(1);
    await expect(other).resolves.toBe(1);
  });
});

describe('untilCancelled', () => {
  it('rejects at the cancel, before the answer, and drops the late answer', async () => {
    const c = new CancelSource();
    let answer!: (v: string) => void;
    const p = untilCancelled(new Promise<string>((r) => (answer = r)), c.token);
    c.cancel();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    answer('late');
  });

  it('passes the answer when no cancel comes, and works with a token that has no event', async () => {
    await expect(untilCancelled(Promise.resolve(5), new CancelSource().token)).resolves.toBe(5);
    await expect(untilCancelled(Promise.resolve(6), { isCancellationRequested: false })).resolves.toBe(6);
    await expect(untilCancelled(Promise.resolve(6), { isCancellationRequested: true })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });
});
