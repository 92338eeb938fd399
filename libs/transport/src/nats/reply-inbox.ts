import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Payload,
  PermissionViolationError,
} from '@nats-io/transport-node';

/** What a request hears: its reply, or why none will come. */
export type ReplyHandler = (error: Error | undefined, reply?: Msg) => void;

interface PendingRequest {
  subject: string;
  handler: ReplyHandler;
  /** `Date.now()` past which the reply is no longer awaited. */
  deadline: number;
}

/** How often requests past their deadline are dropped; the caller's own timer usually wins. */
const SWEEP_INTERVAL_MS = 1000;

/**
 * The replies to one connection's requests, on one wildcard inbox subscription
 * (`<inbox>.<token>`), as nats.js's own request multiplexer does, without what that one costs on
 * every request: nats.js's `request` builds a `RequestError` with its stack trace for every
 * request it completes (its `cancel` makes one even after a reply, `noAsyncTraces` or not), a
 * timer, two deferred promises and a `Promise.race`, which under load were a tenth of a
 * gateway's time. Here a request is a map entry and one `PUB` with a reply subject.
 *
 * What nats.js's request does otherwise is kept: a "no responders" status (503, empty body) is
 * a reply with an empty body, which the caller turns into "nobody serves this subject"; the
 * server refusing the request's subject (a publish permission violation) fails the requests
 * for that subject at once; the connection closing fails every request still waiting. A reply
 * that comes after its request's teardown finds no entry and is dropped. Each request carries
 * a deadline, so an entry nobody tears down is still dropped (with a timeout) in at most a
 * second past it.
 */
export class ReplyInbox {
  private readonly prefix: string;
  private readonly pending = new Map<string, PendingRequest>();
  private nextToken = 0;
  private sweeper?: NodeJS.Timeout;
  /** Why no reply can arrive any more: the subscription ended. */
  private ended?: Error;

  constructor(
    private readonly connection: NatsConnection,
    inboxPrefix: string | undefined,
    private readonly timeoutMs: number,
  ) {
    this.prefix = `${createInbox(inboxPrefix)}.`;
    const subscription = connection.subscribe(`${this.prefix}*`, {
      callback: (error, message) => {
        if (error) this.end(error);
        else this.deliver(message);
      },
    });
    void subscription.closed.then(
      (error) => this.end(error ?? new Error('NATS connection closed')),
      (error: unknown) => this.end(error instanceof Error ? error : new Error(String(error))),
    );
    void this.watchRefusals();
  }

  /** Publishes a request whose reply goes to `handler`; returns its teardown. */
  request(
    subject: string,
    data: Payload,
    headers: MsgHdrs | undefined,
    handler: ReplyHandler,
  ): () => void {
    if (this.ended) {
      handler(this.ended);
      return () => undefined;
    }
    const token = (this.nextToken++).toString(36);
    this.pending.set(token, { subject, handler, deadline: Date.now() + this.timeoutMs });
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
    try {
      this.connection.publish(subject, data, { reply: this.prefix + token, headers });
    } catch (error) {
      this.pending.delete(token);
      handler(error instanceof Error ? error : new Error(String(error)));
      return () => undefined;
    }
    return () => {
      this.pending.delete(token);
    };
  }

  private deliver(message: Msg): void {
    const token = message.subject.slice(this.prefix.length);
    const request = this.pending.get(token);
    if (!request) return;
    this.pending.delete(token);
    request.handler(undefined, message);
  }

  /** Fails every waiting request with `error`, and every later one. */
  private end(error: Error): void {
    this.ended ??= error;
    this.failWhere(() => true, error);
    if (this.sweeper) clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    this.failWhere((request) => request.deadline <= now, new Error('NATS request timed out'));
    if (this.pending.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private failWhere(failed: (request: PendingRequest) => boolean, error: Error): void {
    for (const [token, request] of this.pending) {
      if (!failed(request)) continue;
      this.pending.delete(token);
      request.handler(error);
    }
  }

  /**
   * The server refuses a message it does not permit this connection to publish
   * asynchronously, as a status: a request on that subject then has no reply to wait for.
   */
  private async watchRefusals(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type !== 'error') continue;
      const refusal = status.error;
      if (!(refusal instanceof PermissionViolationError) || refusal.operation !== 'publish') {
        continue;
      }
      this.failWhere((request) => request.subject === refusal.subject, refusal);
    }
  }
}
