import {
  CONTEXT_BUS_USAGE,
  CONTEXTS,
  ContextName,
  durableConsumerName,
  EVENT_STREAMS,
  eventStreamOf,
  REQUEST_SUBJECTS,
  serviceTokenSubject,
  VERIFIER_BUS_USAGE,
} from '@platform/contracts';
import { inboxPrefixOf } from './nats-identity';

/** The NATS identity an outside consumer of the event streams connects as. */
export const EVENTS_READER = 'events-reader';

/**
 * The NATS identity of the operator's `npm run nats:provision`, which creates and updates the
 * event streams and key-value buckets before the services start: no service may, or it could
 * widen its stream to other contexts' requests and replies and read them from there.
 */
export const PROVISIONER = 'provisioner';

/** The identities of a hardened bus: one per context, the events reader and the provisioner. */
export const BUS_IDENTITIES = [...CONTEXTS, EVENTS_READER, PROVISIONER] as const;

export type BusIdentity = (typeof BUS_IDENTITIES)[number];

/** An identity's permissions as nats-server configures them (subjects, `subject queue`). */
export interface BusPermissions {
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[]; deny: string[] };
  /** May reply to the requests it receives (and only to those: nats-server `allow_responses`). */
  allowResponses: boolean;
}

const API = '$JS.API';

/**
 * What an identity may publish and subscribe on a hardened bus, derived from the contracts
 * (`REQUEST_SUBJECTS`, `EVENT_STREAMS`, `CONTEXT_BUS_USAGE`) so that the permissions and the
 * code cannot drift apart. A context may: answer its own request subjects in its own queue
 * group, and reply to them; send the requests it makes; publish its own events, into its own
 * stream, and look that stream up; consume the events it uses through its own durable
 * consumers (`durableConsumerName`) or ephemeral ordered ones delivered to its own inboxes,
 * each created filtered on the one event it is for; read and write the keys of its own
 * key-value buckets; and hear the replies to its requests in its own inboxes
 * (`_INBOX_<identity>`). Nothing else: it cannot answer as another context, emit another
 * context's events, read another context's requests or replies, create or reconfigure a
 * stream or bucket (the provisioner does), or take another context's durable consumer (pull
 * from it, acknowledge for it, delete or redefine it). Nor delete any ordered consumer: their
 * names are nats.js's own, `oc_<nuid>_<n>`, which no permission can tell apart by owner, and a
 * verifier whose consumer is deleted hears no revocation until its heartbeat check notices.
 * nats.js deletes an ordered consumer only when it resets one, and ignores a refusal; the
 * server removes the one left behind once it has had no subscriber for `inactive_threshold`.
 */
export function busPermissions(identity: BusIdentity): BusPermissions {
  if (identity === EVENTS_READER) return eventsReaderPermissions();
  if (identity === PROVISIONER) return provisionerPermissions();
  return contextPermissions(identity);
}

function contextPermissions(context: ContextName): BusPermissions {
  const usage = CONTEXT_BUS_USAGE[context];
  const own = REQUEST_SUBJECTS[context];
  // Its own subjects too where its verifier asks them (auth's verifier asks auth for keys).
  const sends = unique([...VERIFIER_BUS_USAGE.sends, ...usage.sends]);
  const consumes = unique([...VERIFIER_BUS_USAGE.consumes, ...usage.consumes]);
  const stream = EVENT_STREAMS[context];
  // Its own service token (see `serviceTokenSubject`): the bus is what proves who asks.
  const publish = [`${API}.INFO`, serviceTokenSubject(context), ...sends];
  // Its stream's configuration is the provisioner's: whoever may set a stream's subjects may
  // capture any subject no other stream holds (another context's requests, another identity's
  // inboxes) and read it back through that stream.
  if (stream) publish.push(...stream.subjects, `${API}.STREAM.INFO.${stream.name}`);
  for (const subject of consumes) {
    const { name } = eventStreamOf(subject)!;
    const durable = durableConsumerName(context, subject);
    publish.push(
      // Its durable consumer of the subject, and the ordered consumers nats.js names itself,
      // only in the create form whose subject names the filter: the server refuses a request
      // whose filter differs from it (nats-server 2.9+). The legacy `CONSUMER.DURABLE.CREATE`
      // takes any filter or none, so a durable of its own would read the whole stream.
      `${API}.CONSUMER.CREATE.${name}.*.${subject}`,
      `${API}.CONSUMER.INFO.${name}.*`,
      `${API}.CONSUMER.DELETE.${name}.${durable}`,
      `${API}.CONSUMER.MSG.NEXT.${name}.${durable}`,
      `${API}.STREAM.INFO.${name}`,
      `$JS.ACK.${name}.${durable}.>`,
      // Flow-control replies of ordered push consumers.
      `$JS.FC.${name}.>`,
    );
  }
  for (const bucket of usage.buckets) publish.push(...bucketSubjects(bucket));
  return {
    publish: {
      allow: unique(publish),
      deny: othersDurables(context, [...consumes.map((subject) => eventStreamOf(subject)!.name)]),
    },
    subscribe: {
      allow: [
        ...own.map((subject) => `${subject} ${context}`),
        `${inboxPrefixOf({ name: context })}.>`,
      ],
      deny: [],
    },
    allowResponses: own.length > 0,
  };
}

/**
 * The outside consumer: reads the event streams (their names, configuration, messages by
 * sequence) and consumes them through consumers it creates itself, delivered to its own
 * inboxes; it publishes no event, sends no request, and cannot touch a context's consumers.
 * It deletes no consumer either (see `busPermissions`): a durable of its own it no longer
 * needs is the operator's to remove.
 */
function eventsReaderPermissions(): BusPermissions {
  const publish = [`${API}.INFO`, `${API}.STREAM.NAMES`, `${API}.STREAM.LIST`];
  const streams = Object.values(EVENT_STREAMS).map((stream) => stream.name);
  for (const name of streams) {
    publish.push(
      `${API}.STREAM.INFO.${name}`,
      `${API}.STREAM.MSG.GET.${name}`,
      `${API}.CONSUMER.CREATE.${name}`,
      `${API}.CONSUMER.CREATE.${name}.>`,
      `${API}.CONSUMER.DURABLE.CREATE.${name}.*`,
      `${API}.CONSUMER.INFO.${name}.*`,
      `${API}.CONSUMER.MSG.NEXT.${name}.*`,
      `$JS.ACK.${name}.>`,
      `$JS.FC.${name}.>`,
    );
  }
  return {
    publish: { allow: publish, deny: othersDurables(EVENTS_READER, streams) },
    subscribe: { allow: [`${inboxPrefixOf({ name: EVENTS_READER })}.>`], deny: [] },
    allowResponses: false,
  };
}

/**
 * A bucket's keys: put them (`$KV.<bucket>.<key>`), look its stream `KV_<bucket>` up and get
 * keys from it directly. The stream itself, created by the provisioner, holds those keys
 * alone, so reading it reads nothing but them.
 */
function bucketSubjects(bucket: string): string[] {
  const stream = bucketStreamOf(bucket);
  return [
    `$KV.${bucket}.>`,
    `${API}.STREAM.INFO.${stream}`,
    `${API}.DIRECT.GET.${stream}`,
    `${API}.DIRECT.GET.${stream}.>`,
  ];
}

/** The JetStream stream under a key-value bucket. */
export function bucketStreamOf(bucket: string): string {
  return `KV_${bucket}`;
}

/**
 * The provisioner: looks up, creates and updates the event streams and the contexts' buckets,
 * and nothing else. It sends no request, publishes no event and reads no stream.
 */
function provisionerPermissions(): BusPermissions {
  const streams = [
    ...Object.values(EVENT_STREAMS).map((stream) => stream.name),
    ...CONTEXTS.flatMap((context) => CONTEXT_BUS_USAGE[context].buckets.map(bucketStreamOf)),
  ];
  const publish = [`${API}.INFO`];
  for (const name of streams) {
    for (const verb of ['INFO', 'CREATE', 'UPDATE']) publish.push(`${API}.STREAM.${verb}.${name}`);
  }
  return {
    publish: { allow: publish, deny: [] },
    subscribe: { allow: [`${inboxPrefixOf({ name: PROVISIONER })}.>`], deny: [] },
    allowResponses: false,
  };
}

/**
 * Every other context's durable consumers on `streams`, in every form that could take one
 * over: a deny wins over the wildcards that ordered consumers need.
 */
function othersDurables(identity: BusIdentity, streams: string[]): string[] {
  const denied: string[] = [];
  for (const other of CONTEXTS) {
    if (other === identity) continue;
    const consumes = unique([...VERIFIER_BUS_USAGE.consumes, ...CONTEXT_BUS_USAGE[other].consumes]);
    for (const subject of consumes) {
      const { name } = eventStreamOf(subject)!;
      if (!streams.includes(name)) continue;
      const durable = durableConsumerName(other, subject);
      denied.push(
        `${API}.CONSUMER.CREATE.${name}.${durable}`,
        `${API}.CONSUMER.CREATE.${name}.${durable}.>`,
        `${API}.CONSUMER.DURABLE.CREATE.${name}.${durable}`,
        `${API}.CONSUMER.DELETE.${name}.${durable}`,
        `${API}.CONSUMER.MSG.NEXT.${name}.${durable}`,
        `$JS.ACK.${name}.${durable}.>`,
      );
    }
  }
  return unique(denied);
}

function unique(subjects: readonly string[]): string[] {
  return [...new Set(subjects)];
}
