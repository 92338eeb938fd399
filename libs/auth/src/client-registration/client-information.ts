import { ClientInformationView } from '@platform/contracts';
import { OAuthClient } from '../clients/oauth-client';
import { clientMetadataOf } from './client-metadata';

/** RFC 7591 3.2.1: a client as the admin API shows it, with its secret only when just made. */
export function clientInformationOf(client: OAuthClient, secret?: string): ClientInformationView {
  return {
    client_id: client.clientId,
    client_id_issued_at: client.createdAt,
    ...(secret !== undefined ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    ...clientMetadataOf(client),
    client_type: client.clientType,
  };
}
