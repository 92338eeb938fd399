import type { JsMsg } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import {
  IncomingRequest,
  MessageHandler,
  MsPattern,
  NatsContext,
  NatsOptions,
  ReadPacket,
  ServerNats,
  WritePacket,
} from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';
import { isObservable, lastValueFrom } from 'rxjs';
import { ContextName, eventStreamOf } from '@platform/contracts';
import { MessageHandledLog, runInMessageContext } from '@platform/observability';
import { eventReplayOf } from '../event-replay';
import { eventInContext, handleInContext } from '../handled-message';
import { REPLY_NOT_SENT } from '../handler-reply';
import { EventReplayProgress } from '../event-replay.progress';
import { InProcessBroker } from '../in-process/in-process.broker';
import { InProcessServer } from '../in-process/in-process.server';
import { isInboxSubject } from '../inbox-subject';
import { decodeIncomingPacket, IncomingPacket, malformedRequestReply } from '../incoming-packet';
import { handlerRegistration, subjectOfHandlerKey } from '../queue-group';
import { JetStreamEventConsumers, StreamEventHandler } from './jetstream-event-consumers';
import { identityRefusal, isIdentityRefusal, NatsIdentity } from './nats-identity';
import { NatsRequestDeserializer } from './nats-request.deserializer';
import { coalesceWrites } from './write-coalescing';

/** The header carrying an event's outbox id (`msgID` in `EventPublisher`). */
const OUTBOX_ID_HEADER = 'Nats-Msg-Id';

export interface ContextNatsServerOptions {
  connection: NonNullable<NatsOptions['options']>;
  identity: NatsIdentity;
  recentEventsSeconds: number;
  progress: EventReplayProgress;
  /**
   * Also serves the request handlers on this broker, for this process's own requests (see
   * `ContextNatsClient`); events are always consumed from NATS.
   */
  local?: InProcessBroker;
  /** Where each message handled is logged and measured; none in a bare test application. */
  handled?: MessageHandledLog;
}

/**
 * Nest's NATS server, subscribing each request handler in its context's queue group (see
 * `queueForHandler` and `handlerKey`) so that a monolith and a replica set of split services
 * share subjects correctly, decoding outside clients' requests (see `NatsRequestDeserializer`),
 * and consuming the handlers of events from the event streams through JetStream (see
 * `JetStreamEventConsumers`) rather than core NATS, which would lose what is published while a
 * process is away. Its replies are written once per event-loop turn (see `coalesceWrites`).
 */
export class ContextNatsServer extends ServerNats {
  private consumers?: JetStreamEventConsumers;
  private localServer?: InProcessServer;
  private readonly identityLogger = new Logger(ContextNatsServer.name);

  constructor(private readonly serverOptions: ContextNatsServerOptions) {
    super({ ...serverOptions.connection, deserializer: new NatsRequestDeserializer() });
  }

  /**
   * Connects as the process's identity. A refusal of that identity is a configuration error,
   * not an outage: at start-up it fails the start with a message saying which identity, and
   * later (the server's configuration changed) it stops the process the same way, rather than
   * leave it serving with no bus.
   */
  override async createNatsClient(): Promise<NatsConnection> {
    const url = String(this.serverOptions.connection.servers);
    let connection: NatsConnection;
    try {
      connection = coalesceWrites((await super.createNatsClient()) as NatsConnection);
    } catch (error) {
      throw isIdentityRefusal(error) ? identityRefusal(this.serverOptions.identity, url) : error;
    }
    void connection.closed().then((error) => {
      if (!isIdentityRefusal(error)) return;
      this.identityLogger.fatal(identityRefusal(this.serverOptions.identity, url).message);
      process.kill(process.pid, 'SIGTERM');
    });
    return connection;
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

  /**
   * Each handler key subscribes to its subject in its own queue group (see `handlerKey`), but
   * an event of an event stream is consumed from the stream instead.
   */
  override bindEvents(client: NatsConnection): void {
    const fromStreams: StreamEventHandler[] = [];
    super.bindEvents({
      subscribe: (key: string, options: object) => {
        const handler = this.streamEventHandler(key);
        if (!handler) return client.subscribe(subjectOfHandlerKey(key), options);
        fromStreams.push(handler);
        return { unsubscribe: () => undefined } as Subscription;
      },
    } as NatsConnection);
    this.consumers = new JetStreamEventConsumers(
      client,
      (key, message) => this.handleStreamEvent(key, message),
      {
        recentEventsSeconds: this.serverOptions.recentEventsSeconds,
        inboxPrefix: this.serverOptions.connection.inboxPrefix,
        progress: this.serverOptions.progress,
      },
    );
    this.consumers.start(fromStreams);
    this.serveLocally();
  }

  /**
   * Once subscribed on NATS, the request handlers, exactly as registered (guards, pipes,
   * interceptors and filters included), also answer this process's own requests.
   */
  private serveLocally(): void {
    const broker = this.serverOptions.local;
    if (!broker || this.localServer) return;
    const local = new InProcessServer(broker, this.serverOptions.handled);
    for (const [key, handler] of this.messageHandlers) {
      if (!handler.isEventHandler) local.addHandler(key, handler, false, handler.extras ?? {});
    }
    local.listen(() => undefined);
    this.localServer = local;
  }

  /**
   * Stops serving its own process, then consuming, letting the events being handled finish,
   * before the connection closes.
   */
  override async close(): Promise<void> {
    // First, so this process's own requests go to another replica while this one winds down.
    this.localServer?.close();
    this.localServer = undefined;
    await this.consumers?.stop();
    await super.close();
  }

  /**
   * As Nest's `ServerNats.handleMessage` (an event without a reply subject or id, a request
   * with both, "no handler" if none is registered), but replying through `replyWithResult`
   * rather than Nest's Observable pipeline. A request whose reply subject is not an inbox is
   * dropped unanswered (see `isInboxSubject`); one whose body is malformed is refused before any
   * handler runs.
   */
  override async handleMessage(channel: string, message: Msg): Promise<void> {
    const context = new NatsContext([message.subject, message.headers as never]);
    const packet = (await this.deserializer.deserialize(message, {
      channel,
      replyTo: message.reply,
    })) as IncomingRequest & IncomingPacket;
    // Without a reply subject (nats.js says `""`) nothing waits for a reply: an event at most.
    if (!message.reply || packet.id === undefined) {
      return this.handleEvent(channel, packet, context);
    }
    if (!isInboxSubject(message.reply)) {
      this.logger.warn(
        `Request on ${message.subject} dropped: its reply subject ${message.reply} is not an inbox`,
      );
      return;
    }
    const respond = this.replier(message, packet.id);
    const refusal = malformedRequestReply(packet);
    if (refusal) return respond(refusal);
    const handler = this.getHandlerByPattern(channel);
    if (!handler) return respond({ status: 'error', err: NO_MESSAGE_HANDLER } as WritePacket);
    return this.runWithProcessingHooks(context, (done) =>
      handleInContext(handler, packet.data, context, respond, done, this.serverOptions.handled),
    );
  }

  /**
   * A core NATS event (not JetStream's), in its context, as the in-process server's are; only
   * in the envelope events are published in (see `IncomingPacket.eventEnvelope`).
   */
  override async handleEvent(pattern: string, packet: ReadPacket, context: NatsContext) {
    if (!(packet as IncomingPacket).eventEnvelope) {
      return this.logger.warn(`Message on ${context.getSubject()} ignored: it is not an event`);
    }
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) return super.handleEvent(pattern, packet, context);
    const { handled } = this.serverOptions;
    this.runWithProcessingHooks(context, eventInContext(handler, packet, context, handled));
  }

  /**
   * Sends a reply packet with the request's id. A reply that cannot be sent (one larger than
   * the server's `max_payload`, one that is no JSON) is logged, and the caller, rather than
   * wait for it until its timeout, gets a small `INTERNAL` error in its place.
   */
  private replier(message: Msg, id: string): (packet: WritePacket) => void {
    const send = (packet: WritePacket) => {
      const { data, headers } = this.serializer.serialize({ ...packet, id }) as {
        data: string;
        headers?: Msg['headers'];
      };
      message.respond(data, { headers });
    };
    return (packet) => {
      try {
        send(packet);
      } catch (error) {
        this.logger.error(`Reply on ${message.subject} not sent: ${String(error)}`);
        try {
          send(REPLY_NOT_SENT);
        } catch (fallbackError) {
          this.logger.error(fallbackError);
        }
      }
    };
  }

  /**
   * The handler registered under a key (see `handlerKey`), by a plain map lookup. Every pattern
   * in the contracts is a subject string, while Nest's own lookup first tries `JSON.parse` on it
   * in case it is an object pattern, throwing and catching an exception for every message.
   */
  override getHandlerByPattern(key: string): MessageHandler | null {
    return this.messageHandlers.get(key) ?? null;
  }

  private streamEventHandler(key: string): StreamEventHandler | undefined {
    const handler = this.messageHandlers.get(key);
    const subject = subjectOfHandlerKey(key);
    const stream = handler?.isEventHandler ? eventStreamOf(subject) : undefined;
    if (!handler || !stream) return undefined;
    return {
      key,
      subject,
      stream: stream.name,
      queue: handler.extras?.queue as ContextName | undefined,
      replay: eventReplayOf(handler.extras),
    };
  }

  /**
   * Runs an event's handler to its end: the guard, the pipes and the work it returns. Only an
   * event as the outbox published it (`EventPublisher`: the envelope, and its outbox id as
   * `Nats-Msg-Id`) is one; anything else in the stream is acknowledged and ignored.
   */
  private async handleStreamEvent(key: string, message: JsMsg): Promise<void> {
    const handler = this.getHandlerByPattern(key)!;
    const packet = decodeIncomingPacket(message.string(), message.subject);
    if (!packet.eventEnvelope || !message.headers?.has(OUTBOX_ID_HEADER)) {
      this.logger.warn(
        `${message.subject} #${message.seq} ignored: not an event its outbox published`,
      );
      return;
    }
    const context = new NatsContext([message.subject, message.headers as never]);
    const started = performance.now();
    const handled = this.serverOptions.handled;
    await runInMessageContext(message.headers, async () => {
      try {
        const result: unknown = await handler(packet.data, context);
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
        handled?.record(message.subject, started);
      } catch (error) {
        handled?.record(message.subject, started, error);
        throw error;
      }
    });
  }
}
