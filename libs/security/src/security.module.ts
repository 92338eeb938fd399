import {
  ClassProvider,
  DynamicModule,
  ExistingProvider,
  FactoryProvider,
  Module,
  Provider,
  ValueProvider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { ContextName } from '@platform/contracts';
import { AccessDenialReporter } from './access-denial.reporter';
import { AccessTokenVerifier, AccessTokenVerifierOptions } from './access-token-verifier';
import { AuthenticationGuard } from './authentication.guard';
import {
  SERVICE_CLIENT_SECRETS,
  TokenExchangeCredentials,
  USER_DELEGATED_CREDENTIALS,
} from './delegated-credentials';
import { MessageBus } from '@platform/transport';
import { JwksCache, JwksCacheOptions } from './jwks-cache';
import { JWKS_SOURCE, JwksSource } from './jwks-source';
import { RevocationCatchUp } from './revocation-catch-up';
import { RevocationEventsController } from './revocation-events.controller';
import { KeySetEventsController } from './key-set-events.controller';
import { RevocationList } from './revocation-list';
import { SecurityHealthIndicator } from './security.health';
import { SERVICE_NAME, ServiceTokens } from './service-tokens';
import { VerifierMetrics } from './verifier.metrics';

/** How the application provides its `JwksSource`: any provider form, without `provide`. */
export type JwksSourceProvider =
  | Omit<ClassProvider<JwksSource>, 'provide'>
  | Omit<ValueProvider<JwksSource>, 'provide'>
  | Omit<FactoryProvider<JwksSource>, 'provide'>
  | Omit<ExistingProvider<JwksSource>, 'provide'>;

export interface SecurityModuleOptions extends AccessTokenVerifierOptions {
  /** Where the verification keys come from, e.g. `{ useClass: MessageBusJwksSource }`. */
  jwksSource: JwksSourceProvider;
  jwks?: JwksCacheOptions;
  /** No token is presented longer than this after its issue (see `RevocationList`). */
  longestTokenLifetimeSeconds: number;
  /**
   * The platform services' OAuth client secrets (`SERVICE_CLIENT_SECRETS`), with which a
   * service exchanges a user's token to call another service on their behalf.
   */
  serviceClientSecrets?: Partial<Record<ContextName, string>>;
  /** The platform service this process sends as (see `ServiceTokens`). */
  service: ContextName;
}

/**
 * Protects every HTTP route and message handler of the application with `AuthenticationGuard`
 * (registered as the global guard), and provides the verifier, its key cache and the revocation
 * list to whatever feeds them.
 */
@Module({})
export class SecurityModule {
  static forRoot(options: SecurityModuleOptions): DynamicModule {
    const {
      jwksSource,
      jwks,
      longestTokenLifetimeSeconds,
      serviceClientSecrets,
      service,
      ...verifierOptions
    } = options;
    return {
      module: SecurityModule,
      global: true,
      imports: [TerminusModule],
      controllers: [RevocationEventsController, KeySetEventsController],
      providers: [
        { provide: JWKS_SOURCE, ...jwksSource } as Provider,
        {
          provide: JwksCache,
          inject: [JWKS_SOURCE],
          useFactory: (source: JwksSource) => new JwksCache(source, jwks),
        },
        {
          provide: RevocationList,
          useFactory: () => new RevocationList(longestTokenLifetimeSeconds),
        },
        {
          provide: AccessTokenVerifier,
          inject: [JwksCache, RevocationList],
          useFactory: (keys: JwksCache, revocations: RevocationList) =>
            new AccessTokenVerifier(verifierOptions, keys, revocations),
        },
        AccessDenialReporter,
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: SERVICE_NAME, useValue: service },
        ServiceTokens,
        RevocationCatchUp,
        SecurityHealthIndicator,
        VerifierMetrics,
        // The one place that says how a service gets a token to call another on a user's behalf:
        // token exchange (RFC 8693) as the acting service's OAuth client.
        { provide: SERVICE_CLIENT_SECRETS, useValue: serviceClientSecrets ?? {} },
        {
          provide: USER_DELEGATED_CREDENTIALS,
          inject: [MessageBus, SERVICE_CLIENT_SECRETS, AccessTokenVerifier],
          useFactory: (
            bus: MessageBus,
            secrets: Partial<Record<ContextName, string>>,
            verifier: AccessTokenVerifier,
          ) => new TokenExchangeCredentials(bus, secrets, verifier),
        },
      ],
      exports: [
        AccessTokenVerifier,
        JwksCache,
        RevocationList,
        SecurityHealthIndicator,
        ServiceTokens,
        USER_DELEGATED_CREDENTIALS,
      ],
    };
  }
}
