#!/usr/bin/env node
// Refresh-token rotation under concurrency. Every `POST /v1/auth/refresh` spends the presented
// token and returns a new pair, so each of K users runs its own chain: one worker per user,
// always presenting its latest refresh token. Any failure is a bug (a lost rotation, a false
// reuse detection, a timeout), and breaks that chain. Measured against the monolith over NATS +
// PostgreSQL and, as a second row, the embedded monolith (in-process + PGlite).
// See bench/README.md. Needs `nest build` first; the PostgreSQL row needs PostgreSQL on loopback
// and `nats-server`.
import { performance } from 'node:perf_hooks';
import {
  dataDir,
  natsAndPostgres,
  newAccount,
  positiveNumber,
  printMachine,
  printTable,
  runBench,
  startPlatform,
  stopChild,
  summarize,
} from './support/harness.mjs';
import { jsonPost, openConnection } from './support/keep-alive-connection.mjs';

const MEASURE_SECONDS = positiveNumber('BENCH_SECONDS', 10);
const WARMUP_SECONDS = 2;
const USERS = positiveNumber('BENCH_USERS', 50, true);
/** Registrations and logins hash passwords; a few at a time is as fast as the CPUs allow. */
const SETUP_CONCURRENCY = 4;
const FAILURES_SHOWN = 5;

await runBench(main);

async function main() {
  const targets = [];
  const { env, missing } = await natsAndPostgres('bench_refresh');
  if (missing) {
    console.log(`monolith, NATS + PostgreSQL: skipped (${missing})`);
  } else {
    targets.push({ name: 'monolith, NATS + PostgreSQL', env });
  }
  targets.push({
    name: 'monolith, in-process + PGlite',
    env: { DATA_DIR: await dataDir('embedded') },
  });

  const results = [];
  for (const target of targets) {
    const platform = await startPlatform(target.name, target.env);
    try {
      console.log(`\n${target.name}`);
      console.log(`  registering and logging in ${USERS} users`);
      const refreshTokens = await inBatches(
        USERS,
        SETUP_CONCURRENCY,
        async () => (await newAccount(platform.url)).refreshToken,
      );
      console.log(
        `  ${USERS} refresh chains for ${MEASURE_SECONDS} s after a ${WARMUP_SECONDS} s warm-up`,
      );
      results.push({ name: target.name, ...(await runChains(platform.url, refreshTokens)) });
    } finally {
      await stopChild(platform);
    }
  }

  printMachine([
    `Load: ${USERS} users, one refresh chain each (one request in flight per chain, keep-alive), ` +
      `${MEASURE_SECONDS} s after ${WARMUP_SECONDS} s warm-up`,
  ]);
  const ms = (value) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
  printTable(
    ['target', 'refreshes/s', 'p50 ms', 'p99 ms', 'max ms', 'failures', 'chains left'],
    results.map((r) => [
      r.name,
      r.perSecond.toFixed(0),
      ms(r.latency.p50),
      ms(r.latency.p99),
      ms(r.latency.max),
      String(r.failures.length),
      `${r.chainsLeft}/${USERS}`,
    ]),
  );

  let failed = 0;
  for (const r of results) {
    failed += r.failures.length;
    for (const failure of r.failures.slice(0, FAILURES_SHOWN))
      console.error(`${r.name}: ${failure}`);
    if (r.failures.length > FAILURES_SHOWN) {
      console.error(`${r.name}: ... and ${r.failures.length - FAILURES_SHOWN} more failures`);
    }
  }
  console.log(`\nTarget: 0 failures: ${failed === 0 ? 'met' : 'MISSED'}`);
  return failed > 0 ? 1 : 0;
}

/** Runs `count` calls of `work`, at most `concurrency` at a time; their results in order. */
async function inBatches(count, concurrency, work) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/**
 * One worker per token, each refreshing its own latest token until the end of the run. Requests
 * started during the warm-up are not counted; the rate counts those completed in the measured
 * window. A failed refresh ends its chain: the worker can no longer know which token is live.
 */
async function runChains(origin, refreshTokens) {
  const began = performance.now();
  const measureFrom = began + WARMUP_SECONDS * 1000;
  const measureUntil = measureFrom + MEASURE_SECONDS * 1000;
  const latencies = [];
  const failures = [];
  let completed = 0;
  let chainsLeft = refreshTokens.length;

  const chain = async (connection, index) => {
    let token = refreshTokens[index];
    // Bounded by time: no request starts after the measured window.
    while (performance.now() < measureUntil) {
      const start = performance.now();
      let answer;
      try {
        answer = await connection.send(
          jsonPost(origin, '/v1/auth/refresh', { refresh_token: token }),
        );
      } catch (error) {
        failures.push(`chain ${index}: ${error.message}`);
        chainsLeft--;
        return;
      }
      const end = performance.now();
      const text = answer.body.toString();
      const body = parsedOrUndefined(text);
      const next = body?.refresh_token;
      if (
        answer.status !== 200 ||
        typeof next !== 'string' ||
        next === token ||
        !body.access_token
      ) {
        failures.push(`chain ${index}: ${answer.status} ${text.slice(0, 300)}`);
        chainsLeft--;
        return;
      }
      token = next;
      if (start >= measureFrom && end <= measureUntil) {
        completed++;
        latencies.push(end - start);
      }
    }
  };
  // One keep-alive connection per chain, as its one request in flight.
  const connections = refreshTokens.map(() => openConnection(origin));
  try {
    await Promise.all(connections.map(chain));
  } finally {
    for (const connection of connections) connection.close();
  }
  return {
    perSecond: completed / MEASURE_SECONDS,
    latency: summarize(latencies),
    failures,
    chainsLeft,
  };
}

function parsedOrUndefined(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
