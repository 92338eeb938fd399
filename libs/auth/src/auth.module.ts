import { Module } from '@nestjs/common';
import { DatabaseModule, Housekeeping } from '@platform/database';
import { OutboxModule } from '@platform/transport';
import { AccountsMessageController } from './accounts/accounts.message-controller';
import { BootstrapAdmin } from './accounts/bootstrap-admin';
import { CredentialStore } from './accounts/credential.store';
import { PasswordHasher } from './accounts/password.hasher';
import { ProfileEventsController } from './accounts/profile-events.controller';
import { RegistrationRepairSchedule } from './accounts/registration-repair.schedule';
import { RegistrationSettlement } from './accounts/registration-settlement.service';
import { RegistrationService } from './accounts/registration.service';
import { UsersProfileClient } from './accounts/users-profile.client';
import { ApiTokenResolution } from './api-tokens/api-token-resolution.service';
import { ApiTokenStore } from './api-tokens/api-token.store';
import { ApiTokensMessageController } from './api-tokens/api-tokens.message-controller';
import { ApiTokensService } from './api-tokens/api-tokens.service';
import { InternalTokenIssuer } from './api-tokens/internal-token.issuer';
import { authDatabase } from './auth.database';
import { AuthorizationCodeGrant } from './authorization/authorization-code.grant';
import { AuthorizationCodeStore } from './authorization/authorization-code.store';
import { AuthorizationContinuation } from './authorization/authorization-continuation';
import { AuthorizationRequestParser } from './authorization/authorization-request.parser';
import { AuthorizationRequestStore } from './authorization/authorization-request.store';
import { AuthorizationMessageController } from './authorization/authorization.message-controller';
import { AuthorizeService } from './authorization/authorize.service';
import { BrowserCookies } from './authorization/browser-cookies';
import { ConsentService } from './authorization/consent.service';
import { ConsentStore } from './authorization/consent.store';
import { EndSessionService } from './authorization/end-session.service';
import { LoginFormService } from './authorization/login-form.service';
import { PendingAuthorizations } from './authorization/pending-authorizations';
import { SsoSessionStore } from './authorization/sso-session.store';
import { SsoSessions } from './authorization/sso-sessions';
import { ClientRegistration } from './client-registration/client-registration.service';
import { ClientRevocation } from './client-registration/client-revocation';
import { ClientsMessageController } from './client-registration/clients.message-controller';
import { BuiltInClients } from './clients/built-in-clients';
import { ClientRegistry } from './clients/client-registry';
import { ClientSecretHasher } from './clients/client-secret.hasher';
import { ClientChangesController } from './clients/client-changes.controller';
import { ClientStore } from './clients/client.store';
import { HousekeepingStore } from './housekeeping/housekeeping.store';
import { KeysModule } from './keys/keys.module';
import { LegacyCredentialsMessageController } from './legacy-credentials/legacy-credentials.message-controller';
import { LegacyCredentials } from './legacy-credentials/legacy-credentials.service';
import { AddressLimits } from './limits/address-limits';
import { RateLimitStore } from './limits/rate-limit.store';
import { LoginThrottle } from './login/login-throttle';
import { LoginMessageController } from './login/login.message-controller';
import { LoginService } from './login/login.service';
import { LoginStore } from './login/login.store';
import { PasswordCheck } from './login/password-check';
import { ClientAssertionStore } from './oauth/client-assertion.store';
import { ClientAuthentication } from './oauth/client-authentication';
import { AccessTokenRevocation } from './oauth/access-token-revocation';
import { ClientCredentialsGrant } from './oauth/client-credentials.grant';
import { IntrospectionEndpoint } from './oauth/introspection-endpoint.service';
import { RefreshTokenGrant } from './oauth/refresh-token.grant';
import { RevocationEndpoint } from './oauth/revocation-endpoint.service';
import { TokenExchangeGrant } from './oauth/token-exchange.grant';
import { IssuedTokenStore } from './tokens/issued-token.store';
import { TokenRevocationStore } from './tokens/token-revocation.store';
import { OAuthTokenIssuer } from './oauth/oauth-token.issuer';
import { OAuthMessageController } from './oauth/oauth.message-controller';
import { TokenEndpoint } from './oauth/token-endpoint.service';
import { tokenGrantsProvider } from './oauth/token-grant';
import { IdTokenHintVerifier } from './oidc/id-token-hint.verifier';
import { IdTokenIssuer } from './oidc/id-token.issuer';
import { UserInfoMessageController } from './oidc/userinfo.message-controller';
import { UserInfoService } from './oidc/userinfo.service';
import { PasswordChangeService } from './password-change/password-change.service';
import { PasswordMessageController } from './password-change/password.message-controller';
import { SecurityLogModule } from './security-log/security-log.module';
import { AccountChanges } from './sessions/account-changes.service';
import { AccountEventsController } from './sessions/account-events.controller';
import { SessionRevocation } from './sessions/session-revocation.service';
import { SessionLifetime } from './sessions/session-lifetime';
import { SessionStore } from './sessions/session.store';
import { SessionsMessageController } from './sessions/sessions.message-controller';
import { SessionsService } from './sessions/sessions.service';
import { SubjectRevocationStore } from './sessions/subject-revocation.store';
import { RevocationsInForce } from './sessions/revocations-in-force';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { ServiceCredentials } from './tokens/service-credentials';
import { TokenPairIssuer } from './tokens/token-pair.issuer';
import { ServiceTokensMessageController } from './tokens/service-tokens.message-controller';

/**
 * The auth context: accounts and credentials, password login, sessions, tokens and signing
 * keys, served over messages. Each folder is one use case with its SQL and its message
 * controller; the folders depend on each other in one direction only:
 * `keys` ← `tokens` ← `accounts` ← `sessions` ← `login` ← `password-change`; `api-tokens` uses
 * `accounts`, and `legacy-credentials` uses `api-tokens`;
 * `clients` (the OAuth client registry) uses `keys`; `client-registration` (the admin API)
 * uses `clients`, `sessions` and `oauth` (a deleted client's tokens end); `oauth` (the token,
 * revocation and introspection endpoints) uses `clients`, `tokens` and `sessions`; `oidc` (ID
 * tokens, userinfo) uses `keys`, `tokens` and `accounts`, and `authorization` (the hosted
 * login, SSO sessions, consent, codes, logout) uses `login`, `oauth` and `oidc`; with
 * `security-log` and `limits` below them all.
 */
@Module({
  imports: [
    DatabaseModule.forContext(authDatabase),
    OutboxModule.forContext(authDatabase.schema),
    KeysModule.maintained(),
    SecurityLogModule,
  ],
  controllers: [
    AccountsMessageController,
    ProfileEventsController,
    LoginMessageController,
    SessionsMessageController,
    AccountEventsController,
    PasswordMessageController,
    ApiTokensMessageController,
    LegacyCredentialsMessageController,
    OAuthMessageController,
    AuthorizationMessageController,
    UserInfoMessageController,
    ClientsMessageController,
    ClientChangesController,
    ServiceTokensMessageController,
  ],
  providers: [
    AccessTokenIssuer,
    TokenPairIssuer,
    ServiceCredentials,
    CredentialStore,
    PasswordHasher,
    RateLimitStore,
    AddressLimits,
    UsersProfileClient,
    RegistrationSettlement,
    RegistrationService,
    RegistrationRepairSchedule,
    BootstrapAdmin,
    SessionLifetime,
    SessionStore,
    SubjectRevocationStore,
    RevocationsInForce,
    SessionRevocation,
    SessionsService,
    AccountChanges,
    LoginStore,
    LoginThrottle,
    PasswordCheck,
    LoginService,
    PasswordChangeService,
    ApiTokenStore,
    ApiTokensService,
    InternalTokenIssuer,
    ApiTokenResolution,
    LegacyCredentials,
    ClientSecretHasher,
    BuiltInClients,
    ClientStore,
    ClientRegistry,
    ClientRegistration,
    ClientRevocation,
    ClientAssertionStore,
    ClientAuthentication,
    IssuedTokenStore,
    TokenRevocationStore,
    OAuthTokenIssuer,
    // The token endpoint's grant types: add one here (and to GRANT_TYPES in contracts).
    ClientCredentialsGrant,
    RefreshTokenGrant,
    TokenExchangeGrant,
    tokenGrantsProvider(
      ClientCredentialsGrant,
      RefreshTokenGrant,
      TokenExchangeGrant,
      AuthorizationCodeGrant,
    ),
    TokenEndpoint,
    AccessTokenRevocation,
    RevocationEndpoint,
    IntrospectionEndpoint,
    // The hosted login, SSO sessions, consent and codes; ID tokens and userinfo.
    BrowserCookies,
    SsoSessionStore,
    SsoSessions,
    AuthorizationRequestStore,
    PendingAuthorizations,
    AuthorizationRequestParser,
    ConsentStore,
    AuthorizationCodeStore,
    AuthorizationContinuation,
    AuthorizeService,
    LoginFormService,
    ConsentService,
    EndSessionService,
    IdTokenIssuer,
    IdTokenHintVerifier,
    AuthorizationCodeGrant,
    UserInfoService,
    HousekeepingStore,
    Housekeeping.provider(authDatabase.schema, HousekeepingStore),
  ],
})
export class AuthModule {}
