import {
  CustomTransportStrategy,
  MessageHandler,
  MsPattern,
  NatsContext,
  ReadPacket,
  Server,
  WritePacket,
} from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';
import type { MessageHandledLog } from '@platform/observability';
import { describeFailure, isRefusal, redeliveryDelayMs } from '../event-redelivery';
import { handleInContext } from '../handled-message';
import { REPLY_NOT_SENT } from '../handler-reply';
import { isInboxSubject } from '../inbox-subject';
import { decodeIncomingPacket, IncomingPacket, malformedRequestReply } from '../incoming-packet';
import { handlerRegistration, subjectOfHandlerKey } from '../queue-group';
import { BrokerMessage, InProcessBroker } from './in-process.broker';

export const IN_PROCESS_TRANSPORT = Symbol('IN_PROCESS_TRANSPORT');

/**
 * Serves the application's message handlers on the in-process broker. Handlers receive a
 * `NatsContext` with real NATS headers, so guards, interceptors and handlers read a message
 * the same way in both modes and cannot tell which one they run in.
 */
export class InProcessServer extends Server implements CustomTransportStrategy {
  override readonly transportId = IN_PROCESS_TRANSPORT;
  private unsubscribes: Array<() => void> = [];
  /** Events waiting to be delivered again (see `deliver`). */
  private readonly redeliveries = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly broker: InProcessBroker,
    /** Where each message handled is logged and measured; none in a bare test application. */
    private readonly handled?: MessageHandledLog,
  ) {
    super();
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
  listen(callback: (...optionalParams: unknown[]) => void): void {
    for (const [key, handler] of this.messageHandlers) {
      const queue = typeof handler.extras?.queue === 'string' ? handler.extras.queue : undefined;
      this.unsubscribes.push(
        this.broker.subscribe(
          subjectOfHandlerKey(key),
          (message) => void this.handleMessage(message, key),
          queue,
        ),
      );
    }
    callback();
  }

  close(): void {
    this.closed = true;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.unsubscribes = [];
    for (const timer of this.redeliveries) clearTimeout(timer);
    this.redeliveries.clear();
  }

  on(): void {
    // The in-process broker has no connection whose status could change.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  /** By its key (see `handlerKey`), with a plain lookup: see `ContextNatsServer`. */
  override getHandlerByPattern(key: string): MessageHandler | null {
    return this.messageHandlers.get(key) ?? null;
  }

  private async handleMessage(message: BrokerMessage, key: string): Promise<void> {
    const context = new NatsContext([message.subject, message.headers]);
    const packet = decodeIncomingPacket(message.data, message.subject, message.reply);
    if (!message.reply || packet.id === undefined) {
      await this.handleEvent(key, packet, context);
      return;
    }
    if (!isInboxSubject(message.reply)) {
      this.logger.warn(
        `Request on ${message.subject} dropped: its reply subject ${message.reply} is not an inbox`,
      );
      return;
    }
    const respond = this.replier(message.reply, packet.id);
    const refusal = malformedRequestReply(packet);
    if (refusal) return respond(refusal);
    const handler = this.getHandlerByPattern(key);
    if (!handler) {
      respond({ err: NO_MESSAGE_HANDLER, isDisposed: true });
      return;
    }
    return this.runWithProcessingHooks(context, (done) =>
      handleInContext(handler, packet.data, context, respond, done, this.handled),
    );
  }

  /** Sends a reply packet with the request's id; one that is no JSON, as `ContextNatsServer`. */
  private replier(reply: string, id: string): (packet: WritePacket) => void {
    return (packet) => {
      let data: string;
      try {
        data = JSON.stringify({ ...packet, id });
      } catch (error) {
        this.logger.error(`Reply on ${reply} not sent: ${String(error)}`);
        data = JSON.stringify({ ...REPLY_NOT_SENT, id });
      }
      this.broker.publish(reply, data);
    };
  }

  /**
   * An event from the broker, in its context, only in the envelope events are published in
   * (see `IncomingPacket.eventEnvelope`); one without a handler is Nest's to report.
   */
  override async handleEvent(pattern: string, packet: ReadPacket, context: NatsContext) {
    if (!(packet as IncomingPacket).eventEnvelope) {
      return this.logger.warn(`Message on ${context.getSubject()} ignored: it is not an event`);
    }
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) return super.handleEvent(pattern, packet, context);
    this.deliver(handler, packet, context, 1);
  }

  /**
   * Runs an event's handler. One of a queue group (an action its context takes once) that
   * failed gets the event again later, as its durable consumer would over NATS, until it
   * succeeds or refuses it (`redeliveryDelayMs`, `isRefusal`); one of every process applies
   * it to memory, and has nothing to retry, as over NATS. The event waits in memory only:
   * unlike a stream, a restart forgets it.
   */
  private deliver(
    handler: MessageHandler,
    packet: ReadPacket,
    context: NatsContext,
    delivery: number,
  ): void {
    const redelivers = typeof handler.extras?.queue === 'string';
    const settled = (error?: unknown) => {
      if (!redelivers || error === undefined || this.closed || isRefusal(error)) return;
      const delay = redeliveryDelayMs(delivery);
      this.logger.warn(
        `${context.getSubject()} failed, again in ${delay} ms: ${describeFailure(error)}`,
      );
      const timer = setTimeout(() => {
        this.redeliveries.delete(timer);
        this.deliver(handler, packet, context, delivery + 1);
      }, delay);
      this.redeliveries.add(timer);
    };
    const respond = (reply: WritePacket) => {
      if (reply.isDisposed) settled(reply.err);
    };
    this.runWithProcessingHooks(context, (done) =>
      handleInContext(handler, packet.data, context, respond, done, this.handled).catch(settled),
    );
  }
}
