import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { freePort } from './free-port.ts';
import type { BusIdentityName, HardenedBus } from './hardened-bus.ts';

/**
 * A private NATS server (JetStream on) on a free loopback port, so a test deployment never
 * shares subjects with another one or with a developer's running platform. Open, or started
 * from a hardened bus's configuration (NKey identities, permissions, TLS).
 */
export class NatsServer {
  readonly url: string;
  /** The hardened bus it runs, if it is not the open one. */
  readonly bus?: HardenedBus;
  private process: ChildProcess;
  private readonly storeDir: string;
  private readonly args: string[];

  private constructor(
    url: string,
    process: ChildProcess,
    storeDir: string,
    args: string[],
    bus?: HardenedBus,
  ) {
    this.url = url;
    this.process = process;
    this.storeDir = storeDir;
    this.args = args;
    this.bus = bus;
  }

  /** The server's OS process id (a bench pins it to the CPUs it measures on). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  static async start(port?: number, bus?: HardenedBus): Promise<NatsServer> {
    port ??= await freePort();
    const storeDir = mkdtempSync(join(tmpdir(), 'e2e-nats-'));
    const listen = ['-a', '127.0.0.1', '-p', String(port), '-sd', storeDir];
    const args = bus ? ['-c', bus.configFile, ...listen] : [...listen, '-js'];
    const url = `${bus ? 'tls' : 'nats'}://127.0.0.1:${port}`;
    const server = new NatsServer(url, spawnServer(args), storeDir, args, bus);
    await server.waitUntilReachable();
    return server;
  }

  /**
   * A client of this server: anonymous on the open bus; on a hardened one as `identity`, by
   * default the tests' unrestricted observer (see `HardenedBus`).
   */
  client(identity?: BusIdentityName): Promise<NatsConnection> {
    return this.bus ? this.bus.connect(this.url, identity) : connect({ servers: this.url });
  }

  /** What a platform process needs to connect as `identity` (nothing on the open bus). */
  envOf(identity: Exclude<BusIdentityName, 'observer'>): Record<string, string> {
    return this.bus ? this.bus.envOf(identity) : {};
  }

  /** Stops the server, keeping what JetStream stored, so `resume` brings it back as it was. */
  async pause(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    await exited;
  }

  /** Starts the paused server again, on the same port with the same store. */
  async resume(): Promise<void> {
    this.process = spawnServer(this.args);
    await this.waitUntilReachable();
  }

  async stop(): Promise<void> {
    await this.pause();
    rmSync(this.storeDir, { recursive: true, force: true });
    this.bus?.remove();
  }

  private async waitUntilReachable(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const connection = this.bus
          ? await this.bus.connect(this.url)
          : await connect({ servers: this.url, timeout: 500 });
        await connection.close();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`nats-server did not start: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

function spawnServer(args: string[]): ChildProcess {
  return spawn(process.env.NATS_SERVER_BIN ?? findBinary(), args, { stdio: 'ignore' });
}

function findBinary(): string {
  const candidates = [
    '/usr/sbin/nats-server',
    '/usr/bin/nats-server',
    '/usr/local/bin/nats-server',
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('nats-server not found: install it or set NATS_SERVER_BIN');
  return found;
}
