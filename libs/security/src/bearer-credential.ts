import { ExecutionContext } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import type { FastifyRequest } from 'fastify';
import { MessageHeader } from '@platform/contracts';
import { AuthenticationRequiredError } from './errors/authentication-required.error';

/**
 * The object one request or message is known by while it is handled: the HTTP request, or the
 * message's `NatsContext`. Guards and parameter decorators of the same call see the same one.
 */
export function carrierOf(context: ExecutionContext): object | undefined {
  switch (context.getType()) {
    case 'http':
      return context.switchToHttp().getRequest<FastifyRequest>();
    case 'rpc':
      return context.switchToRpc().getContext<NatsContext>();
    default:
      return undefined;
  }
}

/**
 * The bearer token of a request (the `Authorization` header, RFC 6750 2.1) or of a message (its
 * `authorization` NATS header, in the same syntax). Throws 401 `UNAUTHENTICATED` when there is no
 * bearer credential at all (RFC 6750 3.1: no error code for a request without one, or with
 * another scheme). The token is returned as sent, for `AccessTokenVerifier` to check.
 */
export function bearerTokenOf(
  context: ExecutionContext,
  header: string | undefined = authorizationOf(context),
): string {
  const token = header === undefined ? undefined : bearerTokenIn(header);
  if (token === undefined) throw new AuthenticationRequiredError();
  return token;
}

/**
 * The token of an `Authorization` header in the bearer scheme, as sent; undefined for an empty
 * header or another scheme. RFC 6750 2.1: credentials = "Bearer" 1*SP b64token, the scheme
 * case-insensitive (RFC 9110 11.1). The token's own syntax is the verifier's to check.
 */
export function bearerTokenIn(header: string): string | undefined {
  if (header.length === 0) return undefined;
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  return space === -1 ? '' : header.slice(space + 1).replace(/^ +/, '');
}

function authorizationOf(context: ExecutionContext): string | undefined {
  if (context.getType() === 'http') {
    const value = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    return typeof value === 'string' ? value : undefined;
  }
  if (context.getType() === 'rpc') {
    const headers = context.switchToRpc().getContext<NatsContext>().getHeaders?.();
    return headers?.has(MessageHeader.Authorization)
      ? headers.get(MessageHeader.Authorization)
      : undefined;
  }
  return undefined;
}

/** The `service-authorization` header of a message (see `@CallableBy`); none over HTTP. */
export function serviceAuthorizationOf(context: ExecutionContext): string | undefined {
  if (context.getType() !== 'rpc') return undefined;
  const headers = context.switchToRpc().getContext<NatsContext>().getHeaders?.();
  return headers?.has(MessageHeader.ServiceAuthorization)
    ? headers.get(MessageHeader.ServiceAuthorization)
    : undefined;
}
