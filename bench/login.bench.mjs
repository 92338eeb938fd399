#!/usr/bin/env node
// Password logins per second against what the CPUs can hash. A login verifies one argon2id hash
// on the thread pool, on purpose; everything else it does (HTTP, validation, the throttle, the
// account lookup, the session insert, signing the access token) should cost little next to it.
// The baseline is bare verifications in a process of its own, started like the platform
// (argon2-verify.server.mjs). Every target keeps the same number of operations in flight, and
// they take turns in short rounds so all see the same machine: the bare verifications, the
// embedded monolith, the monolith over NATS and PostgreSQL. A sweep over the number in flight
// first shows where each saturates. See bench/README.md. Needs `nest build` first; the NATS +
// PostgreSQL row needs PostgreSQL on loopback and `nats-server`.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import {
  inspectorEnv,
  profileDir,
  profileWhile,
  summarizeProfile,
} from './support/cpu-profile.mjs';
import { machineBusyMs, THREAD_KINDS, threadCpu, threadCpuSince } from './support/cpu-time.mjs';
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
  startPlatform,
  startServer,
  stopChild,
  sum,
  summarize,
} from './support/harness.mjs';
import { jsonPost, openConnection } from './support/keep-alive-connection.mjs';

const VERIFY_SERVER = fileURLToPath(new URL('./argon2-verify.server.mjs', import.meta.url));
const FLOOR_SERVER = fileURLToPath(new URL('./login-floor.server.mjs', import.meta.url));
const WITHOUT_LOGIN_AUDIT = fileURLToPath(
  new URL('./support/platform-without-login-audit.mjs', import.meta.url),
);
const MEASURE_SECONDS = positiveNumber('BENCH_SECONDS', 10);
const ROUND_SECONDS = 2;
const SWEEP_SECONDS = 1;
const PROFILE_SECONDS = 5;
const SWEEP = [1, 2, 3, 4, 6, 8, 12, 16];
/** libuv's default; every child inherits the caller's UV_THREADPOOL_SIZE alike. */
const POOL_THREADS = positiveNumber('UV_THREADPOOL_SIZE', 4, true);
/** Twice the pool: while some logins do their other work, the rest keep every thread hashing. */
const CONCURRENCY = positiveNumber('BENCH_CONCURRENCY', 2 * POOL_THREADS, true);
/** A rate this close to the best of the sweep counts as saturated. */
const SATURATED = 0.95;
const TARGET_RATIO = 0.85;
/** More CPU than this share of a bare verify spent by other processes marks a run disturbed. */
const DISTURBED = 0.05;

const BARE = 'argon2id verify, bare process';
const FLOOR = 'login floor: bare Fastify + PGlite + RS256';
const EMBEDDED = 'monolith, in-process + PGlite';
const NATS = 'monolith, NATS + PostgreSQL';
const UNAUDITED = 'the same, logins not in the security log';
/** What writing every login to the security log may cost a login's throughput, at most. */
const AUDIT_TARGET = 0.05;

await runBench(main);

async function main() {
  const users = Math.max(CONCURRENCY, ...SWEEP);
  const verifier = await startServer(BARE, VERIFY_SERVER);
  const { head } = await expectStatus(200, verifier.url, 'GET', '/hash');
  const targets = [{ name: BARE, handle: verifier, run: (c, ms) => bareRound(verifier, c, ms) }];
  const floor = await startServer(FLOOR, FLOOR_SERVER, { DATA_DIR: await dataDir('floor') });
  targets.push(await loginTarget(FLOOR, floor, users));

  const embeddedData = await dataDir('embedded');
  const embeddedInspector = await inspectorPort();
  const embedded = await startPlatform(EMBEDDED, {
    DATA_DIR: embeddedData,
    ...inspectorEnv(embeddedInspector),
  });
  targets.push(await loginTarget(EMBEDDED, embedded, users, embeddedInspector));
  const unauditedData = await dataDir('unaudited');
  const unaudited = await startPlatform(
    UNAUDITED,
    { DATA_DIR: unauditedData },
    WITHOUT_LOGIN_AUDIT,
  );
  targets.push(await loginTarget(UNAUDITED, unaudited, users));
  const { env, database, missing } = await natsAndPostgres('bench_login');
  if (missing) {
    console.log(`${NATS}: skipped (${missing})`);
  } else {
    const inspector = await inspectorPort();
    const monolith = await startPlatform(NATS, { ...env, ...inspectorEnv(inspector) });
    targets.push(await loginTarget(NATS, monolith, users, inspector));
    expectHashHeads(NATS, head, await storedHashes(database));
  }

  console.log(`\nSweep: ${SWEEP_SECONDS} s per target and number in flight, up then down`);
  // Each cell keeps the better of its two rounds: a passing disturbance lowers one at most.
  const sweep = new Map(targets.map(({ name }) => [name, SWEEP.map(() => [])]));
  for (const index of [...SWEEP.keys(), ...[...SWEEP.keys()].reverse()]) {
    for (const target of targets) {
      sweep.get(target.name)[index].push(await target.run(SWEEP[index], SWEEP_SECONDS * 1000));
    }
  }

  const rounds = Math.max(1, Math.round(MEASURE_SECONDS / ROUND_SECONDS));
  console.log(`Measuring ${rounds} rounds of ${ROUND_SECONDS} s per target in turn`);
  const results = new Map(targets.map(({ name }) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) results.get(target.name).push(await measuredRound(target));
  }
  // One more bare round, so that every login round has a bare round on either side.
  results.get(BARE).push(await measuredRound(targets[0]));

  const profiles = [];
  for (const target of profileDir ? targets.filter(({ inspector }) => inspector) : []) {
    console.log(`Profiling ${target.name} for ${PROFILE_SECONDS} s, not counted`);
    const file = path.join(profileDir, `${target.handle.name.replace(/\W+/g, '-')}.cpuprofile`);
    await profileWhile(target.inspector, file, () =>
      target.run(CONCURRENCY, PROFILE_SECONDS * 1000),
    );
    profiles.push({ name: target.name, file, ...summarizeProfile(file) });
  }

  // The embedded database is the platform's own while it runs: read its hashes once it is gone.
  await stopChild(embedded);
  expectHashHeads(EMBEDDED, head, await embeddedHashes(embeddedData));
  await stopChild(unaudited);
  await stopChild(floor);

  report({ targets, sweep, results, head });
  for (const summary of profiles) printProfile(summary);
  const everyRound = (name) => [...sweep.get(name).flat(), ...results.get(name)];
  const failed = targets.filter(({ name }) => everyRound(name).some((r) => r.failures > 0));
  for (const { name } of failed) {
    const messages = everyRound(name).flatMap((r) => r.messages);
    console.error(`${name}: failed operations, first: ${messages.slice(0, 3).join('; ')}`);
  }
  return failed.length > 0 ? 1 : 0;
}

/** A platform to log in to, with one user per connection: no account logs in twice at once. */
async function loginTarget(name, handle, count, inspector) {
  const requests = [];
  for (let i = 0; i < count; i++) {
    const { email, password } = await newAccount(handle.url);
    requests.push(jsonPost(handle.url, '/v1/auth/login', { email, password }));
  }
  return { name, handle, inspector, run: (c, ms) => loginRound(handle, requests, c, ms) };
}

/** With BENCH_CPU_PROF, a free port for a platform's inspector; otherwise none. */
async function inspectorPort() {
  if (!profileDir) return undefined;
  mkdirSync(profileDir, { recursive: true });
  return freePort();
}

/**
 * One round at CONCURRENCY, with the CPU time spent meanwhile: by the target's process, by
 * kind of thread; by this process, the load generator; and by the whole machine.
 */
async function measuredRound(target) {
  const ms = ROUND_SECONDS * 1000;
  const pid = target.handle.pid;
  const before = { threads: threadCpu(pid), machine: machineBusyMs(), own: process.cpuUsage() };
  let cpu;
  const take = () => {
    const { user, system } = process.cpuUsage(before.own);
    cpu ??= {
      threads: threadCpuSince(before.threads, threadCpu(pid)),
      machine: machineBusyMs() - before.machine,
      generator: (user + system) / 1000,
    };
  };
  // Taken when the window ends, not when its last operation does.
  const timer = setTimeout(take, ms);
  const outcome = await target.run(CONCURRENCY, ms);
  clearTimeout(timer);
  take();
  return { ...outcome, cpu };
}

/** One round of bare verifications; the child keeps them in flight and times them itself. */
async function bareRound(verifier, concurrency, ms) {
  const path = `/round?concurrency=${concurrency}&ms=${ms}`;
  return { ...(await expectStatus(200, verifier.url, 'POST', path)), messages: [] };
}

/**
 * Keeps `concurrency` logins in flight for `ms`, each on its own keep-alive connection as its
 * own user, and counts those answered within it; as in the bare child, none starts after it and
 * the round ends when the last has answered. A login counts only as a 200 with an access token.
 */
async function loginRound(handle, requests, concurrency, ms) {
  const connections = requests.slice(0, concurrency).map((bytes) => ({
    bytes,
    connection: openConnection(handle.url),
  }));
  const latencies = [];
  const messages = [];
  let completed = 0;
  let failures = 0;
  const deadline = performance.now() + ms;
  const client = async ({ bytes, connection }) => {
    while (performance.now() < deadline) {
      const start = performance.now();
      let problem;
      try {
        const { status, body } = await connection.send(bytes);
        if (status !== 200 || typeof JSON.parse(body).access_token !== 'string') {
          problem = `${status} ${body.toString().slice(0, 200)}`;
        }
      } catch (error) {
        problem = error.message;
      }
      const end = performance.now();
      if (problem !== undefined) {
        // This connection's state is unknown now: count it and let the others go on.
        failures++;
        messages.push(problem);
        return;
      }
      if (end > deadline) return;
      completed++;
      latencies.push(end - start);
    }
  };
  try {
    await Promise.all(connections.map(client));
  } finally {
    for (const { connection } of connections) connection.close();
  }
  return { completed, failures, ms, latencies, messages };
}

/** The password hashes `auth.credentials` holds in the monolith's PostgreSQL database. */
async function storedHashes(database) {
  const rows = await database.query('SELECT password_hash FROM auth.credentials');
  return rows.map((row) => row.password_hash);
}

/** The same from a stopped embedded platform's data dir (the platform keeps PGlite in `pglite/`). */
async function embeddedHashes(directory) {
  const db = await PGlite.create({ dataDir: path.join(directory, 'pglite') });
  try {
    const { rows } = await db.query('SELECT password_hash FROM auth.credentials');
    return rows.map((row) => row.password_hash);
  } finally {
    await db.close();
  }
}

/**
 * Every hash a platform's logins verify must have the bare verifier's algorithm, version and
 * parameters (the PHC string's head), or the baseline is not the same work.
 */
function expectHashHeads(name, head, hashes) {
  if (!head.startsWith('$argon2id$')) throw new Error(`the bare verifier hashes with ${head}`);
  if (hashes.length === 0) throw new Error(`${name} stores no password hashes`);
  const other = hashes.map(phcHead).find((stored) => stored !== head);
  if (other) {
    throw new Error(`${name} stores hashes made with ${other}, but the bare verifier uses ${head}`);
  }
}

function phcHead(hash) {
  return hash.split('$', 4).join('$');
}

function report({ targets, sweep, results, head }) {
  const rounds = results.get(BARE).length - 1;
  printMachine([
    `Thread pool: ${POOL_THREADS} threads in every child (UV_THREADPOOL_SIZE ` +
      `${process.env.UV_THREADPOOL_SIZE ?? "unset: libuv's default"})`,
    `Hash: ${head}, by the platform's PasswordHasher; every stored hash has the same head`,
    `Load: ${CONCURRENCY} in flight per target (BENCH_CONCURRENCY), ${rounds} rounds of ` +
      `${ROUND_SECONDS} s per target in turn, after a sweep of ${SWEEP_SECONDS} s per target ` +
      `and number in flight, up then down; logins on keep-alive connections, one user each`,
  ]);

  console.log('Sweep, operations per second by number in flight (the better of two rounds):');
  printTable(
    ['target', ...SWEEP.map(String)],
    targets.map(({ name }) => [name, ...bestRates(sweep.get(name)).map((r) => r.toFixed(0))]),
  );
  const saturation = targets.map(({ name }) => ({
    name,
    ...saturatedAt(bestRates(sweep.get(name))),
  }));
  const [bareSaturation, ...loginSaturation] = saturation;
  console.log(
    `\nThe bare hash saturates at ${bareSaturation.concurrency} in flight ` +
      `(${bareSaturation.rate.toFixed(0)}/s, within ${percent(1 - SATURATED)} of its best, ` +
      `${bareSaturation.best.toFixed(0)}/s); logins at ` +
      loginSaturation.map(({ name, concurrency }) => `${concurrency} (${name})`).join(', ') +
      `. Measured at ${CONCURRENCY}.\n`,
  );

  const bareRounds = results.get(BARE).map(rate);
  const rows = targets.map(({ name }) => {
    const all = results.get(name);
    // The bare target's closing round only brackets the last login round.
    const counted = name === BARE ? all.slice(0, rounds) : all;
    const operations = sum(counted.map((r) => r.completed));
    const perOp = (value) => value / operations;
    return {
      name,
      perSecond: mean(counted.map(rate)),
      latency: summarize(counted.flatMap((r) => r.latencies)),
      failures: sum(all.map((r) => r.failures)),
      pairs: name === BARE ? [] : all.map((r, i) => rate(r) / mean(bareRounds.slice(i, i + 2))),
      threads: THREAD_KINDS.map((kind) => perOp(sum(counted.map((r) => r.cpu.threads[kind])))),
      generator: perOp(sum(counted.map((r) => r.cpu.generator))),
      machine: perOp(sum(counted.map((r) => r.cpu.machine))),
      busy: sum(counted.map((r) => r.cpu.machine)) / sum(counted.map((r) => r.ms * cores())),
    };
  });
  const [bare, ...logins] = rows;
  printTable(
    ['target', 'ops/s', 'p50 ms', 'p99 ms', 'failures', 'vs bare', 'round pairs'],
    rows.map((r) => [
      r.name,
      r.perSecond.toFixed(1),
      r.latency.p50.toFixed(1),
      r.latency.p99.toFixed(1),
      String(r.failures),
      ratio(r.perSecond, bare.perSecond),
      r.pairs.length ? `${Math.min(...r.pairs).toFixed(2)}-${Math.max(...r.pairs).toFixed(2)}` : '',
    ]),
  );
  console.log('');
  for (const login of logins) {
    const value = login.perSecond / bare.perSecond;
    const verdict =
      login.name === EMBEDDED
        ? `target ≥ ${TARGET_RATIO.toFixed(2)}: ${value >= TARGET_RATIO ? 'met' : 'MISSED'}`
        : 'reported beside it';
    console.log(`login/bare, ${login.name}: ${value.toFixed(3)}  ${verdict}`);
  }
  const audited = rows.find(({ name }) => name === EMBEDDED);
  const least = rows.find(({ name }) => name === FLOOR);
  console.log(
    `login/floor, ${EMBEDDED}: ${(audited.perSecond / least.perSecond).toFixed(3)}; the floor ` +
      `is the most any login made of these parts can do, here ` +
      `${(least.perSecond / bare.perSecond).toFixed(3)} of bare`,
  );
  const unaudited = rows.find(({ name }) => name === UNAUDITED);
  const cost = 1 - audited.perSecond / unaudited.perSecond;
  console.log(
    `security log on against off (${EMBEDDED}): ${percent(cost, 1)} fewer logins per second, ` +
      `target ≤ ${percent(AUDIT_TARGET)}: ${cost <= AUDIT_TARGET ? 'met' : 'MISSED'}`,
  );

  console.log('\nCPU ms per operation, by where it ran:');
  printTable(
    [
      'target',
      'thread pool',
      'main thread',
      'V8 helpers',
      'other threads',
      'load generator',
      'elsewhere',
      'all',
      'cores busy',
    ],
    rows.map((r) => [
      r.name,
      ...r.threads.map(cpuMs),
      cpuMs(r.generator),
      cpuMs(elsewhere(r)),
      cpuMs(r.machine),
      percent(r.busy),
    ]),
  );
  console.log(
    `\nThreads are the measured process's own; "elsewhere" is everything else the machine did ` +
      `meanwhile (the NATS server and PostgreSQL, and any other process). Beyond the bare ` +
      `verify, per login: ` +
      logins.map((r) => `${cpuMs(r.machine - bare.machine)} ms (${r.name})`).join(', ') +
      '.',
  );
  // Only the NATS row needs other processes (the NATS server and PostgreSQL) by design.
  const disturbed = rows.filter((r) => r.name !== NATS && elsewhere(r) > DISTURBED * bare.machine);
  if (disturbed.length > 0) {
    console.log(
      `Disturbed: other processes took CPU during the rounds of ` +
        disturbed.map((r) => `${r.name} (${cpuMs(elsewhere(r))} ms per operation)`).join(', ') +
        `; run again on a quiet machine before quoting the ratios.`,
    );
  }
}

/** CPU the machine spent outside the measured process and the load generator, per operation. */
function elsewhere(row) {
  return row.machine - sum(row.threads) - row.generator;
}

/** Per cell of the sweep, the better rate of its rounds. */
function bestRates(cells) {
  return cells.map((rounds) => Math.max(...rounds.map(rate)));
}

/** The first number in flight whose rate is within SATURATED of the sweep's best. */
function saturatedAt(rates) {
  const best = Math.max(...rates);
  const index = rates.findIndex((value) => value >= SATURATED * best);
  return { concurrency: SWEEP[index], rate: rates[index], best };
}

function printProfile({ name, file, busyShare, frames, owners }) {
  console.log(
    `\nCPU profile of ${name}'s main thread, ${PROFILE_SECONDS} s at ${CONCURRENCY} in flight ` +
      `(${file}): busy ${percent(busyShare)} of the time. The hashes run on the thread pool, ` +
      `outside it. Top self time, as a share of the busy time:`,
  );
  for (const { name: frame, share } of frames) {
    console.log(`  ${percent(share, 1).padStart(6)}  ${frame}`);
  }
  const byOwner = owners.map(({ name: owner, share }) => `${owner} ${percent(share, 1)}`);
  console.log(`  by owner (the package or library on the stack): ${byOwner.join(', ')}`);
}

function rate({ completed, ms }) {
  return (completed / ms) * 1000;
}

/** What /proc/stat adds up: every CPU the machine has. */
function cores() {
  return os.cpus().length;
}

function cpuMs(value) {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

function percent(value, digits = 0) {
  return `${(value * 100).toFixed(digits)}%`;
}
