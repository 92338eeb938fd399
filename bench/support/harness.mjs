// Shared plumbing for the benches in bench/: starting and stopping server processes, a scratch
// PostgreSQL database and temp dir that are always removed (also on Ctrl-C or a failure), HTTP
// helpers for the platform's auth routes, statistics and the table printout.
// Each bench is one process, so the run's resources are module state here.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

export const MAIN = fileURLToPath(new URL('../../dist/apps/platform/src/main.js', import.meta.url));
export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const NATS_URL = 'nats://127.0.0.1:4222';
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432';
/** The platform's default issuer; the benches leave `ISSUER` unset. */
export const ISSUER = 'http://localhost:3000';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_LINES = 30;

/**
 * Variables the platform reads. Children get them only from the bench, so a NATS_URL (or any
 * other setting) exported in the caller's shell cannot quietly change what is measured.
 */
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
  'SIGNING_ALG',
  'KEY_ENCRYPTION_KEY',
  'SIGNING_KEY_ROTATION_HOURS',
  'ACCESS_TOKEN_TTL_SECONDS',
  'VERIFIED_TOKEN_CACHE_SIZE',
  'REFRESH_IDLE_DAYS',
  'REFRESH_ABSOLUTE_DAYS',
  'LOGIN_MAX_FAILURES',
  'LOGIN_MAX_FAILURES_PER_ADDRESS',
  'LOGIN_LOCK_SECONDS',
  'LOGIN_MAX_LOCK_SECONDS',
  'BOOTSTRAP_ADMIN_EMAIL',
  'BOOTSTRAP_ADMIN_PASSWORD',
];

/** Everything cleanup() must undo; filled in as the run creates it. */
const resources = { children: new Set(), tempDir: undefined, databases: new Set() };
/** The one cleanup run, shared by the normal path and a signal arriving mid-run. */
let cleaning;
/**
 * Set once cleanup begins. A signal runs cleanup while the bench's own code is still going, so
 * from then on nothing new may be started or created: it would outlive the run.
 */
let closing = false;

function refuseWhileClosing() {
  if (closing) throw new Error('the bench is stopping');
}
/** One key per run, so every platform process of the run can read the others' signing keys. */
const keyEncryptionKey = randomBytes(32).toString('base64');

/**
 * Runs a bench: `main` returns the exit code (non-zero when a target had errors); an exception
 * prints its message and exits 1. Children, databases and the temp dir are removed either way,
 * and on SIGINT/SIGTERM too.
 */
export async function runBench(main) {
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
}

/** The run's temp dir, created on first use. Children run in it, so no `.env` is picked up. */
export async function tempDir() {
  refuseWhileClosing();
  resources.tempDir ??= await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  return resources.tempDir;
}

/** A subdirectory name for one embedded platform's data (PGlite and its files). */
export async function dataDir(name) {
  return path.join(await tempDir(), name);
}

/**
 * Starts one platform process (all contexts unless `SERVICES` is given) on a free loopback port
 * and waits for its readiness probe. Defaults suit benches: quiet logs, a per-run key encryption
 * key, access tokens that outlive the run, and no per-address login lock.
 */
export async function startPlatform(label, env) {
  return startServer(label, MAIN, {
    LOG_LEVEL: 'warn',
    KEY_ENCRYPTION_KEY: keyEncryptionKey,
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '10000',
    ...env,
  });
}

/** Starts `script` with `env` plus a free `PORT`, and waits until `/health/ready` answers 200. */
export async function startServer(label, script, env = {}) {
  const port = await freePort();
  const handle = await startChild(label, script, { ...env, PORT: String(port) });
  try {
    await waitUntilReady(handle);
  } catch (error) {
    await stopChild(handle);
    throw error;
  }
  return handle;
}

async function startChild(label, script, env) {
  const cwd = await tempDir();
  refuseWhileClosing();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !PLATFORM_VARIABLES.includes(key)),
  );
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { ...inherited, HOST: '127.0.0.1', ...env },
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
export async function stopChild(handle) {
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

/** The child's last output lines, for an error message. */
export function tail(handle) {
  if (handle.output.length === 0) return '; it printed nothing';
  return `; its last output:\n    ${handle.output.join('\n    ')}`;
}

/** Creates a scratch database `<prefix>_<timestamp>`, dropped again by cleanup. */
export async function createDatabase(prefix = 'bench') {
  refuseWhileClosing();
  const name = `${prefix}_${Date.now()}`;
  resources.databases.add(name);
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  // Cleanup may have begun, and tried to drop it, while it was being created.
  if (closing) await dropDatabase(name);
  refuseWhileClosing();
  return `${POSTGRES_URL}/${name}`;
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

/** Why NATS or PostgreSQL cannot be used, or undefined when both accept a connection. */
export async function missingInfrastructure() {
  for (const [name, url] of [
    ['NATS', NATS_URL],
    ['PostgreSQL', POSTGRES_URL],
  ]) {
    const { hostname, port } = new URL(url);
    const reachable = await new Promise((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) });
      const settle = (value) => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(2000);
      socket.once('connect', () => settle(true));
      socket.once('error', () => settle(false));
      socket.once('timeout', () => settle(false));
    });
    if (!reachable) return `${name} not reachable at ${url}`;
  }
  return undefined;
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

/** Idempotent, so the normal path and a signal arriving mid-run can both call it. */
export function cleanup() {
  closing = true;
  cleaning ??= (async () => {
    // Nothing new starts once `closing` is set, but a spawn may have been under way.
    for (let pass = 0; pass < 3 && resources.children.size > 0; pass++) {
      await Promise.all([...resources.children].map((handle) => stopChild(handle)));
    }
    for (const name of resources.databases) await dropDatabase(name);
    if (resources.tempDir) await rm(resources.tempDir, { recursive: true, force: true });
  })();
  return cleaning;
}

function dropDatabase(name) {
  // FORCE: a child killed with SIGKILL may leave a backend PostgreSQL has not reaped yet.
  return withAdminClient((client) =>
    client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  ).catch((error) => console.error(`Could not drop ${name}: ${error.message}`));
}

async function abort(signal) {
  console.error(`\n${signal}: stopping servers and removing the run's database and files`);
  await cleanup();
  process.exit(128 + os.constants.signals[signal]);
}

// --- HTTP -------------------------------------------------------------------------------------

/** One request; answers `{ status, body }` with `body` parsed when it is JSON. */
export async function request(method, url, { json, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    headers: json === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: json === undefined ? undefined : JSON.stringify(json),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text, it explains the failure
  }
  return { status: response.status, body, text };
}

/** Like `request`, but throws, with the answer, unless the status is `expected`. */
export async function expectStatus(expected, method, url, options) {
  const answer = await request(method, url, options);
  if (answer.status !== expected) {
    throw new Error(`${method} ${url} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  return answer.body;
}

/** A fresh account through `POST /v1/auth/register`. */
export async function registerUser(origin) {
  const credentials = {
    email: `bench-${randomUUID()}@example.com`,
    password: 'bench-password-1',
  };
  const user = await expectStatus(201, 'POST', `${origin}/v1/auth/register`, { json: credentials });
  return { ...credentials, id: user.id };
}

/** `POST /v1/auth/login`; the token response. */
export function login(origin, { email, password }) {
  return expectStatus(200, 'POST', `${origin}/v1/auth/login`, { json: { email, password } });
}

// --- settings, statistics, output ---------------------------------------------------------

/** A positive number from the environment, or `fallback`; exits 2 on a bad value. */
export function positiveNumber(name, fallback, integer = false) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    console.error(`${name} must be a positive ${integer ? 'integer' : 'number'} (got "${raw}")`);
    process.exit(2);
  }
  return value;
}

/** Mean and percentiles (nearest rank) of a list of samples. */
export function summarize(samples) {
  if (samples.length === 0) return { count: 0, mean: NaN, p50: NaN, p99: NaN, min: NaN, max: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return {
    count: sorted.length,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    p50: rank(50),
    p99: rank(99),
    min: sorted[0],
    max: sorted.at(-1),
  };
}

/** CPU, cores, memory, Node version and load, then the bench's own settings lines. */
export function printMachine(settings = []) {
  const cpus = os.cpus();
  console.log(`\nCPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores`);
  console.log(
    `Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average ` +
      os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' '),
  );
  console.log(`Node: ${process.version}, ${os.platform()} ${os.release()}`);
  for (const line of settings) console.log(line);
  console.log('');
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function printTable(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => String(row[column]).length)),
  );
  const format = (row) =>
    row
      .map((cell, column) =>
        column === 0 ? String(cell).padEnd(widths[0]) : String(cell).padStart(widths[column]),
      )
      .join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(format(row));
}

/** A ratio with three decimals, or `n/a` without a baseline. */
export function ratio(value, baseline) {
  return baseline > 0 && Number.isFinite(value) ? (value / baseline).toFixed(3) : 'n/a';
}

/** autocannon records whole milliseconds, so a faster answer reads 0; say what that means. */
export function wholeMilliseconds(value) {
  return value < 1 ? '<1' : String(value);
}

// --- load -----------------------------------------------------------------------------------

/**
 * Checks one `GET` answers the user `id` in the UserView shape, so a target answering errors
 * fast is not reported as fast and every target serialises the same body, then runs autocannon
 * for a warm-up (not counted) and the measured run.
 */
export async function measureUserRead(
  url,
  { id, headers = {}, seconds, warmupSeconds, connections },
) {
  const user = await expectStatus(200, 'GET', url, { headers });
  if (user.id !== id || Object.keys(user).sort().join() !== USER_VIEW_KEYS.join()) {
    throw new Error(`GET ${url} answered an unexpected body: ${JSON.stringify(user)}`);
  }
  console.log(`  measuring for ${seconds} s after a ${warmupSeconds} s warm-up`);
  const result = await autocannon({
    url,
    headers,
    connections,
    pipelining: 1,
    duration: seconds,
    warmup: { connections, duration: warmupSeconds },
  });
  return {
    requestsPerSecond: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The keys of the platform's UserView, sorted. */
export const USER_VIEW_KEYS = ['createdAt', 'displayName', 'email', 'id', 'roles'];
