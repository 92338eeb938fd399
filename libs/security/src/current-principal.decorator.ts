import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { carrierOf } from './bearer-credential';
import { Principal } from './principal';

/**
 * Principals by the request or message they came with. A `WeakMap`, so a principal lives exactly
 * as long as its request, and nothing is added to objects Nest or Fastify own.
 */
const principals = new WeakMap<object, Principal>();

/** Records the verified principal of the call `context` handles (done by the guard). */
export function attachPrincipal(context: ExecutionContext, principal: Principal): void {
  const carrier = carrierOf(context);
  if (carrier) principals.set(carrier, principal);
}

/** The principal of the HTTP request or message `context` handles; none on a public handler. */
export function principalOf(context: ExecutionContext): Principal | undefined {
  const carrier = carrierOf(context);
  return carrier ? principals.get(carrier) : undefined;
}

/**
 * The verified caller of an HTTP route or message handler, as a handler parameter. Using it
 * where no principal can exist (a `@Public()` handler) is a bug, reported as an internal error.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(context);
    if (!principal) {
      throw new Error(`@CurrentPrincipal() used on ${context.getHandler().name}, which has none`);
    }
    return principal;
  },
);
