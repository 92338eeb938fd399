#!/usr/bin/env node
// Starts every context as its own OS process, over NATS and PostgreSQL, from one command:
// the split deployment on a laptop. Each log line is prefixed with its service; Ctrl-C stops all.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
// The one list of contexts, as `nest build` (run first by `npm run start:split`) compiled it.
import { CONTEXTS } from '../dist/libs/contracts/src/platform/contexts.js';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/identity';
const GATEWAY_PORT = Number(process.env.PORT ?? 3000);
// Every process must know the services' client secrets; made up for this run unless given.
const SERVICE_CLIENT_SECRETS =
  process.env.SERVICE_CLIENT_SECRETS ||
  JSON.stringify(
    Object.fromEntries(CONTEXTS.map((name) => [name, randomBytes(32).toString('base64url')])),
  );
// A directory `npm run nats:dev-config` wrote: each service connects as its own identity.
const NATS_DIR = process.env.NATS_DIR;

// The gateway owns the public port and starts last; every other context serves only health on
// a port of its own after it.
const services = [
  ...CONTEXTS.filter((name) => name !== 'gateway').map((name, index) => ({
    name,
    port: GATEWAY_PORT + 1 + index,
  })),
  { name: 'gateway', port: GATEWAY_PORT },
];

await ensureDatabase(DATABASE_URL);
if (NATS_DIR) provision();

const children = services.map(({ name, port }) => {
  const child = spawn(process.execPath, ['dist/apps/platform/src/main.js'], {
    env: {
      ...process.env,
      SERVICES: name,
      PORT: String(port),
      NATS_URL,
      DATABASE_URL,
      SERVICE_CLIENT_SECRETS,
      ...identityOf(name),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const label = `[${name}]`.padEnd(10);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`${label} ${line}`));
  }
  child.on('exit', (code, signal) => {
    console.log(`${label} exited (${signal ?? code})`);
    if (!stopping) stop(1);
  });
  return child;
});

let stopping = false;
function stop(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(exitCode), 5000).unref();
  Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on('exit', r)))),
  ).then(() => process.exit(exitCode));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

console.log(`Split deployment: gateway on http://localhost:${GATEWAY_PORT}, NATS ${NATS_URL}`);

/** The NATS identity of a service in NATS_DIR: its seed, and the CA if the bus uses TLS. */
function identityOf(name) {
  if (!NATS_DIR) return {};
  const ca = join(NATS_DIR, 'ca.pem');
  return {
    NATS_NKEY_SEED_FILE: join(NATS_DIR, `${name}.nk`),
    ...(existsSync(ca) ? { NATS_TLS_CA_FILE: ca } : {}),
  };
}

/**
 * On the hardened bus the services may not create their streams: `npm run nats:provision`, as
 * the provisioner of NATS_DIR, creates or updates them first (the gateway's rate limits set
 * how long its bucket keeps a counter, so it reads the same environment).
 */
function provision() {
  const result = spawnSync(process.execPath, ['dist/apps/platform/src/nats-provision.js'], {
    env: { ...process.env, NATS_URL, ...identityOf('provisioner') },
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Creates the database named in the URL if it does not exist yet. */
async function ensureDatabase(url) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
