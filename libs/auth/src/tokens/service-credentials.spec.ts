import { ActiveSigningKey } from '../keys/active-signing-key';
import { AccessTokenIssuer } from './access-token.issuer';
import { ServiceCredentials } from './service-credentials';

/**
 * The key this replica signs with, as `ActiveSigningKey` holds it, and the one the store says
 * signs: a replica that has not heard of a withdrawal yet holds the withdrawn one.
 */
class SigningKeys {
  held = 'withdrawn';
  stored = 'withdrawn';
  reloads = 0;

  readonly activeKey = {
    current: () => Promise.resolve({ kid: this.held }),
    reload: () => {
      this.reloads += 1;
      this.held = this.stored;
      return Promise.resolve(true);
    },
  } as unknown as ActiveSigningKey;

  /** Issues a token whose header names the key held, as the real issuer signs with it. */
  readonly issuer = {
    issue: () => {
      const header = Buffer.from(JSON.stringify({ kid: this.held })).toString('base64url');
      return Promise.resolve(`${header}.claims.signature`);
    },
  } as unknown as AccessTokenIssuer;
}

describe('ServiceCredentials', () => {
  it('reuses one token per scope while the key that signed it signs', async () => {
    const keys = new SigningKeys();
    const credentials = new ServiceCredentials(keys.issuer, keys.activeKey);
    const first = await credentials.for('users:read').authorization();
    expect(await credentials.for('users:read').authorization()).toBe(first);
  });

  it('renews a refused token with the key the store says signs, though this replica had not heard', async () => {
    const keys = new SigningKeys();
    const credentials = new ServiceCredentials(keys.issuer, keys.activeKey);
    const refused = await credentials.for('users:read').authorization();
    keys.stored = 'next';

    const renewed = await credentials.for('users:read').renew(refused);
    expect(keys.reloads).toBe(1);
    expect(renewed).not.toBe(refused);
    expect(await credentials.for('users:read').authorization()).toBe(renewed);
  });

  it('keeps the token it holds when the same key still signs: the refusal was about something else', async () => {
    const keys = new SigningKeys();
    const credentials = new ServiceCredentials(keys.issuer, keys.activeKey);
    const refused = await credentials.for('users:write').authorization();
    expect(await credentials.for('users:write').renew(refused)).toBe(refused);
  });
});
