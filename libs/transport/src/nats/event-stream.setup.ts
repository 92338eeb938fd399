import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  JetStreamManager,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { EventStream } from '@platform/contracts';
import { BusNotProvisionedError } from './bus-not-provisioned.error';
import { provisionedStream } from './provisioned-stream';

/**
 * How long a stream keeps an event: long enough for a context that was down for days to act on
 * what it missed when it returns (its durable consumer has not acknowledged it), far beyond the
 * longest token lifetime that `recent` replays need.
 */
const RETENTION_DAYS = 7;
/**
 * A re-sent outbox row (its relay crashed between the stream's acknowledgement and marking the
 * row) carries the same `Nats-Msg-Id` and is dropped within this window.
 */
const DUPLICATE_WINDOW_MS = 2 * 60_000;

/** The configuration of a context's event stream, file-backed, keeping `RETENTION_DAYS`. */
export function eventStreamConfig(stream: EventStream): Partial<StreamConfig> & { name: string } {
  return {
    name: stream.name,
    subjects: [...stream.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(RETENTION_DAYS * 24 * 3600 * 1000),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: 1,
  };
}

/**
 * Creates the producing context's stream, or brings an existing one's subjects and limits to
 * what the contracts declare (a release that adds an event adds its subject): the provisioner
 * on a hardened bus, the context itself on the open one.
 */
export async function ensureEventStream(jsm: JetStreamManager, stream: EventStream): Promise<void> {
  const config = eventStreamConfig(stream);
  let current: StreamConfig;
  try {
    current = (await jsm.streams.info(stream.name)).config;
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) {
      throw error;
    }
    await jsm.streams.add(config);
    return;
  }
  const same =
    sameMembers(current.subjects ?? [], config.subjects!) &&
    current.max_age === config.max_age &&
    current.duplicate_window === config.duplicate_window;
  if (!same) await jsm.streams.update(stream.name, config);
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/**
 * On a hardened bus, where a context may only look its stream up: the stream must exist and
 * take every event subject the contracts declare, or publishing one would find no stream.
 */
export async function requireEventStream(
  jsm: JetStreamManager,
  stream: EventStream,
): Promise<void> {
  const current = await provisionedStream(jsm, stream.name);
  const missing = stream.subjects.filter((subject) => !current.subjects?.includes(subject));
  if (missing.length > 0) {
    throw new BusNotProvisionedError(
      `The JetStream stream ${stream.name} does not take ${missing.join(', ')}`,
    );
  }
}
