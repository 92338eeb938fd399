import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import type { EventStream } from '@platform/contracts';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { usersMigrations } from '@platform/migrations/users';
import { Metrics } from '@platform/observability';
import type { EventPublisher, StoredEvent } from '../event-publisher';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

const STREAM: EventStream = { name: 'USERS_EVENTS', subjects: ['users.user.updated'] };

/** Two replicas' relays on one outbox, publishing into one stream (what it stored, in order). */
describe('OutboxRelay (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;
  let dataSource: DataSource;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    scratch = await scratchContextDatabase('outbox_relay', {
      schema: 'users',
      entities: [],
      migrations: usersMigrations,
    });
    dataSource = scratch.dataSource;
  });

  afterAll(async () => {
    for (const relay of relays) await relay.onApplicationShutdown();
    await scratch?.drop();
  });

  function relayPublishingTo(stream: string[], delayMs: () => number): OutboxRelay {
    const publisher = {
      prepare: () => Promise.resolve(),
      publish: async (_stream: EventStream, event: StoredEvent) => {
        await sleep(delayMs());
        stream.push((event.payload as { n: number }).n.toString());
      },
    } as unknown as EventPublisher;
    const relay = new OutboxRelay(
      'users',
      STREAM,
      dataSource,
      publisher,
      new OutboxMetrics(new Metrics()),
    );
    relays.push(relay);
    return relay;
  }

  async function commit(n: number): Promise<void> {
    const writer = new OutboxWriter('users');
    await dataSource.transaction((manager) => writer.add(manager, 'users.user.updated', { n }));
  }

  it('publishes the events of one outbox in the order they were committed, whichever replica publishes them', async () => {
    // A whole key set is announced per event and the stream's last one is what every verifier
    // trusts (replay 'last'): an older event stored after a newer one undoes it.
    const stream: string[] = [];
    let first = true;
    // Replica A's first publish is slow (its stream looked up, NATS reconnecting, a pause).
    const a = relayPublishingTo(stream, () => (first ? ((first = false), 300) : 0));
    const b = relayPublishingTo(stream, () => 0);

    await commit(1);
    a.notify();
    await sleep(50);
    await commit(2);
    b.notify();

    await eventuallyPublished(2);
    expect(stream).toEqual(['1', '2']);

    async function eventuallyPublished(count: number): Promise<void> {
      for (let waited = 0; stream.length < count && waited < 5000; waited += 50) await sleep(50);
    }
  });
});
