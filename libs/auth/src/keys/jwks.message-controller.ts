import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AuthPattern } from '@platform/contracts';
import { JsonWebKeySet, SigningKeyService } from './signing-key.service';

@Controller()
export class JwksMessageController {
  constructor(private readonly keys: SigningKeyService) {}

  @MessagePattern(AuthPattern.GetJwks)
  jwks(): Promise<JsonWebKeySet> {
    return this.keys.jwks();
  }
}
