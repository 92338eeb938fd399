import { loadPlatformEnvOrExit } from '@platform/config';
import { sharedCountersBucketFor } from '@platform/gateway';
import { NatsIdentityError, PROVISIONER, provisionBus } from '@platform/transport';

/**
 * `npm run nats:provision`: creates every context's event stream and the gateway's rate-limit
 * bucket on the NATS at `NATS_URL`, or brings them to this release's configuration (see
 * `provisionBus`). On a hardened bus it connects as the provisioner, the one identity allowed
 * to (`NATS_NKEY_SEED_FILE=DIR/provisioner.nk`, written by `npm run nats:dev-config`), and must
 * run before the services start and again after an upgrade. It reads the gateway's
 * `RATE_LIMIT_*` variables, which set how long the bucket keeps a counter.
 */
async function main(): Promise<number> {
  const env = loadPlatformEnvOrExit();
  if (!env.NATS_URL) {
    process.stderr.write(
      'Usage: NATS_URL=... NATS_NKEY_SEED_FILE=DIR/provisioner.nk [NATS_TLS_CA_FILE=DIR/ca.pem] npm run nats:provision\n',
    );
    return 1;
  }
  const provisioned = await provisionBus({
    url: env.NATS_URL,
    identity: {
      name: env.NATS_NKEY_SEED_FILE ? PROVISIONER : undefined,
      seedFile: env.NATS_NKEY_SEED_FILE,
      tlsCaFile: env.NATS_TLS_CA_FILE,
    },
    buckets: [sharedCountersBucketFor(env)],
  });
  process.stdout.write(`Provisioned on ${env.NATS_URL}: ${provisioned.join(', ')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A refused identity says so in one line; anything else keeps its stack.
    const reason =
      error instanceof NatsIdentityError
        ? error.message
        : error instanceof Error
          ? error.stack
          : String(error);
    process.stderr.write(`nats:provision failed: ${reason}\n`);
    process.exit(2);
  },
);
