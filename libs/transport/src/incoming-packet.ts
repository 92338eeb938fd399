import { MAX_JSON_NESTING, MalformedPayload, nestsDeeperThan } from '@platform/contracts';

/** What a message server hands to Nest: the pattern, the payload, and a reply id for requests. */
export interface IncomingPacket {
  pattern: string;
  data: unknown;
  id?: string;
}

/**
 * Decodes a message body the way both transports must: Nest's own envelope
 * (`{pattern, data, id}`) as it is, and anything else as a plain JSON payload from an outside
 * client (any language, any NATS tool), which is a request when it carries a reply subject.
 * A body that is not JSON still gets a reply: the payload becomes `MalformedPayload`, which
 * validation refuses with a structured error instead of the message vanishing. So does one
 * nested deeper than `MAX_JSON_NESTING`, which validation would otherwise recurse through until
 * the stack runs out (`JSON.parse` itself does not recurse).
 */
export function decodeIncomingPacket(
  raw: string,
  subject: string,
  replyTo?: string,
): IncomingPacket {
  let value: unknown;
  try {
    value = raw.length === 0 ? undefined : JSON.parse(raw);
  } catch {
    return {
      pattern: subject,
      data: new MalformedPayload('Message body is not valid JSON'),
      id: replyTo,
    };
  }
  if (isNestEnvelope(value)) {
    // The envelope is one level around the payload.
    return { pattern: subject, data: withinNesting(value.data, raw, 1), id: value.id };
  }
  return { pattern: subject, data: withinNesting(value, raw, 0), id: replyTo };
}

/** The payload decoded from `raw`, or `MalformedPayload` if it nests too deep. */
function withinNesting(payload: unknown, raw: string, envelopeLevels: number): unknown {
  return nestsDeeperThan(raw, MAX_JSON_NESTING + envelopeLevels)
    ? new MalformedPayload(`Message body nests deeper than ${MAX_JSON_NESTING} levels`)
    : payload;
}

function isNestEnvelope(value: unknown): value is { pattern: unknown; data: unknown; id?: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'pattern' in value &&
    (!('id' in value) || typeof value.id === 'string')
  );
}
