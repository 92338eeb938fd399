import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { loadPlatformEnvOrExit, PlatformEnv } from '@platform/config';
import { serveApiDocuments } from '@platform/gateway';
import { configureHttpServer, createHttpAdapter } from '@platform/http';
import {
  BusNotProvisionedError,
  NatsIdentityError,
  ProvisionedBusCheck,
  TransportHealthIndicator,
  TransportModule,
} from '@platform/transport';
import { PlatformModule, transportOptions } from './platform.module';

async function bootstrap(env: PlatformEnv): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    PlatformModule.forRoot(env),
    createHttpAdapter(env),
    { bufferLogs: true },
  );
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await configureHttpServer(app.getHttpAdapter().getInstance(), env);
  // The API's OpenAPI document and UI are the gateway's: it serves the public HTTP API.
  if (env.SERVICES.includes('gateway')) serveApiDocuments(app, env.ISSUER);
  app.connectMicroservice(TransportModule.createServer(transportOptions(env), app), {
    inheritAppConfig: true,
  });
  await app.listen({ port: env.PORT, host: env.HOST });
  // HTTP first, so liveness answers while the server waits for NATS; readiness says when it is up.
  await app.startAllMicroservices();
  // On a hardened bus the streams and buckets are the operator's: none missing, or no start.
  await app.get(ProvisionedBusCheck).verify();
  app.get(TransportHealthIndicator).markServerListening();
  logger.log(
    `Platform ready on ${await app.getUrl()} serving ${env.SERVICES.join(', ')} ` +
      `over ${env.NATS_URL ? `NATS ${env.NATS_URL}` : 'the in-process transport'} ` +
      `with ${env.DATABASE_URL ? 'PostgreSQL' : `embedded PostgreSQL in ${env.DATA_DIR}`}`,
  );
}

bootstrap(loadPlatformEnvOrExit()).catch((error: unknown) => {
  // A configuration the operator must change says so in one line; anything else keeps its stack.
  const reason =
    error instanceof NatsIdentityError || error instanceof BusNotProvisionedError
      ? error.message
      : error instanceof Error
        ? error.stack
        : String(error);
  process.stderr.write(`Start-up failed: ${reason}\n`);
  process.exit(1);
});
