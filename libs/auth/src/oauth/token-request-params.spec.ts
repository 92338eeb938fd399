import { OAuthError } from './oauth.error';
import { TokenRequestParams } from './token-request-params';

describe('TokenRequestParams (RFC 6749 3.1, 3.2)', () => {
  it('reads single parameters, and treats one without a value as omitted', () => {
    const params = TokenRequestParams.of({ grant_type: 'client_credentials', scope: '' });
    expect(params.get('grant_type')).toBe('client_credentials');
    expect(params.has('scope')).toBe(false);
    expect(() => params.required('scope')).toThrow(OAuthError);
  });

  it('refuses a repeated parameter, except resource and audience', () => {
    expect(() => TokenRequestParams.of({ scope: ['a', 'b'] })).toThrow(
      expect.objectContaining({ error: 'invalid_request' }),
    );
    const params = TokenRequestParams.of({
      resource: ['urn:a', 'urn:b'],
      audience: ['users', 'orders'],
    });
    expect(params.all('resource')).toEqual(['urn:a', 'urn:b']);
    expect(params.all('audience')).toEqual(['users', 'orders']);
  });

  it('refuses what is not a form', () => {
    for (const raw of [null, 'grant_type=x', ['x'], { grant_type: 3 }]) {
      expect(() => TokenRequestParams.of(raw)).toThrow(
        expect.objectContaining({ error: 'invalid_request' }),
      );
    }
  });

  it('refuses a value the database could not store as malformed, naming only the parameter', () => {
    for (const raw of [
      { client_id: 'a\u0000' },
      { scope: 'users:read\uD800' },
      { resource: ['urn:a', 'urn:\uDC00'] },
    ]) {
      expect(() => TokenRequestParams.of(raw)).toThrow(
        expect.objectContaining({
          error: 'invalid_request',
          description: `Malformed parameter ${Object.keys(raw)[0]}`,
        }),
      );
    }
    expect(TokenRequestParams.of({ client_id: 'a😀' }).get('client_id')).toBe('a😀');
  });

  it('never repeats a control character of a parameter name in its description', () => {
    try {
      TokenRequestParams.of({ 'a"\nb': ['1', '2'] });
      throw new Error('not refused');
    } catch (error) {
      expect((error as OAuthError).description).toBe('Parameter ab is repeated');
    }
  });
});
