import { Injectable } from '@nestjs/common';
import { BuiltInClients } from './built-in-clients';
import { ClientStore } from './client.store';
import { AuthenticatableClient, OAuthClient } from './oauth-client';

/**
 * Every OAuth client the authorization server knows: the built-in ones (first party, platform
 * services) and the registered ones, which `ClientStore` caches: a deleted client or a rotated
 * secret takes effect on every auth replica as soon as it hears `auth.client.changed`.
 */
@Injectable()
export class ClientRegistry {
  constructor(
    private readonly builtIn: BuiltInClients,
    private readonly store: ClientStore,
  ) {}

  /** The client with this `client_id`, or undefined. */
  async find(clientId: string): Promise<OAuthClient | undefined> {
    return (await this.findAuthenticatable(clientId))?.client;
  }

  /** The client and its stored secret, for client authentication (RFC 6749 2.3) only. */
  async findAuthenticatable(clientId: string): Promise<AuthenticatableClient | undefined> {
    return this.builtIn.find(clientId) ?? (await this.store.find(clientId));
  }
}
