import type { NatsConnection } from '@nats-io/transport-node';
import { ClientNats, NatsOptions, ReadPacket, WritePacket } from '@nestjs/microservices';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception';
import { coalesceWrites } from './write-coalescing';

/**
 * Nest's NATS client, sending each request with nats.js's own request/reply rather than a
 * subscription of its own per request. Nest subscribes a fresh inbox for every request and
 * unsubscribes it after the reply: three protocol messages per request, and an interest change
 * the server must process twice. nats.js answers every request on one wildcard inbox
 * subscription, so a request is one `PUB`. A Nest server sends one reply per request (the
 * response with `isDisposed`, or the error), which is what a request waits for. Writes are
 * coalesced per event-loop turn (see `coalesceWrites`).
 */
export class ContextNatsClient extends ClientNats {
  constructor(
    options: NonNullable<NatsOptions['options']>,
    /** How long nats.js keeps waiting for a reply; `MessageBus` gives up on its own before. */
    private readonly replyTimeoutMs: number,
  ) {
    super(options);
  }

  override async createClient(): Promise<NatsConnection> {
    return coalesceWrites((await super.createClient()) as NatsConnection);
  }

  protected override publish(
    partialPacket: ReadPacket,
    callback: (packet: WritePacket) => void,
  ): () => void {
    const packet = this.assignPacketId(partialPacket);
    const channel = this.normalizePattern(partialPacket.pattern);
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
