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

  it('.env.example documents every variable the platform reads', () => {
    const source = read('libs/config/src/platform-env.ts');
    const declaration = source.slice(source.indexOf('export interface PlatformEnv'));
    const variables = [
      ...declaration.slice(0, declaration.indexOf('\n}')).matchAll(/^ {2}([A-Z_]+)\??:/gm),
    ].map(([, name]) => name);
    const documented = [...read('.env.example').matchAll(/^#? ?([A-Z_]+)=/gm)].map(
      ([, name]) => name,
    );
    expect(variables.length).toBeGreaterThan(10);
    expect(variables.filter((name) => !documented.includes(name))).toEqual([]);
  });
});
