// The baseline for bench/users-get.bench.mjs: the same route on plain Fastify, answering a fixed
// user with no Nest, no validation, no transport and no database. The bench divides every other
// target's throughput by this one's, so it runs as its own process, like the platform does.
import Fastify from 'fastify';

// Same shape as the platform's UserView, so both serialise a body of about the same size.
const user = {
  id: '00000000-0000-4000-8000-000000000000',
  email: 'bench@example.com',
  displayName: null,
  roles: ['user'],
  createdAt: '2025-01-01T00:00:00.000Z',
};

const app = Fastify({ logger: false });
app.get('/v1/users/:id', async (request) => ({ ...user, id: request.params.id }));
// Answers like the platform's readiness probe, so the bench can wait for every target alike.
app.get('/health/ready', async () => ({ status: 'ok' }));

const close = () => app.close().then(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
