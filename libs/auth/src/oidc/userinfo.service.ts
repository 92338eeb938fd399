import { Injectable } from '@nestjs/common';
import { UserInfo } from '@platform/contracts';
import { isUser, Principal } from '@platform/security';
import { UsersProfileClient } from '../accounts/users-profile.client';
import { NoUserSubjectError } from './no-user-subject.error';

/**
 * The UserInfo endpoint (OpenID Connect Core 5.3): claims about the token's subject, those
 * its scopes allow (5.4), read from the users context afresh, so a changed name shows at once.
 * A token whose subject is no user is refused before anything is read (5.3.3).
 */
@Injectable()
export class UserInfoService {
  constructor(private readonly profiles: UsersProfileClient) {}

  async userInfo(principal: Principal): Promise<UserInfo> {
    if (!isUser(principal)) throw new NoUserSubjectError();
    const user = await this.profiles.get(principal.subject);
    const scopes = principal.scopes;
    return {
      sub: user.id,
      ...(scopes.includes('profile')
        ? user.displayName !== null
          ? { name: user.displayName }
          : {}
        : {}),
      // The platform does not verify addresses (5.1 `email_verified`).
      ...(scopes.includes('email') ? { email: user.email, email_verified: false } : {}),
    };
  }
}
