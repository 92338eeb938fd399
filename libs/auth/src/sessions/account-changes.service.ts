import { Injectable } from '@nestjs/common';
import { CredentialStore } from '../accounts/credential.store';
import { SessionRevocation } from './session-revocation.service';

/** What auth does when the users context reports a change to an account. */
@Injectable()
export class AccountChanges {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly revocation: SessionRevocation,
  ) {}

  /** A disabled account can no longer log in, and nothing it holds works any more. */
  async disabled(userId: string): Promise<void> {
    await this.credentials.disable(userId);
    await this.revocation.revokeSubject(userId, 'account-disabled');
  }

  /** Tokens carry roles: the sessions end, so no token keeps the old ones (a demoted admin). */
  rolesChanged(userId: string): Promise<void> {
    return this.revocation.logoutAll(userId, 'roles-changed');
  }
}
