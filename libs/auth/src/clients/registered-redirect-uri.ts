import { OAuthClient } from './oauth-client';

/** The hosts an `http` redirect URI may name (RFC 8252 7.3, 8.3): loopback only. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** What may follow `http://<loopback host>`: a port, then the path and query, if any. */
const AFTER_HOST = /^(?::(\d{1,5}))?([/?].*)?$/;

/**
 * Whether `requested` is a redirect URI registered for `client` (RFC 6749 3.1.2.3): character
 * for character (RFC 9700 2.1), but for the port of a loopback URI. A native app listens on a
 * port its system gives it at the time of the request, so "the authorization server MUST allow
 * any port to be specified at the time of the request for loopback IP redirect URIs"
 * (RFC 8252 7.3; RFC 9700 2.1 makes the same exception). What keeps another program on the
 * device from redeeming a code sent to its own port is PKCE, which every client must use
 * (RFC 8252 8.1).
 */
export function isRegisteredRedirectUri(
  client: Pick<OAuthClient, 'redirectUris'>,
  requested: string,
): boolean {
  if (client.redirectUris.includes(requested)) return true;
  const portless = withoutLoopbackPort(requested);
  return (
    portless !== undefined &&
    client.redirectUris.some((registered) => withoutLoopbackPort(registered) === portless)
  );
}

/** A loopback URI with its port left out; undefined for any other URI, or a port that is none. */
function withoutLoopbackPort(uri: string): string | undefined {
  for (const host of LOOPBACK_HOSTS) {
    const origin = `http://${host}`;
    if (!uri.startsWith(origin)) continue;
    const after = AFTER_HOST.exec(uri.slice(origin.length));
    if (!after) return undefined;
    const [, port, rest = ''] = after;
    const valid = port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
    return valid ? `${origin}${rest}` : undefined;
  }
  return undefined;
}
