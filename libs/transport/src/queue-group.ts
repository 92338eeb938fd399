/**
 * The queue group a handler subscribes in, so replicas share the load and each message is
 * handled once per group. A request subject (`<context>.<aggregate>.<verb>`) is answered by the
 * context that owns it, so its group is that context. An event handler names its own group
 * (`@EventPattern(subject, { queue: 'orders' })`): the consuming context, not the publisher;
 * without one, every process hears the event.
 */
export function queueForHandler(
  pattern: string,
  isEventHandler: boolean | undefined,
  extras: Record<string, unknown> | undefined,
): string | undefined {
  if (typeof extras?.queue === 'string') return extras.queue;
  if (isEventHandler) return undefined;
  return pattern.split('.', 1)[0];
}

/**
 * The key a message server registers a handler under. Nest keeps one handler chain per pattern
 * and subscribes the chain in its first handler's queue group, so in a process hosting two
 * contexts a second context's handler for the same event would ride in the first one's group:
 * heard by one replica of the first group instead of by its own group, or by every replica
 * instead of one. An event handler is therefore registered per subject and queue group, a
 * request handler per subject. NATS subjects contain no spaces, so a space separates the two.
 */
export function handlerKey(subject: string, isEventHandler: boolean, queue?: string): string {
  return isEventHandler && queue ? `${subject} ${queue}` : subject;
}

/**
 * How a message server registers a handler for `subject`: under its key (see `handlerKey`),
 * with its queue group recorded in the extras Nest keeps next to it.
 */
export function handlerRegistration(
  subject: string,
  isEventHandler: boolean,
  extras: Record<string, unknown>,
): { key: string; extras: Record<string, unknown> } {
  const queue = queueForHandler(subject, isEventHandler, extras);
  return {
    key: handlerKey(subject, isEventHandler, queue),
    extras: queue ? { ...extras, queue } : extras,
  };
}

/** The subject a handler key subscribes to. */
export function subjectOfHandlerKey(key: string): string {
  const space = key.indexOf(' ');
  return space === -1 ? key : key.slice(0, space);
}
