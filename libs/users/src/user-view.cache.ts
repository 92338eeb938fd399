import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { StoredUser } from './user.mapper';

/** At most this many profiles are held; the least recently read go first. */
const MAX_ENTRIES = 10_000;

/**
 * How long a profile may be served without being read again. Writes drop entries at once (see
 * below), so this bounds staleness only when a change's event never reaches a replica.
 */
const TTL_MS = 30_000;

/**
 * Profiles by id, with whether each account is disabled, so that the read every signed-in
 * client repeats (`GET /v1/users/me`) does not query the database each time. A write in this process drops the user's entry at once; other
 * replicas drop theirs when the change's event reaches them (`UserViewInvalidationController`).
 *
 * Entries are frozen: one object answers many requests, so none of them may change it.
 */
@Injectable()
export class UserViewCache {
  private readonly users = new LRUCache<string, StoredUser>({ max: MAX_ENTRIES, ttl: TTL_MS });
  /** Counts `forget` calls, so a read that raced a write does not store what it read. */
  private changes = 0;
  /**
   * Reads under way, by id: when an entry expires under load, every request for that user
   * misses at once, and they share one query instead of each sending its own.
   */
  private readonly loading = new Map<string, Promise<StoredUser>>();

  /**
   * The cached user `id`, or what `load` reads. What was loaded is kept only if no change was
   * announced while it was being read: a read that started before a write commits could
   * otherwise cache the old row after the write has dropped the entry.
   */
  async get(id: string, load: () => Promise<StoredUser>): Promise<StoredUser> {
    const cached = this.users.get(id);
    if (cached) return cached;
    const under = this.loading.get(id);
    if (under) return under;
    const changesBefore = this.changes;
    const reading = load()
      .then((loaded) => {
        const user = freeze(loaded);
        if (this.changes === changesBefore) this.users.set(id, user);
        return user;
      })
      .finally(() => {
        if (this.loading.get(id) === reading) this.loading.delete(id);
      });
    this.loading.set(id, reading);
    return reading;
  }

  /** The user changed: the next read of it goes to the database, even if one is under way. */
  forget(id: string): void {
    this.changes += 1;
    this.users.delete(id);
    this.loading.delete(id);
  }
}

function freeze(user: StoredUser): StoredUser {
  Object.freeze(user.view.roles);
  Object.freeze(user.view);
  return Object.freeze(user);
}
