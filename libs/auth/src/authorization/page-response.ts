import { randomBytes } from 'node:crypto';
import { BrowserEndpointResponse } from '@platform/contracts';

/** What a hosted page's answer carries besides its HTML. */
export interface PageOptions {
  /** Registered URIs the page's forms may end up at after redirects (CSP `form-action`). */
  formTargets?: string[];
  setCookies?: string[];
  retryAfterSeconds?: number;
}

/**
 * A hosted page's answer. The headers follow the OWASP Secure Headers and Clickjacking
 * Defense cheat sheets: a CSP allowing nothing but the page's own inline style (by nonce)
 * and form posts to this origin and the client being returned to (Chromium checks
 * `form-action` on the redirects after a post too), `frame-ancestors 'none'` with
 * `X-Frame-Options: DENY` for older browsers, no referrer (the URL may hold a state),
 * no caching (RFC 6749 5.1, OpenID Connect Core 3.1.2.5 for what follows a login).
 */
export function pageResponse(
  status: number,
  render: (styleNonce: string) => string,
  options: PageOptions = {},
): BrowserEndpointResponse {
  const nonce = randomBytes(16).toString('base64');
  const formAction = ["'self'", ...new Set((options.formTargets ?? []).map(formSource))].join(' ');
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      ...securityHeaders(),
      'content-security-policy':
        `default-src 'none'; style-src 'nonce-${nonce}'; form-action ${formAction}; ` +
        `frame-ancestors 'none'; base-uri 'none'`,
      ...(options.setCookies?.length ? { 'set-cookie': options.setCookies } : {}),
      ...(options.retryAfterSeconds !== undefined
        ? { 'retry-after': String(options.retryAfterSeconds) }
        : {}),
    },
    body: render(nonce),
  };
}

/**
 * The CSP source that lets a form's redirect reach `uri`: its origin for http(s); for a native
 * app's private-use scheme (RFC 8252 7.1), whose URIs have an opaque origin that no source
 * names, the scheme (CSP 3 `scheme-source`).
 */
function formSource(uri: string): string {
  const { protocol, origin } = new URL(uri);
  return protocol === 'https:' || protocol === 'http:' ? origin : protocol;
}

/** Where every hosted page is served: `/oauth2/authorize`, `/oauth2/login`, ... */
const HOSTED_PAGES_FOLDER = '/oauth2/';

/**
 * A hosted page's path as a reference relative to the hosted page that links to it, which the
 * browser resolves against the URL it is on (RFC 3986 5.2; a redirect's `Location` too, RFC
 * 9110 10.2.2). Behind a proxy that serves the issuer under a path (`ISSUER` of
 * `https://example.com/idp`), `login` stays under that path, where `/oauth2/login` would leave
 * it for the host's root.
 */
export function pageReference(path: string): string {
  const name = path.slice(HOSTED_PAGES_FOLDER.length);
  if (!path.startsWith(HOSTED_PAGES_FOLDER) || !/^[a-z-]+$/.test(name)) {
    throw new Error(`${path} is not a hosted page's path`);
  }
  return name;
}

/**
 * A registered URI with `params` added to its query. RFC 6749 3.1.2: the URI's own query is
 * retained, so it is appended to as registered, never parsed and written anew (which would
 * turn `?flag` into `?flag=` and encode `;` and `/`). Registered URIs have no fragment.
 */
export function withQueryParams(
  registeredUri: string,
  params: Record<string, string | undefined>,
): string {
  const added = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) added.set(name, value);
  }
  const query = added.toString();
  if (!query) return registeredUri;
  const queryStart = registeredUri.indexOf('?');
  const separator =
    queryStart < 0
      ? '?'
      : queryStart === registeredUri.length - 1 || registeredUri.endsWith('&')
        ? ''
        : '&';
  return `${registeredUri}${separator}${query}`;
}

/** A 303 (RFC 9110 15.4.4: after a POST, the browser follows with a GET) to `location`. */
export function redirectResponse(
  location: string,
  setCookies: string[] = [],
): BrowserEndpointResponse {
  return {
    status: 303,
    headers: {
      location,
      ...securityHeaders(),
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      ...(setCookies.length ? { 'set-cookie': setCookies } : {}),
    },
  };
}

function securityHeaders(): Record<string, string> {
  return {
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}
