import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ENTRY = resolve(__dirname, '../dist/apps/platform/src/main.js');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [ENTRY], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('configuration', () => {
  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['SERVICES', { SERVICES: 'gateway,billing' }],
    ['NATS_URL', { NATS_URL: 'http://not-nats' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@localhost/db' }],
    ['REQUEST_TIMEOUT_MS', { REQUEST_TIMEOUT_MS: '-5' }],
  ])('refuses to start on a bad %s, naming it', (variable, env) => {
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain(variable);
  });
});
