import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { PlatformConfigModule } from './platform-config.module';
import { PlatformEnv, validatePlatformEnv } from './platform-env';

async function configOf(env: PlatformEnv): Promise<ConfigService<PlatformEnv, true>> {
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformConfigModule.forRoot(env)],
  }).compile();
  return moduleRef.get(ConfigService);
}

describe('PlatformConfigModule', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('serves the environment the process validated, with the secrets that validation made up', async () => {
    delete process.env.SERVICE_CLIENT_SECRETS;
    const env = validatePlatformEnv(process.env);
    const config = await configOf(env);
    expect(config.get('SERVICE_CLIENT_SECRETS', { infer: true })).toEqual(
      env.SERVICE_CLIENT_SECRETS,
    );
    expect(config.get('SERVICES', { infer: true })).toEqual(env.SERVICES);
  });

  it('does not read the environment again: a variable changed since start-up is not seen', async () => {
    const env = validatePlatformEnv({ ACCESS_TOKEN_TTL_SECONDS: '300' });
    process.env.ACCESS_TOKEN_TTL_SECONDS = '900';
    process.env.NATS_URL = 'nats://127.0.0.1:4222';
    const config = await configOf(env);
    expect(config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true })).toBe(300);
    expect(config.get('NATS_URL', { infer: true })).toBeUndefined();
  });
});
