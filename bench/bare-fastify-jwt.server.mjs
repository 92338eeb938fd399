// The baseline for bench/users-me.bench.mjs and bench/gateway-read.bench.mjs: `GET /v1/users/me`
// and `GET /v1/orders/:id` on plain Fastify. It checks the
// bearer access token's signature with node:crypto against one public key, imported once from
// the JWK in BENCH_JWK (the platform's own signing key, taken from its JWKS), checks `exp`, and
// answers a fixed user of the platform's UserView shape with the token's `sub` as id. No Nest,
// no header or claim validation beyond that, no transport, no database.
import { createPublicKey, verify } from 'node:crypto';
import Fastify from 'fastify';

const jwk = JSON.parse(process.env.BENCH_JWK ?? 'null');
if (!jwk || typeof jwk.alg !== 'string') {
  console.error('BENCH_JWK must be a JWK with an alg');
  process.exit(2);
}
const key = createPublicKey({ key: jwk, format: 'jwk' });
const checkSignature =
  jwk.alg === 'RS256'
    ? (input, signature) => verify('sha256', input, key, signature)
    : jwk.alg === 'ES256'
      ? (input, signature) => verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature)
      : (input, signature) => verify(null, input, key, signature);

const user = {
  email: 'bench@example.com',
  displayName: null,
  roles: ['user'],
  createdAt: '2025-01-01T00:00:00.000Z',
};

const order = {
  email: 'bench@example.com',
  items: [{ sku: 'BENCH-1', quantity: 1 }],
  createdAt: '2025-01-01T00:00:00.000Z',
};

/** The token's claims if its signature is good and it has not expired, else undefined. */
function verifiedClaims(authorization) {
  if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return undefined;
  const token = authorization.slice(7);
  const payloadStart = token.indexOf('.') + 1;
  const signatureStart = token.indexOf('.', payloadStart) + 1;
  if (payloadStart === 0 || signatureStart === 0) return undefined;
  try {
    const signature = Buffer.from(token.slice(signatureStart), 'base64url');
    const input = Buffer.from(token.slice(0, signatureStart - 1), 'ascii');
    if (!checkSignature(input, signature)) return undefined;
    const claims = JSON.parse(
      Buffer.from(token.slice(payloadStart, signatureStart - 1), 'base64url').toString('utf8'),
    );
    return typeof claims.exp === 'number' && claims.exp > Date.now() / 1000 ? claims : undefined;
  } catch {
    return undefined;
  }
}

const app = Fastify({ logger: false });
app.get('/v1/users/me', async (request, reply) => {
  const claims = verifiedClaims(request.headers.authorization);
  if (!claims) return reply.code(401).send({ statusCode: 401, message: 'Unauthorized' });
  return { id: claims.sub, ...user };
});
// The same check, answering a fixed order of the platform's OrderView shape for the token's sub.
app.get('/v1/orders/:id', async (request, reply) => {
  const claims = verifiedClaims(request.headers.authorization);
  if (!claims) return reply.code(401).send({ statusCode: 401, message: 'Unauthorized' });
  return { id: request.params.id, userId: claims.sub, ...order };
});
// Answers like the platform's readiness probe, so the bench can wait for every target alike.
app.get('/health/ready', async () => ({ status: 'ok' }));

const close = () => app.close().then(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
