import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MessageHeader } from '@platform/contracts';
import { RequestContext } from '@platform/observability';

/**
 * Records an event in the context's `outbox` table inside the caller's transaction, so the
 * event exists if and only if the change it describes was committed (transactional outbox).
 * `OutboxRelay` publishes it afterwards.
 */
export class OutboxWriter {
  constructor(private readonly schema: string) {}

  async add(manager: EntityManager, subject: string, payload: object): Promise<void> {
    const correlationId = RequestContext.current()?.correlationId;
    const headers = correlationId ? { [MessageHeader.CorrelationId]: correlationId } : {};
    await manager.query(
      `INSERT INTO "${this.schema}".outbox (id, subject, payload, headers) VALUES ($1, $2, $3, $4)`,
      [randomUUID(), subject, JSON.stringify(payload), JSON.stringify(headers)],
    );
  }
}
