import { randomBytes } from 'node:crypto';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { coalesceWrites } from './write-coalescing';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Counts the socket writes of a connection, at nats.js's transport. */
function countWrites(connection: NatsConnection): { writes: number; frames: string[] } {
  const transport = (
    connection as unknown as { protocol: { transport: { send(f: unknown): void } } }
  ).protocol.transport;
  const counter = { writes: 0, frames: [] as string[] };
  const send = transport.send.bind(transport);
  transport.send = (frame) => {
    counter.writes++;
    counter.frames.push(Buffer.from(frame as Uint8Array).toString());
    send(frame);
  };
  return counter;
}

/** Three messages, each from its own microtask, as three request handlers would reply. */
async function publishThree(connection: NatsConnection, subject: string): Promise<void> {
  connection.publish(subject, 'one');
  await Promise.resolve();
  await Promise.resolve();
  connection.publish(subject, 'two');
  await Promise.resolve();
  await Promise.resolve();
  connection.publish(subject, 'three');
}

describe('coalesceWrites', () => {
  const subject = `coalesce.${randomBytes(4).toString('hex')}`;
  let listener: NatsConnection;
  let connection: NatsConnection;

  beforeEach(async () => {
    listener = await connect({ servers: natsUrl });
    connection = await connect({ servers: natsUrl });
  });

  afterEach(async () => {
    await connection?.close().catch(() => undefined);
    await listener?.close();
  });

  it('writes once per microtask checkpoint without it (what it is there to change)', async () => {
    await connection.flush();
    const counter = countWrites(connection);
    await publishThree(connection, subject);
    await new Promise((resolve) => setImmediate(resolve));
    expect(counter.writes).toBe(3);
  });

  it('sends what one event-loop turn queued in one write, and delivers all of it in order', async () => {
    const got: string[] = [];
    const subscription = listener.subscribe(subject, {
      callback: (_error, message) => {
        got.push(message.string());
      },
    });
    await listener.flush();
    coalesceWrites(connection);
    await connection.flush();
    const counter = countWrites(connection);
    await publishThree(connection, subject);
    await new Promise((resolve) => setImmediate(resolve));
    expect(counter.writes).toBe(1);
    await connection.flush();
    await listener.flush();
    expect(got).toEqual(['one', 'two', 'three']);
    subscription.unsubscribe();
  });

  it('still answers requests and flushes', async () => {
    listener.subscribe(subject, {
      callback: (_error, message) => {
        message.respond('pong');
      },
    });
    await listener.flush();
    coalesceWrites(connection);
    const reply = await connection.request(subject, 'ping', { timeout: 2000 });
    expect(reply.string()).toBe('pong');
    await expect(connection.flush()).resolves.toBeUndefined();
  });

  it('hands what is still queued to the socket before the connection closes', async () => {
    coalesceWrites(connection);
    await connection.flush();
    const counter = countWrites(connection);
    connection.publish(subject, 'last words');
    await connection.close();
    expect(counter.frames.join('')).toContain('last words');
  });
});
