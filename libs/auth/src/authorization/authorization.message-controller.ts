import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, BrowserEndpointRequest, BrowserEndpointResponse } from '@platform/contracts';
import { CallableBy, Public } from '@platform/security';
import { AuthorizeService } from './authorize.service';
import { ConsentService } from './consent.service';
import { EndSessionService } from './end-session.service';
import { LoginFormService } from './login-form.service';

/**
 * The hosted pages, relayed by the gateway alone, since the sign-in form is throttled by the
 * client address it sends. Public: a browser carries no bearer token; what authenticates it is
 * the SSO session cookie, the binding cookie and the forms' CSRF tokens.
 */
@Public()
@CallableBy('gateway')
@Controller()
export class AuthorizationMessageController {
  constructor(
    private readonly authorization: AuthorizeService,
    private readonly login: LoginFormService,
    private readonly consents: ConsentService,
    private readonly logout: EndSessionService,
  ) {}

  @MessagePattern(AuthPattern.Authorize)
  authorize(@Payload() request: BrowserEndpointRequest): Promise<BrowserEndpointResponse> {
    return this.authorization.authorize(request);
  }

  @MessagePattern(AuthPattern.SubmitLogin)
  submitLogin(@Payload() request: BrowserEndpointRequest): Promise<BrowserEndpointResponse> {
    return this.login.submit(request);
  }

  @MessagePattern(AuthPattern.Consent)
  consent(@Payload() request: BrowserEndpointRequest): Promise<BrowserEndpointResponse> {
    return this.consents.consent(request);
  }

  @MessagePattern(AuthPattern.EndSession)
  endSession(@Payload() request: BrowserEndpointRequest): Promise<BrowserEndpointResponse> {
    return this.logout.endSession(request);
  }
}
