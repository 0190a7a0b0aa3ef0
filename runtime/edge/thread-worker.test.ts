// The worker side of the shared tier, with the messages it would post to the primary captured.
import { FillTable } from './store/fill-table.ts';
import { objectFor } from './store/testing.ts';
import type { WorkerToPrimary } from './thread-protocol.ts';
import { ThreadTier } from './thread-worker.ts';

const setup = (keepsFills: boolean) => {
  const fills = FillTable.create(1000);
  const sent: WorkerToPrimary[] = [];
  const tier = new ThreadTier((message) => sent.push(message), fills, 2, keepsFills);
  return { fills, sent, tier };
};

describe('ThreadTier', () => {
  it('ends a fill it took the lock for itself with no message, when it keeps its fills', async () => {
    const { fills, sent, tier } = setup(true);
    expect(tier.holdsFills).toBe(false);
    expect(await tier.acquire('GET http://a/1')).toEqual({ lead: true });
    tier.markComplete('GET http://a/1');
    expect(fills.slotOf('GET http://a/1').complete).toBe(true);
    tier.store(objectFor('GET http://a/1'));
    expect(await tier.acquire('GET http://a/2')).toEqual({ lead: true });
    tier.release('GET http://a/2');
    expect(sent).toEqual([]);
    expect(fills.slotOf('GET http://a/1').held).toBe(false);
    expect(fills.slotOf('GET http://a/2').held).toBe(false);
  });

  it('sends the store when the primary queued requests on the fill', async () => {
    const { fills, sent, tier } = setup(true);
    await tier.acquire('GET http://a/w');
    expect(fills.markWaited('GET http://a/w')).toBe(true);
    tier.store(objectFor('GET http://a/w'));
    expect(sent).toEqual([
      { edgeplane: 'store', object: expect.any(ArrayBuffer), token: expect.any(Number) },
    ]);
    // The primary frees the slot on that store.
    expect(fills.slotOf('GET http://a/w').held).toBe(true);
  });

  it('sends every fill to the primary when the primary keeps them (a disk tier)', async () => {
    const { fills, sent, tier } = setup(false);
    expect(tier.holdsFills).toBe(true);
    await tier.acquire('GET http://a/d');
    tier.store(objectFor('GET http://a/d'));
    expect(sent).toEqual([
      { edgeplane: 'store', object: expect.any(ArrayBuffer), token: expect.any(Number) },
    ]);
    expect(fills.slotOf('GET http://a/d').held).toBe(true);
    // A fill that stores nothing ends here all the same.
    await tier.acquire('GET http://a/r');
    tier.release('GET http://a/r');
    expect(sent).toHaveLength(1);
    expect(fills.slotOf('GET http://a/r').held).toBe(false);
  });

  it('asks the primary when a tier may hold the key, and marks the lock it is granted', async () => {
    const { fills, sent, tier } = setup(true);
    fills.countPresence('GET http://a/p', 1, 3);
    const asking = tier.acquire('GET http://a/p');
    expect(sent).toEqual([
      { edgeplane: 'acquire', id: 1, key: 'GET http://a/p', staleResponseTime: undefined },
    ]);
    // The primary grants the lock (the holder no longer had it), holding the slot with its token.
    const token = fills.token(2);
    expect(fills.take('GET http://a/p', token)).toBe(true);
    tier.reply({ edgeplane: 'reply', id: 1, lead: true, token });
    expect(await asking).toEqual({ lead: true });
    tier.markComplete('GET http://a/p');
    expect(fills.slotOf('GET http://a/p').complete).toBe(true);
    // A granted lock always ends through the primary, which holds it.
    tier.store(objectFor('GET http://a/p'));
    expect(sent.at(-1)).toEqual({ edgeplane: 'store', object: expect.any(ArrayBuffer), token });
  });
});
