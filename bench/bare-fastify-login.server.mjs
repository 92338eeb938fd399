// The baseline for bench/login.bench.mjs: `POST /v1/auth/login` on plain Fastify, answering a
// fixed token response of the platform's size and shape. No Nest, no validation, no database,
// no password hash: what any HTTP server on this machine takes to answer the request, which the
// bench subtracts to show what the platform itself adds.
import Fastify from 'fastify';

const tokens = {
  access_token: 'a'.repeat(900),
  token_type: 'Bearer',
  expires_in: 600,
  refresh_token: 'r'.repeat(43),
};

const app = Fastify({ logger: false });
app.post('/v1/auth/login', async (request, reply) => {
  const body = request.body;
  if (typeof body?.email !== 'string' || typeof body.password !== 'string') {
    return reply.code(400).send({ statusCode: 400 });
  }
  return reply.header('cache-control', 'no-store').send(tokens);
});
// Answers like the platform's readiness probe, so the bench can wait for every target alike.
app.get('/health/ready', async () => ({ status: 'ok' }));

const close = () => app.close().then(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
