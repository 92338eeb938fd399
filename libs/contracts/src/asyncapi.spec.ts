import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthEvent, AuthPattern } from './auth/auth.patterns';
import type { ClientMetadataDto } from './auth/client-metadata.dto';
import type { ClientInformationView } from './auth/client-metadata.view';
import { eventStreamOf } from './event-streams';
import { ErrorCode } from './errors/error-code';
import { OrdersEvent, OrdersPattern } from './orders/orders.patterns';
import { UsersEvent, UsersPattern } from './users/users.patterns';

/** Every field of the client registry's shapes: a field added to the class fails to compile here. */
const CLIENT_METADATA_FIELDS: Record<keyof ClientMetadataDto, true> = {
  client_name: true,
  grant_types: true,
  redirect_uris: true,
  post_logout_redirect_uris: true,
  scope: true,
  token_endpoint_auth_method: true,
  jwks: true,
  audiences: true,
  access_token_ttl_seconds: true,
  refresh_token_ttl_seconds: true,
};
const CLIENT_INFORMATION_FIELDS: Record<keyof ClientInformationView, true> = {
  ...CLIENT_METADATA_FIELDS,
  client_id: true,
  client_id_issued_at: true,
  client_secret: true,
  client_secret_expires_at: true,
  client_type: true,
};

/** The AsyncAPI document is what outside consumers read: it must list every subject we serve. */
describe('asyncapi.json', () => {
  const document = JSON.parse(readFileSync(join(__dirname, '../asyncapi.json'), 'utf8'));
  const addresses = Object.values(document.channels).map(
    (channel) => (channel as { address: string | null }).address,
  );
  const declared: string[] = [
    ...Object.values(AuthPattern),
    ...Object.values(AuthEvent),
    ...Object.values(UsersPattern),
    ...Object.values(UsersEvent),
    ...Object.values(OrdersPattern),
    ...Object.values(OrdersEvent),
    // Every service's `serviceTokenSubject`, as one channel with a parameter.
    'auth.service-token.{service}',
  ];

  it.each(declared)('documents %s', (subject) => {
    expect(addresses).toContain(subject);
  });

  it('documents no subject the contracts do not declare', () => {
    expect(addresses.filter((address) => address !== null && !declared.includes(address))).toEqual(
      [],
    );
  });

  it('names the JetStream stream of every event, and of nothing else', () => {
    const named = Object.values(document.channels).map((channel) => {
      const { address, 'x-jetstream-stream': stream } = channel as {
        address: string | null;
        'x-jetstream-stream'?: string;
      };
      return { address, stream };
    });
    expect(named).toEqual(
      named.map(({ address }) => ({
        address,
        stream: address === null ? undefined : eventStreamOf(address)?.name,
      })),
    );
  });

  it('lists every field of client metadata and of the client information answer', () => {
    const { ClientMetadata, ClientInformation } = document.components.schemas;
    expect(Object.keys(ClientMetadata.properties).sort()).toEqual(
      Object.keys(CLIENT_METADATA_FIELDS).sort(),
    );
    expect(Object.keys(ClientInformation.properties).sort()).toEqual(
      Object.keys(CLIENT_INFORMATION_FIELDS).sort(),
    );
  });

  it('lists every error code an error reply may carry', () => {
    expect(document.components.schemas.ErrorReply.properties.code.enum).toEqual(
      Object.values(ErrorCode),
    );
  });
});
