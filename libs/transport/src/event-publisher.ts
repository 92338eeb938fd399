import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy, NatsRecordBuilder } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { EventStream } from '@platform/contracts';
import { ensureEventStream, requireEventStream } from './nats/event-stream.setup';
import { NatsConnectionAccess } from './nats/nats-connection.access';
import { MESSAGE_CLIENT, TRANSPORT_OPTIONS, TransportOptions } from './transport-options';

/** One event as the outbox stored it. */
export interface StoredEvent {
  /** The outbox row's id: the JetStream message id, so a re-sent event is dropped. */
  id: string;
  subject: string;
  payload: unknown;
  headers: Record<string, string>;
}

/**
 * Publishes a context's committed events durably: over NATS into the context's JetStream
 * stream, resolving only once the stream has stored the event (its `PubAck`), with the outbox
 * id as `Nats-Msg-Id` so the stream drops a duplicate; in-process to the subscribers there.
 * The body is the same `{pattern, data}` envelope every event has on the bus.
 */
@Injectable()
export class EventPublisher {
  /** Streams known to exist with their declared configuration, by name. */
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(
    @Inject(MESSAGE_CLIENT) private readonly client: ClientProxy,
    @Inject(TRANSPORT_OPTIONS) private readonly options: TransportOptions,
    private readonly nats: NatsConnectionAccess,
  ) {}

  async publish(stream: EventStream, event: StoredEvent): Promise<void> {
    const connection = await this.nats.connection();
    if (!connection) {
      const headers = natsHeaders();
      for (const [key, value] of Object.entries(event.headers)) headers.set(key, value);
      const record = new NatsRecordBuilder(event.payload).setHeaders(headers).build();
      await lastValueFrom(this.client.emit(event.subject, record), { defaultValue: undefined });
      return;
    }
    await this.ensure(stream, connection);
    const headers = natsHeaders();
    for (const [key, value] of Object.entries(event.headers)) headers.set(key, value);
    try {
      await jetstream(connection).publish(
        event.subject,
        JSON.stringify({ pattern: event.subject, data: event.payload }),
        { msgID: event.id, headers, timeout: this.options.requestTimeoutMs },
      );
    } catch (error) {
      // A NATS server that came back without its store has lost the stream: set it up again.
      this.ensured.delete(stream.name);
      throw error;
    }
  }

  /**
   * Creates the context's stream as soon as NATS can be reached, before it has anything to
   * publish, so consumers in other contexts find it (on a hardened bus: checks that the
   * operator provisioned it); in-process there is nothing to prepare.
   */
  async prepare(stream: EventStream): Promise<void> {
    const connection = await this.nats.connection();
    if (connection) await this.ensure(stream, connection);
  }

  /** Once per process and stream; a failure is forgotten, so the next publish tries again. */
  private ensure(
    stream: EventStream,
    connection: NonNullable<Awaited<ReturnType<NatsConnectionAccess['connection']>>>,
  ): Promise<void> {
    let ensured = this.ensured.get(stream.name);
    if (!ensured) {
      ensured = jetstreamManager(connection, { checkAPI: false }).then((jsm) =>
        this.nats.provisionedAhead
          ? requireEventStream(jsm, stream)
          : ensureEventStream(jsm, stream),
      );
      ensured.catch(() => this.ensured.delete(stream.name));
      this.ensured.set(stream.name, ensured);
    }
    return ensured;
  }
}
