import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ApiTokenRevokedEvent,
  ApiTokenView,
  AuthEvent,
  CreateApiTokenDto,
  CreatedApiToken,
} from '@platform/contracts';
import type { Principal } from '@platform/security';
import { Outbox } from '@platform/transport';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { ApiTokenNotFoundError } from './api-token-not-found.error';
import { newApiToken } from './api-token.codec';
import { ApiTokenStore } from './api-token.store';
import { ScopeNotHeldError } from './scope-not-held.error';

const DEFAULT_LIFETIME_DAYS = 30;

/**
 * Personal access tokens for third-party integrations: opaque, scoped to a subset of what the
 * owner's session may do, shown once, stored hashed, expiring, revocable at once.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly store: ApiTokenStore,
    private readonly outbox: Outbox,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  async create(owner: Principal, command: CreateApiTokenDto): Promise<CreatedApiToken> {
    const notHeld = command.scopes.filter((scope) => !owner.scopes.includes(scope));
    if (notHeld.length > 0) throw new ScopeNotHeldError(notHeld);
    const { token, hash } = newApiToken();
    const view = await this.outbox.transaction(async (manager) => {
      const stored = await this.store.insert(manager, {
        id: randomUUID(),
        userId: owner.subject,
        name: command.name,
        scopes: command.scopes,
        hash,
        expiresInDays: command.expiresInDays ?? DEFAULT_LIFETIME_DAYS,
      });
      await this.securityLog.record(manager, {
        type: 'api_token_created',
        userId: owner.subject,
        details: { tokenId: stored.id, scopes: command.scopes, expiresAt: stored.expiresAt },
      });
      return stored;
    });
    return { ...view, token };
  }

  list(owner: Principal): Promise<ApiTokenView[]> {
    return this.store.listOf(owner.subject);
  }

  /** Revokes the token and tells every gateway replica to drop what it cached for it. */
  async revoke(owner: Principal, id: string): Promise<void> {
    await this.outbox.transaction(async (manager, events) => {
      if (!(await this.store.revoke(manager, owner.subject, id))) throw new ApiTokenNotFoundError();
      await this.securityLog.record(manager, {
        type: 'api_token_revoked',
        userId: owner.subject,
        details: { tokenId: id },
      });
      const event: ApiTokenRevokedEvent = { id, userId: owner.subject };
      await events.record(AuthEvent.ApiTokenRevoked, event);
    });
  }
}
