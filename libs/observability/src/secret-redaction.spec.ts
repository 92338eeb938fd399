import { redactSecrets } from './secret-redaction';

describe('redactSecrets', () => {
  it('redacts credentials at any depth and in any spelling', () => {
    expect(
      redactSecrets({
        req: { headers: { Authorization: 'Bearer abc', 'x-correlation-id': 'c-1' } },
        body: { refresh_token: 'r', nested: [{ currentPassword: 'p', newPassword: 'n' }] },
        grant: { access_token: 'a', client_secret: 's', code_verifier: 'v', other: 1 },
      }),
    ).toEqual({
      req: { headers: { Authorization: '[redacted]', 'x-correlation-id': 'c-1' } },
      body: {
        refresh_token: '[redacted]',
        nested: [{ currentPassword: '[redacted]', newPassword: '[redacted]' }],
      },
      grant: {
        access_token: '[redacted]',
        client_secret: '[redacted]',
        code_verifier: '[redacted]',
        other: 1,
      },
    });
  });

  it('redacts the bound values and details of a database error, keeping what helps', () => {
    const driverError = Object.assign(new Error('duplicate key'), {
      code: '23505',
      detail: 'Key (lower(email))=(ada@example.com) already exists.',
    });
    const error = Object.assign(new Error('duplicate key'), {
      query: 'INSERT INTO auth.credentials VALUES ($1, $2, $3)',
      parameters: ['id', 'ada@example.com', '$argon2id$v=19$...'],
      driverError,
    });
    const redacted = redactSecrets({ err: error }) as { err: Record<string, any> };
    expect(redacted.err).toMatchObject({
      message: 'duplicate key',
      query: 'INSERT INTO auth.credentials VALUES ($1, $2, $3)',
      parameters: '[redacted]',
      driverError: { code: '23505', detail: '[redacted]' },
    });
    expect(JSON.stringify(redacted)).not.toMatch(/argon2|ada@example/);
  });

  it('survives cycles and leaves plain values alone', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ name: 'loop', self: '[truncated]' });
    expect(redactSecrets('text')).toBe('text');
    expect(redactSecrets(null)).toBeNull();
  });
});
