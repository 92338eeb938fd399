import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiSecurity } from '@nestjs/swagger';

/** `ProblemDocument`, which `apiDocument` adds to the components. */
const PROBLEM_SCHEMA = '#/components/schemas/ProblemDocument';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The body or a parameter breaks the contract (`VALIDATION_FAILED`, `MALFORMED_REQUEST`)',
  401: 'No credential, or one that is invalid, expired or revoked (`WWW-Authenticate` says which)',
  403: 'The token lacks a scope or role, or is not a signed-in session where one is required',
  404: 'Not found, or not yours',
  409: 'Conflicts with the current state',
  413: 'The body is larger than the gateway accepts',
  415: 'The body is not JSON (`Content-Type: application/json`)',
  429: 'Too many requests: retry after `Retry-After` seconds',
  503: 'The service behind this route is not answering: retry after `Retry-After`',
  504: 'The service behind this route did not answer in time: retry after `Retry-After`',
};

/** Every route can be rate limited and can find its service absent or slow. */
const ALWAYS = [429, 503, 504];

/** The problem documents a route may answer with, besides those every route may. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...new Set([...statuses, ...ALWAYS])].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { 'application/problem+json': { schema: { $ref: PROBLEM_SCHEMA } } },
      }),
    ),
  );
}

/**
 * A route that needs a credential: an access token, an API token (`pat_...`), or, where the
 * legacy adapter is configured, HTTP Basic for a legacy client.
 */
export function ApiAuthenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth('bearer'),
    ApiSecurity('api-token'),
    ApiSecurity('legacy-basic'),
    ApiProblems(401),
  );
}

/**
 * A route that takes an access token and nothing that stands for one: a session-only route
 * (`@SessionRequired()`, 403 for an API token's or a legacy client's internal token), or one
 * under `/oauth2/`, where the gateway translates no credential (401 for any other).
 */
export function ApiAccessTokenOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth('bearer'), ApiProblems(401));
}
