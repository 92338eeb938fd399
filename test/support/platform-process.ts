import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

// Node runs this file as it is when a bench imports it, as an ES module: hence `import.meta`.
const ENTRY = resolve(import.meta.dirname, '../../dist/apps/platform/src/main.js');
/** Generous: on a shared, loaded machine a cold start (PGlite, migrations, keys) can be slow. */
const READY_TIMEOUT_MS = 90_000;
const PROBE_TIMEOUT_MS = 2000;

/** Every variable the platform reads (`PlatformEnv`; `.env.example` documents each). */
export const PLATFORM_VARIABLES = [
  'PORT',
  'HOST',
  'SERVICES',
  'NATS_URL',
  'NATS_NKEY_SEED_FILE',
  'NATS_TLS_CA_FILE',
  'DATABASE_URL',
  'DATA_DIR',
  'ISSUER',
  'LOG_LEVEL',
  'REQUEST_TIMEOUT_MS',
  'BODY_LIMIT_BYTES',
  'SIGNING_ALG',
  'KEY_ENCRYPTION_KEY',
  'PREVIOUS_KEY_ENCRYPTION_KEYS',
  'SIGNING_KEY_ROTATION_HOURS',
  'ACCESS_TOKEN_TTL_SECONDS',
  'VERIFIED_TOKEN_CACHE_SIZE',
  'REFRESH_IDLE_DAYS',
  'REFRESH_ABSOLUTE_DAYS',
  'LOGIN_MAX_FAILURES',
  'LOGIN_MAX_FAILURES_PER_ADDRESS',
  'LOGIN_LOCK_SECONDS',
  'LOGIN_MAX_LOCK_SECONDS',
  'LOGIN_FAILURE_WINDOW_SECONDS',
  'ADDRESS_LIMIT_WINDOW_SECONDS',
  'REGISTER_LIMIT_PER_ADDRESS',
  'REFRESH_LIMIT_PER_ADDRESS',
  'PASSWORD_CHANGE_LIMIT_PER_ADDRESS',
  'TRUSTED_PROXIES',
  'BOOTSTRAP_ADMIN_EMAIL',
  'BOOTSTRAP_ADMIN_PASSWORD',
  'CORS_ORIGINS',
  'RATE_LIMIT_WINDOW_SECONDS',
  'RATE_LIMIT_PER_ADDRESS',
  'RATE_LIMIT_PER_PRINCIPAL',
  'RATE_LIMIT_PER_CLIENT',
  'RATE_LIMIT_ROUTES',
  'API_TOKEN_CACHE_SECONDS',
  'LEGACY_CLIENTS',
  'METRICS_PORT',
  'FIRST_PARTY_AUDIENCES',
  'FIRST_PARTY_SCOPES',
  'SERVICE_CLIENT_SECRETS',
] as const;

export interface PlatformProcessOptions {
  /** A script to run instead of the platform's build, answering `/health/ready` alike. */
  entry?: string;
  /** The child's working directory, where the platform reads `.env`; the caller's by default. */
  cwd?: string;
  /**
   * Whether the caller's own `PLATFORM_VARIABLES` reach the child (the default). Without them
   * the child gets those only from `env`: a NATS_URL exported in a shell cannot change it.
   */
  inheritPlatformVariables?: boolean;
}

/** One OS process of the platform, started from the build exactly as in production. */
export class PlatformProcess {
  readonly name: string;
  readonly port: number;
  private env: Record<string, string>;
  private readonly options: PlatformProcessOptions;
  private child?: ChildProcess;
  private readonly output: string[] = [];
  private readonly transcript: string[] = [];

  constructor(
    name: string,
    port: number,
    env: Record<string, string>,
    options: PlatformProcessOptions = {},
  ) {
    this.name = name;
    this.port = port;
    this.env = env;
    this.options = options;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Changes the environment of the next `start` (a restart with other configuration). */
  configure(env: Record<string, string>): void {
    this.env = { ...this.env, ...env };
  }

  /** The OS process id, once started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and, unless told otherwise, waits until it reports ready. */
  async start({ waitUntilReady = true } = {}): Promise<void> {
    const { entry = ENTRY, cwd, inheritPlatformVariables = true } = this.options;
    const inherited = inheritPlatformVariables ? process.env : withoutPlatformVariables();
    const child = spawn(process.execPath, [entry], {
      cwd,
      env: { ...inherited, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      this.transcript.push(text);
      this.output.push(...text.split('\n').filter(Boolean));
      this.output.splice(0, Math.max(0, this.output.length - 200));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', (error) => this.output.push(`spawn failed: ${error.message}`));
    if (waitUntilReady) await this.waitUntilReady();
  }

  /** SIGTERM, as an orchestrator would; SIGKILL if it has not exited within 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** SIGSTOP: the process stalls as under a long pause or a frozen container, sockets open. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT: a frozen process carries on where it stopped. */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** SIGKILL, as a crash: nothing is finished or flushed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }

  /** Everything this process wrote, across its restarts. */
  everything(): string {
    return this.transcript.join('');
  }

  /** The last lines this process wrote, for failure messages. */
  logs(): string {
    return this.output.join('\n');
  }

  /** Polls `/health/ready` until it answers 200; fails if the process exits first. */
  async waitUntilReady(): Promise<void> {
    const child = this.child!;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (hasExited(child)) {
        const status = child.exitCode ?? child.signalCode;
        throw new Error(`${this.name} exited with ${status}:\n${this.logs()}`);
      }
      try {
        const response = await fetch(`${this.url}/health/ready`, {
          signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`${this.name} was not ready within ${READY_TIMEOUT_MS} ms:\n${this.logs()}`);
  }
}

/** Exited with a status, or killed by a signal (which leaves `exitCode` null). */
function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function withoutPlatformVariables(): NodeJS.ProcessEnv {
  const names: readonly string[] = PLATFORM_VARIABLES;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !names.includes(name)));
}
