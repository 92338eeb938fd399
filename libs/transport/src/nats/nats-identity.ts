import { readFileSync } from 'node:fs';
import { AuthorizationError, nkeyAuthenticator, nkeys } from '@nats-io/transport-node';
import type { Authenticator } from '@nats-io/transport-node';

/**
 * Who a process is on NATS: the identity whose permissions the server applies to it (see
 * `deploy/nats/`). Without a seed the process connects anonymously, as on the open
 * development bus.
 */
export interface NatsIdentity {
  /**
   * The identity's name, the one context a split process hosts. Replies to its requests come
   * to `_INBOX_<name>`, the only inboxes its identity may subscribe to; a process hosting
   * several contexts keeps nats.js's shared `_INBOX`.
   */
  name?: string;
  /** File holding its NKey user seed (`NATS_NKEY_SEED_FILE`). */
  seedFile?: string;
  /** CA certificate a `tls://` server's certificate must chain to (`NATS_TLS_CA_FILE`). */
  tlsCaFile?: string;
}

/** A process cannot be who its configuration says on NATS: it stops, saying why. */
export class NatsIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NatsIdentityError';
  }
}

/** The inbox prefix of an identity's replies. */
export function inboxPrefixOf(identity: NatsIdentity): string | undefined {
  return identity.name ? `_INBOX_${identity.name}` : undefined;
}

/**
 * The NKey challenge signer for the identity's seed (the server sends a nonce, the client
 * signs it: the seed never leaves the process). Refuses a file that holds no user seed.
 */
export function nkeyAuthenticatorOf(seedFile: string): Authenticator {
  const seed = readFileSync(seedFile, 'utf8').trim();
  try {
    if (!nkeys.fromSeed(new TextEncoder().encode(seed)).getPublicKey().startsWith('U')) {
      throw new Error('not a user seed');
    }
  } catch {
    throw new NatsIdentityError(
      `NATS_NKEY_SEED_FILE ${seedFile} holds no NKey user seed (one line starting with SU)`,
    );
  }
  return nkeyAuthenticator(new TextEncoder().encode(seed));
}

/** Whether NATS refused the connection's credentials (`Authorization Violation`). */
export function isIdentityRefusal(error: unknown): boolean {
  return error instanceof AuthorizationError;
}

/** What a process says when NATS refuses who it claims to be. */
export function identityRefusal(identity: NatsIdentity, url: string): NatsIdentityError {
  const who = identity.seedFile
    ? `the identity in NATS_NKEY_SEED_FILE ${identity.seedFile}`
    : 'an anonymous connection (NATS_NKEY_SEED_FILE is unset)';
  return new NatsIdentityError(`NATS at ${url} refused ${who}: Authorization Violation`);
}
