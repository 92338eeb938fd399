import { Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ContractValidationPipe } from '@platform/contracts';
import { PlatformExceptionFilter } from '@platform/http';
import { LoggingModule, runRoutesInRequestContext } from '@platform/observability';
import { TransportModule, TransportOptions } from '@platform/transport';
import { JwksSource, SecurityModule } from '@platform/security';
import { TEST_AUDIENCE, TEST_ISSUER } from './token-factory';

/**
 * A service as the platform composes one, around `controllers`: the guard family trusting the
 * keys of `source`, HTTP on Fastify and messages on the transport `options` name, started.
 */
export async function startGuardedApp(
  source: JwksSource,
  controllers: Type[],
  options: TransportOptions,
): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      LoggingModule.forRoot({ level: 'silent', service: options.connectionName }),
      TransportModule.forRoot(options),
      SecurityModule.forRoot({
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        jwksSource: { useValue: source },
        longestTokenLifetimeSeconds: 660,
        service: 'gateway',
      }),
    ],
    controllers,
    providers: [
      { provide: APP_PIPE, useClass: ContractValidationPipe },
      { provide: APP_FILTER, useClass: PlatformExceptionFilter },
    ],
  })
  class GuardedModule {}

  const moduleRef = await Test.createTestingModule({ imports: [GuardedModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  runRoutesInRequestContext(app.getHttpAdapter().getInstance());
  app.connectMicroservice(TransportModule.createServer(options, app), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
