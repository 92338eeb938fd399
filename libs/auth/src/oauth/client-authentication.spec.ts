import { generateKeyPairSync, sign } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { PlatformEnv } from '@platform/config';
import { ClientRegistry } from '../clients/client-registry';
import { ClientSecretHasher } from '../clients/client-secret.hasher';
import { ClientJwks, OAuthClient } from '../clients/oauth-client';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { ClientAssertionStore } from './client-assertion.store';
import { ClientAuthentication } from './client-authentication';
import { TokenRequestParams } from './token-request-params';

const ISSUER = 'https://issuer.example';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function clientWith(jwks: ClientJwks): OAuthClient {
  return {
    clientId: 'signer',
    clientType: 'confidential',
    clientName: 'signer',
    grantTypes: ['client_credentials'],
    redirectUris: [],
    postLogoutRedirectUris: [],
    scopes: ['orders:read'],
    audiences: ['orders'],
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks,
    firstParty: false,
    builtIn: false,
    roles: [],
    createdAt: 0,
  };
}

/** Client authentication against one registered client, the stores stood in for. */
function authenticating(
  client: OAuthClient,
  firstUse: ClientAssertionStore['firstUse'] = async () => true,
) {
  const assertions = { firstUse: jest.fn(firstUse) };
  const securityLog = { append: jest.fn(async () => undefined) };
  const authentication = new ClientAuthentication(
    {
      findAuthenticatable: async (id: string) => (id === client.clientId ? { client } : undefined),
    } as unknown as ClientRegistry,
    {} as ClientSecretHasher,
    assertions as unknown as ClientAssertionStore,
    securityLog as unknown as SecurityEventWriter,
    { get: () => ISSUER } as unknown as ConfigService<PlatformEnv, true>,
  );
  const authenticate = (assertion: string) =>
    authentication.authenticate(
      TokenRequestParams.of({
        grant_type: 'client_credentials',
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
      }),
      undefined,
    );
  return { authenticate, assertions, securityLog };
}

describe('ClientAuthentication: private_key_jwt (RFC 7523 3)', () => {
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let client: OAuthClient;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    client = clientWith({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1' }] });
  });

  const assertion = (claims: Record<string, unknown>) =>
    new SignJWT({
      iss: 'signer',
      sub: 'signer',
      aud: ISSUER,
      exp: Math.floor(Date.now() / 1000) + 60,
      jti: 'jti-1',
      ...claims,
    } as JWTPayload)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey);

  it('takes an assertion with the claims RFC 7523 3 asks, its jti spent once', async () => {
    const { authenticate, assertions } = authenticating(client);
    await expect(authenticate(await assertion({}))).resolves.toBe(client);
    expect(assertions.firstUse).toHaveBeenCalledWith('signer', 'jti-1', expect.any(Number));
  });

  it.each([
    ['a number', 777001],
    ['an object', { a: 1 }],
    ['a boolean', true],
    ['a fraction', 1.5],
    ['empty', ''],
    ['a list', ['x']],
    // The length limit measured the list, not the string in it.
    ['a list of a long string', ['a'.repeat(1000)]],
    ['too long', 'a'.repeat(257)],
  ])(
    'refuses a jti that is %s: a string of 1 to 256 characters (RFC 7519 4.1.7)',
    async (_, jti) => {
      const { authenticate, assertions } = authenticating(client);
      await expect(authenticate(await assertion({ jti }))).rejects.toMatchObject({
        error: 'invalid_client',
      });
      expect(assertions.firstUse).not.toHaveBeenCalled();
    },
  );

  it.each([[{ iss: ['signer'] }], [{ aud: [ISSUER, 7] }], [{ aud: [[ISSUER]] }]])(
    'refuses %j: iss and sub are strings, aud the issuer alone',
    async (claims) => {
      const { authenticate } = authenticating(client);
      await expect(authenticate(await assertion(claims))).rejects.toMatchObject({
        error: 'invalid_client',
      });
    },
  );

  it('finds the signing key among several of one type when the assertion names no kid (RFC 7515 4.1.4)', async () => {
    // A client rolling its keys over registers the new one beside the old (RFC 7517 5); `kid`
    // is optional, so an assertion without one is checked against each key that could fit.
    const next = await generateKeyPair('ES256');
    const rolling = clientWith({
      keys: [
        await exportJWK((await generateKeyPair('ES256')).publicKey),
        await exportJWK(next.publicKey),
      ],
    });
    const signed = (key: typeof privateKey, jti: string) =>
      new SignJWT({ iss: 'signer', sub: 'signer', aud: ISSUER, jti })
        .setProtectedHeader({ alg: 'ES256' })
        .setExpirationTime('1m')
        .sign(key);
    const { authenticate } = authenticating(rolling);
    await expect(authenticate(await signed(next.privateKey, 'rolled'))).resolves.toBe(rolling);
    // A key the client did not register still proves nothing.
    const stranger = await generateKeyPair('ES256');
    await expect(authenticate(await signed(stranger.privateKey, 'stranger'))).rejects.toMatchObject(
      { error: 'invalid_client' },
    );
  });

  it('answers a registered key it cannot import with invalid_client, not a server error', async () => {
    const broken = clientWith({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', kid: 'k1' }] });
    const { authenticate, securityLog } = authenticating(broken);
    await expect(authenticate(await assertion({}))).rejects.toMatchObject({
      error: 'invalid_client',
    });
    expect(securityLog.append).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'client_authentication_failed' }),
    );
  });

  it('answers a registered RSA key under 2048 bits with invalid_client, not a server error', async () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = short.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    const { authenticate } = authenticating(clientWith({ keys: [{ ...jwk, kid: 'short' }] }));
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const input = `${encode({ alg: 'RS256', kid: 'short' })}.${encode({
      iss: 'signer',
      sub: 'signer',
      aud: ISSUER,
      exp: Math.floor(Date.now() / 1000) + 60,
      jti: 'jti-short',
    })}`;
    // jose will not sign with a key this short: signed by hand (RFC 7515 5.1).
    const signature = sign('sha256', Buffer.from(input), short.privateKey).toString('base64url');
    await expect(authenticate(`${input}.${signature}`)).rejects.toMatchObject({
      error: 'invalid_client',
    });
  });
});

describe('ClientAuthentication: a client assertion is single use for as long as it is accepted', () => {
  it('refuses a replay after the used jtis that expired are purged, within the clock tolerance', async () => {
    const pair = await generateKeyPair('ES256');
    const client = clientWith({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1' }] });
    // `auth.client_assertions` as the store and the housekeeping purge use it: a row per
    // (client, jti), deleted once its `expires_at` has passed.
    const used = new Map<string, number>();
    const { authenticate } = authenticating(client, async (clientId, jti, expiresAt) => {
      const key = `${clientId} ${jti}`;
      if (used.has(key)) return false;
      used.set(key, expiresAt);
      return true;
    });
    const purge = () => {
      for (const [key, until] of used) if (until < Date.now() / 1000) used.delete(key);
    };
    // Expired ten seconds ago: within the tolerance for clock skew, so still accepted.
    const assertion = await new SignJWT({
      iss: 'signer',
      sub: 'signer',
      aud: ISSUER,
      exp: Math.floor(Date.now() / 1000) - 10,
      jti: 'late',
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(pair.privateKey);

    await expect(authenticate(assertion)).resolves.toBe(client);
    purge();
    await expect(authenticate(assertion)).rejects.toMatchObject({ error: 'invalid_client' });
  });
});
