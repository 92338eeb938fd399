#!/usr/bin/env node
// How much of a password login is the password hash. Login must verify one argon2id hash; that
// is deliberate, slow work. Everything else (HTTP, validation, the throttle, the account lookup,
// the users context, the session insert, signing the access token) should be small next to it.
// This bench times (a) `@node-rs/argon2` verify of a hash with the platform's parameters, in this
// process, and (b) `POST /v1/auth/login` against the embedded monolith, one request at a time,
// interleaved (a, b, a, b, ...) so both see the same machine. The share of login time beyond the
// hash is (login − verify) / login. See bench/README.md. Needs `nest build` first.
import { hash, verify } from '@node-rs/argon2';
import { performance } from 'node:perf_hooks';
import {
  createDatabase,
  dataDir,
  login,
  missingInfrastructure,
  NATS_URL,
  positiveNumber,
  printMachine,
  printTable,
  registerUser,
  runBench,
  startPlatform,
  stopChild,
  summarize,
} from './support/harness.mjs';

const ITERATIONS = positiveNumber('BENCH_LOGINS', 20, true);
const WARMUP_ITERATIONS = 3;
const TARGET_SHARE = 0.15;
/** The platform's PasswordHasher parameters (OWASP: argon2id, m=19 MiB, t=2, p=1). */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

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

  const targets = [
    { name: 'monolith, in-process + PGlite', env: { DATA_DIR: await dataDir('embedded') } },
  ];
  const unavailable = await missingInfrastructure();
  if (unavailable) {
    console.log(`monolith, NATS + PostgreSQL: skipped (${unavailable})`);
  } else {
    const databaseUrl = await createDatabase('bench_login');
    targets.push({
      name: 'monolith, NATS + PostgreSQL',
      env: { NATS_URL, DATABASE_URL: databaseUrl },
    });
  }

  const results = [];
  for (const target of targets) {
    const platform = await startPlatform(target.name, target.env);
    try {
      const user = await registerUser(platform.origin);
      console.log(`\n${target.name}: ${WARMUP_ITERATIONS} warm-up rounds, then ${ITERATIONS}`);
      const verifySamples = [];
      const loginSamples = [];
      for (let round = 0; round < WARMUP_ITERATIONS + ITERATIONS; round++) {
        const verifyMs = await timed(hashVerify);
        const loginMs = await timed(async () => {
          const tokens = await login(platform.origin, user);
          if (typeof tokens.access_token !== 'string') throw new Error('login gave no token');
        });
        if (round >= WARMUP_ITERATIONS) {
          verifySamples.push(verifyMs);
          loginSamples.push(loginMs);
        }
      }
      results.push({
        name: target.name,
        hash: summarize(verifySamples),
        login: summarize(loginSamples),
      });
    } finally {
      await stopChild(platform);
    }
  }

  printMachine([
    `Runs: ${ITERATIONS} of each per target after ${WARMUP_ITERATIONS} warm-up, sequential and ` +
      `interleaved (verify, login, verify, ...); one connection; one user`,
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
        percent(share(r, 'mean')),
      ],
    ]),
  );

  console.log(
    `\nBeyond the hash = (login − verify) / login, by mean; target ≤ ${percent(TARGET_SHARE)} ` +
      `(in-process + PGlite)`,
  );
  for (const r of results) {
    const value = share(r, 'mean');
    console.log(
      `  ${r.name}: ${percent(value)} by mean, ${percent(share(r, 'p50'))} by p50, ` +
        `${ms(r.login.mean - r.hash.mean)} ms per login beyond the hash  ` +
        `${value <= TARGET_SHARE ? 'met' : 'MISSED'}`,
    );
  }
  return 0;
}

function share(result, statistic) {
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
