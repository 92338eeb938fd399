import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthEvent, AuthPattern } from './auth/auth.patterns';
import { eventStreamOf } from './event-streams';
import { ErrorCode } from './errors/error-code';
import { OrdersEvent, OrdersPattern } from './orders/orders.patterns';
import { UsersEvent, UsersPattern } from './users/users.patterns';

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

  it('lists every error code an error reply may carry', () => {
    expect(document.components.schemas.ErrorReply.properties.code.enum).toEqual(
      Object.values(ErrorCode),
    );
  });
});
