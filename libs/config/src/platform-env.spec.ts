import { InvalidConfigurationError, validatePlatformEnv } from './platform-env';

describe('validatePlatformEnv', () => {
  it('fills in the embedded defaults', () => {
    expect(validatePlatformEnv({})).toMatchObject({
      PORT: 3000,
      SERVICES: ['gateway', 'auth', 'users'],
      DATA_DIR: './data',
      ISSUER: 'http://localhost:3000',
      REQUEST_TIMEOUT_MS: 5000,
    });
    expect(validatePlatformEnv({}).NATS_URL).toBeUndefined();
    expect(validatePlatformEnv({ NATS_URL: '', DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('reads a comma list of services, trimmed and without duplicates', () => {
    expect(validatePlatformEnv({ SERVICES: ' users , gateway,users' }).SERVICES).toEqual([
      'users',
      'gateway',
    ]);
    expect(validatePlatformEnv({ SERVICES: 'all' }).SERVICES).toEqual(['gateway', 'auth', 'users']);
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
});
