import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext } from '@nestjs/microservices';
import { ContextName, SERVICE_TOKEN_SUBJECTS, ServiceToken } from '@platform/contracts';
import { Public } from '@platform/security';
import { AccessTokenIssuer } from './access-token.issuer';

/** Short, since a service asks again whenever it needs one: a leaked one soon expires. */
const LIFETIME_SECONDS = 300;

/**
 * Issues each platform service its own service token on its own subject
 * (`serviceTokenSubject`): public, because what proves the sender is the bus itself, whose
 * permissions let only that service's NATS identity publish there and read the reply (an
 * open development bus proves nothing, as it believes anyone). The token is for auth alone,
 * with no scope: it vouches for the sender on `@CallableBy` subjects and does nothing else.
 */
@Controller()
export class ServiceTokensMessageController {
  constructor(private readonly issuer: AccessTokenIssuer) {}

  @Public()
  @MessagePattern(SERVICE_TOKEN_SUBJECTS)
  async issue(@Ctx() context: NatsContext): Promise<ServiceToken> {
    // Only `SERVICE_TOKEN_SUBJECTS` reach here: the last token is a context's name.
    const service = context.getSubject().split('.').pop() as ContextName;
    const token = await this.issuer.issue({
      grantType: 'client_credentials',
      subject: `service:${service}`,
      clientId: service,
      audience: ['auth'],
      scopes: [],
      roles: ['service'],
      ttlSeconds: LIFETIME_SECONDS,
    });
    return { access_token: token, expires_in: LIFETIME_SECONDS };
  }
}
