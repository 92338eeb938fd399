import { CustomDecorator, SetMetadata } from '@nestjs/common';
import type { ContextName } from '@platform/contracts';

/** Metadata key of `@Public()`. */
export const IS_PUBLIC_KEY = 'security:public';
/** Metadata key of `@Scopes()`. */
export const SCOPES_KEY = 'security:scopes';
/** Metadata key of `@Roles()`. */
export const ROLES_KEY = 'security:roles';
/** Metadata key of `@CallableBy()`. */
export const CALLERS_KEY = 'security:callers';
/** Metadata key of `@ClientAddressFrom()`. */
export const CLIENT_ADDRESS_FROM_KEY = 'security:client-address-from';
/** Metadata key of `@SessionRequired()`. */
export const SESSION_REQUIRED_KEY = 'security:session-required';

/**
 * Opens a route or message handler (or every one of a controller) to callers without a token.
 * Everything else is protected by `AuthenticationGuard`, and a public handler has no principal.
 */
export const Public = (): CustomDecorator<string> => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * Requires every one of these scopes in the token (refused with 403 `INSUFFICIENT_SCOPE`,
 * RFC 6750 3.1). On a handler it replaces the controller's requirement, it does not add to it.
 */
export const Scopes = (...scopes: string[]): CustomDecorator<string> =>
  SetMetadata(SCOPES_KEY, scopes);

/**
 * Requires at least one of these roles (refused with 403 `FORBIDDEN`). On a handler it replaces
 * the controller's requirement, it does not add to it.
 */
export const Roles = (...roles: string[]): CustomDecorator<string> => SetMetadata(ROLES_KEY, roles);

/**
 * Requires a first-party session: a token the platform's own sign-in issued (`client_id`
 * `FIRST_PARTY_CLIENT_ID`) that names its session (`sid`). The internal tokens standing in for
 * API tokens and legacy credentials carry no `sid`, and neither do service tokens, so none of
 * them can change a password or mint API tokens (refused with 403 `SESSION_REQUIRED`).
 */
export const SessionRequired = (): CustomDecorator<string> =>
  SetMetadata(SESSION_REQUIRED_KEY, true);

/**
 * Accepts a message only from these platform services: it must carry the sender's own service
 * token (`ServiceTokens`) in its `service-authorization` header, besides whatever the handler
 * asks of the end user in `authorization` (refused with 403 `FORBIDDEN`). For what a service
 * vouches for: the client address that per-address limits trust comes from the gateway alone,
 * and the revocations in force are for the platform's verifiers.
 */
export const CallableBy = (...services: ContextName[]): CustomDecorator<string> =>
  SetMetadata(CALLERS_KEY, services);

/**
 * For a subject anyone on the bus may send but whose payload may carry the client's address
 * (`clientIp`, counted by per-address limits): a message with an address is accepted only from
 * these services, checked as `@CallableBy()` checks its sender; one without is anyone's. The OAuth
 * endpoints are such subjects: the gateway relays clients' requests with the address it saw,
 * while services exchange tokens there themselves (RFC 8693), authenticated as OAuth clients.
 */
export const ClientAddressFrom = (...services: ContextName[]): CustomDecorator<string> =>
  SetMetadata(CLIENT_ADDRESS_FROM_KEY, services);
