import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthPattern } from '@platform/contracts';
import { Public } from '@platform/security';
import { BrowserRelay } from './browser-relay';

const HTML = { description: 'An HTML page', content: { 'text/html': {} } };
const REDIRECT = { description: 'See Other: on to the client, or the next page (`Location`)' };

/**
 * The pages a browser visits during sign-in, rendered by auth: the authorization endpoint
 * (RFC 6749 3.1; OpenID Connect Core 3.1.2.1 asks for GET and POST), the login and consent
 * forms, and RP-initiated logout. Public: a browser proves itself with its cookies and the
 * forms' CSRF tokens, not with a bearer token.
 */
@ApiTags('oauth')
@Public()
@Controller('oauth2')
export class HostedPagesHttpController {
  constructor(private readonly relay: BrowserRelay) {}

  @Get('authorize')
  @ApiOperation({
    description:
      'The authorization endpoint: response_type=code with PKCE (S256 only); scope, state, ' +
      'nonce, prompt (none, login, consent), max_age. Answers the login or consent page, or ' +
      'a redirect to the registered redirect_uri with code, state and iss (RFC 9207).',
  })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, ...HTML })
  @ApiResponse({ status: 303, ...REDIRECT })
  @ApiResponse({
    status: 400,
    description: 'Unknown client or unregistered redirect_uri (a page, never a redirect)',
  })
  authorize(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.Authorize, request, reply);
  }

  @Post('authorize')
  @ApiOperation({
    description: 'The authorization request as a form (OpenID Connect Core 3.1.2.1).',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, ...HTML })
  @ApiResponse({ status: 303, ...REDIRECT })
  authorizeByForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.Authorize, request, reply);
  }

  @Post('login')
  @ApiOperation({ description: 'The hosted login form: email, password, request, csrf_token.' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiProduces('text/html')
  @ApiResponse({ status: 303, ...REDIRECT })
  @ApiResponse({ status: 401, ...HTML, description: 'Wrong email or password: the form again' })
  @ApiResponse({ status: 403, ...HTML, description: 'Missing or wrong CSRF token' })
  @ApiResponse({ status: 429, ...HTML, description: 'Locked by the login throttle' })
  login(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.SubmitLogin, request, reply);
  }

  @Get('consent')
  @ApiOperation({ description: 'The consent page of a pending authorization request.' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, ...HTML })
  consentPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.Consent, request, reply);
  }

  @Post('consent')
  @ApiOperation({ description: 'The consent form: request, csrf_token, decision (allow, deny).' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiResponse({ status: 303, ...REDIRECT })
  @ApiResponse({ status: 403, ...HTML, description: 'Missing or wrong CSRF token' })
  consent(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.Consent, request, reply);
  }

  @Get('logout')
  @ApiOperation({
    description:
      'The end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0): id_token_hint, ' +
      'client_id, post_logout_redirect_uri (registered, exact), state. Without a valid ' +
      'id_token_hint the user is asked first.',
  })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, ...HTML })
  @ApiResponse({ status: 303, ...REDIRECT })
  logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.EndSession, request, reply);
  }

  @Post('logout')
  @ApiOperation({ description: 'RP-initiated logout as a form, and the confirmation form.' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiResponse({ status: 200, ...HTML })
  @ApiResponse({ status: 303, ...REDIRECT })
  logoutByForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(AuthPattern.EndSession, request, reply);
  }
}
