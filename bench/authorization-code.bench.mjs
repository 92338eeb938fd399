#!/usr/bin/env node
// The authorization code flow's server time per login, step by step: the authorization
// request (the login page), the login form's POST (the password hash, the SSO session, the
// code), and the code's redemption at the token endpoint (PKCE, the session, the access and ID
// tokens). One flow at a time, as one browser signs in, so each step's time is the server's
// plus a loopback round trip; a fresh browser every time (no SSO session) for a user who has
// consented already, which is the everyday sign-in. The peer, in the same run and on the same
// users, is the API login (`POST /v1/auth/login`), whose argon2id hash the flow's login POST
// also pays. Per target: the embedded monolith, and the monolith over NATS and PostgreSQL.
// See bench/README.md. Needs `nest build` first.
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { THREAD_KINDS, threadCpu, threadCpuSince } from './support/cpu-time.mjs';
import {
  dataDir,
  expectStatus,
  http,
  login,
  natsAndPostgres,
  newAccount,
  positiveNumber,
  printMachine,
  printTable,
  ratio,
  runBench,
  startPlatform,
  summarize,
} from './support/harness.mjs';

const { BrowserAgent } = await import('../test/support/browser-agent.ts');

const FLOWS = positiveNumber('BENCH_FLOWS', 200, true);
const USERS = 8;
const ADMIN = { email: 'bench-admin@example.com', password: randomBytes(12).toString('base64url') };
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const STEPS = ['authorize (login page)', 'login POST -> code', 'token (code -> tokens)'];

await runBench(main);

async function main() {
  const env = {
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    SERVICE_CLIENT_SECRETS: JSON.stringify(
      Object.fromEntries(
        ['gateway', 'auth', 'users', 'orders'].map((name) => [
          name,
          randomBytes(32).toString('base64url'),
        ]),
      ),
    ),
  };
  const targets = [];
  const embedded = await startPlatform('embedded', { ...env, DATA_DIR: await dataDir('e') });
  targets.push({ name: 'monolith, in-process + PGlite', handle: embedded });
  const { env: natsEnv, missing } = await natsAndPostgres('bench_authorization_code');
  if (missing) console.log(`monolith, NATS + PostgreSQL: skipped (${missing})`);
  else {
    const monolith = await startPlatform('monolith', { ...env, ...natsEnv });
    targets.push({ name: 'monolith, NATS + PostgreSQL', handle: monolith });
  }
  for (const target of targets) Object.assign(target, await prepare(target.handle.url));

  const results = new Map(
    targets.map(({ name }) => [
      name,
      { steps: STEPS.map(() => []), flow: [], api: [], flowCpu: [], apiCpu: [] },
    ]),
  );
  console.log(`Measuring ${FLOWS} flows and ${FLOWS} API logins per target, taking turns`);
  for (let index = 0; index < FLOWS; index++) {
    for (const target of targets) {
      const result = results.get(target.name);
      const user = target.users[index % target.users.length];
      let before = threadCpu(target.handle.pid);
      const steps = await codeFlow(target, user);
      result.flowCpu.push(cpuTotal(threadCpuSince(before, threadCpu(target.handle.pid))));
      steps.forEach((ms, step) => result.steps[step].push(ms));
      result.flow.push(steps.reduce((sum, ms) => sum + ms, 0));
      before = threadCpu(target.handle.pid);
      const started = performance.now();
      await expectStatus(200, target.handle.url, 'POST', '/v1/auth/login', { json: user });
      result.api.push(performance.now() - started);
      result.apiCpu.push(cpuTotal(threadCpuSince(before, threadCpu(target.handle.pid))));
    }
  }

  printMachine([`Flows: ${FLOWS} per target, one at a time, ${USERS} users`]);
  for (const { name } of targets) {
    const result = results.get(name);
    const api = summarize(result.api);
    console.log(name);
    printTable(
      ['step', 'p50 ms', 'p99 ms', 'mean ms'],
      [
        ...STEPS.map((step, index) => row(step, summarize(result.steps[index]))),
        row('whole flow', summarize(result.flow)),
        row('peer: POST /v1/auth/login', api),
      ],
    );
    const flow = summarize(result.flow);
    const flowCpu = summarize(result.flowCpu);
    const apiCpu = summarize(result.apiCpu);
    console.log(
      `flow / API login: time ${ratio(flow.p50, api.p50)} (p50), server CPU ` +
        `${flowCpu.mean.toFixed(1)} ms vs ${apiCpu.mean.toFixed(1)} ms per login ` +
        `(${ratio(flowCpu.mean, apiCpu.mean)})\n`,
    );
  }
  return 0;
}

function row(name, stats) {
  return [name, stats.p50.toFixed(1), stats.p99.toFixed(1), stats.mean.toFixed(1)];
}

function cpuTotal(usage) {
  return THREAD_KINDS.reduce((sum, kind) => sum + usage[kind], 0);
}

/** Users who have consented once, and a confidential client registered by the admin. */
async function prepare(origin) {
  const admin = await login(origin, ADMIN.email, ADMIN.password, 20_000);
  const client = await expectStatus(201, origin, 'POST', '/v1/admin/clients', {
    headers: { authorization: `Bearer ${admin.access_token}` },
    json: {
      client_name: 'Bench',
      grant_types: ['authorization_code'],
      redirect_uris: [REDIRECT_URI],
      scope: 'openid email users:read',
      token_endpoint_auth_method: 'client_secret_basic',
    },
  });
  const target = { handle: { url: origin }, client, users: [] };
  for (let i = 0; i < USERS; i++) {
    const { email, password } = await newAccount(origin);
    target.users.push({ email, password });
    await codeFlow(target, { email, password }, true);
  }
  return { client, users: target.users };
}

/** One sign-in in a fresh browser: each step's milliseconds. */
async function codeFlow(target, user, consent = false) {
  const origin = target.handle.url;
  const agent = new BrowserAgent(origin);
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: target.client.client_id,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid email users:read',
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const times = [];
  let started = performance.now();
  const page = await agent.get(`/oauth2/authorize?${query}`);
  times.push(performance.now() - started);
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}`);
  started = performance.now();
  let answer = await agent.submit(page, user);
  times.push(performance.now() - started);
  if (consent) answer = await agent.submit(await agent.get(answer.location), { decision: 'allow' });
  const code = answer.location && new URL(answer.location).searchParams.get('code');
  if (!code) throw new Error(`the login answered ${answer.status} without a code`);
  started = performance.now();
  const secret = `${encodeURIComponent(target.client.client_id)}:${encodeURIComponent(target.client.client_secret)}`;
  const tokens = await http(origin, 'POST', '/oauth2/token', {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(secret).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }).toString(),
  });
  times.push(performance.now() - started);
  if (tokens.status !== 200 || !tokens.body.id_token) {
    throw new Error(`the token endpoint answered ${tokens.status}: ${JSON.stringify(tokens.body)}`);
  }
  return times;
}
