#!/usr/bin/env node
// Throughput and latency of `GET /v1/users/:id` in every deployment shape, next to the same route
// on bare Fastify. Absolute numbers depend on the machine and on whatever else it is doing, so
// each target is reported as a ratio to the bare route measured in the same run.
// See bench/README.md. Needs `nest build` first, PostgreSQL on loopback and `nats-server`.
import { fileURLToPath } from 'node:url';
import {
  dataDir,
  measureUserRead,
  natsAndPostgres,
  newAccount,
  positiveNumber,
  printMachine,
  printTable,
  ratio,
  runBench,
  startPlatform,
  startServer,
  stopChild,
  wholeMilliseconds,
} from './support/harness.mjs';

const BARE_SERVER = fileURLToPath(new URL('./bare-fastify.server.mjs', import.meta.url));
const MEASURE_SECONDS = positiveNumber('BENCH_SECONDS', 10);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 50;

await runBench(main);

async function main() {
  const { env: shared, missing } = await natsAndPostgres('bench');
  if (missing) throw new Error(missing);

  // Each target is started, measured and stopped before the next starts: the NATS shapes answer
  // the same subjects on the run's NATS server, and idle servers would take CPU from the one
  // being measured. In the split shape the gateway starts last, once something answers its
  // requests.
  const targets = [
    { name: 'bare Fastify', processes: [() => startServer('bare Fastify', BARE_SERVER)] },
    {
      name: 'monolith, in-process + PGlite',
      signsIn: true,
      processes: [
        async () =>
          startPlatform('monolith, in-process + PGlite', { DATA_DIR: await dataDir('embedded') }),
      ],
    },
    {
      name: 'monolith, NATS + PostgreSQL',
      signsIn: true,
      processes: [() => startPlatform('monolith, NATS + PostgreSQL', shared)],
    },
    {
      name: 'split, NATS + PostgreSQL',
      signsIn: true,
      processes: ['auth', 'users', 'gateway'].map(
        (service) => () => startPlatform(`split (${service})`, { ...shared, SERVICES: service }),
      ),
    },
  ];

  printMachine([
    `Load: ${CONNECTIONS} connections, pipelining 1, ${MEASURE_SECONDS} s per target after ${WARMUP_SECONDS} s warm-up`,
  ]);
  const results = [];
  for (const target of targets) results.push({ name: target.name, ...(await benchmark(target)) });

  const baseline = results[0].requestsPerSecond;
  printTable(
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs bare'],
    results.map((r) => [
      r.name,
      Math.round(r.requestsPerSecond),
      wholeMilliseconds(r.p50),
      wholeMilliseconds(r.p99),
      r.non2xx,
      r.errors,
      ratio(r.requestsPerSecond, baseline),
    ]),
  );
  const failed = results.filter((r) => r.errors > 0 || r.non2xx > 0);
  for (const r of failed) console.error(`${r.name}: ${r.errors} errors, ${r.non2xx} non-2xx`);
  return failed.length > 0 ? 1 : 0;
}

async function benchmark(target) {
  console.log(`\n${target.name}`);
  const handles = [];
  try {
    for (const start of target.processes) handles.push(await start());
    const origin = handles.at(-1).url;
    // A signed-in user reads itself with its own access token.
    const { id, authorization: headers } = target.signsIn
      ? await newAccount(origin)
      : { id: crypto.randomUUID(), authorization: {} };
    const result = await measureUserRead(origin, `/v1/users/${id}`, {
      id,
      headers,
      seconds: MEASURE_SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      connections: CONNECTIONS,
    });
    return { ...result, errors: result.errors + result.timeouts };
  } finally {
    for (const handle of handles.reverse()) await stopChild(handle);
  }
}
