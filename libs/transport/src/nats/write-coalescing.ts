import type { NatsConnection } from '@nats-io/transport-node';

/** The parts of nats.js's protocol handler (`connection.protocol`) this relies on. */
interface ProtocolHandler {
  flushPending(): void;
  close(error?: Error): Promise<void>;
  outbound: { size(): number };
  pendingLimit: number;
}

/**
 * Makes `connection` send what it queued during one event-loop turn in one socket write.
 *
 * nats.js writes its outbound buffer at the first microtask checkpoint after a command is
 * queued. A process serving requests queues each reply (and a gateway each request) from an I/O
 * callback of its own, with a checkpoint after each, so under load every message was one
 * socket write: a system call and, on loopback, a wake-up of the NATS server, which cost more
 * than all the rest of handling the message. Deferred to the end of the turn
 * (`setImmediate`), the replies and requests of every callback that turn travel in one write.
 * A message waits at most for the turn's other callbacks; the buffer is still written at once
 * when it reaches nats.js's own limit, and before the connection closes, so nothing queued is
 * lost.
 *
 * This reaches into nats.js, which has no option for it: `write-coalescing.spec.ts` fails if a
 * new version changes the parts used here.
 */
export function coalesceWrites(connection: NatsConnection): NatsConnection {
  const protocol = (connection as unknown as { protocol?: ProtocolHandler }).protocol;
  if (
    typeof protocol?.flushPending !== 'function' ||
    typeof protocol.close !== 'function' ||
    typeof protocol.outbound?.size !== 'function'
  ) {
    throw new Error('nats.js changed: its protocol handler has no flushPending to defer');
  }
  const flush = protocol.flushPending.bind(protocol);
  const close = protocol.close.bind(protocol);
  let pending: NodeJS.Immediate | undefined;
  const flushNow = () => {
    if (pending) clearImmediate(pending);
    pending = undefined;
    flush();
  };
  protocol.flushPending = () => {
    if (protocol.outbound.size() >= protocol.pendingLimit) flushNow();
    else pending ??= setImmediate(flushNow);
  };
  protocol.close = (error?: Error) => {
    flushNow();
    return close(error);
  };
  return connection;
}
