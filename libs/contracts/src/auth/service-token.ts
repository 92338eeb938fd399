import { CONTEXTS, type ContextName } from '../platform/contexts';

/**
 * The subject a platform service asks auth for its own service token on,
 * `auth.service-token.<service>`. Payload: `{}`. Reply: `ServiceToken`. Anyone may ask, and
 * what proves who asks is the bus: on a hardened bus only the service's own NATS identity may
 * publish on its subject and read the reply in its inboxes (see `deploy/nats/`).
 */
export function serviceTokenSubject(service: ContextName): string {
  return `auth.service-token.${service}`;
}

/** Every service's token subject, which auth answers. */
export const SERVICE_TOKEN_SUBJECTS: readonly string[] = CONTEXTS.map(serviceTokenSubject);

/**
 * A service's own access token (RFC 9068): `sub` `service:<service>`, `client_id` the
 * service, role `service`, audience `auth`, no scope. It proves which platform service sends
 * a message on the subjects only some services may send (the `service-authorization` header).
 */
export interface ServiceToken {
  access_token: string;
  /** Seconds it is valid for. */
  expires_in: number;
}
