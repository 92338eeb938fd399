// What the benches in bench/ share that is theirs alone: a run that removes everything it
// started (also on Ctrl-C or a failure), statistics, the machine line and the table printout,
// and autocannon runs. Platform processes, free ports, scratch databases, private NATS servers
// and the account calls are test/support's, the same code the end-to-end suites use; Node runs
// those .ts files as they are (see bench/README.md). Each bench is one process, so the run's
// resources are module state here.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

// Imported only after this check, so an old Node says what is wrong instead of failing to load.
if (!process.features.typescript) {
  console.error(
    `The benches import test/support/*.ts, which needs a Node that strips types (22.18+); ` +
      `this is ${process.version}. Run them through npm (\`npm run bench:login\`) or ` +
      `\`npx node bench/<name>.bench.mjs\`, which use the project's Node.`,
  );
  process.exit(2);
}
export const { freePort } = await import('../../test/support/free-port.ts');
const { NatsServer } = await import('../../test/support/nats-server.ts');
const { HardenedBus } = await import('../../test/support/hardened-bus.ts');
const { PlatformProcess } = await import('../../test/support/platform-process.ts');
const { ScratchDatabase } = await import('../../test/support/scratch-database.ts');
export const { http } = await import('../../test/support/http.ts');
export const { login, newAccount } = await import('../../test/support/accounts.ts');

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
/** The platform's default issuer; the benches leave `ISSUER` unset. */
export const ISSUER = 'http://localhost:3000';

/** Everything cleanup() must undo; filled in as the run creates it. */
const resources = {
  /** Starts of a NATS server or database under way: cleanup waits for them, then undoes them. */
  starting: new Set(),
  processes: new Set(),
  natsServers: new Set(),
  databases: new Set(),
  tempDir: undefined,
};
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
 * One OAuth client secret per service (libs/contracts' CONTEXTS) per run, which every process
 * of a split deployment must share: a split service refuses to start without them.
 */
const serviceClientSecrets = JSON.stringify(
  Object.fromEntries(
    ['gateway', 'auth', 'users', 'orders'].map((name) => [
      name,
      randomBytes(32).toString('base64url'),
    ]),
  ),
);

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
 * key, access tokens that outlive the run, and no per-address login lock or edge rate limit
 * (a bench is one address sending far more than a client would).
 */
export function startPlatform(label, env, entry) {
  return startProcess(label, entry, {
    LOG_LEVEL: 'warn',
    KEY_ENCRYPTION_KEY: keyEncryptionKey,
    SERVICE_CLIENT_SECRETS: serviceClientSecrets,
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '10000',
    REGISTER_LIMIT_PER_ADDRESS: '1000000',
    REFRESH_LIMIT_PER_ADDRESS: '1000000',
    RATE_LIMIT_PER_ADDRESS: '1000000000',
    RATE_LIMIT_PER_PRINCIPAL: '1000000000',
    RATE_LIMIT_PER_CLIENT: '1000000000',
    ...env,
  });
}

/** Starts `script` (a baseline answering `/health/ready`) like a platform process. */
export function startServer(label, script, env = {}) {
  return startProcess(label, script, env);
}

/**
 * A `PlatformProcess` (test/support) in the run's temp dir, with only the platform variables
 * in `env`: a NATS_URL exported in the caller's shell cannot quietly change what is measured.
 */
async function startProcess(label, entry, env) {
  const cwd = await tempDir();
  const port = await freePort();
  refuseWhileClosing();
  const handle = new PlatformProcess(label, port, env, {
    entry,
    cwd,
    inheritPlatformVariables: false,
  });
  // Owned before it spawns (start() spawns before its first await), so cleanup can stop it.
  resources.processes.add(handle);
  try {
    await handle.start();
  } catch (error) {
    await stopChild(handle);
    throw error;
  }
  return handle;
}

/** SIGTERM lets the platform close NATS and database connections; SIGKILL after 10 s. */
export async function stopChild(handle) {
  await handle.stop();
  resources.processes.delete(handle);
}

/**
 * A private NATS server and a scratch PostgreSQL database `<prefix>_...` for the run, both
 * removed by cleanup: `{ env, database, nats }`, `env` with `NATS_URL` and `DATABASE_URL`, or
 * `{ missing }` saying why either cannot be had. With `hardened`, the server runs the hardened
 * bus `npm run nats:dev-config -- DIR --tls` writes, provisioned by `npm run nats:provision`:
 * each process then needs its identity, `nats.envOf(service)`.
 */
export async function natsAndPostgres(prefix, { hardened = false } = {}) {
  try {
    const nats = await owned(
      resources.natsServers,
      NatsServer.start(undefined, hardened ? HardenedBus.create() : undefined),
    );
    // The operator provisions a hardened bus's streams and bucket before the services start.
    nats.bus?.provision(nats.url);
    const database = await owned(resources.databases, ScratchDatabase.create(prefix));
    return { env: { NATS_URL: nats.url, DATABASE_URL: database.url }, database, nats };
  } catch (error) {
    if (closing) throw error;
    return { missing: error instanceof Error ? error.message : String(error) };
  }
}

/** A scratch PostgreSQL database `<prefix>_...` for the run, removed by cleanup. */
export function postgres(prefix) {
  return owned(resources.databases, ScratchDatabase.create(prefix));
}

/** Awaits `creating` and keeps what it made in `set` for cleanup, even if cleanup began. */
async function owned(set, creating) {
  refuseWhileClosing();
  const kept = creating.then((resource) => {
    set.add(resource);
    return resource;
  });
  resources.starting.add(kept);
  try {
    const resource = await kept;
    refuseWhileClosing();
    return resource;
  } finally {
    resources.starting.delete(kept);
  }
}

/** Idempotent, so the normal path and a signal arriving mid-run can both call it. */
export function cleanup() {
  closing = true;
  cleaning ??= (async () => {
    await Promise.allSettled([...resources.starting]);
    // Platforms first: they hold connections to the NATS servers and databases.
    await Promise.all([...resources.processes].map((handle) => stopChild(handle)));
    for (const nats of resources.natsServers) await nats.stop();
    // drop() uses FORCE: a child killed with SIGKILL may leave a backend not yet reaped.
    for (const database of resources.databases) {
      await database
        .drop()
        .catch((error) => console.error(`Could not drop ${database.name}: ${error.message}`));
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

// --- HTTP -------------------------------------------------------------------------------------

/** `http` (test/support), but throws, with the answer, unless the status is `expected`. */
export async function expectStatus(expected, origin, method, path, options) {
  const answer = await http(origin, method, path, options);
  if (answer.status !== expected) {
    const body = JSON.stringify(answer.body) ?? '';
    throw new Error(`${method} ${origin}${path} answered ${answer.status}: ${body.slice(0, 500)}`);
  }
  return answer.body;
}

/** The JWK, from the platform's JWKS, whose `kid` signed `token` (for a bare baseline). */
export async function signingKeyOf(origin, token) {
  const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
  const jwks = await expectStatus(200, origin, 'GET', '/.well-known/jwks.json');
  const jwk = jwks.keys?.find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`the JWKS of ${origin} has no key ${header.kid}`);
  if (jwk.alg !== header.alg) throw new Error(`key ${jwk.kid} is ${jwk.alg}, token ${header.alg}`);
  return jwk;
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
  origin,
  path,
  { id, headers = {}, seconds, warmupSeconds, connections },
) {
  const user = await expectStatus(200, origin, 'GET', path, { headers });
  if (user.id !== id || Object.keys(user).sort().join() !== USER_VIEW_KEYS.join()) {
    throw new Error(`GET ${path} answered an unexpected body: ${JSON.stringify(user)}`);
  }
  console.log(`  measuring for ${seconds} s after a ${warmupSeconds} s warm-up`);
  const result = await autocannon({
    url: `${origin}${path}`,
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

export function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}

export function mean(values) {
  return sum(values) / values.length;
}

/** Connections of `loadUsersMe`. */
export const USERS_ME_CONNECTIONS = 50;

/** Loads `GET /v1/users/me` with `token` for `seconds`, without pipelining. */
export async function loadUsersMe({ origin, token }, seconds) {
  const result = await autocannon({
    url: `${origin}/v1/users/me`,
    headers: { authorization: `Bearer ${token}` },
    connections: USERS_ME_CONNECTIONS,
    pipelining: 1,
    duration: seconds,
  });
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
