import { OnModuleDestroy } from '@nestjs/common';
import type { Revocations } from '@platform/contracts';
import { Principal } from './principal';

interface SubjectRevocation {
  notBefore: number;
  until: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * The in-memory deny set that makes revocation take effect at once, although access tokens are
 * verified locally and stay valid by signature until they expire. It is fed from revocation
 * events: a revoked session denies its `sid`, a revoked token its `jti`, a disabled user or
 * "log out everywhere" every token of its `sub` issued before a point in time. An entry is kept
 * only until the tokens it concerns have expired (`until`, epoch seconds), then dropped: lazily
 * when it is consulted and by a periodic sweep. No token outlives `longestTokenLifetimeSeconds`
 * from now, so no entry is kept longer, whatever `until` an event names: a flood of far-future
 * revocations cannot grow the set for good.
 */
export class RevocationList implements OnModuleDestroy {
  private readonly sessions = new Map<string, number>();
  private readonly tokens = new Map<string, number>();
  private readonly subjects = new Map<string, SubjectRevocation>();
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  constructor(private readonly longestTokenLifetimeSeconds: number) {}

  /** How many revocations are held. */
  get size(): number {
    return this.sessions.size + this.tokens.size + this.subjects.size;
  }

  /** Denies every token of the session `sessionId` until `untilEpochSeconds`. */
  revokeSession(sessionId: string, untilEpochSeconds: number): void {
    deny(this.sessions, sessionId, this.capped(untilEpochSeconds));
  }

  /** Denies the one token whose `jti` is `tokenId` until `untilEpochSeconds` (its `exp`). */
  revokeToken(tokenId: string, untilEpochSeconds: number): void {
    deny(this.tokens, tokenId, this.capped(untilEpochSeconds));
  }

  /**
   * Denies, until `untilEpochSeconds`, every token of `subject` issued (`iat`) before
   * `notBeforeEpochSeconds`; tokens issued from then on are accepted again. `iat` has whole
   * seconds, so a token issued in the revoking second survives this check: publishers end its
   * session too, so its `sid` is denied.
   */
  revokeSubject(subject: string, notBeforeEpochSeconds: number, untilEpochSeconds: number): void {
    untilEpochSeconds = this.capped(untilEpochSeconds);
    if (untilEpochSeconds <= nowSeconds()) return;
    const previous = this.subjects.get(subject);
    this.subjects.set(subject, {
      notBefore: Math.max(previous?.notBefore ?? 0, notBeforeEpochSeconds),
      until: Math.max(previous?.until ?? 0, untilEpochSeconds),
    });
  }

  /**
   * Denies every token of `subject` issued so far, this second included, for as long as any of
   * them can live.
   */
  revokeAllTokensOf(subject: string): void {
    const now = nowSeconds();
    this.revokeSubject(subject, Math.floor(now) + 1, now + this.longestTokenLifetimeSeconds);
  }

  /**
   * Denies every revocation of `revocations`: those in force when a verifier starts, or those a
   * request made, which its reply carries (see `Revocations`), so the process that answers the
   * request's client refuses the revoked tokens before it answers rather than once the event
   * reaches it. A reply comes from another process: what is not of the expected shape (an older
   * auth's empty reply, say) is skipped, as the events controller skips a malformed event; and
   * a revocation only ever denies.
   */
  apply(revocations: Partial<Revocations> | null | undefined): void {
    for (const { sessionId, until } of listOf(revocations?.sessions)) {
      if (typeof sessionId === 'string' && typeof until === 'number') {
        this.revokeSession(sessionId, until);
      }
    }
    for (const { userId, notBefore, until } of listOf(revocations?.subjects)) {
      if (
        typeof userId === 'string' &&
        typeof notBefore === 'number' &&
        typeof until === 'number'
      ) {
        this.revokeSubject(userId, notBefore, until);
      }
    }
    for (const { tokenId, until } of listOf(revocations?.tokens)) {
      if (typeof tokenId === 'string' && typeof until === 'number') {
        this.revokeToken(tokenId, until);
      }
    }
  }

  /** Whether a revocation denies this principal's token. */
  isRevoked(principal: Principal): boolean {
    if (this.size === 0) return false;
    const now = nowSeconds();
    if (principal.sessionId !== undefined && isDenied(this.sessions, principal.sessionId, now)) {
      return true;
    }
    if (isDenied(this.tokens, principal.tokenId, now)) return true;
    const subject = this.subjects.get(principal.subject);
    if (subject !== undefined) {
      if (subject.until <= now) this.subjects.delete(principal.subject);
      else if (principal.issuedAt < subject.notBefore) return true;
    }
    return false;
  }

  /** Drops every revocation whose tokens have all expired. */
  sweep(): void {
    const now = nowSeconds();
    for (const denied of [this.sessions, this.tokens]) {
      for (const [id, until] of denied) {
        if (until <= now) denied.delete(id);
      }
    }
    for (const [subject, { until }] of this.subjects) {
      if (until <= now) this.subjects.delete(subject);
    }
  }

  private capped(untilEpochSeconds: number): number {
    return Math.min(untilEpochSeconds, nowSeconds() + this.longestTokenLifetimeSeconds);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}

function listOf<T extends object>(entries: T[] | undefined): Partial<T>[] {
  return Array.isArray(entries)
    ? entries.filter((entry) => typeof entry === 'object' && entry)
    : [];
}

function deny(denied: Map<string, number>, id: string, until: number): void {
  if (until > nowSeconds()) denied.set(id, Math.max(denied.get(id) ?? 0, until));
}

/** Whether `id` is denied at `now`; a lapsed entry is dropped on the way. */
function isDenied(denied: Map<string, number>, id: string, now: number): boolean {
  const until = denied.get(id);
  if (until === undefined) return false;
  if (until > now) return true;
  denied.delete(id);
  return false;
}

function nowSeconds(): number {
  return Date.now() / 1000;
}
