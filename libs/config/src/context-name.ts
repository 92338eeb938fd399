/**
 * The deployable parts of the platform. `SERVICES` picks any subset for one process.
 * Listed here are the parts this build contains; `auth` and `orders` join as their issues land.
 */
export const CONTEXT_NAMES = ['gateway', 'users'] as const;

export type ContextName = (typeof CONTEXT_NAMES)[number];
