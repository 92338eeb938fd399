import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { authDatabase } from '../auth.database';
import { HousekeepingStore } from '../housekeeping/housekeeping.store';
import { AuthorizationCodeStore, CodeGrant } from './authorization-code.store';
import { cookieHash } from './browser-cookies';
import { SessionLifetime } from '../sessions/session-lifetime';
import { SsoSessionStore } from './sso-session.store';

/** Codes on PostgreSQL: single use under concurrency, every binding, and what they leave behind. */
describe('AuthorizationCodeStore (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;
  let dataSource: DataSource;
  let codes: AuthorizationCodeStore;
  let sso: SsoSessionStore;
  let housekeeping: HousekeepingStore;
  const values: Record<string, number> = {
    REFRESH_IDLE_DAYS: 1,
    REFRESH_ABSOLUTE_DAYS: 2,
    LOGIN_FAILURE_WINDOW_SECONDS: 900,
    ADDRESS_LIMIT_WINDOW_SECONDS: 600,
    ACCESS_TOKEN_TTL_SECONDS: 600,
  };
  const config = { get: (name: string) => values[name] } as unknown as ConfigService<never, true>;
  const verifier = 'v'.repeat(43);
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  beforeAll(async () => {
    scratch = await scratchContextDatabase('codes', authDatabase);
    dataSource = scratch.dataSource;
    codes = new AuthorizationCodeStore(dataSource, new SessionLifetime(config));
    sso = new SsoSessionStore(dataSource, new SessionLifetime(config));
    housekeeping = new HousekeepingStore(config);
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  async function grant(scopes = ['openid']): Promise<CodeGrant> {
    const userId = randomUUID();
    const session = await sso.create(userId, cookieHash(randomBytes(32).toString('base64url')), {});
    return {
      clientId: 'reports',
      redirectUri: 'https://reports.example/callback',
      codeChallenge: challenge,
      userId,
      ssoSessionId: session.id,
      scopes,
      nonce: 'n',
      authTime: session.authTime,
      resources: [],
    };
  }

  const redemption = (code: string, changes: Record<string, unknown> = {}) => ({
    code,
    clientId: 'reports',
    redirectUri: 'https://reports.example/callback',
    codeChallenge: challenge,
    refreshTokenHash: randomBytes(32),
    ...changes,
  });

  it('redeems a code once, however many redemptions race, and opens its session under the SSO session', async () => {
    const issued = await grant(['openid', 'offline_access']);
    const code = await codes.issue(issued);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => codes.redeem(redemption(code))),
    );
    const redeemed = results.filter((result) => result !== undefined);
    expect(redeemed).toHaveLength(1);
    expect(redeemed[0]).toMatchObject({
      userId: issued.userId,
      ssoSessionId: issued.ssoSessionId,
      scopes: ['openid', 'offline_access'],
      nonce: 'n',
      refreshable: true,
    });
    const [session] = await dataSource.query(
      `SELECT client_id, parent_session_id, scopes FROM auth.sessions WHERE id = $1`,
      [redeemed[0]!.grantSessionId],
    );
    expect(session).toEqual({
      client_id: 'reports',
      parent_session_id: issued.ssoSessionId,
      scopes: ['openid', 'offline_access'],
    });
    expect(await codes.findRedeemed(code)).toEqual({
      userId: issued.userId,
      grantSessionId: redeemed[0]!.grantSessionId,
    });
  });

  it('spends nothing for a wrong client, redirect URI or verifier, and stores no refresh token without offline_access', async () => {
    const code = await codes.issue(await grant());
    for (const change of [
      { clientId: 'other' },
      { redirectUri: 'https://reports.example/callback/' },
      { codeChallenge: createHash('sha256').update('w'.repeat(43)).digest('base64url') },
    ]) {
      expect(await codes.redeem(redemption(code, change))).toBeUndefined();
    }
    expect(await codes.findRedeemed(code)).toBeUndefined();
    expect(await codes.redeem(redemption(code))).toMatchObject({ refreshable: false });
  });

  it('redeems nothing once its SSO session has ended, or the code has expired', async () => {
    const ended = await grant();
    const code = await codes.issue(ended);
    await dataSource.query(`UPDATE auth.sessions SET revoked_at = now() WHERE id = $1`, [
      ended.ssoSessionId,
    ]);
    expect(await codes.redeem(redemption(code))).toBeUndefined();
    const expired = await codes.issue(await grant());
    await dataSource.query(
      `UPDATE auth.authorization_codes SET expires_at = now() - interval '1 s'
        WHERE code_hash = $1`,
      [createHash('sha256').update(expired).digest()],
    );
    expect(await codes.redeem(redemption(expired))).toBeUndefined();
  });

  it('keeps a redeemed code while its session lives, so a replay can still revoke it', async () => {
    const redeemedCode = await codes.issue(await grant());
    const { grantSessionId } = (await codes.redeem(redemption(redeemedCode)))!;
    const unredeemed = await codes.issue(await grant());
    await dataSource.query(
      `UPDATE auth.authorization_codes SET expires_at = now() - interval '1 s'`,
    );
    await dataSource.transaction((manager) => housekeeping.purge(manager));
    expect(await codes.findRedeemed(redeemedCode)).toEqual(
      expect.objectContaining({ grantSessionId }),
    );
    const left = await dataSource.query(
      `SELECT 1 FROM auth.authorization_codes WHERE code_hash = $1`,
      [createHash('sha256').update(unredeemed).digest()],
    );
    expect(left).toEqual([]);
  });
});
