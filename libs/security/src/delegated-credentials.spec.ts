import { ErrorCode, OAuthEndpointResponse } from '@platform/contracts';
import type { MessageBus } from '@platform/transport';
import type { AccessTokenVerifier } from './access-token-verifier';
import { TokenExchangeCredentials } from './delegated-credentials';
import { Principal } from './principal';

const USER: Principal = {
  subject: '6f1c2a9e-55f1-4a43-9b6e-0d1f4c3b2a10',
  sessionId: 'session-1',
  clientId: 'identity-platform',
  scopes: ['orders:read'],
  roles: [],
  tokenId: 'jti-1',
  expiresAt: Math.floor(Date.now() / 1000) + 300,
  issuedAt: Math.floor(Date.now() / 1000) - 10,
  audience: ['orders'],
  token: 'the-user-token',
};

/** Credentials whose exchange auth answers with `reply` (its token endpoint's response). */
function exchangeAnswered(reply: OAuthEndpointResponse): TokenExchangeCredentials {
  const bus = { send: () => Promise.resolve(reply) } as unknown as MessageBus;
  const verifier = {} as AccessTokenVerifier;
  return new TokenExchangeCredentials(bus, { orders: 'o'.repeat(43) }, verifier);
}

function refusal(status: number, error: string): OAuthEndpointResponse {
  return { status, headers: {}, body: { error } };
}

describe('TokenExchangeCredentials', () => {
  it.each([
    // RFC 8693 2.2.2: auth refuses the user's subject_token with invalid_request.
    ['invalid_request', 400, ErrorCode.InvalidToken],
    ['invalid_scope', 400, ErrorCode.InsufficientScope],
    ['invalid_target', 400, ErrorCode.Forbidden],
    ['temporarily_unavailable', 503, ErrorCode.ServiceUnavailable],
  ])('tells the caller what auth meant by %s', async (error, status, code) => {
    const credentials = exchangeAnswered(refusal(status, error));
    await expect(
      credentials.credentialFor('orders', USER, 'users', ['users:read']).authorization(),
    ).rejects.toMatchObject({ code });
  });
});
