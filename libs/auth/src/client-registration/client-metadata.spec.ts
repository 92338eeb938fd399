import { ErrorCode, ServiceError } from '@platform/contracts';
import type { OAuthClient } from '../clients/oauth-client';
import { clientMetadataOf, clientRecordOf } from './client-metadata';

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
      postLogoutRedirectUris: [],
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

  it('takes post_logout_redirect_uris (RP-Initiated Logout 1.0 3.1) as given, to compare exactly', () => {
    const uris = [
      'https://app.example/signed-out?from=op',
      'http://127.0.0.1:8080/bye',
      'com.example.app:/signed-out',
    ];
    expect(
      parse({ redirect_uris: ['https://app.example/cb'], post_logout_redirect_uris: uris }),
    ).toMatchObject({ redirectUris: ['https://app.example/cb'], postLogoutRedirectUris: uris });
  });

  it('gives back what it stored, so a partial update keeps post_logout_redirect_uris', () => {
    const record = parse({
      redirect_uris: ['https://app.example/cb'],
      post_logout_redirect_uris: ['https://app.example/signed-out'],
      token_endpoint_auth_method: 'none',
    });
    const client: OAuthClient = {
      ...record,
      clientType: 'public',
      postLogoutRedirectUris: record.postLogoutRedirectUris!,
      firstParty: false,
      builtIn: false,
      roles: [],
      createdAt: 0,
    };
    const metadata = clientMetadataOf(client);
    expect(metadata.post_logout_redirect_uris).toEqual(['https://app.example/signed-out']);
    expect(parse({ ...metadata, client_name: 'Renamed' })).toEqual({
      ...record,
      clientName: 'Renamed',
    });
  });

  it.each([
    [{ redirect_uris: ['http://app.example/cb'] }],
    [{ redirect_uris: ['https://app.example/cb#fragment'] }],
    [{ redirect_uris: ['/relative'] }],
    [{ redirect_uris: ['javascript:alert(1)'] }],
    [{ redirect_uris: 'https://app.example/cb' }],
    [{ grant_types: ['authorization_code'] }],
    [{ redirect_uris: ['https://app.example/a\u0000b'] }],
    [{ redirect_uris: ['https://app.example/\uD800'] }],
    // RFC 3986 characters only: the URI goes out in a Location header as it is registered,
    // which cannot carry a line break or a character beyond Latin-1, and mangles the rest.
    [{ redirect_uris: ['https://bücher.example/cb'] }],
    [{ redirect_uris: ['https://app.example/cb/日本'] }],
    [{ redirect_uris: ['https://app.example/cb\n'] }],
    [{ redirect_uris: ['https://app.example/c\tb'] }],
    [{ redirect_uris: ['https://app.example/c b'] }],
    [{ redirect_uris: ['https://app.example/cb?q=a"b'] }],
    [{ redirect_uris: ['https://app.example/cb?q=%zz'] }],
  ])('refuses %j with invalid_redirect_uri', (metadata) => {
    expect(codeOf(metadata)).toBe(ErrorCode.InvalidRedirectUri);
  });

  it.each([
    [null],
    [[]],
    // Not a redirect URI of RFC 7591 3.2.2 (those are the authorization response's), so the
    // generic code, with the same checks as redirect_uris.
    [{ post_logout_redirect_uris: ['http://app.example/signed-out'] }],
    [{ post_logout_redirect_uris: ['https://app.example/signed-out#fragment'] }],
    [{ post_logout_redirect_uris: ['/relative'] }],
    [{ post_logout_redirect_uris: ['javascript:alert(1)'] }],
    [{ post_logout_redirect_uris: [`https://app.example/${'a'.repeat(2000)}`] }],
    [{ post_logout_redirect_uris: 'https://app.example/signed-out' }],
    [{ post_logout_redirect_uris: [42] }],
    [{ post_logout_redirect_uris: ['https://app.example/a', 'https://app.example/a'] }],
    [
      {
        post_logout_redirect_uris: Array.from({ length: 21 }, (_, i) => `https://app.example/${i}`),
      },
    ],
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
    [{ client_name: 'a\u0000b' }],
    [{ client_name: 'App \uDC00' }],
    [{ post_logout_redirect_uris: ['https://app.example/bye\u0000'] }],
    [{ post_logout_redirect_uris: ['https://bücher.example/bye'] }],
    [{ post_logout_redirect_uris: ['https://app.example/bye\r\n'] }],
    [
      {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k\u0000' }] },
      },
    ],
    [
      {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', 'k\uD800': 'member' }] },
      },
    ],
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

  it('takes jwks: null beside a secret-based method as no keys, and refuses it for private_key_jwt', () => {
    expect(parse({ jwks: null }).jwks).toBeUndefined();
    expect(codeOf({ token_endpoint_auth_method: 'private_key_jwt', jwks: null })).toBe(
      ErrorCode.InvalidClientMetadata,
    );
  });
});
