/**
 * The queue group a handler subscribes in, so replicas share the load and each message is
 * handled once per group. A request subject (`<context>.<aggregate>.<verb>`) is answered by the
 * context that owns it, so its group is that context. An event handler names its own group
 * (`@EventPattern(subject, { queue: 'orders' })`): the consuming context, not the publisher.
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
