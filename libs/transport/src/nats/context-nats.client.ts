import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { ClientNats, NatsOptions, ReadPacket, WritePacket } from '@nestjs/microservices';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception';
import { InProcessBroker } from '../in-process/in-process.broker';
import { requestOverBroker } from '../in-process/in-process.client';
import type { RequestClient } from '../transport-options';
import { ReplyInbox } from './reply-inbox';
import { coalesceWrites } from './write-coalescing';

/**
 * Nest's NATS client, taking every reply on one wildcard inbox subscription (`ReplyInbox`)
 * rather than a subscription of its own per request. Nest subscribes a fresh inbox for every
 * request and unsubscribes it after the reply: three protocol messages per request, and an
 * interest change the server must process twice; with one inbox a request is one `PUB`. A
 * Nest server sends one reply per request (the response with `isDisposed`, or the error),
 * which is what a request waits for. Writes are coalesced per event-loop turn (see
 * `coalesceWrites`).
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
  /** Where the current connection's replies arrive. */
  private replies?: ReplyInbox;

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
    const connection = coalesceWrites((await super.createClient()) as NatsConnection);
    this.replies = new ReplyInbox(connection, this.options.inboxPrefix, this.replyTimeoutMs);
    return connection;
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
    let serialized: { data: string; headers?: MsgHdrs };
    try {
      serialized = this.serializer.serialize(packet) as typeof serialized;
    } catch (error) {
      callback({ err: error, isDisposed: true });
      return () => undefined;
    }
    const replies = this.replies;
    if (!replies) {
      callback({ err: new Error('NATS connection closed'), isDisposed: true });
      return () => undefined;
    }
    return replies.request(
      channel,
      serialized.data,
      this.mergeHeaders(serialized.headers),
      (error, message) => {
        if (error) return callback({ err: error, isDisposed: true });
        // An empty body is what NATS sends when no one serves the subject (status 503).
        if (message!.data.length === 0) {
          return callback({ err: new EmptyResponseException(channel), isDisposed: true });
        }
        let reply: WritePacket;
        try {
          reply = this.deserializer.deserialize(message) as WritePacket;
        } catch (parseError) {
          return callback({ err: parseError, isDisposed: true });
        }
        callback({ err: reply.err, response: reply.response, isDisposed: true });
      },
    );
  }
}
