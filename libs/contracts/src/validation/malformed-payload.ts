/**
 * Stands in for a message body that is not JSON. The transport cannot reply from inside its
 * deserializer, so it hands this to the handler's validation, which refuses it with
 * `MALFORMED_REQUEST` like any other bad payload.
 */
export class MalformedPayload {
  constructor(readonly reason: string) {}
}
