#!/usr/bin/env node
// How long `npm run audit:verify` takes to walk the security log's hash chain, per 100 000
// rows, on PostgreSQL: the bench migrates a scratch database, appends rows through the chaining
// trigger (timed too: that is what every logged event costs the database), then runs the command
// as an operator would and reads the time it reports for the walk itself. See bench/README.md.
// Needs `nest build` first and PostgreSQL on loopback.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import {
  DIST,
  positiveNumber,
  postgres,
  printMachine,
  printTable,
  runBench,
} from './support/harness.mjs';

const ROWS = positiveNumber('BENCH_AUDIT_ROWS', 100_000, true);
const BATCH = 10_000;

await runBench(main);

async function main() {
  const database = await postgres('bench_audit');
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    SERVICES: 'auth',
    NATS_URL: '',
    LOG_LEVEL: 'warn',
  };
  const migrated = command('migrate.js', env);
  if (migrated.status !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);

  const appendStarted = performance.now();
  for (let done = 0; done < ROWS; done += BATCH) {
    await database.query(
      `INSERT INTO auth.security_events (type, user_id, details)
       SELECT 'login_succeeded', gen_random_uuid(), jsonb_build_object('clientIp', '192.0.2.' || (n % 250))
         FROM generate_series(1, $1) AS n`,
      [Math.min(BATCH, ROWS - done)],
    );
  }
  const appendSeconds = (performance.now() - appendStarted) / 1000;

  const verified = command('audit-verify.js', env);
  const match = /intact: (\d+) rows verified in ([\d.]+) s/.exec(verified.stdout);
  if (verified.status !== 0 || !match)
    throw new Error(`audit:verify failed: ${verified.stdout}${verified.stderr}`);
  const [rows, verifySeconds] = [Number(match[1]), Number(match[2])];

  printMachine([
    `Rows: ${rows} login events, appended in batches of ${BATCH} through the chaining trigger`,
  ]);
  const per100k = (seconds) => ((seconds * 100_000) / rows).toFixed(2);
  printTable(
    ['step', 'seconds', 'per 100 000 rows', 'rows/s'],
    [
      [
        'append (chained by the trigger)',
        appendSeconds.toFixed(2),
        per100k(appendSeconds),
        (rows / appendSeconds).toFixed(0),
      ],
      [
        'audit:verify walk',
        verifySeconds.toFixed(2),
        per100k(verifySeconds),
        (rows / verifySeconds).toFixed(0),
      ],
    ],
  );
  return 0;
}

function command(script, env) {
  return spawnSync(process.execPath, [`${DIST}apps/platform/src/${script}`], {
    env,
    encoding: 'utf8',
    timeout: 600_000,
  });
}
