import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CLOCK_SKEW_SECONDS } from '@platform/config';
import { AuthEvent, noRevocations, Revocations, TokenRevokedEvent } from '@platform/contracts';
import { isUser, type Principal } from '@platform/security';
import { Outbox, OutboxEvents } from '@platform/transport';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { IssuedTokenStore } from '../tokens/issued-token.store';
import { TokenRevocationStore } from '../tokens/token-revocation.store';

/**
 * Revokes one access token (RFC 7009 2.1): its record is marked, its `jti` kept among the
 * revocations in force (for verifiers that start later) and announced (`auth.token.revoked`,
 * from the outbox, in the same transaction) so every verifier refuses it from now on, until it
 * would have expired anyway. `revoke` answers the revocation, for the reply (see `Revocations`).
 */
@Injectable()
export class AccessTokenRevocation {
  constructor(
    private readonly outbox: Outbox,
    private readonly issued: IssuedTokenStore,
    private readonly revocations: TokenRevocationStore,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  revoke(token: Principal, by: string): Promise<Revocations> {
    return this.outbox.transaction(async (manager, events) => {
      await this.issued.revoke(manager, token.tokenId);
      const event: TokenRevokedEvent = {
        tokenId: token.tokenId,
        until: Math.ceil(token.expiresAt) + CLOCK_SKEW_SECONDS,
      };
      await this.revocations.record(manager, event);
      await events.record(AuthEvent.TokenRevoked, event);
      await this.securityLog.record(manager, {
        type: 'token_revoked',
        ...(isUser(token) ? { userId: token.subject } : {}),
        ...(token.sessionId ? { sessionId: token.sessionId } : {}),
        details: { clientId: by, tokenType: 'access_token', tokenId: token.tokenId },
      });
      return { ...noRevocations(), tokens: [event] };
    });
  }

  /**
   * Every unexpired access token issued to `clientId`, revoked as `revoke` revokes one, within
   * the caller's transaction (a deleted client's tokens stop at once, not at their expiry). A
   * busy machine client can hold many thousands of live tokens, so they are written a batch at
   * a time rather than a statement per token.
   */
  async revokeAllOfClient(
    manager: EntityManager,
    events: OutboxEvents,
    clientId: string,
  ): Promise<void> {
    const revoked = (await this.issued.revokeAllOfClient(manager, clientId)).map(
      ({ tokenId, expiresAt }): TokenRevokedEvent => ({
        tokenId,
        until: expiresAt + CLOCK_SKEW_SECONDS,
      }),
    );
    await this.revocations.recordAll(manager, revoked);
    await events.recordAll(AuthEvent.TokenRevoked, revoked);
  }
}
