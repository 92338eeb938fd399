import { ErrorCode } from '@platform/contracts';
import type { Principal } from '@platform/security';
import { UsersProfileClient } from '../accounts/users-profile.client';
import { UserInfoService } from './userinfo.service';

const USER_ID = '6f1c2a44-9b1e-4c55-8d7e-0c2f3a4b5c6d';

function principal(subject: string): Principal {
  return {
    subject,
    clientId: 'reports',
    scopes: ['openid', 'profile'],
    roles: [],
    tokenId: 'jti-1',
    expiresAt: 0,
    issuedAt: 0,
    audience: ['gateway', 'auth'],
    token: 'token',
  };
}

describe('UserInfoService (OpenID Connect Core 5.3)', () => {
  const profiles = {
    get: jest.fn(async (id: string) => ({
      id,
      displayName: 'Ada',
      email: 'ada@example.com',
      roles: [],
    })),
  };
  const userInfo = new UserInfoService(profiles as unknown as UsersProfileClient);

  beforeEach(() => profiles.get.mockClear());

  it('answers a user’s token with the claims its scopes allow', async () => {
    expect(await userInfo.userInfo(principal(USER_ID))).toEqual({ sub: USER_ID, name: 'Ada' });
  });

  it.each(['reports', 'service:orders'])(
    'refuses a token whose subject %s is no user as invalid_token, asking users nothing',
    async (subject) => {
      await expect(userInfo.userInfo(principal(subject))).rejects.toMatchObject({
        code: ErrorCode.InvalidToken,
      });
      expect(profiles.get).not.toHaveBeenCalled();
    },
  );
});
