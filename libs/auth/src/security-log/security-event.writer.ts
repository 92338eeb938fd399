import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SecurityEventType } from '@platform/contracts';
import { CombinedWrite } from '@platform/database';

/** A security-relevant event, as recorded in `auth.security_events`. */
export interface SecurityEvent {
  type: SecurityEventType;
  userId?: string;
  sessionId?: string;
  /** Ids, codes and reasons only: never a secret, token, password or hash. */
  details?: Record<string, unknown>;
}

/**
 * Appends to the security log, a hash chain the database links as each row is inserted (see
 * the migration that chains it): one INSERT, in the caller's transaction, in the caller's
 * statement, or on its own.
 */
@Injectable()
export class SecurityEventWriter {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  /** Inside the caller's transaction: the event is recorded if and only if the change is. */
  async record(manager: EntityManager, event: SecurityEvent): Promise<void> {
    await manager.query(INSERT, parameters(event));
  }

  /**
   * `record` for many events in one statement (every session of a deleted client): the chain
   * trigger links them one by one, in the order given.
   */
  async recordAll(manager: EntityManager, events: SecurityEvent[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `INSERT INTO auth.security_events (type, user_id, session_id, details)
       SELECT event->>0, (event->>1)::uuid, (event->>2)::uuid, (event->>3)::jsonb
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS given(event, position)
        ORDER BY position`,
      [JSON.stringify(events.map(parameters))],
    );
  }

  /** On its own, for what is not a change of data (a login attempt, a refusal). */
  async append(event: SecurityEvent): Promise<void> {
    await this.dataSource.query(INSERT, parameters(event));
  }

  /** As part of `write`: the event is recorded if and only if the rest of it is. */
  addTo(write: CombinedWrite, event: SecurityEvent): void {
    write.add('security_event', insertOf(parameters(event).map(write.parameter)));
  }
}

/** The INSERT of one event, its values at these placeholders. */
function insertOf(placeholders: string[]): string {
  return `INSERT INTO auth.security_events (type, user_id, session_id, details)
          VALUES (${placeholders.join(', ')})`;
}

const INSERT = insertOf(['$1', '$2', '$3', '$4']);

function parameters(event: SecurityEvent): unknown[] {
  return [
    event.type,
    event.userId ?? null,
    event.sessionId ?? null,
    JSON.stringify(event.details ?? {}),
  ];
}
