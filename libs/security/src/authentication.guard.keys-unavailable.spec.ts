import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ErrorCode, ServiceError } from '@platform/contracts';
import { MessageBus } from '@platform/transport';
import { startGuardedApp } from '../test/guarded-app';
import {
  generateTestKey,
  signAccessToken,
  TEST_AUDIENCE,
  TestJwksSource,
} from '../test/token-factory';
import { CallableBy, Public } from './auth-metadata';

const FROM_GATEWAY = `${TEST_AUDIENCE}.keys-unavailable.from-gateway`;

@Controller()
class SenderCheckedController {
  @Public()
  @CallableBy('gateway')
  @MessagePattern(FROM_GATEWAY)
  fromGateway() {
    return { fromGateway: true };
  }
}

/**
 * A process that holds no signing keys yet (auth not reachable since it started) cannot tell
 * who sent a message: the sender check answers the retryable 503 a sender waits out, not the
 * final 403 it would take as "not allowed" (which broke the first admin's bootstrap).
 */
describe('authentication guard without signing keys', () => {
  const key = generateTestKey('ES256');
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const source = new TestJwksSource([key.jwk]);
    source.failing = true;
    app = await startGuardedApp(source, [SenderCheckedController], {
      requestTimeoutMs: 2000,
      connectionName: 'keys-unavailable-test',
      recentEventsSeconds: 60,
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers a sender-checked message with 503 SERVICE_UNAVAILABLE, not 403', async () => {
    const serviceAuthorization = `Bearer ${signAccessToken(key, {
      claims: { sub: 'service:gateway', client_id: 'gateway', roles: ['service'] },
    })}`;
    const refusal = await app
      .get(MessageBus)
      .send(FROM_GATEWAY, {}, { serviceAuthorization })
      .then(
        () => undefined,
        (error: unknown) => error as ServiceError,
      );
    expect(refusal?.toReply()).toMatchObject({
      status: 503,
      code: ErrorCode.ServiceUnavailable,
    });
  });
});
