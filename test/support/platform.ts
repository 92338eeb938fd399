import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTEXTS, type ContextName } from '../../libs/contracts/src/platform/contexts.ts';
import { accountOf, login, type TestAccount } from './accounts.ts';
import { http } from './http.ts';
import { freePort } from './free-port.ts';
import { HardenedBus } from './hardened-bus.ts';
import { NatsServer } from './nats-server.ts';
import { PlatformProcess } from './platform-process.ts';
import { ScratchDatabase } from './scratch-database.ts';
import { leaksIn, rememberSecret } from './secrets.ts';

/**
 * The deployment shapes the end-to-end suite runs against, unchanged:
 * - `embedded`: one process, in-process transport, embedded PGlite;
 * - `monolith`: one process over NATS and PostgreSQL;
 * - `split`: each context its own OS process over NATS and PostgreSQL;
 * - `split-hardened`: the same on a hardened bus, as `npm run nats:dev-config -- DIR --tls`
 *   writes it: every process its own NKey identity with the permissions derived from the
 *   contracts, over TLS.
 */
export type Shape = 'embedded' | 'monolith' | 'split' | 'split-hardened';

export const shape: Shape = parseShape(process.env.E2E_SHAPE);

/** Whether each context runs as its own process (on either bus). */
export function isSplit(deploymentShape: Shape = shape): boolean {
  return deploymentShape === 'split' || deploymentShape === 'split-hardened';
}

/** The administrator every test deployment bootstraps. */
export const ADMIN = {
  email: 'admin@example.com',
  password: randomBytes(12).toString('base64url'),
};

/** Shared by every process of a deployment, as replicas of auth must share it. */
const keyEncryptionKey = randomBytes(32).toString('base64');

/** Each service's OAuth client secret, shared by every process of a deployment. */
export const SERVICE_CLIENT_SECRETS: Record<string, string> = Object.fromEntries(
  CONTEXTS.map((name) => [name, randomBytes(32).toString('base64url')]),
);
for (const secret of Object.values(SERVICE_CLIENT_SECRETS)) rememberSecret(secret);

/** Every context runs as its own process in the split shape; the gateway starts last. */
const SPLIT_SERVICES = [...CONTEXTS.filter((name) => name !== 'gateway'), 'gateway'];

/** A running deployment of the platform, with its own database and NATS server. */
export class Platform {
  readonly shape: Shape;
  private readonly processes: Map<string, PlatformProcess>;
  readonly nats?: NatsServer;
  readonly database?: ScratchDatabase;
  private readonly dataDir?: string;
  private readonly env: Record<string, string>;
  private readonly replicas: PlatformProcess[] = [];

  private constructor(
    shape: Shape,
    processes: Map<string, PlatformProcess>,
    env: Record<string, string>,
    nats?: NatsServer,
    database?: ScratchDatabase,
    dataDir?: string,
  ) {
    this.shape = shape;
    this.processes = processes;
    this.env = env;
    this.nats = nats;
    this.database = database;
    this.dataDir = dataDir;
  }

  /** The deployment's key-encryption key, so a test can read the signing keys it owns. */
  get keyEncryptionKey(): string {
    return keyEncryptionKey;
  }

  /** The gateway's base URL. */
  get baseUrl(): string {
    return this.service('gateway').url;
  }

  /**
   * Starts a deployment. With `issuerAtGateway`, `ISSUER` is the gateway's own URL, as a
   * relying party that discovers the authorization server there requires (RFC 8414 3.3).
   * With `serviceClientSecrets: false`, `SERVICE_CLIENT_SECRETS` is left unset, as in the
   * README's quick start: each process makes its services' secrets up.
   */
  static async start(
    deploymentShape: Shape = shape,
    extraEnv: Record<string, string> = {},
    options: { issuerAtGateway?: boolean; serviceClientSecrets?: boolean } = {},
  ): Promise<Platform> {
    const env: Record<string, string> = {
      // Every line a request can write, for the leak check when the deployment stops.
      LOG_LEVEL: 'info',
      REQUEST_TIMEOUT_MS: '2000',
      // Every request of a suite comes from one address and few users: only the suites about
      // rate limits set limits a suite could reach.
      RATE_LIMIT_PER_ADDRESS: '1000000',
      RATE_LIMIT_PER_PRINCIPAL: '1000000',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      // Every suite signs many accounts up from one address; the limits have a suite of their own.
      REGISTER_LIMIT_PER_ADDRESS: '100000',
      REFRESH_LIMIT_PER_ADDRESS: '100000',
      PASSWORD_CHANGE_LIMIT_PER_ADDRESS: '100000',
      SERVICE_CLIENT_SECRETS: JSON.stringify(SERVICE_CLIENT_SECRETS),
      ...extraEnv,
    };
    if (options.serviceClientSecrets === false) delete env.SERVICE_CLIENT_SECRETS;
    let nats: NatsServer | undefined;
    let database: ScratchDatabase | undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'e2e-data-'));
    Object.assign(env, { DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: keyEncryptionKey });
    if (deploymentShape === 'embedded') {
      Object.assign(env, { NATS_URL: '', DATABASE_URL: '' });
    } else {
      nats = await NatsServer.start(
        undefined,
        deploymentShape === 'split-hardened' ? HardenedBus.create() : undefined,
      );
      // The operator provisions the hardened bus's streams and bucket before the services start.
      try {
        nats.bus?.provision(nats.url, env);
      } catch (error) {
        await nats.stop();
        throw error;
      }
      database = await ScratchDatabase.create();
      Object.assign(env, { NATS_URL: nats.url, DATABASE_URL: database.url });
    }
    const names = isSplit(deploymentShape) ? SPLIT_SERVICES : ['all'];
    const gatewayPort = await freePort();
    if (options.issuerAtGateway) env.ISSUER = `http://127.0.0.1:${gatewayPort}`;
    const processes = new Map<string, PlatformProcess>();
    for (const name of names) {
      const port = name === 'gateway' || name === 'all' ? gatewayPort : await freePort();
      const identity = name === 'all' ? {} : nats?.envOf(name as ContextName);
      processes.set(name, new PlatformProcess(name, port, { ...env, ...identity, SERVICES: name }));
    }
    const platform = new Platform(deploymentShape, processes, env, nats, database, dataDir);
    try {
      for (const process of processes.values()) await process.start();
    } catch (error) {
      await platform.stop();
      throw error;
    }
    return platform;
  }

  /** Logs in as the bootstrap administrator, waiting for it to exist. */
  async admin(): Promise<TestAccount> {
    const tokens = await login(this.baseUrl, ADMIN.email, ADMIN.password, 20_000);
    const { sub } = JSON.parse(
      Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString(),
    );
    return accountOf(sub, ADMIN.email, ADMIN.password, tokens);
  }

  /** The process hosting a context (in one-process shapes, the only process). */
  service(name: string): PlatformProcess {
    return this.processes.get(name) ?? this.processes.get('all')!;
  }

  /**
   * Another process of one service on the deployment's NATS server, as a second replica would
   * be: behind a load balancer for the gateway, in the same queue group for a context (NATS
   * shapes only: the embedded shape has one process).
   */
  async startReplica(service: 'gateway' | 'auth' = 'gateway'): Promise<PlatformProcess> {
    if (!this.nats) throw new Error('a replica needs the NATS shapes');
    const replica = new PlatformProcess(
      `${service}-${this.replicas.length + 2}`,
      await freePort(),
      {
        ...this.env,
        ...this.nats.envOf(service),
        SERVICES: service,
      },
    );
    this.replicas.push(replica);
    await replica.start();
    return replica;
  }

  /**
   * Stops every process and removes what the deployment made, after checking that no secret
   * the suite used (see `secrets.ts`), nor a stored password or refresh-token hash, appears in
   * any log line or security-log row: the deployment fails its suite if one does.
   */
  async stop(): Promise<void> {
    const stored = await this.storedSecrets().catch(() => ({ hashes: [], securityLog: '' }));
    for (const replica of this.replicas) await replica.stop();
    for (const process of [...this.processes.values()].reverse()) await process.stop();
    await this.nats?.stop();
    await this.database?.drop();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
    const texts: Record<string, string> = { 'the security log': stored.securityLog };
    for (const process of [...this.processes.values(), ...this.replicas]) {
      texts[`the log of ${process.name}`] = process.everything();
    }
    const leaks = leaksIn(texts, stored.hashes);
    if (leaks.length > 0) throw new Error(`Secrets leaked:\n${leaks.join('\n')}`);
  }

  /** The security log's rows and the stored hashes, read while the deployment runs. */
  private async storedSecrets(): Promise<{ hashes: string[]; securityLog: string }> {
    if (!this.database) {
      const admin = await this.admin();
      const pages: unknown[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await http(
          this.baseUrl,
          'GET',
          `/v1/admin/security-events?limit=100&offset=${offset}`,
          {
            headers: admin.authorization,
          },
        );
        pages.push(page.body.items);
        if (page.body.items.length < 100) break;
      }
      return { hashes: [], securityLog: JSON.stringify(pages) };
    }
    const credentials = await this.database.query<{ password_hash: string }>(
      `SELECT password_hash FROM auth.credentials`,
    );
    const refreshTokens = await this.database.query<{ hex: string; base64: string }>(
      `SELECT encode(token_hash, 'hex') AS hex, encode(token_hash, 'base64') AS base64
         FROM auth.refresh_tokens`,
    );
    const rows = await this.database.query(`SELECT type, details FROM auth.security_events`);
    return {
      hashes: [
        ...credentials.map((row) => row.password_hash),
        ...refreshTokens.flatMap((row) => [row.hex, row.base64]),
      ],
      securityLog: JSON.stringify(rows),
    };
  }
}

function parseShape(value: string | undefined): Shape {
  const candidate = value ?? 'embedded';
  const shapes: readonly string[] = ['embedded', 'monolith', 'split', 'split-hardened'];
  if (shapes.includes(candidate)) return candidate as Shape;
  throw new Error(
    `E2E_SHAPE must be embedded, monolith, split or split-hardened (got "${candidate}")`,
  );
}
