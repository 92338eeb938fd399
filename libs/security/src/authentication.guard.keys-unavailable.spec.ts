import { Controller, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ContractValidationPipe, ErrorCode, ServiceError } from '@platform/contracts';
import { PlatformExceptionFilter } from '@platform/http';
import { LoggingModule } from '@platform/observability';
import { MessageBus, TransportModule } from '@platform/transport';
import {
  generateTestKey,
  signAccessToken,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TestJwksSource,
} from '../test/token-factory';
import { CallableBy, Public } from './auth-metadata';
import { SecurityModule } from './security.module';

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
    const options = {
      requestTimeoutMs: 2000,
      connectionName: 'keys-unavailable-test',
      recentEventsSeconds: 60,
    };

    @Module({
      imports: [
        LoggingModule.forRoot({ level: 'silent', service: 'keys-unavailable-test' }),
        TransportModule.forRoot(options),
        SecurityModule.forRoot({
          issuer: TEST_ISSUER,
          audience: TEST_AUDIENCE,
          jwksSource: { useValue: source },
          longestTokenLifetimeSeconds: 660,
          service: 'gateway',
        }),
      ],
      controllers: [SenderCheckedController],
      providers: [
        { provide: APP_PIPE, useClass: ContractValidationPipe },
        { provide: APP_FILTER, useClass: PlatformExceptionFilter },
      ],
    })
    class KeylessModule {}

    const moduleRef = await Test.createTestingModule({ imports: [KeylessModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    app.connectMicroservice(TransportModule.createServer(options, app), { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.init();
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
