/** How this process reaches the other contexts. */
export interface TransportOptions {
  /** Unset: the in-process transport. Set: NATS, for both serving and calling. */
  natsUrl?: string;
  /** Upper bound for one request/reply hop. */
  requestTimeoutMs: number;
  /** Connection name shown by NATS monitoring, e.g. `identity-platform:users`. */
  connectionName: string;
}

export const TRANSPORT_OPTIONS = Symbol('TRANSPORT_OPTIONS');

/** The Nest `ClientProxy` of whichever transport is configured. Use `MessageBus`, not this. */
export const MESSAGE_CLIENT = Symbol('MESSAGE_CLIENT');
