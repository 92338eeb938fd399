import * as oauth from 'oauth4webapi';
import { rememberAuthorization, rememberSecret, rememberSecretsIn } from './secrets.ts';

/** Form members that hold a secret, remembered for the deployment's leak check. */
const SECRET_PARAMS = [
  'client_secret',
  'client_assertion',
  'refresh_token',
  'subject_token',
  'token',
  'code',
  'code_verifier',
];

/**
 * `fetch` for oauth4webapi that remembers every secret a request sends and an answer returns,
 * as `http` does, so that no suite can leak one into a log unnoticed.
 */
export const rememberingFetch = async (
  url: string,
  init: oauth.CustomFetchOptions<string, unknown>,
): Promise<Response> => {
  const authorization = Object.entries(init.headers).find(
    ([name]) => name.toLowerCase() === 'authorization',
  )?.[1];
  rememberAuthorization(authorization);
  if (init.body instanceof URLSearchParams) {
    for (const name of SECRET_PARAMS)
      for (const value of init.body.getAll(name)) rememberSecret(value);
  }
  const response = await fetch(url, init as RequestInit);
  const copy = response.clone();
  if (copy.headers.get('content-type')?.includes('json')) {
    rememberSecretsIn(await copy.json().catch(() => undefined));
  }
  return response;
};

/** What every oauth4webapi call against a test deployment needs: plain http, our fetch. */
export const RELYING_PARTY = {
  [oauth.allowInsecureRequests]: true,
  [oauth.customFetch]: rememberingFetch,
} as const;

/** The deployment's authorization server metadata, discovered as a relying party does. */
export async function discover(
  issuer: string,
  algorithm: 'oidc' | 'oauth2' = 'oauth2',
): Promise<oauth.AuthorizationServer> {
  const issuerUrl = new URL(issuer);
  const response = await oauth.discoveryRequest(issuerUrl, { ...RELYING_PARTY, algorithm });
  return oauth.processDiscoveryResponse(issuerUrl, response);
}

/** The OAuth error an oauth4webapi call failed with (`error`, and the HTTP status). */
export async function oauthErrorOf(
  work: Promise<unknown>,
): Promise<{ error: string; status: number }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError)
      return { error: error.error, status: error.status };
    if (error instanceof oauth.WWWAuthenticateChallengeError) {
      const body = (await error.response.json().catch(() => ({}))) as { error?: string };
      return { error: body.error ?? error.cause[0]?.parameters.error ?? '', status: error.status };
    }
    throw error;
  }
  throw new Error('expected an OAuth error');
}
