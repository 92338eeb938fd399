import { randomUUID } from 'node:crypto';

/**
 * An incoming correlation id is kept only if it is short and plain, so a client cannot inject
 * log-forging text or megabytes into every log line; otherwise a fresh one is issued.
 */
export function acceptCorrelationId(candidate: unknown): string {
  return typeof candidate === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(candidate)
    ? candidate
    : randomUUID();
}
