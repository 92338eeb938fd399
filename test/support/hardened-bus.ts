import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { createUser } from '@nats-io/nkeys';

const GENERATOR = resolve(import.meta.dirname, '../../dist/apps/platform/src/nats-dev-config.js');
const PROVISIONER = resolve(import.meta.dirname, '../../dist/apps/platform/src/nats-provision.js');

/** A NATS identity of the hardened bus, or the test's own unrestricted `observer`. */
export type BusIdentityName =
  'gateway' | 'auth' | 'users' | 'orders' | 'events-reader' | 'provisioner' | 'observer';

/**
 * The hardened bus exactly as `npm run nats:dev-config -- DIR --tls` writes it (the built
 * command), plus one identity of the tests' own: `observer`, allowed everything, standing for
 * an operator's tool (or, on the open bus, anyone), so the suites that watch or send raw
 * messages run unchanged. The platform's identities keep the permissions the command derived,
 * and their streams and buckets exist only once `provision` has run, as in a deployment.
 */
export class HardenedBus {
  readonly dir: string;
  private readonly observerSeed: Uint8Array;

  private constructor(dir: string, observerSeed: Uint8Array) {
    this.dir = dir;
    this.observerSeed = observerSeed;
  }

  static create(): HardenedBus {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-hardened-bus-'));
    const result = spawnSync(process.execPath, [GENERATOR, dir, '--tls'], { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`nats:dev-config failed (run nest build first?): ${result.stderr}`);
    }
    const observer = createUser();
    const configFile = join(dir, 'nats-server.conf');
    const config = readFileSync(configFile, 'utf8');
    writeFileSync(
      configFile,
      config.replace('"users": [', `"users": [\n    { "nkey": "${observer.getPublicKey()}" },`),
    );
    return new HardenedBus(dir, observer.getSeed());
  }

  get configFile(): string {
    return join(this.dir, 'nats-server.conf');
  }

  get caFile(): string {
    return join(this.dir, 'ca.pem');
  }

  seedFile(identity: Exclude<BusIdentityName, 'observer'>): string {
    return join(this.dir, `${identity}.nk`);
  }

  /** The variables a platform process needs to be `identity` on this bus. */
  envOf(identity: Exclude<BusIdentityName, 'observer'>): Record<string, string> {
    return { NATS_NKEY_SEED_FILE: this.seedFile(identity), NATS_TLS_CA_FILE: this.caFile };
  }

  /**
   * Runs `npm run nats:provision` (the built command) as the provisioner against the server at
   * `url`, with the deployment's variables `env` (the gateway's rate limits size its bucket).
   */
  provision(url: string, env: Record<string, string> = {}): void {
    const result = spawnSync(process.execPath, [PROVISIONER], {
      env: { ...process.env, ...env, NATS_URL: url, ...this.envOf('provisioner') },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`nats:provision failed: ${result.stderr}`);
  }

  /** A client connected as `identity`, taking its replies in that identity's inboxes. */
  connect(url: string, identity: BusIdentityName = 'observer'): Promise<NatsConnection> {
    const seed =
      identity === 'observer'
        ? this.observerSeed
        : new TextEncoder().encode(readFileSync(this.seedFile(identity), 'utf8').trim());
    return connect({
      servers: url,
      tls: { caFile: this.caFile },
      authenticator: nkeyAuthenticator(seed),
      ...(identity === 'observer' ? {} : { inboxPrefix: `_INBOX_${identity}` }),
      timeout: 2000,
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
