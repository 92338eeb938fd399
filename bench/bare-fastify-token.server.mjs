// The ceiling for bench/oauth-token.bench.mjs: a client_credentials token endpoint on plain
// Fastify that does only what no server can skip. It parses the form, checks one
// client_secret_basic client (RFC 6749 2.3.1) in constant time, and signs an RFC 9068 access
// token with node:crypto using the algorithm of BENCH_ALG and the claims the platform issues.
// It has no client registry, no validation beyond that, no audit record and no framework.
import { generateKeyPairSync, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';

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
  return `${input}.${signature.toString('base64url')}`;
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
  reply.header('cache-control', 'no-store');
  return {
    access_token: accessToken(process.env.BENCH_CLIENT_ID, 'orders:read'),
    token_type: 'Bearer',
    expires_in: 600,
    scope: 'orders:read',
  };
});
// Answers like the platform's readiness probe, so the bench waits for every target alike.
app.get('/health/ready', async () => ({ status: 'ok' }));

const close = () => app.close().then(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
