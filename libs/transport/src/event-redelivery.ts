/**
 * When an event that a queue handler (its context's once-only action) failed on is delivered
 * again: over NATS by its durable consumer (`nak` with the delay), in-process by the server
 * itself, so that both shapes retry the same way. A refusal is not delivered again.
 */
const FIRST_REDELIVERY_DELAY_MS = 1000;
const MAX_REDELIVERY_DELAY_MS = 30_000;

/** How long after its `delivery`th delivery (from 1) failed an event is delivered again. */
export function redeliveryDelayMs(delivery: number): number {
  return Math.min(MAX_REDELIVERY_DELAY_MS, FIRST_REDELIVERY_DELAY_MS * 2 ** (delivery - 1));
}

/** A handler's 4xx: the event itself is unacceptable, and delivering it again cannot help. */
export function isRefusal(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** A failure's message, for the log line of a failed delivery. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
