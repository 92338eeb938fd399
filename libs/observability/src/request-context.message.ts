import type { MsgHdrs } from '@nats-io/transport-node';
import { MessageHeader } from '@platform/contracts';
import { acceptCorrelationId } from './correlation-id';
import { RequestContext, RequestContextData } from './request-context';

/** The `RequestContext` a message carries in its headers. */
export function messageContextFrom(headers: MsgHdrs | undefined): RequestContextData {
  const get = (name: string) => (headers?.has(name) ? headers.get(name) : undefined);
  return {
    correlationId: acceptCorrelationId(get(MessageHeader.CorrelationId)),
    traceparent: get(MessageHeader.Traceparent),
    authorization: get(MessageHeader.Authorization),
  };
}

/** Runs a message's handler (guards, pipes and filters included) inside its context. */
export function runInMessageContext<T>(headers: MsgHdrs | undefined, handle: () => T): T {
  return RequestContext.run(messageContextFrom(headers), handle);
}
