import { Audience, CONTEXTS, RESOURCE_INDICATOR_PREFIX } from '@platform/contracts';
import { OAuthClient } from '../clients/oauth-client';
import { OAuthError } from './oauth.error';
import { TokenRequestParams } from './token-request-params';

/**
 * The audiences a request names (RFC 8707 2 `resource`, RFC 8693 2.1 `audience`), each one a
 * platform service, or none when it names none. A value that is not a service is
 * `invalid_target`.
 */
export function requestedAudiences(params: TokenRequestParams): Audience[] {
  const named = [
    ...params.all('resource').map((resource) => {
      if (!resource.startsWith(RESOURCE_INDICATOR_PREFIX)) {
        throw new OAuthError('invalid_target', 'Unknown resource');
      }
      return resource.slice(RESOURCE_INDICATOR_PREFIX.length);
    }),
    ...params.all('audience'),
  ];
  for (const name of named) {
    if (!(CONTEXTS as readonly string[]).includes(name)) {
      throw new OAuthError('invalid_target', 'Unknown audience');
    }
  }
  return [...new Set(named as Audience[])];
}

/**
 * `requestedAudiences`, each one the client may ask tokens for: one it may not is
 * `invalid_target` (RFC 8707 2: "MUST"). Checked before a code or refresh token is spent, so a
 * refused request spends nothing.
 */
export function requestedClientAudiences(
  client: Pick<OAuthClient, 'audiences'>,
  params: TokenRequestParams,
): Audience[] {
  const asked = requestedAudiences(params);
  if (asked.some((audience) => !client.audiences.includes(audience))) {
    throw new OAuthError('invalid_target', 'The client may not ask tokens for this audience');
  }
  return asked;
}

/** RFC 6749 3.3: the `scope` parameter, split; undefined when absent. */
export function requestedScopes(params: TokenRequestParams): string[] | undefined {
  const scope = params.get('scope');
  if (scope === undefined) return undefined;
  const scopes = [...new Set(scope.split(' ').filter((entry) => entry.length > 0))];
  if (scopes.length === 0) return undefined;
  return scopes;
}
