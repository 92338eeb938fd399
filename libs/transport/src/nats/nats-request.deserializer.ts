import type { Msg } from '@nats-io/transport-node';
import { ConsumerDeserializer, IncomingEvent, IncomingRequest } from '@nestjs/microservices';
import { decodeIncomingPacket } from '../incoming-packet';

/**
 * Replaces Nest's NATS request deserializer, which cannot reply to an outside client's plain
 * JSON request (it has no envelope id, so Nest treats it as an event) and drops a body that is
 * not JSON without any reply. See `decodeIncomingPacket`.
 */
export class NatsRequestDeserializer implements ConsumerDeserializer {
  deserialize(
    message: Msg,
    options?: { channel?: string; replyTo?: string },
  ): IncomingRequest | IncomingEvent {
    const packet = decodeIncomingPacket(
      message.string(),
      message.subject,
      options?.replyTo ?? message.reply,
    );
    // Decoded against the subject it came on; Nest's packet names the handler key (see
    // `handlerKey`), which may add a queue group.
    packet.pattern = options?.channel ?? message.subject;
    return packet as IncomingRequest;
  }
}
