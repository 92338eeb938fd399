import { Injectable } from '@nestjs/common';
import { AccessTokenIssuer } from './access-token.issuer';

/** Renew a little before expiry so a token never expires in flight. */
const RENEW_BEFORE_SECONDS = 60;

/**
 * The auth context's own credential for calling the users context: a short-lived access token
 * it signs for itself, with the `service` role and only the audience and scopes it needs. Like
 * every caller, auth gets no trust without a token the callee verifies.
 */
@Injectable()
export class ServiceCredentials {
  private cached?: { authorization: string; renewAt: number };

  constructor(private readonly issuer: AccessTokenIssuer) {}

  async authorization(): Promise<string> {
    const now = Date.now() / 1000;
    if (!this.cached || this.cached.renewAt <= now) {
      const token = await this.issuer.issue({
        grantType: 'service',
        subject: 'service:auth',
        clientId: 'auth',
        audience: ['users'],
        scopes: ['users:read', 'users:write'],
        roles: ['service'],
      });
      this.cached = {
        authorization: `Bearer ${token}`,
        renewAt: now + Math.max(0, this.issuer.ttlSeconds - RENEW_BEFORE_SECONDS),
      };
    }
    return this.cached.authorization;
  }
}
