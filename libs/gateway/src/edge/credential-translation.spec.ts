import { ConfigService } from '@nestjs/config';
import type { PlatformEnv } from '@platform/config';
import { apiTokenChecksum, ErrorCode, InternalToken, ServiceError } from '@platform/contracts';
import type { AccessTokenVerifier } from '@platform/security';
import type { MessageBus } from '@platform/transport';
import { CredentialTranslation } from './credential-translation';

interface Pending {
  resolve(reply: InternalToken): void;
  reject(error: unknown): void;
}

/** A bus whose every request waits for the test to answer it, as auth would in its own time. */
function slowAuth(): { bus: MessageBus; requests: Pending[] } {
  const requests: Pending[] = [];
  const bus = {
    send: () => new Promise((resolve, reject) => requests.push({ resolve, reject })),
  } as unknown as MessageBus;
  return { bus, requests };
}

const acceptsAll = { verify: () => Promise.resolve({}) } as unknown as AccessTokenVerifier;
const config = new ConfigService({
  API_TOKEN_CACHE_SECONDS: 30,
  LEGACY_CLIENTS: [],
}) as unknown as ConfigService<PlatformEnv, true>;
const random = 'A'.repeat(30);
const apiToken = `Bearer pat_${random}${apiTokenChecksum(random)}`;
const revoked = () => new ServiceError(ErrorCode.InvalidToken, 'revoked');

/** What auth answers for the token, once the test lets it. */
const resolution: InternalToken = {
  access_token: 'x',
  expires_in: 120,
  userId: 'user-1',
  tokenId: 'token-1',
};

describe('CredentialTranslation', () => {
  it.each([
    ['a revocation of the token', (t: CredentialTranslation) => t.forgetToken('token-1')],
    ['its owner lost their tokens', (t: CredentialTranslation) => t.forgetUser('user-1')],
  ])(
    'asks auth again for a request that comes after %s, not the answer in flight',
    async (_name, evict) => {
      const { bus, requests } = slowAuth();
      const translation = new CredentialTranslation(bus, acceptsAll, config);
      // Auth read the token before the eviction's change committed, and is still answering.
      const before = translation.translate(apiToken);
      await Promise.resolve();
      evict(translation);
      const after = translation.translate(apiToken).catch((error: unknown) => error);
      await Promise.resolve();
      requests[0].resolve(resolution);
      requests[1]?.reject(revoked());
      await expect(before).resolves.toBe('Bearer x');
      expect(requests).toHaveLength(2);
      expect(await after).toBeInstanceOf(ServiceError);
    },
  );

  it('still shares one resolution among concurrent requests', async () => {
    const { bus, requests } = slowAuth();
    const translation = new CredentialTranslation(bus, acceptsAll, config);
    const first = translation.translate(apiToken);
    const second = translation.translate(apiToken);
    await Promise.resolve();
    requests[0].resolve(resolution);
    await expect(Promise.all([first, second])).resolves.toEqual(['Bearer x', 'Bearer x']);
    expect(requests).toHaveLength(1);
  });
});
