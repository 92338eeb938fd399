#!/usr/bin/env node
// Throughput and latency of `GET /v1/users/me` with a bearer access token: the platform verifies
// the token (signature, typ, iss, aud, exp, revocation), routes to the users context and reads
// the user. The baseline is bare Fastify verifying the same token's signature and expiry with
// node:crypto and answering a fixed user. All targets run side by side and are loaded in turn,
// in short alternating rounds, so a change in the machine's speed hits them alike; ratios are to
// the baseline's rounds of the same run. See bench/README.md. Needs `nest build` first; the
// NATS + PostgreSQL row needs PostgreSQL on loopback and `nats-server`.
import { fileURLToPath } from 'node:url';
import {
  dataDir,
  expectStatus,
  http,
  loadUsersMe,
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
  USER_VIEW_KEYS,
  USERS_ME_CONNECTIONS,
  wholeMilliseconds,
} from './support/harness.mjs';

const BARE_SERVER = fileURLToPath(new URL('./bare-fastify-jwt.server.mjs', import.meta.url));
const MEASURE_SECONDS = positiveNumber('BENCH_SECONDS', 10);
const ROUND_SECONDS = 2;
const WARMUP_SECONDS = 2;
const CONNECTIONS = USERS_ME_CONNECTIONS;
const TARGET_RATIO = 0.5;

const BARE = 'bare Fastify + node:crypto JWT';
const EMBEDDED = 'monolith, in-process + PGlite';
const EMBEDDED_COLD = 'monolith, in-process + PGlite, no token memo';
const NATS = 'monolith, NATS + PostgreSQL';

await runBench(main);

async function main() {
  const rounds = Math.max(1, Math.round(MEASURE_SECONDS / ROUND_SECONDS));
  const targets = [];

  const embedded = await startPlatform(EMBEDDED, { DATA_DIR: await dataDir('embedded') });
  const session = await signIn(embedded.url);
  targets.push({ label: EMBEDDED, origin: embedded.url, ...session });

  // The baseline verifies the platform's own token against the platform's own key.
  const jwk = await signingKeyOf(embedded.url, session.token);
  const bare = await startServer(BARE, BARE_SERVER, { BENCH_JWK: JSON.stringify(jwk) });
  await expectForgeryRefused(bare.url, session.token);
  targets.unshift({ label: BARE, origin: bare.url, ...session });

  // What verifying costs when no token is ever seen twice: every request checks the signature.
  const cold = await startPlatform(EMBEDDED_COLD, {
    DATA_DIR: await dataDir('embedded-cold'),
    VERIFIED_TOKEN_CACHE_SIZE: '0',
  });
  targets.push({ label: EMBEDDED_COLD, origin: cold.url, ...(await signIn(cold.url)) });

  const { env, missing } = await natsAndPostgres('bench_users_me');
  if (missing) {
    console.log(`\n${NATS}: skipped (${missing})`);
  } else {
    const monolith = await startPlatform(NATS, env);
    targets.push({ label: NATS, origin: monolith.url, ...(await signIn(monolith.url)) });
  }

  for (const target of targets) {
    await expectUserView(target);
    console.log(`\n${target.label}: warming up for ${WARMUP_SECONDS} s`);
    await loadUsersMe(target, WARMUP_SECONDS);
  }
  console.log(`\nMeasuring ${rounds} rounds of ${ROUND_SECONDS} s per target, in turn`);
  const results = new Map(targets.map((target) => [target.label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const target of targets)
      results.get(target.label).push(await loadUsersMe(target, ROUND_SECONDS));
  }

  printMachine([
    `Load: ${CONNECTIONS} connections, pipelining 1, ${rounds} rounds of ${ROUND_SECONDS} s per ` +
      `target in turn, after ${WARMUP_SECONDS} s warm-up each; one user and one ${jwk.alg} ` +
      `access token per platform`,
  ]);
  const bareRounds = results.get(BARE);
  const baseline = mean(bareRounds.map((r) => r.requestsPerSecond));
  printTable(
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs bare', 'round pairs'],
    targets.map(({ label }) => {
      const samples = results.get(label);
      const requestsPerSecond = mean(samples.map((r) => r.requestsPerSecond));
      const pairs = samples.map((r, i) => r.requestsPerSecond / bareRounds[i].requestsPerSecond);
      return [
        label,
        requestsPerSecond.toFixed(0),
        wholeMilliseconds(Math.max(...samples.map((r) => r.p50))),
        wholeMilliseconds(Math.max(...samples.map((r) => r.p99))),
        String(sum(samples.map((r) => r.non2xx))),
        String(sum(samples.map((r) => r.errors + r.timeouts))),
        ratio(requestsPerSecond, baseline),
        label === BARE ? '' : `${Math.min(...pairs).toFixed(2)}-${Math.max(...pairs).toFixed(2)}`,
      ];
    }),
  );
  const embeddedRatio = mean(results.get(EMBEDDED).map((r) => r.requestsPerSecond)) / baseline;
  console.log(
    `\nTarget: ${EMBEDDED} ≥ ${TARGET_RATIO.toFixed(2)} × bare: ` +
      `${embeddedRatio.toFixed(3)} ${embeddedRatio >= TARGET_RATIO ? 'met' : 'MISSED'}`,
  );
  console.log(
    `"${EMBEDDED_COLD}" runs with VERIFIED_TOKEN_CACHE_SIZE=0: the signature of every ` +
      `request's token is checked, twice (gateway and users), as if no client sent a token twice.`,
  );

  const failed = targets.filter(({ label }) =>
    results.get(label).some((r) => r.errors + r.timeouts + r.non2xx > 0),
  );
  for (const { label } of failed) console.error(`${label}: failed requests, see the table`);
  return failed.length > 0 ? 1 : 0;
}

/** One fresh user, logged in once: its id and access token. */
async function signIn(origin) {
  const { id, accessToken } = await newAccount(origin);
  return { id, token: accessToken };
}

/** The baseline must really verify: a token with a changed signature is refused. */
async function expectForgeryRefused(origin, token) {
  const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  const refused = await http(origin, 'GET', '/v1/users/me', {
    headers: { authorization: `Bearer ${forged}` },
  });
  if (refused.status !== 401) throw new Error('the bare server accepted a forged token');
}

/** Each target answers the user itself in the UserView shape, so all serialise the same body. */
async function expectUserView({ label, origin, id, token }) {
  const user = await expectStatus(200, origin, 'GET', '/v1/users/me', {
    headers: { authorization: `Bearer ${token}` },
  });
  if (user.id !== id || Object.keys(user).sort().join() !== USER_VIEW_KEYS.join()) {
    throw new Error(`${label} answered an unexpected body: ${JSON.stringify(user)}`);
  }
}
