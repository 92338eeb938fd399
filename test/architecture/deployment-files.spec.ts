import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONTEXTS } from '@platform/contracts';

const read = (file: string) => readFileSync(resolve(__dirname, '../..', file), 'utf8');

/**
 * Files that cannot import the list of contexts still name every context in it, so adding one
 * to `libs/contracts/src/platform/contexts.ts` fails here until its deployment is written.
 */
describe('deployment files', () => {
  it('docker-compose.yml runs every context as its own service, and nothing else', () => {
    const services = [...read('docker-compose.yml').matchAll(/^\s+SERVICES: (\S+)$/gm)].map(
      ([, name]) => name,
    );
    expect([...services].sort()).toEqual([...CONTEXTS].sort());
  });

  it('.env.example lists every context SERVICES may name', () => {
    const line = read('.env.example')
      .split('\n')
      .find((text) => text.startsWith('# Contexts this process runs'));
    const listed = /comma list of ([\w,]+)/.exec(line ?? '')?.[1].split(',');
    expect(listed).toEqual([...CONTEXTS]);
  });
});
