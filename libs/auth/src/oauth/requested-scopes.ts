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
      const audience = audienceOfResource(resource);
      if (!audience) throw new OAuthError('invalid_target', 'Unknown resource');
      return audience;
    }),
    ...params.all('audience').map((name) => {
      if (!isAudience(name)) throw new OAuthError('invalid_target', 'Unknown audience');
      return name;
    }),
  ];
  return [...new Set(named)];
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

/**
 * The audience of a token request within a grant held to `granted` resources (RFC 8707 2.2:
 * the authorization request's; `null` when it named none): what it asks, which must be among
 * them (else `invalid_target`), or all of them that the client may still reach; `undefined`
 * when neither names any, for the client's own default.
 */
export function audienceWithinGrant(
  client: Pick<OAuthClient, 'audiences'>,
  asked: Audience[],
  granted: readonly Audience[] | null,
): Audience[] | undefined {
  if (granted === null) return asked.length > 0 ? asked : undefined;
  if (asked.some((audience) => !granted.includes(audience))) {
    throw new OAuthError('invalid_target', 'The grant does not cover this resource');
  }
  const audience = asked.length > 0 ? asked : granted.filter((a) => client.audiences.includes(a));
  if (audience.length === 0) {
    throw new OAuthError('invalid_target', 'The client may no longer reach the resources granted');
  }
  return audience;
}

/** The platform service an RFC 8707 resource indicator names, if it names one. */
export function audienceOfResource(resource: string): Audience | undefined {
  if (!resource.startsWith(RESOURCE_INDICATOR_PREFIX)) return undefined;
  const name = resource.slice(RESOURCE_INDICATOR_PREFIX.length);
  return isAudience(name) ? name : undefined;
}

function isAudience(name: string): name is Audience {
  return (CONTEXTS as readonly string[]).includes(name);
}

/** RFC 6749 3.3: the `scope` parameter, split; undefined when absent. */
export function requestedScopes(params: TokenRequestParams): string[] | undefined {
  const scope = params.get('scope');
  if (scope === undefined) return undefined;
  const scopes = [...new Set(scope.split(' ').filter((entry) => entry.length > 0))];
  if (scopes.length === 0) return undefined;
  return scopes;
}
