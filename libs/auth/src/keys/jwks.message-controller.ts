import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AuthPattern } from '@platform/contracts';
import { Public } from '@platform/security';
import { JsonWebKeySet, SigningKeyService } from './signing-key.service';

@Controller()
export class JwksMessageController {
  constructor(private readonly keys: SigningKeyService) {}

  @Public()
  @MessagePattern(AuthPattern.GetJwks)
  jwks(): Promise<JsonWebKeySet> {
    return this.keys.jwks();
  }
}
