import type { MsgHdrs } from '@nats-io/transport-node';
import { ClientProxy, NatsRecord, PacketId, ReadPacket, WritePacket } from '@nestjs/microservices';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception';
import { InProcessBroker } from './in-process.broker';
import type { RequestClient } from '../transport-options';

/**
 * The client side of the in-process transport. Every packet is serialized to JSON and parsed
 * back on the other side, exactly as over NATS, so a Date, a class instance or a shared
 * reference cannot work here and break once the contexts are split. Headers travel as
 * `NatsRecord` headers, as with Nest's NATS client; a request that reaches no handler fails at
 * once with the same `EmptyResponseException` NATS produces for "no responders".
 */
export class InProcessClient extends ClientProxy implements RequestClient {
  constructor(private readonly broker: InProcessBroker) {
    super();
  }

  connect(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    // Nothing to release: the broker lives as long as the process.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  /** See `RequestClient`: `send` without its Observable, for `MessageBus`. */
  request(subject: string, data: unknown, callback: (packet: WritePacket) => void): () => void {
    return this.publish(this.createPacket(subject, data), callback);
  }

  protected publish(
    partialPacket: ReadPacket,
    callback: (packet: WritePacket) => void,
  ): () => void {
    const packet = this.assignPacketId(partialPacket);
    return requestOverBroker(this.broker, this.normalizePattern(packet.pattern), packet, callback);
  }

  protected dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const subject = this.normalizePattern(packet.pattern);
    const { data, headers } = unwrapRecord(packet.data);
    this.broker.publish(subject, JSON.stringify({ pattern: subject, data }), headers);
    return Promise.resolve(undefined as T);
  }
}

/**
 * Sends one request packet to whoever listens on `subject` in this process, serialized to JSON
 * and parsed back exactly as over NATS, and hands its reply to `callback`; with nobody
 * listening, fails at once with NATS's "no responders", and with a payload that cannot be
 * serialized, with the serializer's error. Returns the teardown, after which a
 * late reply is dropped.
 */
export function requestOverBroker(
  broker: InProcessBroker,
  subject: string,
  packet: ReadPacket & PacketId,
  callback: (packet: WritePacket) => void,
): () => void {
  const { data, headers } = unwrapRecord(packet.data);
  let serialized: string;
  try {
    serialized = JSON.stringify({ pattern: subject, data, id: packet.id });
  } catch (error) {
    // As the NATS client: a payload that cannot be serialized (a cycle, a BigInt, nesting
    // deeper than the stack) fails its request and nothing else.
    callback({ err: error, isDisposed: true });
    return () => undefined;
  }
  const inbox = broker.inbox();
  const unsubscribe = broker.subscribe(inbox, (reply) => {
    const { err, response, isDisposed } = JSON.parse(reply.data) as WritePacket;
    const last = isDisposed || err !== undefined;
    if (last) unsubscribe();
    callback({ err, response, isDisposed: last });
  });
  const delivered = broker.publish(subject, serialized, headers, inbox);
  if (delivered === 0) {
    unsubscribe();
    callback({ err: new EmptyResponseException(subject), isDisposed: true });
  }
  return unsubscribe;
}

function unwrapRecord(data: unknown): { data: unknown; headers?: MsgHdrs } {
  return data instanceof NatsRecord
    ? { data: data.data, headers: data.headers as MsgHdrs | undefined }
    : { data };
}
