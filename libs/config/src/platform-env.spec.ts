import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfigurationError, validatePlatformEnv } from './platform-env';

describe('validatePlatformEnv', () => {
  it('fills in the embedded defaults', () => {
    expect(validatePlatformEnv({})).toMatchObject({
      PORT: 3000,
      SERVICES: ['gateway', 'auth', 'users', 'orders'],
      TRUSTED_PROXIES: [],
      CORS_ORIGINS: [],
      RATE_LIMIT_ROUTES: {},
      LEGACY_CLIENTS: [],
      DATA_DIR: './data',
      ISSUER: 'http://localhost:3000',
      REQUEST_TIMEOUT_MS: 5000,
    });
    expect(validatePlatformEnv({}).NATS_URL).toBeUndefined();
    expect(validatePlatformEnv({ NATS_URL: '', DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('gives every service a random client secret when none is configured', () => {
    const { SERVICE_CLIENT_SECRETS: secrets } = validatePlatformEnv({});
    expect(Object.keys(secrets).sort()).toEqual(['auth', 'gateway', 'orders', 'users']);
    for (const secret of Object.values(secrets)) expect(secret).toMatch(/^[\w-]{43}$/);
  });

  it('reads a comma list of services, trimmed and without duplicates', () => {
    expect(validatePlatformEnv({ SERVICES: ' users , gateway,users' }).SERVICES).toEqual([
      'users',
      'gateway',
    ]);
    expect(validatePlatformEnv({ SERVICES: 'all' }).SERVICES).toEqual([
      'gateway',
      'auth',
      'users',
      'orders',
    ]);
  });

  it('refuses an ISSUER with a query or a fragment (RFC 8414 2, OpenID Connect Core 2)', () => {
    for (const issuer of ['https://id.example.com/?tenant=a', 'https://id.example.com/#a']) {
      expect(() => validatePlatformEnv({ ISSUER: issuer })).toThrow(InvalidConfigurationError);
    }
    expect(validatePlatformEnv({ ISSUER: 'https://id.example.com/tenant' }).ISSUER).toBe(
      'https://id.example.com/tenant',
    );
  });

  it('names every bad variable at once', () => {
    const attempt = () =>
      validatePlatformEnv({
        PORT: '99999',
        SERVICES: 'users,billing',
        DATABASE_URL: 'mysql://x/y',
      });
    expect(attempt).toThrow(InvalidConfigurationError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as InvalidConfigurationError).problems.join('\n');
      expect(problems).toMatch(/^PORT: /m);
      expect(problems).toMatch(/^SERVICES: .*billing/m);
      expect(problems).toMatch(/^DATABASE_URL: /m);
    }
  });

  it('wants the bootstrap password with its email where auth runs, the email alone elsewhere', () => {
    const email = { BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com' };
    expect(() => validatePlatformEnv({ ...email, SERVICES: 'auth' })).toThrow(
      /BOOTSTRAP_ADMIN_PASSWORD go together/,
    );
    expect(validatePlatformEnv({ ...email, SERVICES: 'users' }).BOOTSTRAP_ADMIN_EMAIL).toBe(
      'admin@example.com',
    );
    expect(() =>
      validatePlatformEnv({ ...email, BOOTSTRAP_ADMIN_PASSWORD: 'long enough', SERVICES: 'all' }),
    ).not.toThrow();
  });

  it('refuses a key-encryption key that is not exactly the base64 of 32 bytes, at start-up', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(validatePlatformEnv({ KEY_ENCRYPTION_KEY: key }).KEY_ENCRYPTION_KEY).toBe(key);
    // Node's decoder skips what it does not know: quotes, a stray character, a cut-off key.
    for (const mangled of [`"${key}"`, `${key.slice(0, 20)}!${key.slice(20)}`, key.slice(1)]) {
      expect(() => validatePlatformEnv({ KEY_ENCRYPTION_KEY: mangled })).toThrow(
        /KEY_ENCRYPTION_KEY must be the base64 of exactly 32 bytes/,
      );
      expect(() =>
        validatePlatformEnv({ KEY_ENCRYPTION_KEY: key, PREVIOUS_KEY_ENCRYPTION_KEYS: mangled }),
      ).toThrow(/PREVIOUS_KEY_ENCRYPTION_KEYS must be the base64 of exactly 32 bytes/);
    }
    expect(
      validatePlatformEnv({
        KEY_ENCRYPTION_KEY: key,
        PREVIOUS_KEY_ENCRYPTION_KEYS: ` ${key} , ${key}`,
      }).PREVIOUS_KEY_ENCRYPTION_KEYS,
    ).toEqual([key, key]);
  });

  it('refuses a bootstrap password that is its email, as a registration would', () => {
    // The bootstrap registration passes no DTO: what RegisterAccountDto refuses (DiffersFrom)
    // must be refused here, or the first administrator's password is its login name.
    for (const password of ['admin@example.com', ' Admin@Example.com ']) {
      expect(() =>
        validatePlatformEnv({
          BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
          BOOTSTRAP_ADMIN_PASSWORD: password,
        }),
      ).toThrow(/BOOTSTRAP_ADMIN_PASSWORD must not be the same as BOOTSTRAP_ADMIN_EMAIL/);
    }
  });

  it('reads per-route rate limits and legacy clients as validated JSON', () => {
    const env = validatePlatformEnv({
      RATE_LIMIT_ROUTES: '{"POST /v1/orders": {"principal": 5, "windowSeconds": 2}}',
      LEGACY_CLIENTS: JSON.stringify([
        {
          name: 'billing',
          secretHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
          userId: '5f0c7d3e-4b1a-4c2e-9f7a-1d2e3f4a5b6c',
          scopes: ['orders:read'],
        },
      ]),
    });
    expect(env.RATE_LIMIT_ROUTES).toEqual({
      'POST /v1/orders': { principal: 5, windowSeconds: 2 },
    });
    expect(env.LEGACY_CLIENTS).toHaveLength(1);
    expect(() => validatePlatformEnv({ RATE_LIMIT_ROUTES: '{"orders": {}}' })).toThrow(
      /RATE_LIMIT_ROUTES/,
    );
    expect(() => validatePlatformEnv({ RATE_LIMIT_ROUTES: 'not json' })).toThrow(
      /RATE_LIMIT_ROUTES/,
    );
    expect(() =>
      validatePlatformEnv({
        LEGACY_CLIENTS: '[{"name": "x", "secretHash": "plain", "userId": "u", "scopes": []}]',
      }),
    ).toThrow(/LEGACY_CLIENTS/);
  });

  describe('the NATS identity and its CA', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'platform-env-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('takes a seed file private to its owner and a readable CA file', () => {
      const seed = join(dir, 'private.nk');
      writeFileSync(seed, `SU${'A'.repeat(56)}\n`, { mode: 0o600 });
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, 'pem', { mode: 0o644 });
      expect(
        validatePlatformEnv({ NATS_NKEY_SEED_FILE: seed, NATS_TLS_CA_FILE: ca }),
      ).toMatchObject({ NATS_NKEY_SEED_FILE: seed, NATS_TLS_CA_FILE: ca });
    });

    it('refuses a seed file that its group or others may read, naming the fix', () => {
      const seed = join(dir, 'shared.nk');
      writeFileSync(seed, 'SU...');
      chmodSync(seed, 0o640);
      expect(() => validatePlatformEnv({ NATS_NKEY_SEED_FILE: seed })).toThrow(
        /NATS_NKEY_SEED_FILE is open to its group or others \(mode 0640\).*chmod 600/,
      );
    });

    it('refuses a file that holds no user seed', () => {
      const seed = join(dir, 'account.nk');
      writeFileSync(seed, `SA${'A'.repeat(56)}`, { mode: 0o600 });
      expect(() => validatePlatformEnv({ NATS_NKEY_SEED_FILE: seed })).toThrow(
        /NATS_NKEY_SEED_FILE holds no NKey user seed/,
      );
    });

    it('refuses a missing seed or CA file', () => {
      expect(() => validatePlatformEnv({ NATS_NKEY_SEED_FILE: join(dir, 'absent.nk') })).toThrow(
        /NATS_NKEY_SEED_FILE names no file/,
      );
      expect(() => validatePlatformEnv({ NATS_TLS_CA_FILE: join(dir, 'absent.pem') })).toThrow(
        /NATS_TLS_CA_FILE names no file/,
      );
    });
  });
});
