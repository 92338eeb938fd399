/**
 * The platform's bounded contexts, the one list of them. Everything that names contexts derives
 * from it: the `SERVICES` variable, the composition root, the boundary lint, `start:split`, the
 * compose file (kept in step by a spec) and the audiences of first-party tokens, since each
 * context verifies that a token's `aud` names it.
 *
 * Plain and erasable TypeScript, because `eslint.config.mjs` and `scripts/start-split.mjs`
 * import this very file.
 */
export const CONTEXTS = ['gateway', 'auth', 'users', 'orders'] as const;

export type ContextName = (typeof CONTEXTS)[number];
