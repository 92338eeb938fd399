import { Injectable } from '@nestjs/common';
import { ServiceTokens } from '@platform/security';

/**
 * Sends what a browser or an OAuth client asked of the gateway on to auth. The message carries
 * no bearer credential (the request authenticates itself, if at all: a cookie, a form, a
 * client's credentials), and the gateway's own service token, without which auth believes no
 * client address in the payload (`@CallableBy`, `@ClientAddressFrom`).
 */
@Injectable()
export class AuthRelay {
  constructor(private readonly serviceTokens: ServiceTokens) {}

  send<T>(pattern: string, payload: object): Promise<T> {
    return this.serviceTokens.send<T>(pattern, payload, { authorization: '', nestedHops: 1 });
  }
}
