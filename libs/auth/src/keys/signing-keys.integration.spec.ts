import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamicModule } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Client } from 'pg';
import { PlatformConfigModule, validatePlatformEnv } from '@platform/config';
import { SigningAlgorithm } from '@platform/contracts';
import { DatabaseModule } from '@platform/database';
import { authDatabase } from '../auth.database';
import { ActiveSigningKey, SigningKey } from './active-signing-key';
import { KeyDecryptionError } from './key-decryption.error';
import { JwksMessageController } from './jwks.message-controller';
import { encryptPrivateKey } from './key-encryption';
import { KeyEncryptionKey } from './key-encryption-key.provider';
import { KeysModule } from './keys.module';
import { PublishedKeySet } from './published-key-set';
import { PublicJwk } from './signing-key.generator';
import { SigningKeyHealthIndicator } from './signing-key.health';
import { SigningKeyMaintenance } from './signing-key.maintenance';
import { SigningKeyResealing } from './signing-key.resealing';
import { SigningKeyRotation } from './signing-key.rotation';
import { SigningKeyWithdrawal } from './signing-key.withdrawal';

jest.setTimeout(60_000);

const ADMIN_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `it_signing_keys_${randomBytes(4).toString('hex')}`;
const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
const keyEncryptionKey = randomBytes(32).toString('base64');

interface KeyRow {
  kid: string;
  kek_id: string | null;
  alg: SigningAlgorithm;
  status: 'next' | 'active' | 'retired';
  private_key: string;
  public_jwk: PublicJwk;
  activated_at: Date | null;
  retired_at: Date | null;
  publish_until: Date | null;
}

async function sql<T = KeyRow>(text: string, parameters: unknown[] = [], target = url) {
  const client = new Client({ connectionString: target });
  await client.connect();
  try {
    return (await client.query(text, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

const rows = () => sql(`SELECT * FROM auth.signing_keys ORDER BY created_at, kid`);
const byStatus = (all: KeyRow[], status: KeyRow['status']) =>
  all.filter((row) => row.status === status);

/** What a start or a command may have changed: the keys, the security log, the outbox. */
const everything = async () => ({
  keys: await rows(),
  events: await sql(`SELECT type, details FROM auth.security_events ORDER BY id`),
  outbox: await sql(`SELECT count(*)::int AS count FROM auth.outbox`),
});

/**
 * Seals a key's row anew under a key-encryption key no replica holds, as a process started with
 * the wrong KEY_ENCRYPTION_KEY would have stored it: its `kek_id` names that key.
 */
async function sealUnderAnotherKey(kid: string): Promise<string> {
  const other = new KeyEncryptionKey(createSecretKey(randomBytes(32)));
  const der = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'der',
    type: 'pkcs8',
  });
  await sql(`UPDATE auth.signing_keys SET private_key = $2, kek_id = $3 WHERE kid = $1`, [
    kid,
    encryptPrivateKey(other.key, kid, der),
    other.id,
  ]);
  return other.id;
}

/** Signs as a JWS would and verifies with the published JWK of the same `kid`. */
function verifiesWithJwks(key: SigningKey, jwks: { keys: PublicJwk[] }): boolean {
  const data = Buffer.from('header.payload');
  const digest = key.alg === 'EdDSA' ? null : 'sha256';
  const dsaEncoding = key.alg === 'ES256' ? 'ieee-p1363' : undefined;
  const signature = sign(digest, data, { key: key.privateKey, dsaEncoding });
  const jwk = jwks.keys.find((candidate) => candidate.kid === key.kid);
  if (!jwk || jwk.alg !== key.alg) return false;
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  return verify(digest, data, { key: publicKey, dsaEncoding }, signature);
}

/** One auth replica's signing keys, as the specs below use them. */
function signingKeys(moduleRef: TestingModule) {
  const rotation = moduleRef.get(SigningKeyRotation);
  const activeKey = moduleRef.get(ActiveSigningKey);
  const keySet = moduleRef.get(PublishedKeySet);
  return {
    activeKey: () => activeKey.current(),
    jwks: () => keySet.jwks(),
    /** What the replica answers a verifier's `auth.jwks.get`. */
    answerJwks: () => moduleRef.get(JwksMessageController).jwks(),
    rotate: () => rotation.rotate(),
    rotateIfDue: () => rotation.rotateIfDue(),
    maintain: () => moduleRef.get(SigningKeyMaintenance).maintain(),
    resealAll: () => moduleRef.get(SigningKeyResealing).resealAll(),
    ready: () => moduleRef.get(SigningKeyHealthIndicator).check(),
    /** What hearing `auth.keys.changed` does (`KeySetChangesController`). */
    heardKeySetChange: () => activeKey.invalidate(),
  };
}

describe('Signing keys (PostgreSQL)', () => {
  const started: TestingModule[] = [];

  /** The keys module on the scratch database, started, with the settings given. */
  async function startKeys(keys: typeof KeysModule | DynamicModule, env: Record<string, string>) {
    const settings = { DATABASE_URL: url, KEY_ENCRYPTION_KEY: keyEncryptionKey, ...env };
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformConfigModule.forRoot(validatePlatformEnv(settings)),
        DatabaseModule.forRoot({ url, dataDir: tmpdir() }),
        DatabaseModule.forContext(authDatabase),
        keys,
      ],
    }).compile();
    started.push(moduleRef);
    await moduleRef.init();
    return moduleRef;
  }

  /** One auth replica on the scratch database: the keys module as the platform composes it. */
  async function replica(env: Record<string, string> = {}) {
    return signingKeys(await startKeys(KeysModule.maintained(), env));
  }

  /** The keys module as `keys:revoke` and the other commands compose it, with their own key. */
  async function command(env: Record<string, string> = {}) {
    const moduleRef = await startKeys(KeysModule, env);
    return {
      withdraw: (kid: string) => moduleRef.get(SigningKeyWithdrawal).withdraw(kid),
      rotate: () => moduleRef.get(SigningKeyRotation).rotate(),
    };
  }

  /** Stops every replica, as an operator stops the platform before a change by hand. */
  const stopReplicas = () => Promise.all(started.splice(0).map((moduleRef) => moduleRef.close()));

  beforeAll(() => sql(`CREATE DATABASE ${database}`, [], ADMIN_URL));
  afterEach(async () => {
    await stopReplicas();
    await sql(`DELETE FROM auth.signing_keys`).catch(() => undefined);
  });
  afterAll(() => sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, [], ADMIN_URL));

  it('creates one active and one next key on first start, and publishes both', async () => {
    const keys = await replica();
    const stored = await rows();
    expect(byStatus(stored, 'active')).toHaveLength(1);
    expect(byStatus(stored, 'next')).toHaveLength(1);
    expect(stored).toHaveLength(2);
    const [active] = byStatus(stored, 'active');
    const [next] = byStatus(stored, 'next');
    expect(active).toMatchObject({ alg: 'RS256', retired_at: null, publish_until: null });
    expect(active.activated_at).toBeInstanceOf(Date);
    expect(next.activated_at).toBeNull();

    const signing = await keys.activeKey();
    expect(signing.kid).toBe(active.kid);
    const jwks = await keys.jwks();
    // The next key is published before it ever signs.
    expect(jwks.keys.map((jwk) => jwk.kid)).toEqual([active.kid, next.kid]);
    expect(jwks.keys.every((jwk) => jwk.use === 'sig' && !('d' in jwk))).toBe(true);
    expect(verifiesWithJwks(signing, jwks)).toBe(true);
  });

  it('is idempotent across restarts and replicas starting together', async () => {
    await Promise.all([replica(), replica(), replica()]);
    const first = await rows();
    expect(first).toHaveLength(2);
    await replica();
    expect((await rows()).map((row) => row.kid)).toEqual(first.map((row) => row.kid));
  });

  it('stores private keys sealed, never as PEM or DER', async () => {
    const keys = await replica();
    await keys.rotate();
    for (const row of await rows()) {
      expect(row.private_key).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row.private_key).not.toContain('PRIVATE KEY');
      const candidates = [row.private_key, ...row.private_key.split('.')].flatMap((part) => [
        Buffer.from(part, 'base64url'),
        Buffer.from(part, 'base64'),
      ]);
      for (const der of candidates) {
        expect(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).toThrow();
      }
      expect(row.public_jwk).not.toHaveProperty('d');
    }
  });

  it('rotates: next signs, the old key stays published as retired, a new next appears', async () => {
    const keys = await replica({ ACCESS_TOKEN_TTL_SECONDS: '600' });
    const before = await rows();
    const [oldActive] = byStatus(before, 'active');
    const [oldNext] = byStatus(before, 'next');

    const rotation = await keys.rotate();

    const after = await rows();
    expect(rotation).toMatchObject({ activated: oldNext.kid, retired: oldActive.kid });
    const [active] = byStatus(after, 'active');
    const [next] = byStatus(after, 'next');
    const [retired] = byStatus(after, 'retired');
    expect(active.kid).toBe(oldNext.kid);
    expect(next.kid).toBe(rotation.next);
    expect(retired.kid).toBe(oldActive.kid);
    // Published until its last token (600 s) has expired, plus slack for lag and clock skew.
    const published = retired.publish_until!.getTime() - retired.retired_at!.getTime();
    expect(published).toBeGreaterThanOrEqual(660_000);
    expect(published).toBeLessThanOrEqual(700_000);

    const signing = await keys.activeKey();
    expect(signing.kid).toBe(active.kid);
    const jwks = await keys.jwks();
    expect(jwks.keys.map((jwk) => jwk.kid)).toEqual([active.kid, next.kid, retired.kid]);
    expect(verifiesWithJwks(signing, jwks)).toBe(true);
  });

  it('rotates once per call when two replicas rotate at the same moment', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const rotations = await Promise.all([a.rotate(), b.rotate(), a.rotate(), b.rotate()]);
    const after = await rows();
    expect(byStatus(after, 'active')).toHaveLength(1);
    expect(byStatus(after, 'next')).toHaveLength(1);
    expect(byStatus(after, 'retired')).toHaveLength(4);
    expect(new Set(rotations.map((rotation) => rotation.activated)).size).toBe(4);
  });

  it('rotates on schedule exactly once when replicas race, and others pick it up', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const before = await a.activeKey();
    expect(await a.rotateIfDue()).toBeUndefined();

    await sql(
      `UPDATE auth.signing_keys SET activated_at = now() - interval '721 hours' WHERE status = 'active'`,
    );
    const results = await Promise.all([a.rotateIfDue(), b.rotateIfDue()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const after = await rows();
    expect(byStatus(after, 'retired').map((row) => row.kid)).toEqual([before.kid]);
    expect(byStatus(after, 'active')).toHaveLength(1);
    expect(byStatus(after, 'next')).toHaveLength(1);

    // The replica that lost the race signs with the new key after its next maintenance pass.
    const loser = results[0] ? b : a;
    await loser.maintain();
    expect((await loser.activeKey()).kid).toBe(byStatus(after, 'active')[0].kid);
  });

  it('drops a retired key from the JWKS after publish_until, and its row a day later', async () => {
    const keys = await replica();
    const { retired } = await keys.rotate();
    expect((await keys.jwks()).keys.map((jwk) => jwk.kid)).toContain(retired);

    await sql(
      `UPDATE auth.signing_keys SET publish_until = now() - interval '1 second'
                WHERE kid = $1`,
      [retired],
    );
    const fresh = await replica();
    const jwks = await fresh.jwks();
    expect(jwks.keys).toHaveLength(2);
    expect(jwks.keys.map((jwk) => jwk.kid)).not.toContain(retired);
    expect(await sql(`SELECT kid FROM auth.signing_keys WHERE kid = $1`, [retired])).toHaveLength(
      1,
    );

    await sql(
      `UPDATE auth.signing_keys SET publish_until = now() - interval '25 hours'
                WHERE kid = $1`,
      [retired],
    );
    await fresh.rotate();
    expect(await sql(`SELECT kid FROM auth.signing_keys WHERE kid = $1`, [retired])).toEqual([]);
  });

  it.each<SigningAlgorithm>(['ES256', 'EdDSA'])(
    'switches to SIGNING_ALG=%s one rotation after the new key is published',
    async (alg) => {
      await replica({ SIGNING_ALG: 'RS256' });
      const keys = await replica({ SIGNING_ALG: alg });
      expect((await keys.activeKey()).alg).toBe('RS256');

      const first = await keys.rotate();
      // The RS256 next key signs now; the new algorithm waits, published, for the next rotation.
      expect(await keys.activeKey()).toMatchObject({ kid: first.activated, alg: 'RS256' });
      const jwks = await keys.jwks();
      expect(jwks.keys.find((jwk) => jwk.kid === first.next)).toMatchObject({ alg });

      const second = await keys.rotate();
      const signing = await keys.activeKey();
      expect(signing).toMatchObject({ kid: second.activated, alg });
      expect(signing.kid).toBe(first.next);
      expect(verifiesWithJwks(signing, await keys.jwks())).toBe(true);
      expect((await keys.jwks()).keys[0]).toMatchObject(
        alg === 'ES256' ? { kty: 'EC', crv: 'P-256' } : { kty: 'OKP', crv: 'Ed25519' },
      );
    },
  );

  it('refuses to start with a different KEY_ENCRYPTION_KEY', async () => {
    await replica();
    await expect(
      replica({ KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    ).rejects.toThrow(KeyDecryptionError);
  });

  it('changes nothing when a rotation is due at a start with the wrong KEY_ENCRYPTION_KEY', async () => {
    await replica();
    await stopReplicas();
    await sql(
      `UPDATE auth.signing_keys SET activated_at = now() - interval '800 hours' WHERE status = 'active'`,
    );
    const before = await everything();

    await expect(
      replica({ KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    ).rejects.toThrow(KeyDecryptionError);
    expect(await everything()).toEqual(before);

    // The right key starts, makes the rotation that was due and signs with the former next key.
    const keys = await replica();
    const [formerNext] = byStatus(before.keys, 'next');
    expect((await keys.activeKey()).kid).toBe(formerNext.kid);
    const after = await rows();
    expect(new Set(after.map((row) => row.kek_id))).toEqual(new Set([before.keys[0].kek_id]));
  });

  it('refuses to start, changing nothing, when the next key cannot be opened', async () => {
    await replica();
    await stopReplicas();
    const [next] = byStatus(await rows(), 'next');
    const otherKekId = await sealUnderAnotherKey(next.kid);
    await sql(
      `UPDATE auth.signing_keys SET activated_at = now() - interval '800 hours' WHERE status = 'active'`,
    );
    const before = await everything();

    const start = replica();
    await expect(start).rejects.toThrow(KeyDecryptionError);
    // Which key sealed it, so the operator knows which KEY_ENCRYPTION_KEY is missing.
    await expect(start).rejects.toThrow(otherKekId);
    expect(await everything()).toEqual(before);
  });

  it('never rotates in a next key it cannot open, and never while the active key cannot be opened', async () => {
    const keys = await replica();
    const [active] = byStatus(await rows(), 'active');
    const [next] = byStatus(await rows(), 'next');
    await sealUnderAnotherKey(next.kid);
    await sql(
      `UPDATE auth.signing_keys SET activated_at = now() - interval '800 hours' WHERE status = 'active'`,
    );
    const before = await everything();

    await expect(keys.rotate()).rejects.toThrow(KeyDecryptionError);
    await expect(keys.rotateIfDue()).rejects.toThrow(KeyDecryptionError);
    await expect((await command()).rotate()).rejects.toThrow(KeyDecryptionError);
    expect(await everything()).toEqual(before);
    expect((await keys.activeKey()).kid).toBe(active.kid);

    // The new next key would be sealed under a key that cannot open the one it retires.
    await sql(`DELETE FROM auth.signing_keys WHERE kid = $1`, [next.kid]);
    await sql(`UPDATE auth.signing_keys SET activated_at = now() WHERE kid = $1`, [active.kid]);
    await keys.maintain();
    expect(byStatus(await rows(), 'next')).toHaveLength(1);
    await sealUnderAnotherKey(active.kid);
    const unopenableActive = await everything();
    await expect(keys.rotate()).rejects.toThrow(KeyDecryptionError);
    expect(await everything()).toEqual(unopenableActive);
  });

  it('withdraws an active key that cannot be opened: the next key signs, and the platform starts', async () => {
    await replica();
    await stopReplicas();
    const [active] = byStatus(await rows(), 'active');
    const [next] = byStatus(await rows(), 'next');
    await sealUnderAnotherKey(active.kid);
    await expect(replica()).rejects.toThrow(KeyDecryptionError);
    await stopReplicas();

    const result = await (await command()).withdraw(active.kid);

    expect(result).toMatchObject({ kid: active.kid, status: 'active', signing: next.kid });
    const after = await rows();
    expect(after.map((row) => row.kid)).not.toContain(active.kid);
    expect(byStatus(after, 'active').map((row) => row.kid)).toEqual([next.kid]);
    const keys = await replica();
    const signing = await keys.activeKey();
    expect(signing.kid).toBe(next.kid);
    expect(verifiesWithJwks(signing, await keys.jwks())).toBe(true);
  });

  it('answers a verifier with the set as stored, though it has not heard of a withdrawal made elsewhere yet', async () => {
    const keys = await replica();
    const withdrawn = (await keys.activeKey()).kid;
    expect((await keys.answerJwks()).keys.map((key) => key.kid)).toContain(withdrawn);

    // A verifier that has heard the announcement and then asks (an unknown kid, its periodic
    // refresh) must not get the withdrawn key back from a replica yet to hear of it.
    await (await command()).withdraw(withdrawn);

    expect((await keys.answerJwks()).keys.map((key) => key.kid)).not.toContain(withdrawn);
  });

  it('withdraws an active key without promoting a next key it cannot open: a fresh key signs', async () => {
    await replica();
    await stopReplicas();
    const [active] = byStatus(await rows(), 'active');
    const [next] = byStatus(await rows(), 'next');
    await sealUnderAnotherKey(active.kid);
    await sealUnderAnotherKey(next.kid);

    const withdrawal = await command();
    const result = await withdrawal.withdraw(active.kid);
    expect(result).toMatchObject({ kid: active.kid, status: 'active', unopenableNext: next.kid });
    expect(result.signing).not.toBe(next.kid);
    expect(byStatus(await rows(), 'active').map((row) => row.kid)).toEqual([result.signing]);
    // The next key is left for the operator to withdraw too: only then does the platform start.
    await expect(replica()).rejects.toThrow(KeyDecryptionError);
    await stopReplicas();
    expect(await (await command()).withdraw(next.kid)).toMatchObject({
      status: 'next',
      signing: result.signing,
    });
    const keys = await replica();
    expect((await keys.activeKey()).kid).toBe(result.signing);
  });

  it('is not ready while it holds no active key it can open, and ready again once repaired', async () => {
    const keys = await replica();
    expect(await keys.ready()).toMatchObject({ signing: { status: 'up' } });
    const [active] = byStatus(await rows(), 'active');
    const [next] = byStatus(await rows(), 'next');

    // A withdrawal run with the wrong KEY_ENCRYPTION_KEY: its fresh key is sealed under it.
    const wrongKey = randomBytes(32).toString('base64');
    const { signing } = await (
      await command({ KEY_ENCRYPTION_KEY: wrongKey })
    ).withdraw(active.kid);
    keys.heardKeySetChange();
    expect(await keys.ready()).toMatchObject({ signing: { status: 'down' } });

    // Withdrawn with the right key, the next key (which this replica opens) signs.
    await (await command()).withdraw(signing!);
    keys.heardKeySetChange();
    expect(await keys.ready()).toMatchObject({ signing: { status: 'up', kid: next.kid } });
  });

  it('re-seals every key under a new key-encryption key, after which the old one is not needed', async () => {
    const first = await replica();
    await first.rotate();
    const oldKey = keyEncryptionKey;
    const newKey = randomBytes(32).toString('base64');
    const before = await rows();
    expect(new Set(before.map((row) => row.kek_id)).size).toBe(1);

    // Every replica holds the new key, and the old one to open what it has not re-sealed.
    const rotating = await replica({
      KEY_ENCRYPTION_KEY: newKey,
      PREVIOUS_KEY_ENCRYPTION_KEYS: oldKey,
    });
    const signing = await rotating.activeKey();
    const resealings = () =>
      sql<{ details: object }>(
        `SELECT details FROM auth.security_events WHERE type = 'signing_keys_resealed' ORDER BY seq`,
      );
    const logged = (await resealings()).length;
    const resealed = await rotating.resealAll();
    expect(resealed).toMatchObject({ resealed: before.length, unchanged: 0 });
    expect(await rotating.resealAll()).toMatchObject({ resealed: 0, unchanged: before.length });
    // A key-management action, in the security log as rotations and withdrawals are; one that
    // re-sealed nothing changed nothing.
    expect((await resealings()).slice(logged)).toEqual([
      { details: { kekId: resealed.kekId, resealed: before.length } },
    ]);

    const after = await rows();
    expect(new Set(after.map((row) => row.kek_id)).size).toBe(1);
    expect(after[0].kek_id).not.toBe(before[0].kek_id);
    expect(after.map((row) => row.private_key)).not.toEqual(before.map((row) => row.private_key));
    const onlyNew = await replica({ KEY_ENCRYPTION_KEY: newKey });
    const reopened = await onlyNew.activeKey();
    expect(reopened.kid).toBe(signing.kid);
    expect(verifiesWithJwks(reopened, await onlyNew.jwks())).toBe(true);
    await expect(replica({ KEY_ENCRYPTION_KEY: oldKey })).rejects.toThrow(KeyDecryptionError);
  });

  it('publishes no key whose stored public half was replaced or whose sealed half was moved', async () => {
    await replica();
    const other = await replica();
    await other.rotate();
    const [active] = byStatus(await rows(), 'active');
    const [next] = byStatus(await rows(), 'next');
    const [retired] = byStatus(await rows(), 'retired');
    // An attacker with write access to the table but not the key-encryption key.
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      format: 'jwk',
    });
    await sql(`UPDATE auth.signing_keys SET public_jwk = public_jwk || $2::jsonb WHERE kid = $1`, [
      next.kid,
      JSON.stringify({ n: attacker.n }),
    ]);
    await sql(`UPDATE auth.signing_keys SET private_key = $2 WHERE kid = $1`, [
      retired.kid,
      active.private_key,
    ]);

    const jwks = await (await replica()).jwks();
    expect(jwks.keys.map((jwk) => jwk.kid)).toEqual([active.kid]);
  });
});

describe('Signing keys (embedded PostgreSQL)', () => {
  let dataDir: string;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'signing-keys-'));
  });
  afterAll(async () => {
    await moduleRef?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('works on the single embedded connection with a generated key-encryption key', async () => {
    const settings = { DATA_DIR: dataDir, SIGNING_ALG: 'ES256' };
    moduleRef = await Test.createTestingModule({
      imports: [
        PlatformConfigModule.forRoot(validatePlatformEnv(settings)),
        DatabaseModule.forRoot({ dataDir }),
        DatabaseModule.forContext(authDatabase),
        KeysModule.maintained(),
      ],
    }).compile();
    await moduleRef.init();
    const keys = signingKeys(moduleRef);

    expect((await stat(join(dataDir, 'keys', 'key-encryption.key'))).mode & 0o777).toBe(0o600);
    const rotations = await Promise.all([keys.rotate(), keys.rotate(), keys.rotateIfDue()]);
    expect(rotations.filter(Boolean)).toHaveLength(2);
    const jwks = await keys.jwks();
    expect(jwks.keys).toHaveLength(4);
    expect(verifiesWithJwks(await keys.activeKey(), jwks)).toBe(true);
  });
});
