import { Injectable } from '@nestjs/common';
import { Role } from '@platform/contracts';
import { CredentialStore } from '../accounts/credential.store';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { SessionRevocation } from './session-revocation.service';

/** What auth does when the users context reports a change to an account. */
@Injectable()
export class AccountChanges {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly revocation: SessionRevocation,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  /** A disabled account can no longer log in, and nothing it holds works any more. */
  async disabled(userId: string, by?: string): Promise<void> {
    await this.credentials.disable(userId);
    await this.securityLog.append({ type: 'account_disabled', userId, details: { by } });
    await this.revocation.revokeSubject(userId, 'account-disabled');
  }

  /** Tokens carry roles: the sessions end, so no token keeps the old ones (a demoted admin). */
  async rolesChanged(userId: string, roles: Role[], by?: string): Promise<void> {
    await this.securityLog.append({ type: 'roles_changed', userId, details: { roles, by } });
    await this.revocation.logoutAll(userId, 'roles-changed');
  }
}
