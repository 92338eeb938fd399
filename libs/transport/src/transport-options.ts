import type { WritePacket } from '@nestjs/microservices';
import type { NatsIdentity } from './nats/nats-identity';

/** How this process reaches the other contexts. */
export interface TransportOptions {
  /** Unset: the in-process transport. Set: NATS, for both serving and calling. */
  natsUrl?: string;
  /** Who this process is on NATS; none: an anonymous connection. */
  natsIdentity?: NatsIdentity;
  /** Upper bound for one request/reply hop. */
  requestTimeoutMs: number;
  /** Connection name shown by NATS monitoring, e.g. `identity-platform:users`. */
  connectionName: string;
  /**
   * How far back a `recent` event handler reads its stream (see `EventReplay`): the longest
   * token lifetime and clock skew, so a process that starts late holds every revocation whose
   * tokens may still be presented.
   */
  recentEventsSeconds: number;
  /**
   * Over NATS, whether a request for a subject this process serves itself is handed to its
   * handler here rather than sent through the NATS server (see `ContextNatsClient`); default
   * true. Off, every request makes the round trip, as the NATS transport's tests need.
   */
  preferLocal?: boolean;
}

export const TRANSPORT_OPTIONS = Symbol('TRANSPORT_OPTIONS');

/**
 * What both transports' clients offer besides Nest's `ClientProxy`: one request handed to the
 * transport with a callback for its reply, without the Observable `send` builds around it.
 */
export interface RequestClient {
  connect(): Promise<unknown>;
  /** Sends a request; `callback` hears its reply. Returns the teardown. */
  request(subject: string, data: unknown, callback: (packet: WritePacket) => void): () => void;
}

/** The Nest `ClientProxy` of whichever transport is configured. Use `MessageBus`, not this. */
export const MESSAGE_CLIENT = Symbol('MESSAGE_CLIENT');
