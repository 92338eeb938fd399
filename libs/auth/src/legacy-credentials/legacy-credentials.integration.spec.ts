import { randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { PasswordHasher } from '../accounts/password.hasher';
import { InternalTokenIssuer } from '../api-tokens/internal-token.issuer';
import { authDatabase } from '../auth.database';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { LegacyCredentials } from './legacy-credentials.service';

/** What a legacy client's refused HTTP Basic credentials leave in the security log. */
describe('legacy credentials in the security log (PostgreSQL)', () => {
  const SECRET = 's3cr3t-0123456789abcdef';
  let scratch: ScratchContextDatabase;
  let legacy: LegacyCredentials;

  beforeAll(async () => {
    scratch = await scratchContextDatabase('legacy_credentials', authDatabase);
    const passwords = new PasswordHasher();
    await passwords.onModuleInit();
    const clients = [
      {
        name: 'billing',
        secretHash: await passwords.hash(SECRET),
        userId: randomUUID(),
        scopes: [],
      },
    ];
    legacy = new LegacyCredentials(
      passwords,
      {} as InternalTokenIssuer,
      new SecurityEventWriter(scratch.dataSource),
      scratch.dataSource,
      { get: () => clients } as unknown as ConfigService<PlatformEnv, true>,
    );
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  const refusals = async (): Promise<object[]> =>
    (
      await scratch.dataSource.query(
        `SELECT details FROM auth.security_events WHERE type = 'legacy_credential_refused'
          ORDER BY seq`,
      )
    ).map((row: { details: object }) => row.details);

  it('names a configured client whose secret was wrong', async () => {
    await expect(legacy.exchange({ clientName: 'billing', secret: 'wrong' })).rejects.toThrow();
    expect(await refusals()).toEqual([{ client: 'billing' }]);
  });

  it('keeps no name that is no configured client: it may be the secret, sent as the user name', async () => {
    // A caller that swapped the two fields of HTTP Basic, or sent `secret:`; the log keeps
    // every row for good, so what is written there can never be taken back.
    await expect(legacy.exchange({ clientName: SECRET, secret: 'billing' })).rejects.toThrow();
    await expect(legacy.exchange({ clientName: SECRET, secret: '' })).rejects.toThrow();
    const rows = await refusals();
    expect(rows).toHaveLength(3);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });
});
