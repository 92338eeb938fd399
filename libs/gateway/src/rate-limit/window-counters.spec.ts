import { setTimeout as sleep } from 'node:timers/promises';
import { WindowCounters } from './window-counters';

/** Waits, if need be, for the next window of `windowSeconds`, so that a second is left of it. */
async function clearOfWindowEnd(windowSeconds: number): Promise<void> {
  const left = windowSeconds * 1000 - (Date.now() % (windowSeconds * 1000));
  if (left < 1000) await sleep(left + 10);
}

describe('WindowCounters', () => {
  let counters: WindowCounters;

  afterEach(() => counters.onModuleDestroy());

  it('admits exactly the limit per window in one process, and reports what is left', async () => {
    counters = new WindowCounters(async () => undefined);
    const takes = [];
    for (let i = 0; i < 5; i++) takes.push(await counters.take('principal.a', 3, 60));
    expect(takes.map((take) => take.allowed)).toEqual([true, true, true, false, false]);
    expect(takes.map((take) => take.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(takes[0].resetSeconds).toBeGreaterThan(0);
    expect(takes[0].resetSeconds).toBeLessThanOrEqual(60);
    expect((await counters.take('principal.b', 3, 60)).allowed).toBe(true);
  });

  it('keeps limiting, per replica, when the shared counters cannot be reached', async () => {
    counters = new WindowCounters(() => Promise.reject(new Error('NATS is down')));
    const allowed = [];
    for (let i = 0; i < 4; i++) allowed.push((await counters.take('address.x', 2, 60)).allowed);
    expect(allowed).toEqual([true, true, false, false]);
    expect(counters.degraded).toBe(true);
  });

  it('decides within its own deadline when the shared counters do not answer', async () => {
    counters = new WindowCounters(() => new Promise(() => undefined));
    // The first take waits out the store's deadline: both takes must fall in one window.
    await clearOfWindowEnd(60);
    const started = Date.now();
    expect((await counters.take('address.y', 1, 60)).allowed).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await counters.take('address.y', 1, 60)).allowed).toBe(false);
  });
});
