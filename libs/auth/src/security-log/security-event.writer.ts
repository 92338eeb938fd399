import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A security-relevant event, as recorded in `auth.security_events`. */
export interface SecurityEvent {
  type: string;
  userId?: string;
  sessionId?: string;
  details?: Record<string, unknown>;
}

/**
 * Appends to the security log inside the caller's transaction, so an event is recorded if and
 * only if what it describes was committed.
 */
@Injectable()
export class SecurityEventWriter {
  async record(manager: EntityManager, event: SecurityEvent): Promise<void> {
    await manager.query(
      `INSERT INTO auth.security_events (type, user_id, session_id, details) VALUES ($1, $2, $3, $4)`,
      [
        event.type,
        event.userId ?? null,
        event.sessionId ?? null,
        JSON.stringify(event.details ?? {}),
      ],
    );
  }
}
