import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { Outbox, OutboxWriter } from '@platform/transport';
import { authDatabase } from '../auth.database';
import { CredentialEntity } from '../accounts/credential.entity';
import { CredentialStore } from '../accounts/credential.store';
import { PasswordHasher } from '../accounts/password.hasher';
import { PasswordCheck } from '../login/password-check';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { SessionLifetime } from '../sessions/session-lifetime';
import { SessionRevocation } from '../sessions/session-revocation.service';
import { SessionStore } from '../sessions/session.store';
import { SubjectRevocationStore } from '../sessions/subject-revocation.store';
import { PasswordChangeService } from './password-change.service';

const config = {
  get: (name: string) =>
    ({ ACCESS_TOKEN_TTL_SECONDS: 600, REFRESH_IDLE_DAYS: 1, REFRESH_ABSOLUTE_DAYS: 2 })[name],
} as unknown as ConfigService<never, true>;

/** A password change and the end of every session it causes, on PostgreSQL with the auth schema. */
describe('PasswordChangeService (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;
  let dataSource: DataSource;
  let credentials: CredentialStore;
  let sessions: SessionStore;

  beforeAll(async () => {
    scratch = await scratchContextDatabase('password_change', authDatabase);
    dataSource = scratch.dataSource;
    credentials = new CredentialStore(dataSource.getRepository(CredentialEntity));
    sessions = new SessionStore(dataSource, new SessionLifetime(config));
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  /** The service, its current-password check passed, announcing through `writer`. */
  function service(writer: OutboxWriter): PasswordChangeService {
    const securityLog = new SecurityEventWriter(dataSource);
    const relay = { notify: () => {} } as unknown as ConstructorParameters<typeof Outbox>[2];
    const outbox = new Outbox(dataSource, writer, relay);
    const revocation = new SessionRevocation(
      sessions,
      new SubjectRevocationStore(dataSource),
      outbox,
      securityLog,
      config,
    );
    return new PasswordChangeService(
      credentials,
      { hash: (password: string) => Promise.resolve(`hash of ${password}`) } as PasswordHasher,
      {
        check: () => Promise.resolve({ succeeded: () => Promise.resolve() }),
      } as unknown as PasswordCheck,
      revocation,
      securityLog,
    );
  }

  /** An account with the password hash `old hash` and a live session. */
  async function account(): Promise<{ userId: string; sessionId: string }> {
    const userId = randomUUID();
    await credentials.insertPending(userId, `${userId}@example.com`, 'old hash', 60);
    await credentials.activate(dataSource.manager, userId);
    const sessionId = randomUUID();
    await sessions.create({
      id: sessionId,
      userId,
      clientId: 'identity-platform',
      refreshTokenHash: randomBytes(32),
    });
    return { userId, sessionId };
  }

  const passwordChangedEvents = async (userId: string) =>
    Number(
      (
        (await dataSource.query(
          `SELECT count(*) AS n FROM auth.security_events
            WHERE type = 'password_changed' AND user_id = $1`,
          [userId],
        )) as { n: string }[]
      )[0].n,
    );

  it('replaces the hash, logs the change and ends every session, together', async () => {
    const { userId, sessionId } = await account();
    const command = { currentPassword: 'old password', newPassword: 'new password' };
    await service(new OutboxWriter('auth')).change(userId, command);
    expect((await credentials.findActive(userId))?.passwordHash).toBe('hash of new password');
    expect(await passwordChangedEvents(userId)).toBe(1);
    expect(await sessions.isLive(sessionId)).toBe(false);
  });

  it('keeps the old password when the sessions could not be ended', async () => {
    // A change that cannot end the sessions of whoever knew the old password must not
    // happen either: the caller, told it failed, still has the old password to try again
    // with, and the security log records no change that was not made.
    const { userId, sessionId } = await account();
    const unavailable = () => Promise.reject(new Error('outbox unavailable'));
    const failing = { add: unavailable, addAll: unavailable } as unknown as OutboxWriter;
    const command = { currentPassword: 'old password', newPassword: 'new password' };
    await expect(service(failing).change(userId, command)).rejects.toThrow('outbox unavailable');
    expect((await credentials.findActive(userId))?.passwordHash).toBe('old hash');
    expect(await passwordChangedEvents(userId)).toBe(0);
    expect(await sessions.isLive(sessionId)).toBe(true);
  });
});
