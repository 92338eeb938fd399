// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
// The one list of contexts; this file runs on Node 24, which strips the types of a .ts import.
import { CONTEXTS } from './libs/contracts/src/platform/contexts.ts';

/** Shared libraries a context may use. `contracts` is the only door between contexts. */
const SHARED = [
  'contracts',
  'config',
  'transport',
  'database',
  'observability',
  'health',
  'http',
  'security',
];

const contextImports = (names) =>
  names.flatMap((name) => [
    {
      group: [`@platform/${name}`, `@platform/${name}/*`],
      message: `Contexts talk through @platform/contracts, never through ${name}'s internals.`,
    },
    {
      group: [`**/libs/${name}/**`, `../../${name}/**`, `../${name}/**`],
      message: `Import another library by its @platform/ alias, and only if it is not a context.`,
    },
  ]);

// Specs may start what the end-to-end suites start (a private NATS server) from test/support.
const escapingRelativeImports = {
  regex: String.raw`(^|/)libs/[^/]+/src/|^(\.\./){3}(?!(\.\./)*test/support/)`,
  message: 'Import another library by its @platform/ alias, never by a relative path.',
};

/** The `no-restricted-imports` patterns of one library's files. */
const importRules = (library, patterns) => ({
  files: [`libs/${library}/**/*.ts`],
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

const boundaries = [
  ...CONTEXTS.map((context) =>
    importRules(context, [
      ...contextImports(CONTEXTS.filter((c) => c !== context)),
      escapingRelativeImports,
    ]),
  ),
  ...SHARED.map((library) =>
    importRules(library, [
      ...contextImports(CONTEXTS),
      escapingRelativeImports,
      // The wire contract stands alone: outside consumers read it without our runtime.
      ...(library === 'contracts'
        ? [{ group: ['@platform/*'], message: 'libs/contracts depends on no other library.' }]
        : []),
    ]),
  ),
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'libs/*/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The benches import test/support, and Node runs it as ES modules (test/support/tsconfig.json).
    files: ['test/support/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['__dirname', '__filename', 'require', 'module', 'exports'].map((name) => ({
          name,
          message: 'test/support runs as an ES module too: use import.meta or an import.',
        })),
      ],
      // Node erases `import type` but not a plain import of a type, which it would look for.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  ...boundaries,
  prettier,
);
