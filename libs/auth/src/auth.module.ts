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
import { DelegationMessageController } from './delegation/delegation.message-controller';
import { TokenDelegation } from './delegation/token-delegation.service';
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
import { PasswordChangeService } from './password-change/password-change.service';
import { PasswordMessageController } from './password-change/password.message-controller';
import { SecurityLogModule } from './security-log/security-log.module';
import { AccountChanges } from './sessions/account-changes.service';
import { AccountEventsController } from './sessions/account-events.controller';
import { SessionRevocation } from './sessions/session-revocation.service';
import { SessionStore } from './sessions/session.store';
import { SessionsMessageController } from './sessions/sessions.message-controller';
import { SessionsService } from './sessions/sessions.service';
import { SubjectRevocationStore } from './sessions/subject-revocation.store';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { ServiceCredentials } from './tokens/service-credentials';
import { TokenPairIssuer } from './tokens/token-pair.issuer';
import { ServiceTokensMessageController } from './tokens/service-tokens.message-controller';

/**
 * The auth context: accounts and credentials, password login, sessions, tokens and signing
 * keys, served over messages. Each folder is one use case with its SQL and its message
 * controller; the folders depend on each other in one direction only:
 * `keys` ← `tokens` ← `accounts` ← `sessions` ← `login` ← `password-change`; `delegation` uses
 * `tokens`, `api-tokens` uses `accounts`, and `legacy-credentials` uses `api-tokens`; with
 * `security-log` and `limits` below them all.
 */
@Module({
  imports: [
    DatabaseModule.forContext(authDatabase),
    OutboxModule.forContext(authDatabase.schema),
    KeysModule,
    SecurityLogModule,
  ],
  controllers: [
    AccountsMessageController,
    ProfileEventsController,
    LoginMessageController,
    SessionsMessageController,
    AccountEventsController,
    PasswordMessageController,
    DelegationMessageController,
    ApiTokensMessageController,
    LegacyCredentialsMessageController,
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
    SessionStore,
    SubjectRevocationStore,
    SessionRevocation,
    SessionsService,
    AccountChanges,
    LoginStore,
    LoginThrottle,
    PasswordCheck,
    LoginService,
    PasswordChangeService,
    TokenDelegation,
    ApiTokenStore,
    ApiTokensService,
    InternalTokenIssuer,
    ApiTokenResolution,
    LegacyCredentials,
    HousekeepingStore,
    Housekeeping.provider(authDatabase.schema, HousekeepingStore),
  ],
})
export class AuthModule {}
