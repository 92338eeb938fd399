import { userTokenAudience } from './user-token-audience';

describe('userTokenAudience', () => {
  it('adds the UserInfo services to a token with openid (OpenID Connect Core 5.3.1)', () => {
    expect(userTokenAudience({ audiences: ['users', 'orders'] }, ['openid', 'users:read'])).toEqual(
      ['users', 'orders', 'gateway', 'auth'],
    );
  });

  it('adds nothing without openid', () => {
    expect(userTokenAudience({ audiences: ['orders'] }, ['orders:read', 'admin'])).toEqual([
      'orders',
    ]);
  });

  it('never carries admin to auth for a client not registered for auth: its registry and log take it', () => {
    const audience = userTokenAudience({ audiences: ['orders'] }, [
      'openid',
      'orders:read',
      'admin',
    ]);
    expect(audience).not.toContain('auth');
    expect(audience).toEqual(['orders', 'gateway']);
  });

  it('keeps auth for a client registered for it, admin or not', () => {
    expect(userTokenAudience({ audiences: ['auth', 'orders'] }, ['openid', 'admin'])).toEqual([
      'auth',
      'orders',
      'gateway',
    ]);
  });
});
