import { jetstreamManager } from '@nats-io/jetstream';
import { Inject, Injectable } from '@nestjs/common';
import { CONTEXT_BUS_USAGE, CONTEXTS, ContextName, EVENT_STREAMS } from '@platform/contracts';
import { TRANSPORT_OPTIONS, TransportOptions } from '../transport-options';
import { bucketStreamOf } from './bus-permissions';
import { requireEventStream } from './event-stream.setup';
import { NatsConnectionAccess } from './nats-connection.access';
import { provisionedStream } from './provisioned-stream';

/**
 * At start-up on a hardened bus: the stream and the buckets of this process's context exist
 * as this release declares them. Its identity cannot create them, so without this a missing
 * one would only show later, as events that wait in the outbox and counters that are not
 * shared; the process refuses to start instead, naming `npm run nats:provision`.
 */
@Injectable()
export class ProvisionedBusCheck {
  constructor(
    private readonly nats: NatsConnectionAccess,
    @Inject(TRANSPORT_OPTIONS) private readonly options: TransportOptions,
  ) {}

  /** Rejects with a `BusNotProvisionedError` for the first stream or bucket missing. */
  async verify(): Promise<void> {
    const context = this.options.natsIdentity?.name as ContextName | undefined;
    if (!this.nats.provisionedAhead || !context || !CONTEXTS.includes(context)) return;
    const connection = await this.nats.connection();
    if (!connection) return;
    const jsm = await jetstreamManager(connection, { checkAPI: false });
    const stream = EVENT_STREAMS[context];
    if (stream) await requireEventStream(jsm, stream);
    for (const bucket of CONTEXT_BUS_USAGE[context].buckets) {
      await provisionedStream(jsm, bucketStreamOf(bucket));
    }
  }
}
