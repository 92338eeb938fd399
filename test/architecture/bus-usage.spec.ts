import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as contracts from '@platform/contracts';
import {
  CONTEXT_BUS_USAGE,
  CONTEXTS,
  type ContextName,
  REQUEST_SUBJECTS,
  VERIFIER_BUS_USAGE,
} from '@platform/contracts';

const LIBS = resolve(__dirname, '../../libs');

function sourcesOf(lib: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) files.push(path);
    }
  };
  walk(join(LIBS, lib, 'src'));
  return files.map((file) => readFileSync(file, 'utf8'));
}

/** `AuthPattern.Login` to the subject the contracts give it. */
function subjectOf(object: string, key: string): string {
  const table = (contracts as unknown as Record<string, Record<string, string>>)[object];
  if (!table?.[key]) throw new Error(`${object}.${key} is not in the contracts`);
  return table[key];
}

/**
 * The subjects a library's code sends (or emits, or relays from HTTP) and the events its
 * handlers consume.
 */
function usedBy(lib: string): { sends: Set<string>; consumes: Set<string> } {
  const sends = new Set<string>();
  const consumes = new Set<string>();
  for (const source of sourcesOf(lib)) {
    for (const [, object, key] of source.matchAll(
      /\b(?:send|emit|relay)(?:<[^(]*>)?\(\s*(\w+Pattern)\.(\w+)/g,
    )) {
      sends.add(subjectOf(object, key));
    }
    for (const [, object, key] of source.matchAll(/@EventPattern\(\s*(\w+Event)\.(\w+)/g)) {
      consumes.add(subjectOf(object, key));
    }
  }
  return { sends, consumes };
}

/**
 * NATS permissions are derived from `CONTEXT_BUS_USAGE` (deploy/nats): a context whose code
 * sends a subject or handles an event its entry does not list would be refused by the
 * hardened bus alone. This finds it before any deployment does.
 */
describe('bus usage declared in the contracts', () => {
  it('lists everything the shared verifier sends and consumes', () => {
    const used = usedBy('security');
    expect([...used.sends].sort()).toEqual([...VERIFIER_BUS_USAGE.sends].sort());
    expect([...used.consumes].sort()).toEqual([...VERIFIER_BUS_USAGE.consumes].sort());
  });

  it.each(CONTEXTS.map((name) => [name]))(
    'lists every subject %s sends to another context and every event it consumes',
    (name: ContextName) => {
      const used = usedBy(name);
      const declared = CONTEXT_BUS_USAGE[name];
      const own = REQUEST_SUBJECTS[name];
      const sends = [...used.sends].filter((subject) => !own.includes(subject));
      expect(sends.filter((subject) => !declared.sends.includes(subject))).toEqual([]);
      expect([...used.consumes].filter((subject) => !declared.consumes.includes(subject))).toEqual(
        [],
      );
      // Nothing listed that the code does not use: a permission nobody needs is one too many.
      expect(declared.sends.filter((subject) => !used.sends.has(subject))).toEqual([]);
      expect(declared.consumes.filter((subject) => !used.consumes.has(subject))).toEqual([]);
    },
  );
});
