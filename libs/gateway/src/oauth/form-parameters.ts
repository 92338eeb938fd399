import type { FastifyRequest } from 'fastify';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * The parameters of a request whose body is a form (`application/x-www-form-urlencoded`, as
 * the OAuth endpoints take and browsers post), or undefined for a body of any other type.
 */
export function formParameters(
  request: FastifyRequest,
): Record<string, string | string[]> | undefined {
  const contentType = request.headers['content-type']?.split(';', 1)[0].trim().toLowerCase();
  const body = request.body;
  return contentType === FORM_CONTENT_TYPE &&
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body)
    ? (body as Record<string, string | string[]>)
    : undefined;
}
