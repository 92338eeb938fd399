import { ErrorCode } from '@platform/contracts';
import { AddressLimits } from '../limits/address-limits';
import { RateLimitedError } from '../limits/rate-limited.error';
import { CredentialStore } from './credential.store';
import { PasswordHasher } from './password.hasher';
import { RegistrationService } from './registration.service';
import { RegistrationSettlement } from './registration-settlement.service';

describe('RegistrationService', () => {
  it('does no password work, and touches nothing, for a registration past its limit', async () => {
    const passwords = { hash: jest.fn(), verify: jest.fn() };
    const credentials = { findByEmail: jest.fn(), insertPending: jest.fn() };
    const settlement = { createProfile: jest.fn(), settleSeconds: 4 };
    const limits = { count: jest.fn().mockRejectedValue(new RateLimitedError(30)) };
    const registration = new RegistrationService(
      credentials as unknown as CredentialStore,
      passwords as unknown as PasswordHasher,
      settlement as unknown as RegistrationSettlement,
      limits as unknown as AddressLimits,
    );

    const refused = await registration
      .register({ email: 'ada@example.com', password: 'correct horse', clientIp: '192.0.2.1' })
      .catch((error: RateLimitedError) => error);

    expect(refused).toMatchObject({ code: ErrorCode.RateLimited, retryAfter: 30 });
    expect(limits.count).toHaveBeenCalledWith('register', '192.0.2.1');
    expect(passwords.hash).not.toHaveBeenCalled();
    expect(passwords.verify).not.toHaveBeenCalled();
    expect(credentials.findByEmail).not.toHaveBeenCalled();
    expect(settlement.createProfile).not.toHaveBeenCalled();
  });
});
