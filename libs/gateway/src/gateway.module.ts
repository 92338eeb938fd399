import { Module } from '@nestjs/common';
import { ApiTokensHttpController } from './api-tokens.http-controller';
import { AuthHttpController } from './auth.http-controller';
import { ClientsHttpController } from './clients.http-controller';
import { SecurityEventsHttpController } from './security-events.http-controller';
import { CredentialEvictionController } from './edge/credential-eviction.controller';
import { CredentialTranslation } from './edge/credential-translation';
import { GatewayEdge } from './edge/gateway-edge';
import { AuthRelay } from './oauth/auth-relay';
import { OAuthRelay } from './oauth/oauth-relay';
import { OAuthHttpController } from './oauth/oauth.http-controller';
import { BrowserRelay } from './oauth/browser-relay';
import { HostedPagesHttpController } from './oauth/hosted-pages.http-controller';
import { UserInfoHttpController } from './oauth/userinfo.http-controller';
import { OrdersHttpController } from './orders.http-controller';
import { EdgeRateLimiter } from './rate-limit/edge-rate-limiter';
import { SharedCountersBucket } from './rate-limit/shared-counters.bucket';
import { UsersHttpController } from './users.http-controller';
import { WellKnownHttpController } from './well-known.http-controller';

/**
 * The HTTP edge: limits requests, turns API tokens and legacy credentials into internal access
 * tokens (`GatewayEdge`), validates requests with the contract DTOs and forwards them as
 * messages. It owns no data; each context it calls validates and authenticates again, because
 * it trusts no caller.
 */
@Module({
  controllers: [
    AuthHttpController,
    UsersHttpController,
    SecurityEventsHttpController,
    ClientsHttpController,
    OrdersHttpController,
    ApiTokensHttpController,
    WellKnownHttpController,
    OAuthHttpController,
    CredentialEvictionController,
    HostedPagesHttpController,
    UserInfoHttpController,
  ],
  providers: [
    SharedCountersBucket,
    EdgeRateLimiter,
    CredentialTranslation,
    GatewayEdge,
    OAuthRelay,
    AuthRelay,
    BrowserRelay,
  ],
})
export class GatewayModule {}
