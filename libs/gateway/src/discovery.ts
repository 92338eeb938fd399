import { SCOPES } from '@platform/contracts';

/**
 * Authorization server metadata (RFC 8414 2; OpenID Connect Discovery 1.0 3) for what this
 * build serves. Endpoints arrive with the OAuth 2.0 / OpenID Connect issue and are listed only
 * once they exist, so a client never follows a link that answers 404.
 */
export function discoveryDocument(issuer: string): Record<string, unknown> {
  const base = issuer.replace(/\/+$/, '');
  return {
    issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    scopes_supported: SCOPES,
    response_types_supported: [],
  };
}
