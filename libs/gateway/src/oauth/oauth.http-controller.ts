import { applyDecorators, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthPattern } from '@platform/contracts';
import { Public } from '@platform/security';
import { OAuthRelay } from './oauth-relay';

/** RFC 6749 5.2's error body, as the OAuth endpoints answer it. */
const OAUTH_ERROR = {
  description: 'RFC 6749 5.2 error `{error, error_description}`',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' }, error_description: { type: 'string' } },
      },
    },
  },
};

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
}) {
  return applyDecorators(
    HttpCode(200),
    ApiOperation({ description: `${endpoint.description} ${CLIENT_AUTHENTICATION}` }),
    ApiConsumes('application/x-www-form-urlencoded'),
    FormParameters(endpoint.form, endpoint.required),
    ApiResponse({ status: 200, description: endpoint.answer }),
    ApiResponse({ status: 400, ...OAUTH_ERROR }),
    ApiResponse({ status: 401, ...OAUTH_ERROR }),
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
  @Post('token')
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
  })
  token(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.OAuthToken, request, reply);
  }

  /** Token revocation (RFC 7009). */
  @Post('revoke')
  @ClientAuthenticatedEndpoint({
    description: 'Revoke an access or refresh token.',
    form: TOKEN_FORM,
    required: ['token'],
    answer: 'Revoked, or nothing to revoke (RFC 7009 2.2)',
  })
  revoke(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.OAuthRevoke, request, reply);
  }

  /** Token introspection (RFC 7662). */
  @Post('introspect')
  @ClientAuthenticatedEndpoint({
    description: 'Whether a token is active, and its claims if the caller may see them.',
    form: TOKEN_FORM,
    required: ['token'],
    answer: 'RFC 7662 2.2 introspection response',
  })
  introspect(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.OAuthIntrospect, request, reply);
  }
}
