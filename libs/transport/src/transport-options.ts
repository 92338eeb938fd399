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
}

export const TRANSPORT_OPTIONS = Symbol('TRANSPORT_OPTIONS');

/** The Nest `ClientProxy` of whichever transport is configured. Use `MessageBus`, not this. */
export const MESSAGE_CLIENT = Symbol('MESSAGE_CLIENT');
