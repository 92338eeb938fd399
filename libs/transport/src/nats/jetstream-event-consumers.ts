import { setTimeout as sleep } from 'node:timers/promises';
import {
  AckPolicy,
  ConsumerConfig,
  ConsumerMessages,
  DeliverPolicy,
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  JetStreamManager,
  JsMsg,
  OrderedPushConsumerOptions,
} from '@nats-io/jetstream';
import { createInbox, NatsConnection, nanos } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { ContextName, durableConsumerName } from '@platform/contracts';
import { EventReplay } from '../event-replay';
import { describeFailure, isRefusal, redeliveryDelayMs } from '../event-redelivery';
import { EventReplayProgress } from '../event-replay.progress';

/** An event handler whose subject is in an event stream. */
export interface StreamEventHandler {
  /** Its handler key (see `handlerKey`). */
  key: string;
  subject: string;
  stream: string;
  /** The consuming context, whose replicas share one durable consumer; none: every process. */
  queue?: ContextName;
  replay: EventReplay;
}

/** Runs the handler of `key` for a message; rejects with what the handler failed with. */
export type StreamEventDispatch = (key: string, message: JsMsg) => Promise<void>;

export interface JetStreamEventConsumersOptions {
  /** Where `recent` handlers start (see `EventReplay`). */
  recentEventsSeconds: number;
  /** This connection's inbox prefix, under which every-process consumers are delivered. */
  inboxPrefix?: string;
  progress: EventReplayProgress;
}

/** An event neither acknowledged nor refused within this is delivered again. */
const ACK_WAIT_MS = 60_000;
/** After a failure to set a consumer up (the stream not created yet, NATS away). */
const SETUP_RETRY_MS = 1000;

/**
 * Consumes event streams for a process's event handlers, in the two ways JetStream offers:
 *
 * - A handler with a queue group (`{ queue: 'auth' }`) is an action its context must take once:
 *   its context's replicas share one durable pull consumer (`durableConsumerName`), which starts
 *   at the beginning of the stream when first created. An event is acknowledged only after its
 *   handler has returned (after the change it made committed), so a context that was down acts
 *   on what it missed when it returns; a handler that fails gets the event again later, and one
 *   that refuses it as malformed (a 4xx) ends its deliveries.
 * - A handler without one must run in every process: each gets an ordered push consumer,
 *   delivered to its own inbox, starting where its `EventReplay` says. nats.js recreates it from
 *   the last sequence seen when a delivery goes missing; after a reconnect it is recreated at
 *   once from there, so nothing published while the process was away is skipped.
 *
 * Setting a consumer up is retried until it succeeds: on the open bus the stream appears when
 * its producing context first starts, which may be after this process. Either consumer is
 * created with the create request whose subject names its one filter (nats.js's form for a
 * single `filter_subject` on nats-server 2.9+), the only one a hardened bus allows.
 */
export class JetStreamEventConsumers {
  private readonly logger = new Logger(JetStreamEventConsumers.name);
  private readonly running: Promise<void>[] = [];
  /** The message iterators open now, closed to stop or to restart every-process consumers. */
  private readonly open = new Map<ConsumerMessages, StreamEventHandler>();
  private stopped = false;

  constructor(
    private readonly connection: NatsConnection,
    private readonly dispatch: StreamEventDispatch,
    private readonly options: JetStreamEventConsumersOptions,
  ) {}

  start(handlers: StreamEventHandler[]): void {
    for (const handler of handlers) {
      if (handler.queue) {
        this.running.push(this.keepRunning(handler, () => this.consumeShared(handler)));
      } else {
        this.running.push(this.consumeInEveryProcess(handler));
      }
    }
    if (handlers.some((handler) => !handler.queue)) void this.restartAfterReconnects();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.open.keys()].map((messages) => messages.close()));
    await Promise.all(this.running);
  }

  private async consumeShared(handler: StreamEventHandler): Promise<void> {
    const name = durableConsumerName(handler.queue!, handler.subject);
    const jsm = await jetstreamManager(this.connection, { checkAPI: false });
    await ensureDurableConsumer(jsm, handler.stream, name, handler.subject);
    const consumer = await jetstream(this.connection).consumers.get(handler.stream, name);
    await this.drain(handler, await consumer.consume({ max_messages: 16 }), async (message) => {
      try {
        await this.dispatch(handler.key, message);
        message.ack();
      } catch (error) {
        this.refuseOrRetry(handler, message, error);
      }
    });
  }

  private async consumeInEveryProcess(handler: StreamEventHandler): Promise<void> {
    const replays = handler.replay !== 'new';
    if (replays) this.options.progress.replaying(handler.subject);
    /** The stream sequence of the last event handled, where a recreated consumer goes on. */
    let cursor: number | undefined;
    await this.keepRunning(handler, async () => {
      const start: Partial<OrderedPushConsumerOptions> =
        cursor === undefined ? this.startOf(handler.replay) : { opt_start_seq: cursor + 1 };
      const consumer = await jetstream(this.connection).consumers.getPushConsumer(handler.stream, {
        filter_subjects: handler.subject,
        deliver_prefix: createInbox(this.options.inboxPrefix),
        ...start,
      });
      if (replays && (await consumer.info(true)).num_pending === 0) {
        this.options.progress.caughtUp(handler.subject);
      }
      await this.drain(handler, await consumer.consume(), async (message) => {
        try {
          await this.dispatch(handler.key, message);
        } catch (error) {
          // Every process applies these to memory; one that cannot has nothing to retry later.
          this.logger.error(
            `${handler.subject} #${message.seq} not applied: ${describeFailure(error)}`,
          );
        }
        cursor = message.seq;
        if (replays && message.info.pending === 0) this.options.progress.caughtUp(handler.subject);
      });
    });
  }

  private startOf(replay: EventReplay): Partial<OrderedPushConsumerOptions> {
    switch (replay) {
      case 'last':
        return { deliver_policy: DeliverPolicy.LastPerSubject };
      case 'recent':
        return {
          opt_start_time: new Date(
            Date.now() - this.options.recentEventsSeconds * 1000,
          ).toISOString(),
        };
      default:
        return { deliver_policy: DeliverPolicy.New };
    }
  }

  /** Handles a consumer's messages one at a time, in order, until it is closed. */
  private async drain(
    handler: StreamEventHandler,
    messages: ConsumerMessages,
    handle: (message: JsMsg) => Promise<void>,
  ): Promise<void> {
    this.open.set(messages, handler);
    try {
      if (this.stopped) return;
      for await (const message of messages) await handle(message);
    } finally {
      this.open.delete(messages);
    }
  }

  private refuseOrRetry(handler: StreamEventHandler, message: JsMsg, error: unknown): void {
    if (isRefusal(error)) {
      this.logger.error(
        `${handler.subject} #${message.seq} refused, dropped: ${describeFailure(error)}`,
      );
      message.term('refused by its handler');
      return;
    }
    const delay = redeliveryDelayMs(message.info.deliveryCount);
    this.logger.warn(
      `${handler.subject} #${message.seq} failed, again in ${delay} ms: ${describeFailure(error)}`,
    );
    message.nak(delay);
  }

  /** Runs `consume` again whenever it ends or fails, until stopped. */
  private async keepRunning(
    handler: StreamEventHandler,
    consume: () => Promise<void>,
  ): Promise<void> {
    let reported: string | undefined;
    while (!this.stopped) {
      try {
        await consume();
        reported = undefined;
      } catch (error) {
        // A stream not created yet holds nothing to replay: caught up until it appears.
        if (isStreamMissing(error) && handler.replay !== 'new' && !handler.queue) {
          this.options.progress.caughtUp(handler.subject);
        }
        const reason = describeFailure(error);
        if (reason !== reported && !this.stopped) {
          this.logger.warn(`Consuming ${handler.subject} from ${handler.stream}: ${reason}`);
        }
        reported = reason;
      }
      if (!this.stopped) await sleep(SETUP_RETRY_MS);
    }
  }

  /** After a reconnect, every-process consumers start again from the last event they handled. */
  private async restartAfterReconnects(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (this.stopped) return;
      if (status.type !== 'reconnect') continue;
      for (const [messages, handler] of this.open) {
        if (!handler.queue) void messages.close();
      }
    }
  }
}

/**
 * Creates the durable consumer, or brings an existing one to this configuration: a filter on
 * the one subject (NATS 2.9 has no consumers of several), explicit acknowledgements, and
 * redelivery for as long as the stream keeps the event.
 */
async function ensureDurableConsumer(
  jsm: JetStreamManager,
  stream: string,
  name: string,
  subject: string,
): Promise<void> {
  const config: Partial<ConsumerConfig> = {
    durable_name: name,
    filter_subject: subject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(ACK_WAIT_MS),
    max_deliver: -1,
    max_ack_pending: 1000,
  };
  try {
    await jsm.consumers.add(stream, config);
  } catch (error) {
    // It exists with another configuration (an older release's): update what may change.
    if (!/already exists/i.test(describeFailure(error))) throw error;
    await jsm.consumers.update(stream, name, { ack_wait: config.ack_wait, max_deliver: -1 });
  }
}

function isStreamMissing(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}
