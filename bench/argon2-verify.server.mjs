// The baseline for bench/login.bench.mjs: argon2id verifications and nothing else, in a process
// of its own that the bench starts exactly as it starts the platform (same Node, environment,
// working directory, and so the same thread pool). The hash is made by the platform's own
// PasswordHasher from dist/, with its parameters, and verified by its `verify`, the call a
// login makes. The bench asks over HTTP for one timed round at a time; the verifications
// themselves never touch HTTP: `concurrency` loops keep that many in flight in this process.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const PASSWORD = 'bench-password-1';

let hasher;
try {
  require('reflect-metadata');
  const { PasswordHasher } = require('../dist/libs/auth/src/accounts/password.hasher.js');
  hasher = new PasswordHasher();
} catch (error) {
  console.error(`cannot load PasswordHasher from dist/ (run \`nest build\`): ${error.message}`);
  process.exit(1);
}
const passwordHash = await hasher.hash(PASSWORD);
if (!(await hasher.verify(passwordHash, PASSWORD))) throw new Error('argon2 verify failed');

/**
 * Keeps `concurrency` verifications in flight for `ms`; counts those that end within it. None
 * starts after it, and the round answers once the last one has ended, so rounds never overlap.
 */
async function round(concurrency, ms) {
  const began = performance.now();
  const deadline = began + ms;
  let completed = 0;
  let failures = 0;
  const latencies = [];
  const loop = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const ok = await hasher.verify(passwordHash, PASSWORD);
      const end = performance.now();
      if (end > deadline) break;
      if (ok) {
        completed++;
        latencies.push(Math.round((end - start) * 100) / 100);
      } else {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { completed, failures, ms, latencies };
}

const server = createServer(async (request, response) => {
  const url = new URL(request.url, 'http://localhost');
  const answer = (status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (url.pathname === '/health/ready') return answer(200, { status: 'ok' });
  // The PHC string's head (`$argon2id$v=19$m=...,t=...,p=...`): the parameters every verify uses.
  if (url.pathname === '/hash') return answer(200, { head: passwordHash.split('$', 4).join('$') });
  if (url.pathname === '/round' && request.method === 'POST') {
    const concurrency = Number(url.searchParams.get('concurrency'));
    const ms = Number(url.searchParams.get('ms'));
    if (!Number.isInteger(concurrency) || concurrency < 1 || !(ms > 0)) {
      return answer(400, { error: 'concurrency and ms must be positive' });
    }
    return answer(200, await round(concurrency, ms));
  }
  answer(404, { error: 'not found' });
});

const close = () => server.close(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);
server.listen(Number(process.env.PORT), '127.0.0.1');
