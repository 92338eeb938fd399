import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import {
  CONTEXTS,
  ContextName,
  FIRST_PARTY_CLIENT_ID,
  SCOPES,
  TOKEN_EXCHANGE_GRANT,
} from '@platform/contracts';
import { ClientSecretHasher } from './client-secret.hasher';
import { AuthenticatableClient, OAuthClient } from './oauth-client';

/** Services act for themselves or for a user, never as administrators. */
const SERVICE_SCOPES = SCOPES.filter((scope) => scope !== 'admin');

/**
 * The clients that exist without registration, from configuration:
 * - the first-party client (`FIRST_PARTY_CLIENT_ID`), the platform's own sign-in, whose
 *   audiences and scopes are `FIRST_PARTY_AUDIENCES` and `FIRST_PARTY_SCOPES`;
 * - one client per platform service (`client_id` the context's name), authenticating with its
 *   secret from `SERVICE_CLIENT_SECRETS`, for its own tokens (`client_credentials`, with the
 *   `service` role) and for token exchange on a user's behalf.
 */
@Injectable()
export class BuiltInClients {
  /** The first-party client: whose tokens `/v1/auth/login` and `/v1/auth/refresh` hand out. */
  readonly firstParty: OAuthClient;
  private readonly clients: Map<string, AuthenticatableClient>;

  constructor(config: ConfigService<PlatformEnv, true>, secrets: ClientSecretHasher) {
    const createdAt = 0;
    this.firstParty = Object.freeze<OAuthClient>({
      clientId: FIRST_PARTY_CLIENT_ID,
      clientType: 'public',
      clientName: 'Identity platform',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [],
      postLogoutRedirectUris: [],
      scopes: config.get('FIRST_PARTY_SCOPES', { infer: true }),
      audiences: config.get('FIRST_PARTY_AUDIENCES', { infer: true }),
      tokenEndpointAuthMethod: 'none',
      firstParty: true,
      builtIn: true,
      roles: [],
      createdAt,
    });
    const serviceSecrets = config.get('SERVICE_CLIENT_SECRETS', { infer: true });
    this.clients = new Map<string, AuthenticatableClient>([
      [FIRST_PARTY_CLIENT_ID, { client: this.firstParty }],
      ...CONTEXTS.map((name): [string, AuthenticatableClient] => [
        name,
        { client: serviceClient(name, createdAt), secret: secrets.hash(serviceSecrets[name]) },
      ]),
    ]);
  }

  /** Whether `clientId` is taken by a built-in client (a registration may not use it). */
  has(clientId: string): boolean {
    return this.clients.has(clientId);
  }

  find(clientId: string): AuthenticatableClient | undefined {
    return this.clients.get(clientId);
  }

  all(): OAuthClient[] {
    return [...this.clients.values()].map(({ client }) => client);
  }
}

function serviceClient(name: ContextName, createdAt: number): OAuthClient {
  return Object.freeze<OAuthClient>({
    clientId: name,
    clientType: 'confidential',
    clientName: `Platform service ${name}`,
    grantTypes: ['client_credentials', TOKEN_EXCHANGE_GRANT],
    redirectUris: [],
    postLogoutRedirectUris: [],
    scopes: SERVICE_SCOPES,
    audiences: CONTEXTS,
    tokenEndpointAuthMethod: 'client_secret_basic',
    firstParty: true,
    builtIn: true,
    roles: ['service'],
    createdAt,
  });
}
