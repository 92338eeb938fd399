import type { SecurityEventType } from './security-event-type';

/** One row of the security log, as an auditor reads it. Never carries a secret. */
export interface SecurityEventView {
  /** Position in the hash chain, from 1. */
  seq: number;
  type: SecurityEventType;
  userId: string | null;
  sessionId: string | null;
  details: Record<string, unknown>;
  /** ISO 8601 timestamp. */
  occurredAt: string;
  /** SHA-256 (hex) over the previous row's hash and this row, as `audit:verify` checks it. */
  hash: string;
}

/** One page of the security log, newest first. */
export interface SecurityEventPage {
  items: SecurityEventView[];
  /** Events in all pages. */
  total: number;
  limit: number;
  offset: number;
}
