/**
 * Headers every request and event carries, over HTTP and over NATS alike.
 * Names are lower-case because NATS headers are case-sensitive and HTTP/2 forbids upper case.
 */
export const MessageHeader = {
  /** `Bearer <jwt>`: the caller's credential. */
  Authorization: 'authorization',
  /**
   * `Bearer <jwt>`: the sending platform service's own token (`ServiceToken`), on the subjects
   * only some services may send; the `authorization` header stays the end user's.
   */
  ServiceAuthorization: 'service-authorization',
  /** Opaque id that ties together every log line of one request across services. */
  CorrelationId: 'x-correlation-id',
  /** W3C Trace Context (https://www.w3.org/TR/trace-context/#traceparent-header). */
  Traceparent: 'traceparent',
} as const;
