import { applyDecorators, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthPattern } from '@platform/contracts';
import { Public } from '@platform/security';
import { OAuthRelay } from './oauth-relay';

/** RFC 6749 5.2's error body, as the OAuth endpoints answer it. */
const OAUTH_ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
};

const OAUTH_ERROR = {
  description: 'RFC 6749 5.2 error `{error, error_description}`',
  content: { 'application/json': { schema: OAUTH_ERROR_SCHEMA } },
};

const PROBLEM = { schema: { $ref: '#/components/schemas/ProblemDocument' } };

/** RFC 6749 5.1, RFC 8693 2.2.1 and OpenID Connect Core 3.1.3.3: the token endpoint's answer. */
const TOKEN_RESPONSE = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in'],
  properties: {
    access_token: { type: 'string' },
    token_type: { type: 'string', enum: ['Bearer', 'N_A'] },
    expires_in: { type: 'integer', description: 'Seconds until the access token expires' },
    refresh_token: {
      type: 'string',
      description: 'authorization_code with offline_access, and refresh_token',
    },
    scope: { type: 'string', description: 'The granted scopes, space-delimited' },
    id_token: { type: 'string', description: 'authorization_code with openid' },
    issued_token_type: { type: 'string', description: 'Token exchange (RFC 8693 2.2.1)' },
  },
};

/** RFC 7662 2.2: `active`, and for an active token the claims the caller may see. */
const INTROSPECTION_RESPONSE = {
  type: 'object',
  required: ['active'],
  properties: {
    active: { type: 'boolean' },
    scope: { type: 'string' },
    client_id: { type: 'string' },
    token_type: { type: 'string', description: '`Bearer`, or `refresh_token`' },
    exp: { type: 'integer' },
    iat: { type: 'integer' },
    sub: { type: 'string' },
    aud: { type: 'array', items: { type: 'string' } },
    iss: { type: 'string' },
    jti: { type: 'string' },
    sid: { type: 'string' },
    act: { type: 'object', description: 'RFC 8693 4.1: the actor of an exchanged token' },
  },
};

/** RFC 7009 2.2: the revocation endpoint answers 200 with an empty object. */
const REVOCATION_RESPONSE = { type: 'object', maxProperties: 0 };

const CLIENT_AUTHENTICATION =
  'The client authenticates as it registered (RFC 6749 2.3): HTTP Basic with its form-encoded ' +
  'client_id and secret, client_id and client_secret in the form, a private_key_jwt ' +
  'client_assertion (RFC 7523), or, for a public client, client_id alone.';

function FormParameters(properties: Record<string, string>, required: string[]) {
  return ApiBody({
    schema: {
      type: 'object',
      required,
      properties: Object.fromEntries(
        Object.entries(properties).map(([name, description]) => [
          name,
          { type: 'string', description },
        ]),
      ),
    },
  });
}

/** What the revocation and introspection endpoints take: the token (RFC 7009 2.1, RFC 7662 2.1). */
const TOKEN_FORM = { token: 'The token', token_type_hint: 'access_token or refresh_token' };

/**
 * An endpoint an OAuth client authenticates to (RFC 6749 2.3), as the document shows it: a form
 * in, `answer` with 200, and RFC 6749 5.2 errors.
 */
function ClientAuthenticatedEndpoint(endpoint: {
  description: string;
  form: Record<string, string>;
  required: string[];
  answer: string;
  schema: object;
}) {
  return applyDecorators(
    ApiOperation({ description: `${endpoint.description} ${CLIENT_AUTHENTICATION}` }),
    ApiConsumes('application/x-www-form-urlencoded'),
    FormParameters(endpoint.form, endpoint.required),
    ApiResponse({
      status: 200,
      description: endpoint.answer,
      content: { 'application/json': { schema: endpoint.schema } },
    }),
    ApiResponse({ status: 400, ...OAUTH_ERROR }),
    ApiResponse({ status: 401, ...OAUTH_ERROR }),
    ApiResponse({
      status: 413,
      description: 'The form is larger than the gateway accepts',
      content: { 'application/problem+json': PROBLEM },
    }),
    ApiResponse({
      status: 415,
      description: 'Not a form: a body of another type',
      content: { 'application/problem+json': PROBLEM },
    }),
    ApiResponse({
      status: 429,
      description:
        'Too many requests, retry after `Retry-After` seconds: the gateway’s limit as a problem ' +
        'document, auth’s throttle as an RFC 6749 5.2 error',
      content: {
        'application/json': { schema: OAUTH_ERROR_SCHEMA },
        'application/problem+json': PROBLEM,
      },
    }),
    ApiResponse({
      status: 503,
      description: '`temporarily_unavailable` (RFC 6749 5.2): retry after `Retry-After`',
      content: { 'application/json': { schema: OAUTH_ERROR_SCHEMA } },
    }),
  );
}

/**
 * The OAuth 2.0 endpoints of the authorization server, relayed to auth. Public routes: the
 * caller is an OAuth client that authenticates in the request (RFC 6749 2.3).
 */
@ApiTags('oauth')
@Public()
@Controller('oauth2')
export class OAuthHttpController {
  constructor(private readonly relay: OAuthRelay) {}

  /** The token endpoint (RFC 6749 3.2). */
  // On the method itself, where the swagger compiler plugin sees it: a POST is otherwise 201.
  @Post('token')
  @HttpCode(200)
  @ClientAuthenticatedEndpoint({
    description:
      'Grants: client_credentials, refresh_token, authorization_code (PKCE S256), and token ' +
      'exchange (RFC 8693).',
    form: {
      grant_type: 'The grant type',
      scope: 'Space-delimited scopes, among the client’s',
      resource: 'RFC 8707 resource indicator (urn:identity-platform:service:<name>); may repeat',
      audience: 'RFC 8693 audience: a platform service’s name; may repeat',
      refresh_token: 'For refresh_token',
      subject_token: 'For token exchange: the user’s access token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      code: 'For authorization_code',
      code_verifier: 'For authorization_code (PKCE)',
      redirect_uri: 'For authorization_code',
      client_id: 'client_secret_post, or a public client',
      client_secret: 'client_secret_post',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'private_key_jwt',
    },
    required: ['grant_type'],
    answer: 'RFC 6749 5.1 token response',
    schema: TOKEN_RESPONSE,
  })
  token(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.OAuthToken, request, reply);
  }

  /** Token revocation (RFC 7009). */
  @Post('revoke')
  @HttpCode(200)
  @ClientAuthenticatedEndpoint({
    description: 'Revoke an access or refresh token.',
    form: TOKEN_FORM,
    required: ['token'],
    answer: 'Revoked, or nothing to revoke (RFC 7009 2.2)',
    schema: REVOCATION_RESPONSE,
  })
  revoke(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.OAuthRevoke, request, reply);
  }

  /** Token introspection (RFC 7662). */
  @Post('introspect')
  @HttpCode(200)
  @ClientAuthenticatedEndpoint({
    description: 'Whether a token is active, and its claims if the caller may see them.',
    form: TOKEN_FORM,
    required: ['token'],
    answer: 'RFC 7662 2.2 introspection response',
    schema: INTROSPECTION_RESPONSE,
  })
  introspect(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.OAuthIntrospect, request, reply);
  }
}
