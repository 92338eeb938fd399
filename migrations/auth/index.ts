import { CreateSigningKeys1764100000000 } from './1764100000000-create-signing-keys';
import { CreateCredentials1764150000000 } from './1764150000000-create-credentials';
import { CreateSessions1764300000000 } from './1764300000000-create-sessions';
import { CreateSubjectRevocations1764400000000 } from './1764400000000-create-subject-revocations';
import { CreateSecurityEvents1764500000000 } from './1764500000000-create-security-events';
import { AddCredentialStatus1764600000000 } from './1764600000000-add-credential-status';
import { NormalizeCredentialEmails1764610000000 } from './1764610000000-normalize-credential-emails';
import { CreateApiTokens1764900000000 } from './1764900000000-create-api-tokens';
import { ChainSecurityEvents1765000000000 } from './1765000000000-chain-security-events';
import { CreateRateLimits1765010000000 } from './1765010000000-create-rate-limits';
import { RecordKeyEncryptionKey1765020000000 } from './1765020000000-record-key-encryption-key';
import { CreateOAuthClients1765100000000 } from './1765100000000-create-oauth-clients';
import { CreateAuthorizationFlow1765200000000 } from './1765200000000-create-authorization-flow';
import { CreateTokenRevocations1765310000000 } from './1765310000000-create-token-revocations';
import { AddClientPostLogoutRedirectUris1765320000000 } from './1765320000000-add-client-post-logout-redirect-uris';
import { ChainSecurityEventsInOneUpdate1765330000000 } from './1765330000000-chain-security-events-in-one-update';
import { GuardSecurityLogHead1765340000000 } from './1765340000000-guard-security-log-head';
import { AddAuthorizationRequestHintedSubject1765350000000 } from './1765350000000-add-authorization-request-hinted-subject';
import { AddResourceIndicators1765360000000 } from './1765360000000-add-resource-indicators';

/** The auth context's migrations, oldest first. Never edit one that has landed; add another. */
export const authMigrations = [
  CreateSigningKeys1764100000000,
  CreateCredentials1764150000000,
  CreateSessions1764300000000,
  CreateSubjectRevocations1764400000000,
  CreateSecurityEvents1764500000000,
  AddCredentialStatus1764600000000,
  NormalizeCredentialEmails1764610000000,
  CreateApiTokens1764900000000,
  ChainSecurityEvents1765000000000,
  CreateRateLimits1765010000000,
  RecordKeyEncryptionKey1765020000000,
  CreateOAuthClients1765100000000,
  CreateAuthorizationFlow1765200000000,
  CreateTokenRevocations1765310000000,
  AddClientPostLogoutRedirectUris1765320000000,
  ChainSecurityEventsInOneUpdate1765330000000,
  GuardSecurityLogHead1765340000000,
  AddAuthorizationRequestHintedSubject1765350000000,
  AddResourceIndicators1765360000000,
];
