import type { WritePacket } from '@nestjs/microservices';
import {
  MAX_JSON_NESTING,
  MalformedPayload,
  MalformedRequestError,
  nestsDeeperThan,
} from '@platform/contracts';

/** What a message server hands to Nest: the pattern, the payload, and a reply id for requests. */
export interface IncomingPacket {
  pattern: string;
  data: unknown;
  id?: string;
  /**
   * Whether the body is the envelope every event is published in (`{pattern, data}`, see
   * `EventPublisher` and `MessageBus.emit`) and names the subject it came on. Nothing else on an
   * event subject is an event: a reply (`{err|response, isDisposed, id}`) landed there, or a
   * payload written by hand.
   */
  eventEnvelope: boolean;
}

/**
 * Decodes a message body the way both transports must: Nest's own envelope
 * (`{pattern, data, id}`) as it is, and anything else as a plain JSON payload from an outside
 * client (any language, any NATS tool), which is a request when it carries a reply subject.
 * A payload is a JSON object, or nothing at all: a body that is not JSON, a payload that is
 * a string, a number or an array, or one nested deeper than `MAX_JSON_NESTING` (which
 * validation would otherwise recurse through until the stack runs out; `JSON.parse` itself
 * does not recurse) becomes `MalformedPayload`, which the message servers refuse with a
 * structured error (`malformedRequestReply`) before any handler runs, instead of the message
 * vanishing, or being obeyed by a handler that reads no payload.
 */
export function decodeIncomingPacket(
  raw: string,
  subject: string,
  replyTo?: string,
): IncomingPacket {
  // nats.js gives a message without a reply subject the reply subject `""`.
  replyTo ||= undefined;
  let value: unknown;
  try {
    value = raw.length === 0 ? undefined : JSON.parse(raw);
  } catch {
    return malformed('Message body is not valid JSON', subject, replyTo);
  }
  if (isNestEnvelope(value)) {
    if (!isPayload(value.data)) return malformed(NOT_AN_OBJECT, subject, value.id);
    // The envelope is one level around the payload.
    if (nestsDeeperThan(raw, MAX_JSON_NESTING + 1)) return malformed(TOO_DEEP, subject, value.id);
    return {
      pattern: subject,
      data: value.data,
      id: value.id,
      eventEnvelope: value.pattern === subject && value.id === undefined,
    };
  }
  if (!isPayload(value)) return malformed(NOT_AN_OBJECT, subject, replyTo);
  if (nestsDeeperThan(raw, MAX_JSON_NESTING)) return malformed(TOO_DEEP, subject, replyTo);
  return { pattern: subject, data: value, id: replyTo, eventEnvelope: false };
}

/** The structured `MALFORMED_REQUEST` reply to a request whose body is malformed, if it is. */
export function malformedRequestReply(packet: IncomingPacket): WritePacket | undefined {
  if (!(packet.data instanceof MalformedPayload)) return undefined;
  return { err: new MalformedRequestError(packet.data.reason).toReply(), isDisposed: true };
}

const NOT_AN_OBJECT = 'Message body must be a JSON object';
const TOO_DEEP = `Message body nests deeper than ${MAX_JSON_NESTING} levels`;

function malformed(reason: string, subject: string, id: string | undefined): IncomingPacket {
  return { pattern: subject, data: new MalformedPayload(reason), id, eventEnvelope: false };
}

function isPayload(value: unknown): boolean {
  return (
    value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))
  );
}

function isNestEnvelope(value: unknown): value is { pattern: unknown; data: unknown; id?: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'pattern' in value &&
    (!('id' in value) || typeof value.id === 'string')
  );
}
