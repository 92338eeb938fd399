import type { NatsConnection } from '@nats-io/transport-node';
import { ClientNats, NatsOptions, ReadPacket, WritePacket } from '@nestjs/microservices';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception';
import { InProcessBroker } from '../in-process/in-process.broker';
import { requestOverBroker } from '../in-process/in-process.client';
import type { RequestClient } from '../transport-options';
import { coalesceWrites } from './write-coalescing';

/**
 * Nest's NATS client, sending each request with nats.js's own request/reply rather than a
 * subscription of its own per request. Nest subscribes a fresh inbox for every request and
 * unsubscribes it after the reply: three protocol messages per request, and an interest change
 * the server must process twice. nats.js answers every request on one wildcard inbox
 * subscription, so a request is one `PUB`. A Nest server sends one reply per request (the
 * response with `isDisposed`, or the error), which is what a request waits for. Writes are
 * coalesced per event-loop turn (see `coalesceWrites`).
 *
 * With `local`, a request for a subject whose handler this very process serves (a monolith,
 * or any process hosting both the caller and the callee) is handed to that handler through
 * the in-process broker instead of making the round trip through the NATS server, as
 * Moleculer's `preferLocal` does. Nothing else differs: the handler's message server takes it
 * through the same guards, pipes, interceptors and exception filters with the same headers
 * (credential, correlation id, traceparent); payload and reply are serialized to JSON and
 * parsed back as on the wire; `MessageBus` bounds it with the same timeout. A subject this
 * process does not serve still goes to NATS, to be answered by another replica or process,
 * and so does every request while the NATS connection is down, which then fails as it would
 * for any caller, so a process cut off from NATS (and from the revocations and key changes it
 * carries) answers nothing.
 */
export class ContextNatsClient extends ClientNats implements RequestClient {
  /** Whether the NATS connection is up; before the first connect, publish is never reached. */
  private reachable = true;

  constructor(
    options: NonNullable<NatsOptions['options']>,
    /** How long nats.js keeps waiting for a reply; `MessageBus` gives up on its own before. */
    private readonly replyTimeoutMs: number,
    /** The broker this process's own message server also serves its request handlers on. */
    private readonly local?: InProcessBroker,
  ) {
    super(options);
    this._status$.subscribe((status) => {
      this.reachable = status === 'connected';
    });
  }

  override async createClient(): Promise<NatsConnection> {
    return coalesceWrites((await super.createClient()) as NatsConnection);
  }

  /** See `RequestClient`: `send` without its Observable, for `MessageBus`. */
  request(subject: string, data: unknown, callback: (packet: WritePacket) => void): () => void {
    return this.publish(this.createPacket(subject, data), callback);
  }

  protected override publish(
    partialPacket: ReadPacket,
    callback: (packet: WritePacket) => void,
  ): () => void {
    const packet = this.assignPacketId(partialPacket);
    const channel = this.normalizePattern(partialPacket.pattern);
    if (this.local && this.reachable && this.local.serves(channel)) {
      return requestOverBroker(this.local, channel, packet, callback);
    }
    let active = true;
    try {
      const serialized = this.serializer.serialize(packet);
      const connection = this.unwrap<NatsConnection>();
      connection
        .request(channel, serialized.data, {
          timeout: this.replyTimeoutMs,
          headers: this.mergeHeaders(serialized.headers),
        })
        .then(async (message) => {
          if (!active) return;
          if (message.data.length === 0) {
            callback({ err: new EmptyResponseException(channel), isDisposed: true });
            return;
          }
          const { err, response } = (await this.deserializer.deserialize(message)) as WritePacket;
          if (active) callback({ err, response, isDisposed: true });
        })
        .catch((error: unknown) => {
          if (!active) return;
          const noResponders = (error as { isNoResponders?: () => boolean }).isNoResponders?.();
          callback({
            err: noResponders ? new EmptyResponseException(channel) : error,
            isDisposed: true,
          });
        });
    } catch (error) {
      callback({ err: error, isDisposed: true });
    }
    return () => {
      active = false;
    };
  }
}
