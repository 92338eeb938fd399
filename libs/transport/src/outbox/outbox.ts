import { DataSource, EntityManager } from 'typeorm';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

/** Records the events a transaction causes, in that transaction. */
export interface OutboxEvents {
  record(subject: string, payload: object): Promise<void>;
  /** `record` for many events of one subject, in a few statements. */
  recordAll(subject: string, payloads: object[]): Promise<void>;
}

/**
 * A context's transactional outbox, as its use cases see it: `transaction` runs a change and
 * records its events in one database transaction, so an event exists if and only if the change
 * was committed, then wakes the relay, which publishes them.
 */
export class Outbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: OutboxWriter,
    private readonly relay: OutboxRelay,
  ) {}

  async transaction<T>(
    work: (manager: EntityManager, events: OutboxEvents) => Promise<T>,
  ): Promise<T> {
    let recorded = 0;
    const result = await this.dataSource.transaction((manager) =>
      work(manager, {
        record: (subject, payload) => {
          recorded += 1;
          return this.writer.add(manager, subject, payload);
        },
        recordAll: (subject, payloads) => {
          recorded += payloads.length;
          return this.writer.addAll(manager, subject, payloads);
        },
      }),
    );
    if (recorded > 0) this.relay.notify();
    return result;
  }
}
