#!/usr/bin/env node
// Authenticated reads through the gateway, `GET /v1/orders/:id` and `GET /v1/users/me`, in the
// embedded, NATS + PostgreSQL monolith and split shapes, with an access token and with an API
// token, side by side with bare Fastify verifying the same JWT with node:crypto. Every cell is
// loaded in turn, in short alternating rounds, so a change in the machine's speed hits them
// alike; ratios are to the bare route's rounds of the same run. See bench/README.md. Needs
// `nest build` first; the NATS rows need PostgreSQL on loopback and `nats-server`.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { threadCpu } from './support/cpu-time.mjs';
import {
  inspectorEnv,
  profileDir,
  profileWhile,
  summarizeProfile,
} from './support/cpu-profile.mjs';
import {
  dataDir,
  expectStatus,
  freePort,
  mean,
  natsAndPostgres,
  newAccount,
  positiveNumber,
  printMachine,
  printTable,
  ratio,
  runBench,
  signingKeyOf,
  startPlatform,
  startServer,
  sum,
  wholeMilliseconds,
} from './support/harness.mjs';

const BARE_SERVER = fileURLToPath(new URL('./bare-fastify-jwt.server.mjs', import.meta.url));
const MEASURE_SECONDS = positiveNumber('BENCH_SECONDS', 10);
const ROUND_SECONDS = 2;
const WARMUP_SECONDS = 2;
const CONNECTIONS = 50;
const PROFILE_SECONDS = 5;

/** `BENCH_SHAPES=split` (a comma-separated list) measures only those shapes beside bare. */
const SHAPES = (process.env.BENCH_SHAPES ?? 'embedded,monolith,split').split(',');

/** `BENCH_SERVER_CPUS=1` pins every server (bare, platforms, their NATS) to CPU 1 with taskset. */
const SERVER_CPUS = process.env.BENCH_SERVER_CPUS;

/** The targets, as ratios to the bare route. */
const TARGETS = { embedded: 0.37, monolith: 0.5, split: 0.35 };
const API_TOKEN_WITHIN = 0.1;
const SPLIT_P50_AT_MOST = 2;

/** Limits every request passes, so the limiter's ordinary cost is measured, never a refusal. */
const UNREACHABLE_LIMITS = {
  RATE_LIMIT_PER_ADDRESS: '1000000000',
  RATE_LIMIT_PER_PRINCIPAL: '1000000000',
  RATE_LIMIT_PER_CLIENT: '1000000000',
};

await runBench(main);

async function main() {
  pinLoadGenerator();
  const rounds = Math.max(1, Math.round(MEASURE_SECONDS / ROUND_SECONDS));
  const shapes = [];

  if (SHAPES.includes('embedded')) {
    const embedded = await startPlatform('embedded', {
      DATA_DIR: await dataDir('embedded'),
      ...UNREACHABLE_LIMITS,
      ...(await profiled('embedded')),
    });
    shapes.push({
      shape: 'embedded',
      label: 'embedded, in-process + PGlite',
      gateway: embedded,
      pids: [embedded.pid],
      processes: { platform: embedded.pid },
    });
  }

  // Each NATS shape has a NATS server and a database of its own: the monolith and the split
  // services answer the same subjects, and must not answer each other's requests.
  for (const shape of ['monolith', 'split'].filter((name) => SHAPES.includes(name))) {
    const { env, missing, nats } = await natsAndPostgres(`bench_gateway_${shape}`);
    if (missing) {
      console.log(`\n${shape}: skipped (${missing})`);
      continue;
    }
    pin(nats.pid);
    const base = { ...env, ...UNREACHABLE_LIMITS };
    const pids = [nats.pid];
    const processes = { nats: nats.pid };
    let gateway;
    if (shape === 'monolith') {
      gateway = await startPlatform('monolith', { ...base, ...(await profiled('monolith')) });
    } else {
      for (const service of ['auth', 'users', 'orders']) {
        const child = await startPlatform(`split ${service}`, {
          ...base,
          SERVICES: service,
          ...(await profiled(`split-${service}`)),
        });
        pin(child.pid);
        pids.push(child.pid);
        processes[service] = child.pid;
      }
      gateway = await startPlatform('split gateway', {
        ...base,
        SERVICES: 'gateway',
        ...(await profiled('split-gateway')),
      });
    }
    shapes.push({
      shape,
      label: `${shape}, NATS + PostgreSQL`,
      gateway,
      pids: [...pids, gateway.pid],
      processes: { ...processes, [shape === 'split' ? 'gateway' : 'platform']: gateway.pid },
    });
  }
  for (const { gateway } of shapes) pin(gateway.pid);

  // One user per platform, with one order, an access token and an API token that can read both.
  for (const entry of shapes) Object.assign(entry, await signIn(entry.gateway.url));

  const [first] = shapes;
  const jwk = await signingKeyOf(first.gateway.url, first.token);
  const bare = await startServer('bare', BARE_SERVER, { BENCH_JWK: JSON.stringify(jwk) });
  pin(bare.pid);

  const routes = [
    { name: 'orders/:id', path: (s) => `/v1/orders/${s.orderId}` },
    { name: 'users/me', path: () => '/v1/users/me' },
  ];
  const cells = [];
  for (const route of routes) {
    cells.push({
      shape: 'bare',
      label: 'bare Fastify + node:crypto JWT',
      route: route.name,
      credential: 'JWT',
      origin: bare.url,
      path: route.path(first),
      authorization: `Bearer ${first.token}`,
      id: first.orderId,
      pids: [bare.pid],
    });
    for (const s of shapes) {
      for (const credential of ['JWT', 'API token']) {
        cells.push({
          shape: s.shape,
          label: s.label,
          route: route.name,
          credential,
          origin: s.gateway.url,
          path: route.path(s),
          authorization: `Bearer ${credential === 'JWT' ? s.token : s.apiToken}`,
          pids: s.pids,
          processes: s.processes,
        });
      }
    }
  }

  for (const cell of cells) {
    await expectAnswer(cell);
    await load(cell, WARMUP_SECONDS);
  }
  console.log(`\nMeasuring ${rounds} rounds of ${ROUND_SECONDS} s per cell, in turn`);
  for (let round = 0; round < rounds; round++) {
    for (const cell of cells) (cell.rounds ??= []).push(await load(cell, ROUND_SECONDS));
  }

  printMachine([
    `Load: ${CONNECTIONS} connections, pipelining 1, ${rounds} rounds of ${ROUND_SECONDS} s per ` +
      `cell in turn, after ${WARMUP_SECONDS} s warm-up each; one user, one order, one ${jwk.alg} ` +
      `access token and one API token per platform; rate limits on, never reached`,
    SERVER_CPUS
      ? `Servers (bare, platforms, their NATS) pinned to CPU ${SERVER_CPUS}; the load generator ` +
        `and the shared PostgreSQL are not`
      : 'Nothing pinned: every target shares all CPUs with the load generator, one at a time',
  ]);
  const bareOf = (route) => cells.find((c) => c.shape === 'bare' && c.route === route);
  const stats = (cell) => {
    const rps = mean(cell.rounds.map((r) => r.requestsPerSecond));
    const p50 = Math.max(...cell.rounds.map((r) => r.p50));
    const cpu = sum(cell.rounds.map((r) => r.cpuMs)) / sum(cell.rounds.map((r) => r.requests));
    return { rps, p50, p99: Math.max(...cell.rounds.map((r) => r.p99)), cpuUs: cpu * 1000 };
  };
  printTable(
    [
      'route',
      'target',
      'credential',
      'req/s',
      'p50 ms',
      'p99 ms',
      'failed',
      'vs bare',
      'round pairs',
      'CPU µs/req',
      'CPU vs bare',
    ],
    cells.map((cell) => {
      const baseline = bareOf(cell.route);
      const { rps, p50, p99, cpuUs } = stats(cell);
      const pairs = cell.rounds.map(
        (r, i) => r.requestsPerSecond / baseline.rounds[i].requestsPerSecond,
      );
      return [
        cell.route,
        cell.label,
        cell.credential,
        rps.toFixed(0),
        wholeMilliseconds(p50),
        wholeMilliseconds(p99),
        String(sum(cell.rounds.map((r) => r.failed))),
        ratio(rps, stats(baseline).rps),
        cell === baseline
          ? ''
          : `${Math.min(...pairs).toFixed(2)}-${Math.max(...pairs).toFixed(2)}`,
        cpuUs.toFixed(0),
        ratio(stats(baseline).cpuUs, cpuUs),
      ];
    }),
  );

  // Where a shape's CPU went, process by process: which one a request costs most in.
  const names = [...new Set(cells.flatMap((cell) => Object.keys(cell.processes ?? {})))];
  printTable(
    ['route', 'target', 'credential', ...names.map((name) => `${name} µs/req`)],
    cells
      .filter((cell) => cell.processes)
      .map((cell) => {
        const requests = sum(cell.rounds.map((r) => r.requests));
        return [
          cell.route,
          cell.label,
          cell.credential,
          ...names.map((name) =>
            name in cell.processes
              ? ((sum(cell.rounds.map((r) => r.cpuByProcess[name])) * 1000) / requests).toFixed(0)
              : '',
          ),
        ];
      }),
  );

  const cellOf = (shape, route, credential = 'JWT') =>
    cells.find((c) => c.shape === shape && c.route === route && c.credential === credential);
  console.log('\nTargets:');
  for (const route of routes.map((r) => r.name)) {
    const bareRps = stats(bareOf(route)).rps;
    for (const [shape, target] of Object.entries(TARGETS)) {
      const cell = cellOf(shape, route);
      if (!cell) continue;
      const value = stats(cell).rps / bareRps;
      console.log(
        `  ${route} ${shape} ≥ ${target} × bare: ${value.toFixed(3)} ${verdict(value >= target)}`,
      );
    }
    for (const { shape } of shapes) {
      const jwt = stats(cellOf(shape, route)).rps;
      const pat = stats(cellOf(shape, route, 'API token')).rps;
      const value = pat / jwt;
      console.log(
        `  ${route} ${shape} API token ≥ ${(1 - API_TOKEN_WITHIN).toFixed(2)} × JWT: ` +
          `${value.toFixed(3)} ${verdict(value >= 1 - API_TOKEN_WITHIN)}`,
      );
    }
    const monolith = cellOf('monolith', route);
    const split = cellOf('split', route);
    if (monolith && split) {
      const value = stats(split).p50 / Math.max(stats(monolith).p50, 1);
      console.log(
        `  ${route} split p50 ≤ ${SPLIT_P50_AT_MOST} × monolith p50: ${value.toFixed(2)} ` +
          `${verdict(value <= SPLIT_P50_AT_MOST)}`,
      );
    }
  }

  if (profileDir) await profileAll(shapes);

  const failed = cells.filter((cell) => cell.rounds.some((r) => r.failed > 0));
  for (const cell of failed) console.error(`${cell.label} ${cell.route}: failed requests`);
  return failed.length > 0 ? 1 : 0;
}

function verdict(met) {
  return met ? 'met' : 'MISSED';
}

/** With BENCH_CPU_PROF, a platform listens for the inspector on a port of its own. */
async function profiled(name) {
  if (!profileDir) return {};
  const port = await freePort();
  (profiled.ports ??= new Map()).set(name, port);
  return inspectorEnv(port);
}

/**
 * One more round per profiled shape, under V8's CPU profiler, and where its time went. In the
 * split shape each route's round profiles the gateway and the service that answers it at once,
 * so the table says which process is the bottleneck.
 */
async function profileAll(shapes) {
  for (const { shape, gateway, orderId, token } of shapes) {
    const routes =
      shape === 'split'
        ? [
            { path: `/v1/orders/${orderId}`, names: ['split-gateway', 'split-orders'] },
            { path: '/v1/users/me', names: ['split-gateway', 'split-users'] },
          ]
        : [{ path: `/v1/orders/${orderId}`, names: [shape] }];
    for (const { path, names } of routes) {
      const targets = names
        .map((name) => ({ name, port: profiled.ports?.get(name) }))
        .filter(({ port }) => port !== undefined);
      if (targets.length === 0) continue;
      const suffix = shape === 'split' ? `-${path.split('/')[2]}` : '';
      const files = targets.map(({ name }) => `${profileDir}/${name}${suffix}.cpuprofile`);
      const run = targets.reduceRight(
        (inner, { port }, i) =>
          () =>
            profileWhile(port, files[i], inner),
        () =>
          load({ origin: gateway.url, path, authorization: `Bearer ${token}` }, PROFILE_SECONDS),
      );
      await run();
      for (const file of files) printProfile(file);
    }
  }
}

function printProfile(file) {
  const summary = summarizeProfile(file, 15);
  console.log(`\n${file}: main thread busy ${(summary.busyShare * 100).toFixed(0)} %`);
  printTable(
    ['owner', 'share of busy'],
    summary.owners.map(({ name: owner, share }) => [owner, `${(share * 100).toFixed(1)} %`]),
  );
  printTable(
    ['frame (self time)', 'share of busy'],
    summary.frames.map(({ name: frame, share }) => [frame, `${(share * 100).toFixed(1)} %`]),
  );
}

/** Pins a process and all its threads to the server CPUs, when asked to. */
function pin(pid) {
  if (!SERVER_CPUS || pid === undefined) return;
  execFileSync('taskset', ['-a', '-p', '-c', SERVER_CPUS, String(pid)], { stdio: 'ignore' });
}
/** With pinned servers, the load generator keeps to the other CPUs. */
function pinLoadGenerator() {
  if (!SERVER_CPUS) return;
  const servers = SERVER_CPUS.split(',').map(Number);
  const rest = os
    .cpus()
    .map((_, cpu) => cpu)
    .filter((cpu) => !servers.includes(cpu));
  if (rest.length === 0) return;
  execFileSync('taskset', ['-a', '-p', '-c', rest.join(','), String(process.pid)], {
    stdio: 'ignore',
  });
}

/** A fresh user with one order, its access token, and an API token that can read both. */
async function signIn(origin) {
  const { id, accessToken } = await newAccount(origin);
  const authorization = { authorization: `Bearer ${accessToken}` };
  const order = await expectStatus(201, origin, 'POST', '/v1/orders', {
    headers: authorization,
    json: { items: [{ sku: 'BENCH-1', quantity: 1 }] },
  });
  const apiToken = await expectStatus(201, origin, 'POST', '/v1/api-tokens', {
    headers: authorization,
    json: { name: 'bench', scopes: ['orders:read', 'users:read'] },
  });
  return { userId: id, token: accessToken, orderId: order.id, apiToken: apiToken.token };
}

/** Each cell answers 200 with the expected record, so no cell is fast by failing. */
async function expectAnswer(cell) {
  const body = await expectStatus(200, cell.origin, 'GET', cell.path, {
    headers: { authorization: cell.authorization },
  });
  if (typeof body?.id !== 'string') {
    throw new Error(`${cell.label} ${cell.route} answered ${JSON.stringify(body)}`);
  }
}

/** CPU ms (user + system, all threads) the processes `pids` have used so far. */
function cpuOf(pids = []) {
  return sum(pids.map((pid) => sum(Object.values(threadCpu(pid)))));
}

function cpuByProcess(processes = {}) {
  return Object.fromEntries(
    Object.entries(processes).map(([name, pid]) => [name, sum(Object.values(threadCpu(pid)))]),
  );
}

async function load({ origin, path, authorization, pids, processes }, seconds) {
  const cpuBefore = cpuOf(pids);
  const byProcessBefore = cpuByProcess(processes);
  const result = await autocannon({
    url: `${origin}${path}`,
    headers: { authorization },
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
  });
  return {
    requestsPerSecond: result.requests.total / seconds,
    requests: result.requests.total,
    cpuMs: cpuOf(pids) - cpuBefore,
    cpuByProcess: Object.fromEntries(
      Object.entries(cpuByProcess(processes)).map(([name, ms]) => [
        name,
        ms - byProcessBefore[name],
      ]),
    ),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}
