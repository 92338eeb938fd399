import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { longestTokenLifetimeSeconds, PlatformConfigModule, PlatformEnv } from '@platform/config';
import { ContractValidationPipe, HTTP_AUDIENCE } from '@platform/contracts';
import { DatabaseModule } from '@platform/database';
import { HealthModule } from '@platform/health';
import { PlatformExceptionFilter } from '@platform/http';
import { LoggingModule } from '@platform/observability';
import { MessageBusJwksSource, SecurityModule } from '@platform/security';
import { TransportModule, TransportOptions } from '@platform/transport';
import { contextModules } from './contexts';

export function transportOptions(env: PlatformEnv): TransportOptions {
  return {
    natsUrl: env.NATS_URL,
    natsIdentity: {
      // A split process is its one context on NATS; a process of several has no one identity.
      name: env.SERVICES.length === 1 ? env.SERVICES[0] : undefined,
      seedFile: env.NATS_NKEY_SEED_FILE,
      tlsCaFile: env.NATS_TLS_CA_FILE,
    },
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    connectionName: `identity-platform:${env.SERVICES.join('+')}`,
    recentEventsSeconds: longestTokenLifetimeSeconds(env),
  };
}

/**
 * The whole platform or any slice of it: the same modules, picked by `SERVICES`, on the
 * transport and database that `NATS_URL` and `DATABASE_URL` choose.
 */
@Module({})
export class PlatformModule {
  static forRoot(env: PlatformEnv): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        PlatformConfigModule.forRoot(env),
        LoggingModule.forRoot({ level: env.LOG_LEVEL, service: env.SERVICES.join(',') }),
        TransportModule.forRoot(transportOptions(env)),
        DatabaseModule.forRoot({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }),
        // Every route and message handler requires a valid access token unless marked @Public().
        SecurityModule.forRoot({
          issuer: env.ISSUER,
          audience: HTTP_AUDIENCE,
          verifiedTokenCacheSize: env.VERIFIED_TOKEN_CACHE_SIZE,
          longestTokenLifetimeSeconds: longestTokenLifetimeSeconds(env),
          // A process sends as the first context it hosts (the gateway, in a monolith).
          service: env.SERVICES[0],
          jwksSource: { useClass: MessageBusJwksSource },
          serviceClientSecrets: env.SERVICE_CLIENT_SECRETS,
        }),
        HealthModule,
        ...env.SERVICES.map((name) => contextModules[name]),
      ],
      providers: [
        { provide: APP_PIPE, useClass: ContractValidationPipe },
        { provide: APP_FILTER, useClass: PlatformExceptionFilter },
      ],
    };
  }
}
