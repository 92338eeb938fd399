#!/usr/bin/env node
// What the platform's access-token verifier costs next to the bare signature check it is built
// on. One process, no server: for each algorithm (RS256, ES256, EdDSA) it signs a set of distinct
// RFC 9068 access tokens with node:crypto, then verifies them in interleaved timed rounds with
// (a) a raw `crypto.verify` of the token's signature (split and base64url decode included),
// (b) `AccessTokenVerifier.verify`, with a JwksCache fed by a static JWK Set and a RevocationList,
//     remembering no token, so every call checks a signature as for a token never seen before,
// (c) the same verifier as configured by default, remembering tokens it has verified: from the
//     second round on each token is one seen before, as a client's repeated requests are,
// (d) `jsonwebtoken` with a KeyObject, only if that package is installed.
// The ratio b/a is what the target is about. See bench/README.md. Needs `nest build` first.
import { generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  DIST,
  ISSUER,
  positiveNumber,
  printMachine,
  printTable,
  runBench,
} from './support/harness.mjs';

const require = createRequire(import.meta.url);

const MEASURE_SECONDS = positiveNumber('BENCH_SECONDS', 5);
const WARMUP_SECONDS = 2;
const TOKEN_COUNT = positiveNumber('BENCH_TOKENS', 2000, true);
/** Each round runs one variant for this long; variants alternate round by round. */
const ROUND_MS = 200;
/** The clock is read once per this many verifications, so reading it costs next to nothing. */
const CLOCK_EVERY = 16;
const AUDIENCE = 'gateway';
const TARGET_RATIO = 0.8;
const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

await runBench(main);

async function main() {
  const security = loadSecurity();
  const jsonwebtoken = loadOptional('jsonwebtoken');

  const results = [];
  for (const alg of ALGORITHMS) {
    console.log(`${alg}: signing ${TOKEN_COUNT} tokens`);
    const { tokens, publicKey, jwks } = makeTokens(alg, TOKEN_COUNT);

    const keys = new security.JwksCache({ fetchJwks: async () => jwks });
    await keys.refresh();
    const revocations = new security.RevocationList();
    const verifier = (verifiedTokenCacheSize) =>
      new security.AccessTokenVerifier(
        { issuer: ISSUER, audience: AUDIENCE, verifiedTokenCacheSize },
        keys,
        revocations,
      );
    const cold = verifier(0);
    const remembering = verifier(undefined);

    const variants = [
      { name: 'raw crypto.verify', run: (token) => rawVerify(alg, publicKey, token) },
      { name: 'AccessTokenVerifier', run: (token) => cold.verify(token).then(Boolean) },
      {
        name: 'AccessTokenVerifier, seen before',
        run: (token) => remembering.verify(token).then(Boolean),
      },
    ];
    // jsonwebtoken has no EdDSA; ES256 there also decodes the signature from raw R||S itself.
    if (jsonwebtoken && alg !== 'EdDSA') {
      const options = { algorithms: [alg], audience: AUDIENCE, issuer: ISSUER };
      variants.push({
        name: 'jsonwebtoken',
        run: (token) => Boolean(jsonwebtoken.verify(token, publicKey, options)),
      });
    }

    // Every variant must accept every token before anything is timed: a verifier that fails
    // fast must not look fast.
    for (const variant of variants) await checkAll(variant, tokens);

    console.log(`  ${WARMUP_SECONDS} s warm-up, then ${MEASURE_SECONDS} s per variant`);
    await measure(variants, tokens, WARMUP_SECONDS * 1000);
    const measured = await measure(variants, tokens, MEASURE_SECONDS * 1000);
    revocations.onModuleDestroy();
    results.push({ alg, variants: measured });
  }

  printMachine([
    `Tokens: ${TOKEN_COUNT} distinct per algorithm (RSA 2048, P-256, Ed25519), audience ` +
      `"${AUDIENCE}", verified round-robin`,
    `Timing: ${WARMUP_SECONDS} s warm-up, then ${MEASURE_SECONDS} s per variant in alternating ` +
      `${ROUND_MS} ms rounds; one thread`,
    jsonwebtoken ? 'jsonwebtoken: installed' : 'jsonwebtoken: not installed, row skipped',
  ]);
  const rows = [];
  for (const { alg, variants } of results) {
    const raw = variants[0];
    for (const variant of variants) {
      const pairs = variant === raw ? '' : pairRange(variant, raw);
      rows.push([
        alg,
        variant.name,
        variant.opsPerSecond.toFixed(0),
        (1e6 / variant.opsPerSecond).toFixed(2),
        variant === raw ? '1.000' : (variant.opsPerSecond / raw.opsPerSecond).toFixed(3),
        pairs,
        String(variant.failures),
      ]);
    }
  }
  printTable(['alg', 'variant', 'ops/s', 'mean µs', 'vs raw', 'round pairs', 'failures'], rows);

  console.log(`\nTarget: AccessTokenVerifier ≥ ${TARGET_RATIO.toFixed(2)} × raw crypto.verify`);
  for (const { alg, variants } of results) {
    const value = variants[1].opsPerSecond / variants[0].opsPerSecond;
    const extra = 1e6 / variants[1].opsPerSecond - 1e6 / variants[0].opsPerSecond;
    console.log(
      `  ${alg.padEnd(5)}  ${value.toFixed(3)}  ${value >= TARGET_RATIO ? 'met' : 'MISSED'}` +
        `  (verifier adds ${extra.toFixed(2)} µs per token)`,
    );
  }

  const failures = results.flatMap((r) => r.variants).reduce((sum, v) => sum + v.failures, 0);
  if (failures > 0) console.error(`\n${failures} verifications failed`);
  return failures > 0 ? 1 : 0;
}

/** The compiled security library (CommonJS under dist/). */
function loadSecurity() {
  const file = (name) => path.join(DIST, 'libs/security/src', name);
  try {
    // The contracts library the verifier imports declares its DTOs with decorators.
    require('reflect-metadata');
    return {
      AccessTokenVerifier: require(file('access-token-verifier.js')).AccessTokenVerifier,
      JwksCache: require(file('jwks-cache.js')).JwksCache,
      RevocationList: require(file('revocation-list.js')).RevocationList,
    };
  } catch (error) {
    throw new Error(`cannot load the verifier from dist/ (run \`nest build\`): ${error.message}`);
  }
}

function loadOptional(name) {
  try {
    return require(name);
  } catch {
    return undefined;
  }
}

/** A key pair, its JWK Set (with kid and alg, as the platform publishes), and signed tokens. */
function makeTokens(alg, count) {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  const kid = randomUUID();
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' }] };
  const header = base64url({ alg, kid, typ: 'at+jwt' });
  const now = Math.floor(Date.now() / 1000);
  const tokens = [];
  for (let i = 0; i < count; i++) {
    // Same claims as the platform's first-party tokens (RFC 9068 2.2).
    const payload = base64url({
      iss: ISSUER,
      sub: randomUUID(),
      aud: ['auth', 'users', 'orders', AUDIENCE],
      exp: now + 3600,
      iat: now,
      jti: randomUUID(),
      client_id: 'identity-platform',
      scope: 'openid profile email offline_access users:read users:write orders:read orders:write',
      sid: randomUUID(),
      roles: ['user'],
    });
    const signingInput = `${header}.${payload}`;
    tokens.push(`${signingInput}.${signWith(alg, privateKey, signingInput).toString('base64url')}`);
  }
  return { tokens, publicKey, jwks };
}

function base64url(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signWith(alg, key, signingInput) {
  const data = Buffer.from(signingInput);
  if (alg === 'RS256') return sign('sha256', data, key);
  if (alg === 'ES256') return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  return sign(null, data, key);
}

/**
 * The baseline: the least work that still verifies "this token": find the signature, decode it,
 * and check it over the signing input with the one key. No header or claims parsing.
 */
function rawVerify(alg, key, token) {
  const dot = token.lastIndexOf('.');
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const signingInput = Buffer.from(token.slice(0, dot), 'ascii');
  if (alg === 'RS256') return verify('sha256', signingInput, key, signature);
  if (alg === 'ES256') {
    return verify('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature);
  }
  return verify(null, signingInput, key, signature);
}

async function checkAll(variant, tokens) {
  for (const token of tokens) {
    let ok = false;
    let reason = 'returned false';
    try {
      ok = await variant.run(token);
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    if (!ok) throw new Error(`${variant.name} refused a valid token: ${reason}`);
  }
}

/**
 * Alternates the variants in rounds of ROUND_MS until each has run `totalMs`, so drift in the
 * machine's speed (a neighbour, turbo, GC of earlier work) hits them alike. Per round it keeps
 * the operations and the time they took, for a ratio per adjacent pair of rounds.
 */
async function measure(variants, tokens, totalMs) {
  const stats = variants.map((variant) => ({ ...variant, ops: 0, ms: 0, failures: 0, rounds: [] }));
  const roundCount = Math.max(1, Math.round(totalMs / ROUND_MS));
  let next = 0;
  for (let round = 0; round < roundCount; round++) {
    for (const stat of stats) {
      const { ops, ms, failures, position } = await timedRound(stat.run, tokens, next, ROUND_MS);
      next = position;
      stat.ops += ops;
      stat.ms += ms;
      stat.failures += failures;
      stat.rounds.push(ops / ms);
      // Lets timers (none expected) and microtasks run between rounds, as a server would.
      await yieldToEventLoop();
    }
  }
  return stats.map((stat) => ({ ...stat, opsPerSecond: (stat.ops / stat.ms) * 1000 }));
}

/**
 * Verifies tokens round-robin from `start` for about `ms`. Sync variants are awaited too: an
 * `await` of a non-promise costs a microtask, the same for all variants, and tiny next to a
 * signature check.
 */
async function timedRound(run, tokens, start, ms) {
  let position = start;
  let ops = 0;
  let failures = 0;
  const began = performance.now();
  const deadline = began + ms;
  let now = began;
  // Bounded: the clock is read every CLOCK_EVERY operations and the round ends at the deadline.
  while (now < deadline) {
    for (let i = 0; i < CLOCK_EVERY; i++) {
      try {
        if (!(await run(tokens[position]))) failures++;
      } catch {
        failures++;
      }
      position = position + 1 === tokens.length ? 0 : position + 1;
    }
    ops += CLOCK_EVERY;
    now = performance.now();
  }
  return { ops, ms: now - began, failures, position };
}

/** The lowest and highest ratio of this variant to raw over adjacent rounds: the noise band. */
function pairRange(variant, raw) {
  const ratios = variant.rounds.map((value, i) => value / raw.rounds[i]);
  return `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
}
