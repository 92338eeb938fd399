import type { Revocations } from '../platform/revocations';

/** Reply of `auth.revocations.list`: what a verifier starting now must deny. */
export type RevocationSnapshot = Revocations;
