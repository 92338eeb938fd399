#!/usr/bin/env node
// Throughput and latency of `GET /v1/users/me` with a bearer access token: the platform verifies
// the token (signature, typ, iss, aud, exp, revocation), routes to the users context and reads
// the user. The baseline is bare Fastify verifying the same token's signature and expiry with
// node:crypto and answering a fixed user. Ratios are to the baseline measured in the same run.
// See bench/README.md. Needs `nest build` first; the NATS + PostgreSQL row needs both on loopback.
import { fileURLToPath } from 'node:url';
import {
  createDatabase,
  dataDir,
  expectStatus,
  login,
  measureUserRead,
  missingInfrastructure,
  NATS_URL,
  printMachine,
  printTable,
  ratio,
  registerUser,
  request,
  runBench,
  positiveNumber,
  startPlatform,
  startServer,
  stopChild,
  wholeMilliseconds,
} from './support/harness.mjs';

const BARE_SERVER = fileURLToPath(new URL('./bare-fastify-jwt.server.mjs', import.meta.url));
const MEASURE_SECONDS = positiveNumber('BENCH_SECONDS', 10);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 50;
const TARGET_RATIO = 0.5;

await runBench(main);

async function main() {
  const results = new Map();

  // The platform goes first: the baseline needs its signing key and one of its tokens. Each
  // target is stopped before the next starts, so idle servers take no CPU from the measured one.
  const embedded = await startPlatform('monolith, in-process + PGlite', {
    DATA_DIR: await dataDir('embedded'),
  });
  let token;
  let jwk;
  try {
    const session = await signIn(embedded.origin);
    token = session.token;
    jwk = await signingKeyOf(embedded.origin, token);
    results.set(embedded.label, await measure(embedded.label, embedded.origin, token, session.id));
  } finally {
    await stopChild(embedded);
  }

  const bare = await startServer('bare Fastify + node:crypto JWT', BARE_SERVER, {
    BENCH_JWK: JSON.stringify(jwk),
  });
  try {
    // The baseline must really verify: a token with a changed signature is refused.
    const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const refused = await request('GET', `${bare.origin}/v1/users/me`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    if (refused.status !== 401) throw new Error(`bare server accepted a forged token`);
    const sub = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;
    results.set(bare.label, await measure(bare.label, bare.origin, token, sub));
  } finally {
    await stopChild(bare);
  }

  const natsLabel = 'monolith, NATS + PostgreSQL';
  const unavailable = await missingInfrastructure();
  if (unavailable) {
    console.log(`\n${natsLabel}: skipped (${unavailable})`);
  } else {
    const databaseUrl = await createDatabase('bench_users_me');
    const monolith = await startPlatform(natsLabel, { NATS_URL, DATABASE_URL: databaseUrl });
    try {
      const session = await signIn(monolith.origin);
      results.set(natsLabel, await measure(natsLabel, monolith.origin, session.token, session.id));
    } finally {
      await stopChild(monolith);
    }
  }

  printMachine([
    `Load: ${CONNECTIONS} connections, pipelining 1, ${MEASURE_SECONDS} s per target after ` +
      `${WARMUP_SECONDS} s warm-up; one user, one ${jwk.alg} access token per platform`,
  ]);
  const baseline = results.get(bare.label).requestsPerSecond;
  const order = [bare.label, embedded.label, natsLabel].filter((label) => results.has(label));
  printTable(
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs bare'],
    order.map((label) => {
      const r = results.get(label);
      return [
        label,
        r.requestsPerSecond.toFixed(0),
        wholeMilliseconds(r.p50),
        wholeMilliseconds(r.p99),
        String(r.non2xx),
        String(r.errors + r.timeouts),
        ratio(r.requestsPerSecond, baseline),
      ];
    }),
  );
  const embeddedRatio = results.get(embedded.label).requestsPerSecond / baseline;
  console.log(
    `\nTarget: monolith (in-process + PGlite) ≥ ${TARGET_RATIO.toFixed(2)} × bare: ` +
      `${embeddedRatio.toFixed(3)} ${embeddedRatio >= TARGET_RATIO ? 'met' : 'MISSED'}`,
  );

  const failed = [...results].filter(([, r]) => r.errors + r.timeouts + r.non2xx > 0);
  for (const [label, r] of failed) {
    console.error(`${label}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
  }
  return failed.length > 0 ? 1 : 0;
}

/** One fresh user, logged in once: its id and access token. */
async function signIn(origin) {
  const user = await registerUser(origin);
  const tokens = await login(origin, user);
  return { id: user.id, token: tokens.access_token };
}

/** The JWK, from the platform's JWKS, whose `kid` signed `token`. */
async function signingKeyOf(origin, token) {
  const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
  const jwks = await expectStatus(200, 'GET', `${origin}/.well-known/jwks.json`);
  const jwk = jwks.keys?.find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`the JWKS of ${origin} has no key ${header.kid}`);
  if (jwk.alg !== header.alg) throw new Error(`key ${jwk.kid} is ${jwk.alg}, token ${header.alg}`);
  return jwk;
}

/** `GET /v1/users/me` under load with the user's own token (see `measureUserRead`). */
async function measure(label, origin, token, id) {
  console.log(`\n${label}`);
  return measureUserRead(`${origin}/v1/users/me`, {
    id,
    headers: { authorization: `Bearer ${token}` },
    seconds: MEASURE_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    connections: CONNECTIONS,
  });
}
