import { randomBytes } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { WindowCounters } from './window-counters';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
/** A bucket of this run's own, removed afterwards: the NATS server may be shared. */
const bucketName = `rate_limits_it_${randomBytes(4).toString('hex')}`;

/** Two gateway replicas' counters over one real JetStream key-value bucket. */
describe('WindowCounters over a JetStream key-value bucket', () => {
  let connection: NatsConnection;
  const replicas: WindowCounters[] = [];

  beforeAll(async () => {
    connection = await connect({ servers: natsUrl });
    const bucket = await new Kvm(connection).create(bucketName, { ttl: 120_000 });
    // A generous store timeout: on a loaded machine the default would fall back to per-replica
    // limits, which the outage test covers; these tests are about interleaving.
    const counters = () => new WindowCounters(async () => bucket, 5_000);
    replicas.push(counters(), counters());
  });

  afterAll(async () => {
    for (const replica of replicas) replica.onModuleDestroy();
    if (!connection.isClosed()) {
      await (await new Kvm(connection).open(bucketName)).destroy();
      await connection.close();
    }
  });

  it('never admits more than the limit across replicas, however the requests interleave', async () => {
    const takes = await Promise.all(
      Array.from({ length: 60 }, (_, i) => replicas[i % 2].take('principal.shared', 25, 60)),
    );
    const admitted = takes.filter((take) => take.allowed).length;
    // Leases never exceed the limit; what one replica leased and did not use is at most a
    // quarter of what was left when it leased.
    expect(admitted).toBeLessThanOrEqual(25);
    expect(admitted).toBeGreaterThanOrEqual(19);
    expect((await replicas[0].take('principal.shared', 25, 60)).allowed).toBe(false);
  });

  it('admits exactly the limit when the replicas take turns', async () => {
    const allowed = [];
    for (let i = 0; i < 12; i++) {
      allowed.push((await replicas[i % 2].take('principal.turns', 8, 60)).allowed);
    }
    expect(allowed.filter(Boolean)).toHaveLength(8);
    expect(allowed.slice(8)).toEqual([false, false, false, false]);
  });

  it('falls back to per-replica limits while NATS is down, without failing a request', async () => {
    const cleanup = await connect({ servers: natsUrl });
    await connection.close();
    connection = cleanup;
    const started = Date.now();
    const allowed = [];
    for (let i = 0; i < 4; i++)
      allowed.push((await replicas[0].take('address.outage', 3, 60)).allowed);
    expect(allowed).toEqual([true, true, true, false]);
    expect(replicas[0].degraded).toBe(true);
    // One bounded wait for the bucket, then no more until it is retried.
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
