import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PlatformEnv } from '@platform/config';
import { PLATFORM_VARIABLES } from '../support/platform-process';

type Listed = (typeof PLATFORM_VARIABLES)[number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * A child started without the caller's platform variables (as the benches start theirs) must
 * not get any of them by way of a list that has fallen behind the configuration: the list is
 * the configuration's keys, checked by the compiler, and the variables `.env.example` documents.
 */
describe('PLATFORM_VARIABLES', () => {
  it('names exactly the variables PlatformEnv validates', () => {
    const same: Same<Listed, keyof PlatformEnv> = true;
    expect(same).toBe(true);
  });

  it('names exactly the variables .env.example documents', () => {
    const example = readFileSync(resolve(__dirname, '../../.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map(([, name]) => name);
    expect([...PLATFORM_VARIABLES].sort()).toEqual(documented.sort());
  });
});
