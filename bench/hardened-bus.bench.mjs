#!/usr/bin/env node
// What the hardened bus costs: `GET /v1/users/me` with an access token through the split shape
// (auth, users, orders, gateway as their own processes) on the open development bus and on the
// hardened one (NKey identities, per-identity permissions, TLS), both running side by side and
// loaded in alternating rounds, so a change in the machine's speed hits them alike. Then the
// outbox's publish-to-delivery latency on JetStream, on each bus: a profile change commits
// `users.user.updated` to the users outbox, the relay publishes it into USERS_EVENTS, and an
// outside consumer (the events-reader identity on the hardened bus) receives it. See
// bench/README.md. Needs `nest build` first, PostgreSQL on loopback and `nats-server`.
import { jetstream } from '@nats-io/jetstream';
import {
  expectStatus,
  http,
  loadUsersMe,
  mean,
  natsAndPostgres,
  newAccount,
  positiveNumber,
  printMachine,
  printTable,
  ratio,
  runBench,
  startPlatform,
  sum,
  summarize,
  USERS_ME_CONNECTIONS,
  wholeMilliseconds,
} from './support/harness.mjs';

const MEASURE_SECONDS = positiveNumber('BENCH_SECONDS', 10);
const EVENTS = positiveNumber('BENCH_EVENTS', 200, true);
const ROUND_SECONDS = 2;
const WARMUP_SECONDS = 3;
const CONNECTIONS = USERS_ME_CONNECTIONS;
/** At most 10 % slower than the open bus. */
const TARGET_RATIO = 0.9;

const OPEN = 'split, open bus';
const HARDENED = 'split, hardened bus (NKeys, permissions, TLS)';

await runBench(main);

async function main() {
  const rounds = Math.max(1, Math.round(MEASURE_SECONDS / ROUND_SECONDS));
  const targets = [];
  for (const [label, hardened] of [
    [OPEN, false],
    [HARDENED, true],
  ]) {
    const { env, missing, nats } = await natsAndPostgres(`bench_bus_${hardened ? 'h' : 'o'}`, {
      hardened,
    });
    if (missing) throw new Error(`${label}: ${missing}`);
    let gateway;
    for (const service of ['auth', 'users', 'orders', 'gateway']) {
      const process = await startPlatform(`${label} ${service}`, {
        ...env,
        ...nats.envOf(service),
        SERVICES: service,
        RATE_LIMIT_PER_ADDRESS: '1000000000',
        RATE_LIMIT_PER_PRINCIPAL: '1000000000',
      });
      if (service === 'gateway') gateway = process;
    }
    const { id, accessToken } = await newAccount(gateway.url);
    const user = await expectStatus(200, gateway.url, 'GET', '/v1/users/me', {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (user.id !== id) throw new Error(`${label} answered another user`);
    targets.push({ label, origin: gateway.url, token: accessToken, nats });
  }

  for (const target of targets) {
    console.log(`\n${target.label}: warming up for ${WARMUP_SECONDS} s`);
    await loadUsersMe(target, WARMUP_SECONDS);
  }
  console.log(`\nMeasuring ${rounds} rounds of ${ROUND_SECONDS} s per bus, in turn`);
  const results = new Map(targets.map((target) => [target.label, []]));
  for (let round = 0; round < rounds; round++) {
    // Each goes first in every other round: what follows the other's load counts for both.
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order)
      results.get(target.label).push(await loadUsersMe(target, ROUND_SECONDS));
  }

  console.log(`\nOutbox to consumer: ${EVENTS} profile changes per bus, one at a time`);
  const latencies = new Map();
  for (const target of targets) latencies.set(target.label, await eventLatencies(target));

  printMachine([
    `Load: ${CONNECTIONS} connections, pipelining 1, ${rounds} rounds of ${ROUND_SECONDS} s per ` +
      `bus in turn (first in every other round), after ${WARMUP_SECONDS} s warm-up each; both deployments run throughout`,
  ]);
  const openRounds = results.get(OPEN);
  const openRate = mean(openRounds.map((r) => r.requestsPerSecond));
  printTable(
    [
      'GET /v1/users/me',
      'req/s',
      'p50 ms',
      'p99 ms',
      'non-2xx',
      'errors',
      'vs open',
      'round pairs',
    ],
    targets.map(({ label }) => {
      const samples = results.get(label);
      const rate = mean(samples.map((r) => r.requestsPerSecond));
      const pairs = samples.map((r, i) => r.requestsPerSecond / openRounds[i].requestsPerSecond);
      return [
        label,
        rate.toFixed(0),
        wholeMilliseconds(Math.max(...samples.map((r) => r.p50))),
        wholeMilliseconds(Math.max(...samples.map((r) => r.p99))),
        String(sum(samples.map((r) => r.non2xx))),
        String(sum(samples.map((r) => r.errors + r.timeouts))),
        ratio(rate, openRate),
        label === OPEN ? '' : `${Math.min(...pairs).toFixed(2)}-${Math.max(...pairs).toFixed(2)}`,
      ];
    }),
  );
  console.log('');
  printTable(
    ['users.user.updated, commit to consumer', 'events', 'p50 ms', 'p99 ms', 'max ms'],
    targets.map(({ label }) => {
      const stats = summarize(latencies.get(label));
      return [
        label,
        String(latencies.get(label).length),
        stats.p50.toFixed(1),
        stats.p99.toFixed(1),
        stats.max.toFixed(1),
      ];
    }),
  );
  const hardenedRatio = mean(results.get(HARDENED).map((r) => r.requestsPerSecond)) / openRate;
  console.log(
    `\nTarget: hardened ≥ ${TARGET_RATIO.toFixed(2)} × open: ${hardenedRatio.toFixed(3)} ` +
      `${hardenedRatio >= TARGET_RATIO ? 'met' : 'MISSED'}`,
  );
  const failed = targets.filter(({ label }) =>
    results.get(label).some((r) => r.errors + r.timeouts + r.non2xx > 0),
  );
  for (const { label } of failed) console.error(`${label}: failed requests, see the table`);
  return failed.length > 0 ? 1 : 0;
}

/**
 * Milliseconds from the moment a profile change's answer arrives (its transaction, and the
 * event in the outbox with it, committed before the answer) to the moment a JetStream consumer
 * of USERS_EVENTS holds the event: the outbox relay's hand-off, the publish and its PubAck,
 * and the delivery. As an outside consumer reads: the events-reader on the hardened bus.
 */
async function eventLatencies({ origin, token, nats }) {
  const connection = await nats.client(nats.bus ? 'events-reader' : undefined);
  const consumer = await jetstream(connection).consumers.getPushConsumer('USERS_EVENTS', {
    filter_subjects: 'users.user.updated',
  });
  const arrived = new Map();
  const waiting = new Map();
  const messages = await consumer.consume();
  const reading = (async () => {
    for await (const message of messages) {
      const name = message.json().data?.displayName;
      const at = performance.now();
      arrived.set(name, at);
      waiting.get(name)?.();
    }
  })();
  const latencies = [];
  try {
    for (let index = 0; index < EVENTS; index++) {
      const displayName = `bench-${index}-${Date.now()}`;
      const delivered = new Promise((resolve) => waiting.set(displayName, resolve));
      const answered = await http(origin, 'PATCH', '/v1/users/me', {
        headers: { authorization: `Bearer ${token}` },
        json: { displayName },
      });
      const committedAt = performance.now();
      if (answered.status !== 200) throw new Error(`PATCH /v1/users/me: ${answered.status}`);
      await Promise.race([
        delivered,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`${displayName} not delivered in 10 s`)), 10_000),
        ),
      ]);
      latencies.push(Math.max(0, arrived.get(displayName) - committedAt));
    }
  } finally {
    await messages.close();
    await reading;
    await connection.close();
  }
  return latencies;
}
