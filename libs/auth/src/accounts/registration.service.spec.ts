import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { ErrorCode } from '@platform/contracts';
import { AddressLimits } from '../limits/address-limits';
import { RateLimitedError } from '../limits/rate-limited.error';
import { CredentialStore } from './credential.store';
import { PasswordHasher } from './password.hasher';
import { RegistrationService } from './registration.service';
import { RegistrationSettlement } from './registration-settlement.service';

/** A registration service whose collaborators record what they were asked. */
function registrationService(limit: () => Promise<void> = () => Promise.resolve()) {
  const passwords = { hash: jest.fn().mockResolvedValue('hash'), verify: jest.fn() };
  const credentials = {
    findByEmail: jest.fn().mockResolvedValue(undefined),
    insertPending: jest.fn(),
  };
  const settlement = {
    createProfile: jest.fn((profile: { id: string }) => Promise.resolve(profile)),
    settleSeconds: 4,
  };
  const limits = { count: jest.fn(limit) };
  const config = { get: () => 'admin@example.com' };
  const registration = new RegistrationService(
    credentials as unknown as CredentialStore,
    passwords as unknown as PasswordHasher,
    settlement as unknown as RegistrationSettlement,
    limits as unknown as AddressLimits,
    config as unknown as ConfigService<PlatformEnv, true>,
  );
  return { registration, passwords, credentials, settlement, limits };
}

describe('RegistrationService', () => {
  it('does no password work, and touches nothing, for a registration past its limit', async () => {
    const { registration, passwords, credentials, settlement, limits } = registrationService(() =>
      Promise.reject(new RateLimitedError(30)),
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

  it('keeps the bootstrap administrator’s email for the bootstrap: a registration through the API takes it as registered', async () => {
    // Until the bootstrap has created it (a split start, users slow to answer, a bootstrap
    // that gave up), an account registered with this email would be the first administrator.
    for (const email of ['admin@example.com', 'ADMIN@example.com']) {
      const { registration, passwords, credentials, settlement } = registrationService();
      const refused = await registration
        .register({ email, password: 'correct horse', clientIp: '192.0.2.1' })
        .catch((error: Error) => error);
      expect(refused).toMatchObject({ code: ErrorCode.EmailAlreadyRegistered });
      expect(passwords.hash).not.toHaveBeenCalled();
      expect(credentials.insertPending).not.toHaveBeenCalled();
      expect(settlement.createProfile).not.toHaveBeenCalled();
    }
  });

  it('registers the bootstrap administrator from the bootstrap', async () => {
    const { registration, settlement } = registrationService();
    await registration.registerBootstrapAdministrator('admin@example.com', 'correct horse');
    expect(settlement.createProfile).toHaveBeenCalledWith(
      expect.objectContaining({ email: 'admin@example.com' }),
    );
  });
});
