#!/usr/bin/env node
// Every suite against real PostgreSQL and NATS: unit, integration, then the end-to-end suite
// once per deployment shape. Jest's own summaries are per run, so this adds them up and ends
// with the one line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const REPORTS = '.test-runs';
const JEST_ENV = {
  ...process.env,
  NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
};

const runs = [
  { name: 'unit', args: ['--selectProjects', 'unit'] },
  { name: 'integration', args: ['--selectProjects', 'integration'] },
  // split-hardened: the split shape on the hardened bus (NKey identities, permissions, TLS).
  ...['embedded', 'monolith', 'split', 'split-hardened'].map((shape) => ({
    name: `e2e-${shape}`,
    args: ['--selectProjects', 'e2e'],
    env: { E2E_SHAPE: shape },
  })),
];

rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

const build = spawnSync('npx', ['nest', 'build'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedRuns = [];
for (const run of runs) {
  const report = join(REPORTS, `${run.name}.json`);
  console.log(`\n=== ${run.name} ===`);
  const result = spawnSync(
    'npx',
    ['jest', ...run.args, '--ci', '--json', `--outputFile=${report}`],
    { stdio: 'inherit', env: { ...JEST_ENV, ...run.env } },
  );
  const counts = readCounts(report);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (result.status !== 0) failedRuns.push(run.name);
}

for (const name of failedRuns) console.log(`FAILED: ${name}`);
// A run that crashed before reporting any test still has to fail the totals.
const failed =
  totals.failed + (failedRuns.length > 0 && totals.failed === 0 ? failedRuns.length : 0);
console.log(`${totals.skipped} skipped`);
console.log(`${totals.passed} passed, ${failed} failed`);
process.exit(failedRuns.length > 0 ? 1 : 0);

function readCounts(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}
