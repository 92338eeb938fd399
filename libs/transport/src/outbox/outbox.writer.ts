import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MessageHeader } from '@platform/contracts';
import { RequestContext } from '@platform/observability';

/** Bounds one statement's parameter in `addAll`. */
const MAX_EVENTS_PER_STATEMENT = 5000;

/**
 * Records an event in the context's `outbox` table inside the caller's transaction, so the
 * event exists if and only if the change it describes was committed (transactional outbox).
 * `OutboxRelay` publishes it afterwards.
 */
export class OutboxWriter {
  constructor(private readonly schema: string) {}

  async add(manager: EntityManager, subject: string, payload: object): Promise<void> {
    await manager.query(
      `INSERT INTO "${this.schema}".outbox (id, subject, payload, headers) VALUES ($1, $2, $3, $4)`,
      [randomUUID(), subject, JSON.stringify(payload), JSON.stringify(headers())],
    );
  }

  /**
   * `add` for many events of one subject, a statement per `MAX_EVENTS_PER_STATEMENT`: a change
   * that announces thousands of events (every token of a deleted client) costs a few statements,
   * not one per event.
   */
  async addAll(manager: EntityManager, subject: string, payloads: object[]): Promise<void> {
    for (let start = 0; start < payloads.length; start += MAX_EVENTS_PER_STATEMENT) {
      const chunk = payloads.slice(start, start + MAX_EVENTS_PER_STATEMENT);
      await manager.query(
        `INSERT INTO "${this.schema}".outbox (id, subject, payload, headers)
         SELECT gen_random_uuid(), $1, payload, $2::jsonb FROM jsonb_array_elements($3::jsonb) AS payload`,
        [subject, JSON.stringify(headers()), JSON.stringify(chunk)],
      );
    }
  }
}

/** The headers an event carries: the correlation id of the request that caused it, if any. */
function headers(): Record<string, string> {
  const correlationId = RequestContext.current()?.correlationId;
  return correlationId ? { [MessageHeader.CorrelationId]: correlationId } : {};
}
