import { BUS_IDENTITIES, BusIdentity, busPermissions } from './bus-permissions';

/** The server's certificate and key, as the server will find them. */
export interface ServerTlsFiles {
  certFile: string;
  keyFile: string;
}

/**
 * The nats-server configuration of a hardened bus: JetStream on, every client authenticated by
 * its NKey (an anonymous one is refused), each identity allowed what `busPermissions` derives
 * from the contracts, and with `tls` the server requiring TLS of every client. Port and store
 * directory are left to the command line (`-p`, `-sd`). Uses only what nats-server 2.9 knows.
 */
export function hardenedBusConfig(
  publicKeys: Readonly<Record<BusIdentity, string>>,
  tls?: ServerTlsFiles,
): string {
  const users = BUS_IDENTITIES.map((identity) => {
    const permissions = busPermissions(identity);
    return {
      nkey: publicKeys[identity],
      permissions: {
        publish: withoutEmpty(permissions.publish),
        subscribe: withoutEmpty(permissions.subscribe),
        ...(permissions.allowResponses ? { allow_responses: true } : {}),
      },
    };
  });
  const lines = [
    '# A hardened NATS for the identity platform, written by `npm run nats:dev-config`.',
    '# One NKey user per identity; the permissions are derived from libs/contracts.',
    '# Start it with: nats-server -c <this file> [-p PORT] [-sd STORE_DIR]',
    `jetstream: {}`,
  ];
  if (tls) {
    lines.push(
      `tls: ${JSON.stringify({ cert_file: tls.certFile, key_file: tls.keyFile, timeout: 2 })}`,
    );
  }
  lines.push(`authorization: ${JSON.stringify({ users }, null, 2)}`, '');
  return lines.join('\n');
}

function withoutEmpty(rule: { allow: string[]; deny: string[] }): Partial<typeof rule> {
  return {
    ...(rule.allow.length > 0 ? { allow: rule.allow } : {}),
    ...(rule.deny.length > 0 ? { deny: rule.deny } : {}),
  };
}
