import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Names the server certificate is valid for: this host, and the compose file's `nats`. */
const SERVER_NAMES = ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1', 'DNS:nats'];
const DAYS = 365;

/**
 * A development CA (`ca.pem`) and a server certificate it signed (`server-cert.pem`,
 * `server-key.pem`), made with the `openssl` command (Debian and the usual images have it).
 * ECDSA P-256 keys; the CA's own key is removed once it has signed, so nothing else can be
 * issued under it. For development and tests: production brings its own PKI.
 */
export function writeDevelopmentCertificates(dir: string): void {
  const caKey = join(dir, 'ca-key.pem');
  const csr = join(dir, 'server.csr');
  const extensions = join(dir, 'server.ext');
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  writeFileSync(
    extensions,
    `subjectAltName=${SERVER_NAMES.join(',')}\nextendedKeyUsage=serverAuth\n`,
  );
  try {
    openssl([
      'req',
      '-x509',
      ...key,
      '-keyout',
      caKey,
      '-out',
      join(dir, 'ca.pem'),
      '-days',
      String(DAYS),
      '-subj',
      '/CN=identity-platform development CA',
    ]);
    openssl([
      'req',
      ...key,
      '-keyout',
      join(dir, 'server-key.pem'),
      '-out',
      csr,
      '-subj',
      '/CN=nats',
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(dir, 'ca.pem'),
      '-CAkey',
      caKey,
      '-set_serial',
      `0x${Date.now().toString(16)}`,
      '-out',
      join(dir, 'server-cert.pem'),
      '-days',
      String(DAYS),
      '-extfile',
      extensions,
    ]);
  } finally {
    for (const file of [caKey, csr, extensions]) rmSync(file, { force: true });
  }
}

function openssl(args: string[]): void {
  const result = spawnSync('openssl', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.error) throw new Error(`--tls needs the openssl command: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
}
