#!/usr/bin/env node
// Throughput and latency of `GET /v1/users/:id` in every deployment shape, next to the same route
// on bare Fastify. Absolute numbers depend on the machine and on whatever else it is doing, so
// each target is reported as a ratio to the bare route measured in the same run.
// See bench/README.md. Needs `nest build` first, and PostgreSQL and NATS on loopback.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const MAIN = fileURLToPath(new URL('../dist/apps/platform/src/main.js', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./bare-fastify.server.mjs', import.meta.url));
const NATS_URL = 'nats://127.0.0.1:4222';
const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432';

const MEASURE_SECONDS = positiveNumber('BENCH_SECONDS', 10);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 50;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_LINES = 30;
const USER_VIEW_KEYS = ['createdAt', 'displayName', 'email', 'id', 'roles'];

// Variables the platform reads. Children get them only from the bench, so a NATS_URL exported in
// the caller's shell cannot quietly turn the embedded shape into something else.
const PLATFORM_VARIABLES = [
  'PORT',
  'HOST',
  'SERVICES',
  'NATS_URL',
  'DATABASE_URL',
  'DATA_DIR',
  'ISSUER',
  'LOG_LEVEL',
  'REQUEST_TIMEOUT_MS',
  'BODY_LIMIT_BYTES',
];

/** Everything cleanup() must undo; filled in as the run creates it. */
const resources = { children: new Set(), tempDir: undefined, database: undefined };
/** The one cleanup run, shared by the normal path and a signal arriving mid-run. */
let cleaning;

process.once('SIGINT', () => abort('SIGINT'));
process.once('SIGTERM', () => abort('SIGTERM'));

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`\nBench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

async function main() {
  resources.tempDir = await mkdtemp(path.join(os.tmpdir(), 'bench-users-get-'));
  resources.database = await createDatabase(`bench_${Date.now()}`);
  const databaseUrl = `${POSTGRES_URL}/${resources.database}`;

  // The two NATS shapes answer the same subjects, so each target is started, measured and
  // stopped before the next one starts: two live shapes would serve each other's requests.
  // One at a time also keeps idle servers from taking CPU from the one being measured.
  const targets = [
    { name: 'bare Fastify', processes: [{ script: BARE_SERVER }] },
    {
      name: 'monolith, in-process + PGlite',
      processes: [{ env: { DATA_DIR: path.join(resources.tempDir, 'embedded') } }],
      registers: true,
    },
    {
      name: 'monolith, NATS + PostgreSQL',
      processes: [{ env: { NATS_URL, DATABASE_URL: databaseUrl } }],
      registers: true,
    },
    {
      name: 'split, NATS + PostgreSQL',
      // Contexts first: the gateway is only useful once something answers its requests.
      processes: [
        { env: { SERVICES: 'auth', NATS_URL, DATABASE_URL: databaseUrl } },
        { env: { SERVICES: 'users', NATS_URL, DATABASE_URL: databaseUrl } },
        { env: { SERVICES: 'gateway', NATS_URL, DATABASE_URL: databaseUrl } },
      ],
      registers: true,
    },
  ];

  const results = [];
  for (const target of targets) results.push({ name: target.name, ...(await benchmark(target)) });

  printReport(results);
  const failed = results.filter((r) => r.errors > 0 || r.timeouts > 0 || r.non2xx > 0);
  for (const r of failed) {
    console.error(`${r.name}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
  }
  return failed.length > 0 ? 1 : 0;
}

/** Starts a target's processes, measures it through the last one, and stops them all again. */
async function benchmark(target) {
  console.log(`\n${target.name}`);
  const started = [];
  try {
    for (const spec of target.processes) {
      const label = spec.env?.SERVICES ? `${target.name} (${spec.env.SERVICES})` : target.name;
      const port = await freePort();
      const child = startChild(label, spec.script ?? MAIN, { ...spec.env, PORT: String(port) });
      started.push(child);
      await waitUntilReady(child);
    }
    const origin = started.at(-1).origin;
    const { id, headers } = target.registers
      ? await signedInUser(origin)
      : { id: crypto.randomUUID(), headers: {} };
    const url = `${origin}/v1/users/${id}`;
    await expectUserView(url, id, headers);

    console.log(`  measuring for ${MEASURE_SECONDS} s after a ${WARMUP_SECONDS} s warm-up`);
    // The warm-up lets the JIT, connection pools and NATS subscriptions settle; autocannon
    // reports it apart from the measured run, so it is not in the numbers below.
    const result = await autocannon({
      url,
      headers,
      connections: CONNECTIONS,
      pipelining: 1,
      duration: MEASURE_SECONDS,
      warmup: { connections: CONNECTIONS, duration: WARMUP_SECONDS },
    });
    return {
      requestsPerSecond: result.requests.mean,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    };
  } finally {
    // Reverse order: the gateway goes before the service it calls.
    for (const child of started.reverse()) await stopChild(child);
  }
}

/**
 * Spawns one server. The working directory is the run's temp dir, so a developer's `.env` (which
 * the platform loads from its working directory) cannot change what is measured.
 */
function startChild(label, script, env) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !PLATFORM_VARIABLES.includes(key)),
  );
  const child = spawn(process.execPath, [script], {
    cwd: resources.tempDir,
    env: { ...inherited, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle = {
    label,
    child,
    origin: `http://127.0.0.1:${env.PORT}`,
    output: [],
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code))),
  };
  // Reading both pipes keeps a chatty child from blocking on a full one; the tail explains a crash.
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      handle.output.push(line);
      if (handle.output.length > OUTPUT_TAIL_LINES) handle.output.shift();
    });
  }
  child.once('error', (error) => handle.output.push(`spawn failed: ${error.message}`));
  resources.children.add(handle);
  handle.exited.then(() => resources.children.delete(handle));
  return handle;
}

/** SIGTERM lets the platform close NATS and database connections; SIGKILL if it hangs. */
async function stopChild(handle) {
  if (!resources.children.has(handle)) return;
  handle.child.kill('SIGTERM');
  const stopped = await Promise.race([
    handle.exited.then(() => true),
    sleep(STOP_TIMEOUT_MS, false),
  ]);
  if (!stopped) {
    console.error(`  ${handle.label} ignored SIGTERM for ${STOP_TIMEOUT_MS} ms; killing it`);
    handle.child.kill('SIGKILL');
    await handle.exited;
  }
}

/** Polls the readiness probe; fails early, with the child's last output, if the child dies. */
async function waitUntilReady(handle) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitStatus;
  handle.exited.then((status) => (exitStatus = status));
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (exitStatus !== undefined) {
      throw new Error(`${handle.label} exited (${exitStatus}) before it was ready${tail(handle)}`);
    }
    try {
      const response = await fetch(`${handle.origin}/health/ready`, {
        signal: AbortSignal.timeout(2000),
      });
      await response.arrayBuffer();
      if (response.ok) return;
      lastProblem = `readiness answered ${response.status}`;
    } catch (error) {
      lastProblem = error.cause?.code ?? error.message;
    }
    await sleep(200);
  }
  throw new Error(
    `${handle.label} not ready after ${READY_TIMEOUT_MS} ms (${lastProblem})${tail(handle)}`,
  );
}

function tail(handle) {
  if (handle.output.length === 0) return '; it printed nothing';
  return `; its last output:\n    ${handle.output.join('\n    ')}`;
}

/**
 * Creates the one user the run reads, through the same gateway that is then measured, and signs
 * it in: the user reads itself with its own access token, as a client would.
 */
async function signedInUser(origin) {
  const credentials = {
    email: `bench-${crypto.randomUUID()}@example.com`,
    password: 'bench-password',
  };
  const registered = await postJson(`${origin}/v1/auth/register`, credentials, 201);
  const tokens = await postJson(`${origin}/v1/auth/login`, credentials, 200);
  return { id: registered.id, headers: { authorization: `Bearer ${tokens.access_token}` } };
}

async function postJson(url, json, expected) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(json),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (response.status !== expected)
    throw new Error(`POST ${url} answered ${response.status}: ${body}`);
  return JSON.parse(body);
}

/**
 * Checks one response before measuring, so that a target answering errors fast is not reported as
 * fast, and the baseline serialises a body of the same shape as the platform.
 */
async function expectUserView(url, id, headers) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  const user = JSON.parse(body);
  const keys = Object.keys(user).sort().join();
  if (user.id !== id || keys !== USER_VIEW_KEYS.join()) {
    throw new Error(`GET ${url} answered an unexpected body: ${body}`);
  }
}

async function createDatabase(name) {
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  return name;
}

async function withAdminClient(work) {
  const client = new pg.Client({
    connectionString: `${POSTGRES_URL}/postgres`,
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Asks the OS for a free loopback port. Another process could take it before the child binds. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** autocannon records whole milliseconds, so a faster answer reads 0; say what that means. */
function milliseconds(value) {
  return value < 1 ? '<1' : String(value);
}

function printReport(results) {
  const cpus = os.cpus();
  const baseline = results[0].requestsPerSecond;
  console.log(`\nCPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores`);
  console.log(`Node: ${process.version}`);
  console.log(
    `Load: ${CONNECTIONS} connections, pipelining 1, ${MEASURE_SECONDS} s per target ` +
      `after ${WARMUP_SECONDS} s warm-up\n`,
  );

  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs bare'];
  const rows = results.map((r) => [
    r.name,
    r.requestsPerSecond.toFixed(0),
    milliseconds(r.p50),
    milliseconds(r.p99),
    String(r.non2xx),
    String(r.errors + r.timeouts),
    baseline > 0 ? (r.requestsPerSecond / baseline).toFixed(3) : 'n/a',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  // First column reads left to right; numbers align on their right edge.
  const format = (row) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]),
      )
      .join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(format(row));
}

/** Idempotent, so the normal path and a signal arriving mid-run can both call it. */
function cleanup() {
  cleaning ??= (async () => {
    await Promise.all([...resources.children].map((handle) => stopChild(handle)));
    if (resources.database) {
      // FORCE: a child killed with SIGKILL may leave a backend PostgreSQL has not reaped yet.
      await withAdminClient((client) =>
        client.query(`DROP DATABASE IF EXISTS "${resources.database}" WITH (FORCE)`),
      ).catch((error) => console.error(`Could not drop ${resources.database}: ${error.message}`));
    }
    if (resources.tempDir) await rm(resources.tempDir, { recursive: true, force: true });
  })();
  return cleaning;
}

async function abort(signal) {
  console.error(`\n${signal}: stopping servers and removing the run's database and files`);
  await cleanup();
  process.exit(128 + os.constants.signals[signal]);
}

function positiveNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`${name} must be a positive number of seconds (got "${raw}")`);
    process.exit(2);
  }
  return value;
}
