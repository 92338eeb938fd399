import { ErrorCode, ServiceError } from '@platform/contracts';
import { clientRecordOf } from './client-metadata';

const bounds = { maxAccessTokenTtlSeconds: 600, maxRefreshTokenTtlSeconds: 86_400 };
const parse = (metadata: unknown) => clientRecordOf('client-1', metadata, bounds);

function codeOf(metadata: unknown): string | undefined {
  try {
    parse(metadata);
    return undefined;
  } catch (error) {
    return error instanceof ServiceError ? error.code : 'not a ServiceError';
  }
}

describe('client metadata (RFC 7591 2)', () => {
  it('defaults a client without redirect URIs to a confidential client_credentials client', () => {
    expect(parse({})).toEqual({
      clientId: 'client-1',
      clientName: 'client-1',
      grantTypes: ['client_credentials'],
      redirectUris: [],
      scopes: [
        'openid',
        'profile',
        'email',
        'offline_access',
        'users:read',
        'users:write',
        'orders:read',
        'orders:write',
      ],
      audiences: ['gateway', 'auth', 'users', 'orders'],
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
  });

  it('defaults a client with redirect URIs to the code flow, and keeps what it names', () => {
    expect(
      parse({
        redirect_uris: [
          'https://app.example/cb',
          'http://127.0.0.1:8080/cb',
          'com.example.app:/cb',
        ],
        token_endpoint_auth_method: 'none',
        scope: 'openid profile',
        client_name: ' App ',
        access_token_ttl_seconds: 300,
        unknown_field: 'ignored (RFC 7591 2)',
      }),
    ).toMatchObject({
      clientName: 'App',
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile'],
      tokenEndpointAuthMethod: 'none',
      accessTokenTtlSeconds: 300,
    });
  });

  it.each([
    [{ redirect_uris: ['http://app.example/cb'] }],
    [{ redirect_uris: ['https://app.example/cb#fragment'] }],
    [{ redirect_uris: ['/relative'] }],
    [{ redirect_uris: ['javascript:alert(1)'] }],
    [{ redirect_uris: 'https://app.example/cb' }],
    [{ grant_types: ['authorization_code'] }],
  ])('refuses %j with invalid_redirect_uri', (metadata) => {
    expect(codeOf(metadata)).toBe(ErrorCode.InvalidRedirectUri);
  });

  it.each([
    [null],
    [[]],
    [{ grant_types: ['implicit'] }],
    [{ grant_types: ['password'] }],
    [{ grant_types: ['urn:ietf:params:oauth:grant-type:token-exchange'] }],
    [{ grant_types: ['client_credentials', 'client_credentials'] }],
    [{ token_endpoint_auth_method: 'none' }],
    [{ token_endpoint_auth_method: 'client_secret_jwt' }],
    [{ scope: 'openid nonsense' }],
    [{ scope: ['openid'] }],
    [{ audiences: ['elsewhere'] }],
    [{ audiences: [] }],
    [{ access_token_ttl_seconds: 601 }],
    [{ access_token_ttl_seconds: 29 }],
    [{ refresh_token_ttl_seconds: 1.5 }],
    [{ client_name: '' }],
    [{ jwks_uri: 'https://app.example/jwks' }],
    [{ jwks: { keys: [] } }],
    [{ token_endpoint_auth_method: 'private_key_jwt' }],
    [
      {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'oct', k: 'AAAA' }] },
      },
    ],
    [
      {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'private' }] },
      },
    ],
  ])('refuses %j with invalid_client_metadata', (metadata) => {
    expect(codeOf(metadata)).toBe(ErrorCode.InvalidClientMetadata);
  });

  it('takes a JWK Set of public keys for private_key_jwt', () => {
    const key = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' };
    expect(
      parse({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [key] } }).jwks,
    ).toEqual({ keys: [key] });
  });
});
