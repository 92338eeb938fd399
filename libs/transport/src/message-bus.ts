import { headers as natsHeaders, MsgHdrs } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy, NatsRecordBuilder } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { MessageHeader } from '@platform/contracts';
import { RequestContext } from '@platform/observability';
import { toServiceError } from './errors/remote-error.mapper';
import { ServiceTimeoutError } from './errors/service-timeout.error';
import { childTraceparent } from './trace-context';
import {
  MESSAGE_CLIENT,
  RequestClient,
  TRANSPORT_OPTIONS,
  TransportOptions,
} from './transport-options';

export interface SendOptions {
  /** Credential to send instead of the current request's. */
  authorization?: string;
  /** The sending service's own token, for subjects only some services may send. */
  serviceAuthorization?: string;
  timeoutMs?: number;
  /**
   * Requests the callee makes in turn, one after another, before it replies: the deadline covers
   * them too, so the callee's own timeout answers first and the caller learns what it said.
   */
  nestedHops?: number;
}

/**
 * The one way a context calls another: `send` for request/reply, `emit` for events. It adds the
 * propagated headers (correlation id, a child `traceparent`, the caller's authorization), bounds
 * every request by a timeout, and turns every failure into a `ServiceError`.
 */
@Injectable()
export class MessageBus {
  constructor(
    @Inject(MESSAGE_CLIENT) private readonly client: ClientProxy & RequestClient,
    @Inject(TRANSPORT_OPTIONS) private readonly options: TransportOptions,
  ) {}

  async send<TResult>(
    subject: string,
    payload: unknown,
    options: SendOptions = {},
  ): Promise<TResult> {
    const authorization = options.authorization ?? RequestContext.current()?.authorization;
    const record = new NatsRecordBuilder(payload)
      .setHeaders(this.outgoingHeaders(authorization, options.serviceAuthorization))
      .build();
    const timeoutMs =
      options.timeoutMs ?? this.options.requestTimeoutMs * (1 + (options.nestedHops ?? 0));
    // The transport's callback and one plain timer, rather than `ClientProxy.send`'s Observable
    // and rxjs's `timeout`: a request needs one reply and one deadline, which also bounds the
    // wait for a connection; on expiry the reply is torn down all the same.
    return await new Promise<TResult>((resolve, reject) => {
      let reply: TResult | undefined;
      let teardown: (() => void) | undefined;
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        teardown?.();
        reject(new ServiceTimeoutError(subject));
      }, timeoutMs);
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(toServiceError(error, subject));
      };
      this.client.connect().then(() => {
        if (expired) return;
        // A transport that throws while sending (a payload it cannot serialize) fails this
        // request; thrown here, it would be an unhandled rejection, which ends the process.
        try {
          teardown = this.client.request(subject, record, ({ err, response, isDisposed }) => {
            if (err) return fail(err);
            if (response !== undefined) reply = response as TResult;
            if (isDisposed) {
              clearTimeout(timer);
              resolve(reply as TResult);
            }
          });
        } catch (error) {
          fail(error);
        }
      }, fail);
    });
  }

  /**
   * Publishes an event. It never carries a credential, the current request's included: an
   * event is believed for who may publish on its subject, and would otherwise spread the
   * caller's token to every subscriber and into the event streams.
   */
  async emit(
    subject: string,
    payload: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<void> {
    const headers = this.outgoingHeaders();
    for (const [key, value] of Object.entries(extraHeaders)) headers.set(key, value);
    await lastValueFrom(
      this.client.emit(subject, new NatsRecordBuilder(payload).setHeaders(headers).build()),
      {
        defaultValue: undefined,
      },
    );
  }

  private outgoingHeaders(authorization?: string, serviceAuthorization?: string): MsgHdrs {
    const context = RequestContext.current();
    const headers = natsHeaders();
    if (context) {
      headers.set(MessageHeader.CorrelationId, context.correlationId);
      headers.set(MessageHeader.Traceparent, childTraceparent(context.traceparent));
    }
    if (authorization) headers.set(MessageHeader.Authorization, authorization);
    if (serviceAuthorization) {
      headers.set(MessageHeader.ServiceAuthorization, serviceAuthorization);
    }
    return headers;
  }
}
