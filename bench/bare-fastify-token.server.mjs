// The ceiling for bench/oauth-token.bench.mjs: a client_credentials token endpoint on plain
// Fastify that does only what no server can skip. It parses the form, checks one
// client_secret_basic client (RFC 6749 2.3.1) in constant time, and signs an RFC 9068 access
// token with node:crypto using the algorithm of BENCH_ALG and the claims the platform issues.
// It has no client registry, no validation beyond that and no framework. With DATABASE_URL it
// also persists what the issue requires of any server, each token's audit record, in one
// insert before it answers; without it, nothing.
import { generateKeyPairSync, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const ALG = process.env.BENCH_ALG === 'EdDSA' ? 'EdDSA' : 'RS256';
const { privateKey } =
  ALG === 'EdDSA'
    ? generateKeyPairSync('ed25519')
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
const expected = Buffer.from(
  `Basic ${Buffer.from(`${process.env.BENCH_CLIENT_ID}:${process.env.BENCH_CLIENT_SECRET}`).toString('base64')}`,
);
const header = Buffer.from(JSON.stringify({ alg: ALG, typ: 'at+jwt', kid: 'bench' })).toString(
  'base64url',
);
const issuer = `http://127.0.0.1:${process.env.PORT}`;
const audit = process.env.DATABASE_URL
  ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
  : undefined;
await audit?.query(`CREATE TABLE IF NOT EXISTS bare_issued_tokens (
  jti uuid PRIMARY KEY, client_id text NOT NULL, expires_at timestamptz NOT NULL)`);

function accessToken(clientId, scope) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: issuer,
    sub: clientId,
    aud: ['orders'],
    exp: now + 600,
    iat: now,
    jti: randomUUID(),
    client_id: clientId,
    scope,
  };
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign(ALG === 'RS256' ? 'sha256' : null, Buffer.from(input), privateKey);
  return { token: `${input}.${signature.toString('base64url')}`, claims };
}

const app = Fastify({ logger: false });
app.addContentTypeParser(
  'application/x-www-form-urlencoded',
  { parseAs: 'string' },
  (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body))),
);
app.post('/token', async (request, reply) => {
  const presented = Buffer.from(request.headers.authorization ?? '');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return reply.code(401).send({ error: 'invalid_client' });
  }
  if (request.body?.grant_type !== 'client_credentials') {
    return reply.code(400).send({ error: 'unsupported_grant_type' });
  }
  const { token, claims } = accessToken(process.env.BENCH_CLIENT_ID, 'orders:read');
  await audit?.query(
    'INSERT INTO bare_issued_tokens (jti, client_id, expires_at) VALUES ($1, $2, to_timestamp($3))',
    [claims.jti, claims.client_id, claims.exp],
  );
  reply.header('cache-control', 'no-store');
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: 600,
    scope: 'orders:read',
  };
});
// Answers like the platform's readiness probe, so the bench waits for every target alike.
app.get('/health/ready', async () => ({ status: 'ok' }));

const close = () =>
  app
    .close()
    .then(() => audit?.end())
    .then(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
