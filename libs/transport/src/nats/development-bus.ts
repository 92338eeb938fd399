import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createUser, fromSeed } from '@nats-io/nkeys';
import { BUS_IDENTITIES, BusIdentity } from './bus-permissions';
import { writeDevelopmentCertificates } from './development-certificates';
import { hardenedBusConfig } from './hardened-bus.config';

export interface DevelopmentBusOptions {
  /** Write a development CA and server certificate, and require TLS. */
  tls: boolean;
  /** Where the server will see the directory (a container's mount), if not where it is. */
  mountPath?: string;
}

/**
 * Writes a hardened bus into `dir`: `nats-server.conf` (see `hardenedBusConfig`), one NKey seed
 * per identity `<identity>.nk` (mode 0600: a process refuses a seed others may read), and with
 * `tls` the CA `ca.pem` clients trust plus the server's certificate and key. A seed or a
 * certificate already in `dir` is kept, so running it again after an upgrade refreshes the
 * permissions without handing out new credentials. Returns the files it wrote or kept.
 */
export function writeDevelopmentBus(dir: string, options: DevelopmentBusOptions): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const publicKeys = {} as Record<BusIdentity, string>;
  for (const identity of BUS_IDENTITIES) {
    publicKeys[identity] = ensureSeed(join(dir, `${identity}.nk`));
  }
  const files = BUS_IDENTITIES.map((identity) => `${identity}.nk`);
  const seenAt = resolve(options.mountPath ?? dir);
  if (options.tls) {
    if (!existsSync(join(dir, 'server-cert.pem')) || !existsSync(join(dir, 'ca.pem'))) {
      writeDevelopmentCertificates(dir);
    }
    chmodSync(join(dir, 'server-key.pem'), 0o600);
    files.push('ca.pem', 'server-cert.pem', 'server-key.pem');
  }
  const config = hardenedBusConfig(
    publicKeys,
    options.tls
      ? { certFile: join(seenAt, 'server-cert.pem'), keyFile: join(seenAt, 'server-key.pem') }
      : undefined,
  );
  writeFileSync(join(dir, 'nats-server.conf'), config, { mode: 0o644 });
  return ['nats-server.conf', ...files];
}

/** The public key of the seed in `path`, made (mode 0600) if there is none. */
function ensureSeed(path: string): string {
  if (existsSync(path)) {
    return fromSeed(new TextEncoder().encode(readFileSync(path, 'utf8').trim())).getPublicKey();
  }
  const user = createUser();
  writeFileSync(path, `${new TextDecoder().decode(user.getSeed())}\n`, { mode: 0o600 });
  return user.getPublicKey();
}
