import type { MessageHandler, NatsContext, ReadPacket, WritePacket } from '@nestjs/microservices';
import { MessageHandledLog, runInMessageContext } from '@platform/observability';
import { replyWithResult } from './handler-reply';

/**
 * Runs a message's Nest handler (its guards, pipes and filters) inside the message's
 * `RequestContext`, then settles its result: each reply through `respond` (nothing, for an
 * event), `done` (the processing end hook), and the message's line and metric in `handled`.
 * The message servers do this themselves where a Nest interceptor used to, because any
 * interceptor runs every handler, HTTP routes included, through a chain of Observables.
 */
export async function handleInContext(
  handler: MessageHandler,
  data: unknown,
  context: NatsContext,
  respond: (packet: WritePacket) => void,
  done: () => void,
  handled?: MessageHandledLog,
): Promise<void> {
  const started = performance.now();
  const subject = context.getSubject();
  // The result is settled inside the context too, so the message's line has its correlation id.
  await runInMessageContext(context.getHeaders(), async () => {
    const result: unknown = await handler(data, context);
    replyWithResult(
      result,
      respond,
      done,
      handled && ((error) => handled.record(subject, started, error)),
    );
  });
}

/**
 * An event's handling for `Server.runWithProcessingHooks`: as `handleInContext`, with no reply
 * to send, for an event no consumer redelivers (one on core NATS, outside the event streams).
 */
export function eventInContext(
  handler: MessageHandler,
  packet: ReadPacket,
  context: NatsContext,
  handled?: MessageHandledLog,
): (done: () => void) => Promise<void> {
  return (done) => handleInContext(handler, packet.data, context, () => undefined, done, handled);
}
