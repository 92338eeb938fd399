import { MessageHandler, MsPattern, NatsOptions, ServerNats } from '@nestjs/microservices';
import { handlerRegistration, subjectOfHandlerKey } from '../queue-group';
import { NatsRequestDeserializer } from './nats-request.deserializer';

/**
 * Nest's NATS server, subscribing each handler in its context's queue group (see
 * `queueForHandler` and `handlerKey`) so that a monolith and a replica set of split services
 * share subjects correctly, and decoding outside clients' requests (see
 * `NatsRequestDeserializer`).
 */
export class ContextNatsServer extends ServerNats {
  constructor(options: NatsOptions['options']) {
    super({ ...options, deserializer: new NatsRequestDeserializer() });
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    const subject = this.normalizePattern(pattern as MsPattern);
    const registration = handlerRegistration(subject, isEventHandler, extras);
    super.addHandler(registration.key, callback, isEventHandler, registration.extras);
  }

  /** Each handler key subscribes to its subject, in its own queue group (see `handlerKey`). */
  override bindEvents(client: Parameters<ServerNats['bindEvents']>[0]): void {
    super.bindEvents({
      subscribe: (key: string, options: object) =>
        client.subscribe(subjectOfHandlerKey(key), options),
    } as typeof client);
  }

  /**
   * The handler registered under a key (see `handlerKey`), by a plain map lookup. Every pattern
   * in the contracts is a subject string, while Nest's own lookup first tries `JSON.parse` on it
   * in case it is an object pattern, throwing and catching an exception for every message.
   */
  override getHandlerByPattern(key: string): MessageHandler | null {
    return this.messageHandlers.get(key) ?? null;
  }
}
