import {
  CONTEXT_BUS_USAGE,
  CONTEXTS,
  durableConsumerName,
  EVENT_STREAMS,
  eventStreamOf,
  REQUEST_SUBJECTS,
  VERIFIER_BUS_USAGE,
} from '@platform/contracts';
import {
  BUS_IDENTITIES,
  BusPermissions,
  busPermissions,
  EVENTS_READER,
  PROVISIONER,
} from './bus-permissions';

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

/** Whether `context` consumes `subject`: in its own code, or in its verifier. */
function mayCreateFiltered(context: (typeof CONTEXTS)[number], subject: string): boolean {
  return [...VERIFIER_BUS_USAGE.consumes, ...CONTEXT_BUS_USAGE[context].consumes].includes(
    subject as never,
  );
}

const EVENT_SUBJECTS = Object.values(EVENT_STREAMS).flatMap((stream) => stream!.subjects);
/** Every stream of the platform: the event streams and the streams under the buckets. */
const STREAMS = [
  ...Object.values(EVENT_STREAMS).map((stream) => stream!.name),
  ...CONTEXTS.flatMap((context) => CONTEXT_BUS_USAGE[context].buckets.map((b) => `KV_${b}`)),
];

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

  it('lets no identity delete an ordered consumer, whose name says nothing of its owner', () => {
    for (const identity of BUS_IDENTITIES) {
      const permissions = busPermissions(identity);
      for (const stream of STREAMS) {
        const api = `$JS.API.CONSUMER.DELETE.${stream}.oc_ABCDEFGHIJKLMNOPQRSTUV_1`;
        expect({ identity, api, allowed: mayPublish(permissions, api) }).toEqual({
          identity,
          api,
          allowed: false,
        });
      }
    }
  });

  it.each(CONTEXTS.map((name) => [name]))(
    'lets %s look its streams up but create, reconfigure or delete none',
    (context) => {
      const permissions = busPermissions(context);
      for (const stream of STREAMS) {
        for (const verb of ['CREATE', 'UPDATE', 'DELETE', 'PURGE', 'MSG.DELETE']) {
          const api = `$JS.API.STREAM.${verb}.${stream}`;
          expect({ api, allowed: mayPublish(permissions, api) }).toEqual({ api, allowed: false });
        }
      }
      const own = [
        ...(EVENT_STREAMS[context] ? [EVENT_STREAMS[context]!.name] : []),
        ...CONTEXT_BUS_USAGE[context].buckets.map((bucket) => `KV_${bucket}`),
      ];
      for (const stream of own) {
        expect(mayPublish(permissions, `$JS.API.STREAM.INFO.${stream}`)).toBe(true);
      }
    },
  );

  it.each(CONTEXTS.map((name) => [name]))(
    'lets %s create consumers only filtered on an event it uses, and none on a bucket',
    (context) => {
      const permissions = busPermissions(context);
      for (const stream of STREAMS) {
        for (const api of [
          `$JS.API.CONSUMER.CREATE.${stream}`,
          `$JS.API.CONSUMER.CREATE.${stream}.any`,
          `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.any`,
          `$JS.API.CONSUMER.CREATE.${stream}.any.>`,
        ]) {
          expect({ api, allowed: mayPublish(permissions, api) }).toEqual({ api, allowed: false });
        }
        for (const owner of CONTEXTS) {
          for (const subject of CONTEXT_BUS_USAGE[owner].consumes) {
            const durable = durableConsumerName(owner, subject);
            const api = `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`;
            expect({ api, allowed: mayPublish(permissions, api) }).toEqual({ api, allowed: false });
          }
        }
      }
      for (const subject of EVENT_SUBJECTS) {
        const stream = eventStreamOf(subject)!.name;
        const api = `$JS.API.CONSUMER.CREATE.${stream}.any.${subject}`;
        expect({ api, allowed: mayPublish(permissions, api) }).toEqual({
          api,
          allowed: mayCreateFiltered(context, subject),
        });
      }
    },
  );

  it('lets the gateway read and write its bucket’s keys only', () => {
    const permissions = busPermissions('gateway');
    const stream = 'KV_gateway_rate_limits';
    for (const api of [
      '$KV.gateway_rate_limits.some-key',
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.DIRECT.GET.${stream}`,
      `$JS.API.DIRECT.GET.${stream}.$KV.gateway_rate_limits.some-key`,
    ]) {
      expect({ api, allowed: mayPublish(permissions, api) }).toEqual({ api, allowed: true });
    }
    for (const api of [
      `$JS.API.STREAM.MSG.GET.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}.any.$KV.gateway_rate_limits.>`,
      '$KV.other_bucket.key',
    ]) {
      expect({ api, allowed: mayPublish(permissions, api) }).toEqual({ api, allowed: false });
    }
  });

  it('lets the provisioner create and update the streams and nothing else', () => {
    const permissions = busPermissions(PROVISIONER);
    for (const stream of STREAMS) {
      for (const verb of ['INFO', 'CREATE', 'UPDATE']) {
        expect(mayPublish(permissions, `$JS.API.STREAM.${verb}.${stream}`)).toBe(true);
      }
      expect(mayPublish(permissions, `$JS.API.STREAM.DELETE.${stream}`)).toBe(false);
      expect(mayPublish(permissions, `$JS.API.STREAM.MSG.GET.${stream}`)).toBe(false);
      expect(mayPublish(permissions, `$JS.API.CONSUMER.CREATE.${stream}.any`)).toBe(false);
    }
    for (const subject of [...EVENT_SUBJECTS, ...Object.values(REQUEST_SUBJECTS).flat()]) {
      expect(mayPublish(permissions, subject)).toBe(false);
      expect(maySubscribe(permissions, subject)).toBe(false);
    }
    expect(permissions.allowResponses).toBe(false);
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
