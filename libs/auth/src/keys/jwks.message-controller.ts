import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AuthPattern } from '@platform/contracts';
import { Public } from '@platform/security';
import { JsonWebKeySet, PublishedKeySet } from './published-key-set';

@Controller()
export class JwksMessageController {
  constructor(private readonly keySet: PublishedKeySet) {}

  @Public()
  @MessagePattern(AuthPattern.GetJwks)
  jwks(): Promise<JsonWebKeySet> {
    return this.keySet.jwks();
  }
}
