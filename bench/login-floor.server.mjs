// The floor for bench/login.bench.mjs: a password login on plain Fastify that does only what no
// throttled login with sessions and signed tokens can skip, with the platform's own parts from
// dist/: its embedded PostgreSQL (PGlite behind `pg`, statements prepared once), its
// `PasswordHasher` and its RS256 signature on the thread pool. One statement counts the attempt
// on the account's and the address's keys and reads the credential; the hash is verified; one
// statement stores the session with its refresh token's hash, clears the account's count and
// takes the attempt back from the address's, while the RFC 9068 access token is signed. No Nest, no validation, no transport between
// contexts, no security log, no second read of the account. What this answers per second,
// against bare verifications, is the best any login built of these parts could do.
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import Fastify from 'fastify';

const require = createRequire(import.meta.url);
let platform;
try {
  require('reflect-metadata');
  platform = {
    ...require('../dist/libs/auth/src/accounts/password.hasher.js'),
    ...require('../dist/libs/database/src/embedded/embedded-postgres.js'),
    ...require('../dist/libs/security/src/jws-algorithm.js'),
  };
} catch (error) {
  console.error(
    `cannot load the platform's parts from dist/ (run \`nest build\`): ${error.message}`,
  );
  process.exit(1);
}

const ISSUER = 'http://localhost:3000';
const TTL_SECONDS = 3600;
/** Attempts on one account before it is refused, as the platform's throttle would. */
const MAX_FAILURES = 10;
const hasher = new platform.PasswordHasher();
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const database = new platform.EmbeddedPostgres(process.env.DATA_DIR);
await database.start();
const pool = new database.typeormDriver.Pool();

/** One statement on the one connection, as the platform's queries run. */
function query(text, values) {
  return new Promise((resolve, reject) => {
    pool.connect((error, client, release) => {
      if (error) return reject(error);
      client.query(text, values).then(
        (result) => (release(), resolve(result.rows)),
        (failure) => (release(), reject(failure)),
      );
    });
  });
}

await query(`CREATE TABLE IF NOT EXISTS credentials (
  user_id uuid PRIMARY KEY, email text NOT NULL, password_hash text NOT NULL)`);
await query('CREATE UNIQUE INDEX IF NOT EXISTS credentials_email ON credentials (lower(email))');
await query(`CREATE TABLE IF NOT EXISTS login_attempts (
  key text PRIMARY KEY, failures int NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
await query(`CREATE TABLE IF NOT EXISTS sessions (
  id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES credentials, refresh_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now())`);

const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'floor' })).toString(
  'base64url',
);

async function accessToken(userId, sessionId) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: ISSUER,
    sub: userId,
    aud: ['gateway', 'auth', 'users', 'orders'],
    exp: now + TTL_SECONDS,
    iat: now,
    jti: randomUUID(),
    client_id: 'platform',
    scope: 'openid profile email',
    sid: sessionId,
    roles: ['user'],
  };
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = await platform.createSignature('RS256', privateKey, Buffer.from(input));
  return `${input}.${signature.toString('base64url')}`;
}

const app = Fastify({ logger: false });

app.post('/v1/auth/register', async (request, reply) => {
  const { email, password } = request.body ?? {};
  const id = randomUUID();
  await query('INSERT INTO credentials (user_id, email, password_hash) VALUES ($1, $2, $3)', [
    id,
    String(email).toLowerCase(),
    await hasher.hash(String(password)),
  ]);
  return reply.code(201).send({ id });
});

app.post('/v1/auth/login', async (request, reply) => {
  const email = String(request.body?.email ?? '').toLowerCase();
  const password = String(request.body?.password ?? '');
  const accountKey = `account:${email}`;
  const addressKey = `address:${request.ip}`;
  const [credential] = await query(
    `WITH attempt AS (
       INSERT INTO login_attempts AS a (key, failures)
       SELECT key, 1 FROM unnest($2::text[]) AS key ORDER BY key
       ON CONFLICT (key) DO UPDATE SET failures = a.failures + 1, updated_at = now()
       RETURNING key, failures)
     SELECT c.user_id, c.password_hash,
            (SELECT failures FROM attempt WHERE key = $3) AS failures
       FROM credentials c WHERE lower(c.email) = $1`,
    [email, [accountKey, addressKey].sort(), accountKey],
  );
  if (credential?.failures > MAX_FAILURES) {
    return reply.code(429).send({ error: 'too_many_attempts' });
  }
  if (!credential || !(await hasher.verify(credential.password_hash, password))) {
    return reply.code(401).send({ error: 'invalid_credentials' });
  }
  const sessionId = randomUUID();
  const refreshToken = randomBytes(32).toString('base64url');
  const [token] = await Promise.all([
    accessToken(credential.user_id, sessionId),
    query(
      `WITH session AS (
         INSERT INTO sessions (id, user_id, refresh_hash) VALUES ($1, $2, $3)),
       address AS (
         UPDATE login_attempts SET failures = greatest(failures - 1, 0) WHERE key = $5)
       DELETE FROM login_attempts WHERE key = $4`,
      [
        sessionId,
        credential.user_id,
        createHash('sha256').update(refreshToken).digest(),
        accountKey,
        addressKey,
      ],
    ),
  ]);
  reply.header('cache-control', 'no-store');
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: TTL_SECONDS,
    refresh_token: refreshToken,
  };
});

// Answers like the platform's readiness probe, so the bench waits for every target alike.
app.get('/health/ready', async () => ({ status: 'ok' }));

const close = () =>
  app
    .close()
    .then(() => database.onApplicationShutdown())
    .then(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
