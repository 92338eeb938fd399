import { OAuthError } from './oauth.error';
import { audienceOfResource, audienceWithinGrant } from './requested-scopes';

const client = ['orders', 'users'] as const;

describe('audienceWithinGrant (RFC 8707 2.2)', () => {
  const within = (asked: string[], granted: string[] | null, audiences = [...client]) =>
    audienceWithinGrant({ audiences } as never, asked as never, granted as never);

  it('takes what is asked of a grant that named no resource, or leaves the default', () => {
    expect(within(['users'], null)).toEqual(['users']);
    expect(within([], null)).toBeUndefined();
  });

  it('narrows to what is asked among the grant’s resources, and defaults to all of them', () => {
    expect(within(['orders'], ['orders', 'users'])).toEqual(['orders']);
    expect(within([], ['orders'])).toEqual(['orders']);
  });

  it('refuses what the grant does not cover, and a grant the client may no longer use', () => {
    for (const [asked, granted, audiences] of [
      [['users'], ['orders'], client],
      [[], ['orders'], ['users']],
    ] as const) {
      let refusal: unknown;
      try {
        within([...asked], [...granted], [...audiences]);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(OAuthError);
      expect(refusal).toMatchObject({ error: 'invalid_target' });
    }
  });
});

describe('audienceOfResource', () => {
  it('names a platform service by its resource indicator, and nothing else', () => {
    expect(audienceOfResource('urn:identity-platform:service:orders')).toBe('orders');
    expect(audienceOfResource('urn:identity-platform:service:nobody')).toBeUndefined();
    expect(audienceOfResource('https://orders.example')).toBeUndefined();
  });
});
