import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { newAccount } from './support/accounts';
import { http } from './support/http';
import { decodeJwt } from './support/jwt';
import { Platform, shape } from './support/platform';

// The rotation command opens the database itself: PostgreSQL shapes only (PGlite is one process).
const describeWithPostgres = shape === 'embedded' ? describe.skip : describe;

describe(`discovery (${shape})`, () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('publishes the issuer and a jwks_uri that serves the keys', async () => {
    const discovery = await http(platform.baseUrl, 'GET', '/.well-known/openid-configuration');
    expect(discovery.status).toBe(200);
    expect(discovery.body).toMatchObject({
      issuer: 'http://localhost:3000',
      jwks_uri: 'http://localhost:3000/.well-known/jwks.json',
    });
    const jwks = await http(platform.baseUrl, 'GET', new URL(discovery.body.jwks_uri).pathname);
    expect(jwks.body.keys.length).toBeGreaterThanOrEqual(2);
    for (const key of jwks.body.keys) {
      expect(key).toMatchObject({ kid: expect.any(String), alg: 'RS256', use: 'sig', kty: 'RSA' });
    }
  });
});

describeWithPostgres(`signing key rotation (${shape})`, () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  /** Runs a keys command of the build on the deployment's database, as an operator would. */
  function command(script: string, ...args: string[]) {
    return spawnSync(
      process.execPath,
      [resolve(__dirname, '../dist/apps/platform/src', script), ...args],
      {
        env: {
          ...process.env,
          DATABASE_URL: platform.database!.url,
          KEY_ENCRYPTION_KEY: platform.keyEncryptionKey,
          NATS_URL: '',
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
  }

  /** The `kid` that signs a new account's access token, once it is `kid` (or the deadline passes). */
  async function signingKidBecomes(kid: string): Promise<string | undefined> {
    const deadline = Date.now() + 45_000;
    let signing: string | undefined;
    while (signing !== kid && Date.now() < deadline) {
      signing = decodeJwt((await newAccount(platform.baseUrl)).accessToken).header.kid;
      if (signing !== kid) await new Promise((r) => setTimeout(r, 500));
    }
    return signing;
  }

  it('signs with the key published as next, and keeps the old one until its tokens expire', async () => {
    const before = await newAccount(platform.baseUrl);
    const oldKid = decodeJwt(before.accessToken).header.kid;
    const jwksBefore = (await http(platform.baseUrl, 'GET', '/.well-known/jwks.json')).body;
    const nextKid = jwksBefore.keys
      .map((key: { kid: string }) => key.kid)
      .find((kid: string) => kid !== oldKid);

    const result = command('rotate-keys.js');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Signing with ${nextKid}`);

    // Replicas pick up the rotation on their next maintenance pass.
    expect(await signingKidBecomes(nextKid)).toBe(nextKid);
    const kids = (await http(platform.baseUrl, 'GET', '/.well-known/jwks.json')).body.keys.map(
      (key: { kid: string }) => key.kid,
    );
    expect(kids).toEqual(expect.arrayContaining([oldKid, nextKid]));
    expect(kids).toHaveLength(3);
    // A token signed before the rotation still works.
    expect(
      (await http(platform.baseUrl, 'GET', '/v1/users/me', { headers: before.authorization }))
        .status,
    ).toBe(200);
  });

  it('withdraws an active key no process can open with keys:revoke: the next key signs', async () => {
    const live = await platform.database!.query<{ kid: string; status: string }>(
      `SELECT kid, status FROM auth.signing_keys WHERE status IN ('active', 'next')`,
    );
    const active = live.find((key) => key.status === 'active')!.kid;
    const next = live.find((key) => key.status === 'next')!.kid;
    // As a start with the wrong KEY_ENCRYPTION_KEY could leave it: sealed under a key no one holds.
    await platform.database!.query(
      `UPDATE auth.signing_keys SET kek_id = 'not-held-by-any' WHERE kid = $1`,
      [active],
    );

    const result = command('revoke-key.js', active);
    expect(result).toMatchObject({ status: 0 });
    expect(result.stdout).toContain(`Withdrew the active signing key ${active}; ${next} signs`);

    // The announcement of the new set reaches every auth replica within moments.
    expect(await signingKidBecomes(next)).toBe(next);
    const jwks = (await http(platform.baseUrl, 'GET', '/.well-known/jwks.json')).body;
    expect(jwks.keys.map((key: { kid: string }) => key.kid)).not.toContain(active);
    expect((await http(platform.service('auth').url, 'GET', '/health/ready')).status).toBe(200);
  });
});
