/**
 * The deployable parts of the platform. `SERVICES` picks any subset for one process.
 * Listed here are the parts this build contains; `orders` joins when its issue lands.
 */
export const CONTEXT_NAMES = ['gateway', 'auth', 'users'] as const;

export type ContextName = (typeof CONTEXT_NAMES)[number];
