import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const LIBS = resolve(__dirname, '../../libs');

/** The folders directly under `libs/<lib>/src` that `file` imports, relatively, besides its own. */
function importedFolders(lib: string, file: string): string[] {
  const source = join(LIBS, lib, 'src');
  const own = relative(source, file).split('/')[0];
  const folders = new Set<string>();
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
    const target = relative(source, resolve(dirname(file), specifier)).split('/');
    if (target.length > 1 && target[0] !== own && target[0] !== '..') folders.add(target[0]);
  }
  return [...folders];
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** A cycle in the folder graph of one library, or undefined: a depth-first search. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>();
  const visit = (folder: string, path: string[]): string[] | undefined => {
    if (path.includes(folder)) return [...path.slice(path.indexOf(folder)), folder];
    if (done.has(folder)) return undefined;
    for (const next of graph.get(folder) ?? []) {
      const cycle = visit(next, [...path, folder]);
      if (cycle) return cycle;
    }
    done.add(folder);
    return undefined;
  };
  for (const folder of graph.keys()) {
    const cycle = visit(folder, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Inside a library, folders are use cases layered one way: a folder may use another, but two
 * folders never import each other, directly or through a third.
 */
describe('use-case folders', () => {
  const libraries = readdirSync(LIBS).filter((lib) =>
    statSync(join(LIBS, lib, 'src')).isDirectory(),
  );

  it.each(libraries)('libs/%s has no import cycle between its folders', (lib) => {
    const graph = new Map<string, Set<string>>();
    for (const file of sourceFiles(join(LIBS, lib, 'src'))) {
      const folder = relative(join(LIBS, lib, 'src'), file).split('/')[0];
      if (folder.endsWith('.ts')) continue;
      const edges = graph.get(folder) ?? new Set<string>();
      for (const target of importedFolders(lib, file)) edges.add(target);
      graph.set(folder, edges);
    }
    expect(findCycle(graph)).toBeUndefined();
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['login', new Set(['sessions'])],
      ['sessions', new Set(['tokens', 'login'])],
      ['tokens', new Set<string>()],
    ]);
    expect(findCycle(graph)).toEqual(['login', 'sessions', 'login']);
  });
});
