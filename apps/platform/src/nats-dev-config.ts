import { writeDevelopmentBus } from '@platform/transport';

/**
 * `npm run nats:dev-config -- DIR [--tls] [--mount-path PATH]`: writes a hardened NATS
 * configuration, one NKey seed per identity and, with `--tls`, a development CA and server
 * certificate into DIR (see `writeDevelopmentBus`). `--mount-path` names where the NATS server
 * will see DIR, when it runs in a container with DIR mounted elsewhere.
 */
function main(args: string[]): number {
  const dir = args.find(
    (arg, index) => !arg.startsWith('--') && args[index - 1] !== '--mount-path',
  );
  const mountAt = args.indexOf('--mount-path');
  if (!dir || (mountAt !== -1 && !args[mountAt + 1])) {
    process.stderr.write('Usage: npm run nats:dev-config -- DIR [--tls] [--mount-path PATH]\n');
    return 1;
  }
  const tls = args.includes('--tls');
  const url = `${tls ? 'tls' : 'nats'}://HOST:PORT`;
  const ca = tls ? ` NATS_TLS_CA_FILE=${dir}/ca.pem` : '';
  const files = writeDevelopmentBus(dir, {
    tls,
    mountPath: mountAt === -1 ? undefined : args[mountAt + 1],
  });
  process.stdout.write(
    `Wrote ${files.map((file) => `${dir}/${file}`).join(', ')}\n` +
      `Start the server: nats-server -c ${dir}/nats-server.conf [-p PORT] [-sd STORE_DIR]\n` +
      `Provision its streams before the services: NATS_URL=${url} NATS_NKEY_SEED_FILE=${dir}/provisioner.nk${ca} npm run nats:provision\n` +
      `Each process: NATS_URL=${url} NATS_NKEY_SEED_FILE=${dir}/<identity>.nk${ca}\n`,
  );
  return 0;
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(
    `nats:dev-config failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(2);
}
