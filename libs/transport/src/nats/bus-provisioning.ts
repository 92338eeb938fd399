import { jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { Kvm, KvOptions } from '@nats-io/kv';
import { connect, nanos, NatsConnection } from '@nats-io/transport-node';
import { CONTEXT_BUS_USAGE, CONTEXTS, EVENT_STREAMS } from '@platform/contracts';
import { BusNotProvisionedError } from './bus-not-provisioned.error';
import { bucketStreamOf } from './bus-permissions';
import { ensureEventStream } from './event-stream.setup';
import { natsConnectionOptions } from './nats-connection.options';
import { identityRefusal, isIdentityRefusal, NatsIdentity } from './nats-identity';
import { provisionedStream } from './provisioned-stream';

/** A key-value bucket as its context keeps it: the settings it is created with. */
export interface KeyValueBucketSpec {
  name: string;
  options: Pick<KvOptions, 'history' | 'ttl'>;
}

export interface BusProvisioningOptions {
  url: string;
  /** The provisioner's identity (`PROVISIONER`), or none on the open bus. */
  identity: NatsIdentity;
  /** The settings of every bucket a context keeps (`CONTEXT_BUS_USAGE`), from that context. */
  buckets: readonly KeyValueBucketSpec[];
}

/**
 * Creates every context's event stream and key-value bucket, or brings an existing one to the
 * configuration this release declares, on the bus at `url`: what the services of a hardened bus
 * need before they start, since their identities may only look them up (see
 * `busPermissions`). Safe to run again; returns the streams it provisioned.
 */
export async function provisionBus(options: BusProvisioningOptions): Promise<string[]> {
  const declared = CONTEXTS.flatMap((context) => CONTEXT_BUS_USAGE[context].buckets);
  const unknown = declared.filter((name) => !options.buckets.some((spec) => spec.name === name));
  if (unknown.length > 0) throw new Error(`No settings given for the bucket ${unknown.join(', ')}`);
  let connection: NatsConnection;
  try {
    connection = await connect({
      ...natsConnectionOptions(options.url, 'identity-platform:provision', options.identity),
      // A one-off command: an unreachable server is an answer, not something to wait out.
      waitOnFirstConnect: false,
      maxReconnectAttempts: 0,
    });
  } catch (error) {
    throw isIdentityRefusal(error) ? identityRefusal(options.identity, options.url) : error;
  }
  try {
    const jsm = await jetstreamManager(connection);
    const provisioned: string[] = [];
    for (const stream of Object.values(EVENT_STREAMS)) {
      await ensureEventStream(jsm, stream);
      provisioned.push(stream.name);
    }
    for (const bucket of options.buckets) {
      await ensureKeyValueBucket(connection, jsm, bucket);
      provisioned.push(bucketStreamOf(bucket.name));
    }
    return provisioned;
  } finally {
    await connection.close();
  }
}

/** Creates the bucket, or brings an existing one's history and key lifetime to `spec`. */
async function ensureKeyValueBucket(
  connection: NatsConnection,
  jsm: JetStreamManager,
  spec: KeyValueBucketSpec,
): Promise<void> {
  const name = bucketStreamOf(spec.name);
  const exists = await provisionedStream(jsm, name).catch((error: unknown) => {
    if (error instanceof BusNotProvisionedError) return undefined;
    throw error;
  });
  if (!exists) {
    await new Kvm(connection).create(spec.name, spec.options);
    return;
  }
  const wanted = {
    max_msgs_per_subject: spec.options.history ?? 1,
    max_age: nanos(spec.options.ttl ?? 0),
  };
  if (
    exists.max_msgs_per_subject !== wanted.max_msgs_per_subject ||
    exists.max_age !== wanted.max_age
  ) {
    await jsm.streams.update(name, { ...exists, ...wanted });
  }
}
