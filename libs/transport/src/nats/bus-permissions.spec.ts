import {
  CONTEXT_BUS_USAGE,
  CONTEXTS,
  durableConsumerName,
  EVENT_STREAMS,
  eventStreamOf,
  REQUEST_SUBJECTS,
} from '@platform/contracts';
import { BUS_IDENTITIES, BusPermissions, busPermissions, EVENTS_READER } from './bus-permissions';

/** NATS subject matching: `*` one token, `>` one or more at the end. */
function matches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (let index = 0; index < want.length; index++) {
    if (want[index] === '>') return have.length > index;
    if (index >= have.length || (want[index] !== '*' && want[index] !== have[index])) return false;
  }
  return want.length === have.length;
}

function mayPublish(permissions: BusPermissions, subject: string): boolean {
  const { allow, deny } = permissions.publish;
  return allow.some((p) => matches(p, subject)) && !deny.some((p) => matches(p, subject));
}

function maySubscribe(permissions: BusPermissions, subject: string, queue?: string): boolean {
  return permissions.subscribe.allow.some((entry) => {
    const [pattern, group] = entry.split(' ');
    return matches(pattern, subject) && (group === undefined || group === queue);
  });
}

const EVENT_SUBJECTS = Object.values(EVENT_STREAMS).flatMap((stream) => stream!.subjects);

/** The same rules the hardened-bus end-to-end suite checks against nats-server, here in full. */
describe('busPermissions', () => {
  it('matches subjects as NATS does', () => {
    expect(matches('a.*.c', 'a.b.c')).toBe(true);
    expect(matches('a.>', 'a.b.c')).toBe(true);
    expect(matches('a.>', 'a')).toBe(false);
    expect(matches('a.*', 'a.b.c')).toBe(false);
  });

  it.each(CONTEXTS.map((name) => [name]))(
    'lets %s answer its own requests in its own queue group, and no other context’s',
    (context) => {
      const permissions = busPermissions(context);
      for (const owner of CONTEXTS) {
        for (const subject of REQUEST_SUBJECTS[owner]) {
          expect({ subject, own: maySubscribe(permissions, subject, owner) }).toEqual({
            subject,
            own: owner === context,
          });
          expect(maySubscribe(permissions, subject)).toBe(false);
        }
      }
    },
  );

  it.each(CONTEXTS.map((name) => [name]))(
    'lets %s publish its own events only, and read no event but through JetStream',
    (context) => {
      const permissions = busPermissions(context);
      const own = EVENT_STREAMS[context]?.subjects ?? [];
      for (const subject of EVENT_SUBJECTS) {
        expect({ subject, publish: mayPublish(permissions, subject) }).toEqual({
          subject,
          publish: own.includes(subject),
        });
        expect(maySubscribe(permissions, subject)).toBe(false);
      }
    },
  );

  it('keeps each context’s durable consumers its own', () => {
    for (const owner of CONTEXTS) {
      for (const subject of CONTEXT_BUS_USAGE[owner].consumes) {
        const stream = eventStreamOf(subject)!.name;
        const durable = durableConsumerName(owner, subject);
        for (const identity of BUS_IDENTITIES) {
          const permissions = busPermissions(identity);
          const mine = identity === owner;
          for (const api of [
            `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
            `$JS.API.CONSUMER.CREATE.${stream}.${durable}.${subject}`,
            `$JS.API.CONSUMER.DELETE.${stream}.${durable}`,
            `$JS.ACK.${stream}.${durable}.1.2.3.4.5`,
          ]) {
            if (api.includes('DELETE') && mine) continue;
            expect({ identity, api, allowed: mayPublish(permissions, api) }).toEqual({
              identity,
              api,
              allowed: mine,
            });
          }
        }
      }
    }
  });

  it('lets the events reader read the streams and nothing else', () => {
    const permissions = busPermissions(EVENTS_READER);
    for (const subject of [...EVENT_SUBJECTS, ...Object.values(REQUEST_SUBJECTS).flat()]) {
      expect(mayPublish(permissions, subject)).toBe(false);
      expect(maySubscribe(permissions, subject)).toBe(false);
    }
    for (const stream of Object.values(EVENT_STREAMS)) {
      expect(mayPublish(permissions, `$JS.API.STREAM.INFO.${stream!.name}`)).toBe(true);
      expect(mayPublish(permissions, `$JS.API.STREAM.DELETE.${stream!.name}`)).toBe(false);
      expect(
        mayPublish(
          permissions,
          `$JS.API.CONSUMER.CREATE.${stream!.name}.reader.${stream!.subjects[0]}`,
        ),
      ).toBe(true);
    }
    expect(permissions.allowResponses).toBe(false);
  });

  it('gives every identity its own inboxes and no other’s', () => {
    for (const identity of BUS_IDENTITIES) {
      for (const other of BUS_IDENTITIES) {
        expect(maySubscribe(busPermissions(identity), `_INBOX_${other}.abc.def`)).toBe(
          identity === other,
        );
      }
      expect(maySubscribe(busPermissions(identity), '_INBOX.abc')).toBe(false);
    }
  });
});
