import type { FastifyRequest } from 'fastify';
import { OAUTH_PATHS } from '@platform/contracts';

/** The paths whose requests are forms: the OAuth endpoints (RFC 6749 3.2, RFC 7009, RFC 7662). */
const FORM_PATH_PREFIX = OAUTH_PATHS.token.slice(0, OAUTH_PATHS.token.lastIndexOf('/') + 1);

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * The `application/x-www-form-urlencoded` parser, in place of Nest's default one: forms are
 * parsed for the OAuth endpoints only. Anywhere else the API speaks JSON and a form is refused
 * with 415: a cross-site HTML form posts without a CORS preflight, so a JSON route that took
 * forms could be driven from another site (login CSRF and worse). A parameter sent more than
 * once becomes a list, so the endpoint can refuse it (RFC 6749 3.2); the result has a null
 * prototype, so no name reaches `Object.prototype`.
 */
export function parseFormBody(
  request: FastifyRequest,
  body: Buffer,
  done: (error: Error | null, parsed?: unknown) => void,
): void {
  if (!request.url.startsWith(FORM_PATH_PREFIX)) {
    done(
      Object.assign(new Error(`Unsupported media type: ${FORM_CONTENT_TYPE}`), { statusCode: 415 }),
    );
    return;
  }
  done(null, parseForm(body.toString('utf8')));
}

/** A form body as parameters; a repeated parameter is a list. */
export function parseForm(body: string): Record<string, string | string[]> {
  const params = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(body)) {
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else params[name] = [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return params;
}
