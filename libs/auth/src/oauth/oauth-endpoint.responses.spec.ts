import { oauthErrorResponse } from './oauth-endpoint.responses';
import { OAuthError } from './oauth.error';

describe('oauthErrorResponse (RFC 6749 5.2)', () => {
  it('gives every invalid_client a 401 with the Basic challenge (RFC 9110 15.5.2)', () => {
    const response = oauthErrorResponse(
      new OAuthError('invalid_client', 'Client authentication failed'),
    );
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="oauth2", charset="UTF-8"');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('challenges no 400', () => {
    const response = oauthErrorResponse(new OAuthError('invalid_grant', 'Invalid code'));
    expect(response.status).toBe(400);
    expect(response.headers['www-authenticate']).toBeUndefined();
  });
});
