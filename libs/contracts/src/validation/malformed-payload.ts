/**
 * Stands in for a message body that is not JSON, or whose payload is no JSON object. The
 * transport cannot reply from inside its deserializer, so it decodes the body to this, which
 * the message servers refuse with `MALFORMED_REQUEST` before any handler runs (a handler that
 * reads no payload has no validation to refuse it), and validation refuses it too.
 */
export class MalformedPayload {
  constructor(readonly reason: string) {}
}
