import { Injectable } from '@nestjs/common';
import type { ContextName } from '@platform/contracts';
import { ReusedCredential } from '@platform/security';
import { ActiveSigningKey } from '../keys/active-signing-key';
import { AccessTokenIssuer } from './access-token.issuer';

/** Auth's built-in OAuth client (see `BuiltInClients`): a platform service's id is its name. */
const AUTH_CLIENT_ID: ContextName = 'auth';

/** What auth may ask of the users context, one scope per kind of call. */
export type UsersScope = 'users:read' | 'users:write';

/** Long enough to be reused by the calls of a minute, short enough that a leak soon expires. */
const LIFETIME_SECONDS = 60;
/** Renewed a little before expiry, so a token never expires in flight. */
const RENEW_BEFORE_SECONDS = 15;

/**
 * The auth context's own credentials for calling the users context, in its own work and in the
 * background: the client-credentials token of its built-in OAuth client `auth` (`sub` and
 * `client_id` the client, the `service` role), which auth, being the authorization server,
 * signs for itself rather than asking its own token endpoint. Short-lived, for the `users`
 * audience alone and exactly the one scope a call needs (least privilege): the token that
 * creates profiles cannot read them, and none of them can grant a role, which takes an
 * administrator's token. Like every caller, auth gets no trust without a token the callee
 * verifies.
 */
@Injectable()
export class ServiceCredentials {
  private readonly cached = new Map<
    UsersScope,
    { authorization: string; renewAt: number; kid: string }
  >();

  constructor(
    private readonly issuer: AccessTokenIssuer,
    private readonly signingKey: ActiveSigningKey,
  ) {}

  /** The credential for calls that need `scope`, renewed as `ReusedCredential` says. */
  for(scope: UsersScope): ReusedCredential {
    return {
      authorization: () => this.authorization(scope),
      renew: () => this.renew(scope),
    };
  }

  /**
   * A token is reused only while the key that signed it still signs: a withdrawn key
   * (`keys:revoke`) is dropped by every verifier at once, and so must every token it signed.
   */
  private async authorization(scope: UsersScope): Promise<string> {
    const now = Date.now() / 1000;
    const { kid } = await this.signingKey.current();
    const cached = this.cached.get(scope);
    if (cached && cached.renewAt > now && cached.kid === kid) return cached.authorization;
    const token = await this.issuer.issue({
      grantType: 'client_credentials',
      subject: AUTH_CLIENT_ID,
      clientId: AUTH_CLIENT_ID,
      audience: ['users'],
      scopes: [scope],
      roles: ['service'],
      ttlSeconds: LIFETIME_SECONDS,
    });
    const authorization = `Bearer ${token}`;
    this.cached.set(scope, {
      authorization,
      renewAt: now + LIFETIME_SECONDS - RENEW_BEFORE_SECONDS,
      kid,
    });
    return authorization;
  }

  /**
   * Users refused a token: the key that signs is read from the store, which a withdrawal
   * changed before any verifier heard of it, so this replica need not have heard of it yet. A
   * token of that key replaces the one cached, if that key is another.
   */
  private async renew(scope: UsersScope): Promise<string> {
    await this.signingKey.reload();
    return this.authorization(scope);
  }
}
