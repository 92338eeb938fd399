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
   * The cached user `id`, or what `load` reads. What was loaded is kept only if no change was
   * announced while it was being read: a read that started before a write commits could
   * otherwise cache the old row after the write has dropped the entry.
   */
  async get(id: string, load: () => Promise<StoredUser>): Promise<StoredUser> {
    const cached = this.users.get(id);
    if (cached) return cached;
    const changesBefore = this.changes;
    const user = freeze(await load());
    if (this.changes === changesBefore) this.users.set(id, user);
    return user;
  }

  /** The user changed: the next read of it goes to the database. */
  forget(id: string): void {
    this.changes += 1;
    this.users.delete(id);
  }
}

function freeze(user: StoredUser): StoredUser {
  Object.freeze(user.view.roles);
  Object.freeze(user.view);
  return Object.freeze(user);
}
