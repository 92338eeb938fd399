import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, InternalToken, LegacyCredentialDto } from '@platform/contracts';
import { Public } from '@platform/security';
import { LegacyCredentials } from './legacy-credentials.service';

@Controller()
export class LegacyCredentialsMessageController {
  constructor(private readonly legacy: LegacyCredentials) {}

  /** Public: the client's secret in the payload is the credential, as a password is for a login. */
  @Public()
  @MessagePattern(AuthPattern.ExchangeLegacyCredential)
  exchange(@Payload() credential: LegacyCredentialDto): Promise<InternalToken> {
    return this.legacy.exchange(credential);
  }
}
