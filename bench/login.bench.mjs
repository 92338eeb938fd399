#!/usr/bin/env node
// How much of a password login is the password hash. Login must verify one argon2id hash; that
// is deliberate, slow work. Everything else (HTTP, validation, the throttle, the account lookup,
// the users context, the session insert, signing the access token) should be small next to it.
// This bench times, one at a time and interleaved so all see the same machine: (a)
// `@node-rs/argon2` verify of a hash with the platform's parameters, in this process; (b)
// `POST /v1/auth/login` on each platform; (c) the same request to bare Fastify answering a fixed
// token response, which is what any HTTP server on this machine takes to answer it. Each request
// follows a hash, as the platform's own work follows its hash. See bench/README.md. Needs
// `nest build` first.
import { hash, verify } from '@node-rs/argon2';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  dataDir,
  login,
  natsAndPostgres,
  newAccount,
  positiveNumber,
  printMachine,
  printTable,
  runBench,
  startPlatform,
  startServer,
  summarize,
} from './support/harness.mjs';

const BARE_SERVER = fileURLToPath(new URL('./bare-fastify-login.server.mjs', import.meta.url));
const ITERATIONS = positiveNumber('BENCH_LOGINS', 30, true);
const WARMUP_ITERATIONS = 3;
const TARGET_SHARE = 0.15;
/** The platform's PasswordHasher parameters (OWASP: argon2id, m=19 MiB, t=2, p=1). */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const BARE = 'bare Fastify, fixed answer';
const EMBEDDED = 'monolith, in-process + PGlite';
const NATS = 'monolith, NATS + PostgreSQL';

await runBench(main);

async function main() {
  const password = 'bench-password-1';
  const passwordHash = await hash(password, ARGON2_OPTIONS);
  if (!passwordHash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')) {
    throw new Error(`unexpected hash parameters: ${passwordHash.slice(0, 40)}`);
  }
  const hashVerify = async () => {
    if (!(await verify(passwordHash, password))) throw new Error('argon2 verify failed');
  };

  const targets = [];
  const bare = await startServer(BARE, BARE_SERVER);
  targets.push({ name: BARE, origin: bare.url, user: { email: 'bench@example.com', password } });
  const embedded = await startPlatform(EMBEDDED, { DATA_DIR: await dataDir('embedded') });
  targets.push({ name: EMBEDDED, origin: embedded.url, user: await newAccount(embedded.url) });
  const { env, missing } = await natsAndPostgres('bench_login');
  if (missing) {
    console.log(`${NATS}: skipped (${missing})`);
  } else {
    const monolith = await startPlatform(NATS, env);
    targets.push({ name: NATS, origin: monolith.url, user: await newAccount(monolith.url) });
  }

  console.log(`\n${WARMUP_ITERATIONS} warm-up rounds, then ${ITERATIONS}`);
  const samples = new Map(targets.map(({ name }) => [name, { hash: [], login: [] }]));
  for (let round = 0; round < WARMUP_ITERATIONS + ITERATIONS; round++) {
    for (const target of targets) {
      const hashMs = await timed(hashVerify);
      const loginMs = await timed(async () => {
        const tokens = await login(target.origin, target.user.email, target.user.password);
        if (typeof tokens.access_token !== 'string') throw new Error('login gave no token');
      });
      if (round >= WARMUP_ITERATIONS) {
        samples.get(target.name).hash.push(hashMs);
        samples.get(target.name).login.push(loginMs);
      }
    }
  }
  const results = targets.map(({ name }) => ({
    name,
    hash: summarize(samples.get(name).hash),
    login: summarize(samples.get(name).login),
  }));
  const [baseline, ...platforms] = results;

  printMachine([
    `Runs: ${ITERATIONS} rounds after ${WARMUP_ITERATIONS} warm-up; each round, per target, one ` +
      `hash verify then one login, one connection; one user per platform`,
    `argon2id verify: m=${ARGON2_OPTIONS.memoryCost} KiB, t=${ARGON2_OPTIONS.timeCost}, ` +
      `p=${ARGON2_OPTIONS.parallelism} (@node-rs/argon2, in the bench process)`,
  ]);
  const ms = (value) => value.toFixed(2);
  printTable(
    ['target', 'measured', 'mean ms', 'p50 ms', 'min ms', 'max ms', 'beyond hash'],
    results.flatMap((r) => [
      [
        r.name,
        'argon2id verify',
        ms(r.hash.mean),
        ms(r.hash.p50),
        ms(r.hash.min),
        ms(r.hash.max),
        '',
      ],
      [
        '',
        'POST /v1/auth/login',
        ms(r.login.mean),
        ms(r.login.p50),
        ms(r.login.min),
        ms(r.login.max),
        r === baseline ? '' : percent(share(r)),
      ],
    ]),
  );

  console.log(
    `\nBeyond the hash = (login − verify) / login, by mean; target ≤ ${percent(TARGET_SHARE)} ` +
      `(${EMBEDDED}). The bare answer alone takes ${ms(baseline.login.mean)} ms here, ` +
      `${percent(baseline.login.mean / (baseline.login.mean + baseline.hash.mean))} of a hash ` +
      `plus that round trip.`,
  );
  for (const r of platforms) {
    const value = share(r);
    const added = r.login.mean - r.hash.mean - baseline.login.mean;
    console.log(
      `  ${r.name}: ${percent(value)} by mean, ${percent(share(r, 'p50'))} by p50, ` +
        `${ms(r.login.mean - r.hash.mean)} ms per login beyond the hash, of which ` +
        `${ms(added)} ms (${percent(added / r.login.mean)}) beyond the bare answer  ` +
        `${r.name === EMBEDDED ? (value <= TARGET_SHARE ? 'met' : 'MISSED') : ''}`,
    );
  }
  return 0;
}

function share(result, statistic = 'mean') {
  return (result.login[statistic] - result.hash[statistic]) / result.login[statistic];
}

async function timed(work) {
  const began = performance.now();
  await work();
  return performance.now() - began;
}

function percent(value) {
  return `${(value * 100).toFixed(1)}%`;
}
