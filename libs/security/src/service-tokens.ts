import { Inject, Injectable } from '@nestjs/common';
import { ContextName, serviceTokenSubject, ServiceToken } from '@platform/contracts';
import { MessageBus, SendOptions } from '@platform/transport';
import { AccessTokenVerifier } from './access-token-verifier';
import { ReusedCredential, sendWithCredential } from './reused-credential';

/** Injection token of the platform service this process sends as (see `ServiceTokens`). */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** Renewed this long before expiry, so a token never expires in flight. */
const RENEW_BEFORE_MS = 30_000;

/**
 * This process's own service token, for the `service-authorization` header of the subjects
 * only some services may send (`@CallableBy`). Asked of auth on the service's own subject
 * (`serviceTokenSubject`), which on a hardened bus only this service's NATS identity may
 * publish; kept until shortly before it expires, and only while this process's own verifier
 * would still accept it: a withdrawn signing key (`keys:revoke`) takes the token it signed
 * with it, here as at auth; and renewed when a callee refused it for a withdrawn key this
 * process had not heard of yet (see `ReusedCredential`). One request at a time asks.
 */
@Injectable()
export class ServiceTokens implements ReusedCredential {
  private current?: { token: string; authorization: string; renewAt: number };
  private asking?: Promise<string>;

  constructor(
    private readonly bus: MessageBus,
    private readonly verifier: AccessTokenVerifier,
    @Inject(SERVICE_NAME) private readonly service: ContextName,
  ) {}

  /** `bus.send` as this service: with its service token as the `service-authorization`. */
  send<T>(
    subject: string,
    payload: unknown,
    options: Omit<SendOptions, 'serviceAuthorization'> = {},
  ): Promise<T> {
    return sendWithCredential(this, (serviceAuthorization) =>
      this.bus.send<T>(subject, payload, { ...options, serviceAuthorization }),
    );
  }

  async authorization(): Promise<string> {
    const current = this.current;
    if (current && current.renewAt > Date.now() && (await this.stillAccepted(current.token))) {
      return current.authorization;
    }
    this.asking ??= this.ask().finally(() => {
      this.asking = undefined;
    });
    return this.asking;
  }

  renew(refused: string): Promise<string> {
    if (this.current?.authorization === refused) this.current = undefined;
    return this.authorization();
  }

  private stillAccepted(token: string): Promise<boolean> {
    return this.verifier.verify(token, 'auth').then(
      () => true,
      () => false,
    );
  }

  private async ask(): Promise<string> {
    const token = await this.bus.send<ServiceToken>(serviceTokenSubject(this.service), {});
    const authorization = `Bearer ${token.access_token}`;
    this.current = {
      token: token.access_token,
      authorization,
      renewAt: Date.now() + token.expires_in * 1000 - RENEW_BEFORE_MS,
    };
    return authorization;
  }
}
