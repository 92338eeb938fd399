import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { UserView } from '@platform/contracts';

/** At most this many profiles are held; the least recently read go first. */
const MAX_ENTRIES = 10_000;

/**
 * How long a profile may be served without being read again. Writes drop entries at once (see
 * below), so this bounds staleness only when a change's event never reaches a replica.
 */
const TTL_MS = 30_000;

/**
 * Profiles by id, so that the read every signed-in client repeats (`GET /v1/users/me`) does not
 * query the database each time. A write in this process drops the user's entry at once; other
 * replicas drop theirs when the change's event reaches them (`UserViewInvalidationController`).
 *
 * Views are frozen: one object answers many requests, so none of them may change it.
 */
@Injectable()
export class UserViewCache {
  private readonly views = new LRUCache<string, UserView>({ max: MAX_ENTRIES, ttl: TTL_MS });
  /** Counts `forget` calls, so a read that raced a write does not store what it read. */
  private changes = 0;

  /**
   * The cached view of `id`, or what `load` reads. The loaded view is kept only if no change
   * was announced while it was being read: a read that started before a write commits could
   * otherwise cache the old row after the write has dropped the entry.
   */
  async get(id: string, load: () => Promise<UserView>): Promise<UserView> {
    const cached = this.views.get(id);
    if (cached) return cached;
    const changesBefore = this.changes;
    const view = freeze(await load());
    if (this.changes === changesBefore) this.views.set(id, view);
    return view;
  }

  /** The user changed: the next read of it goes to the database. */
  forget(id: string): void {
    this.changes += 1;
    this.views.delete(id);
  }
}

function freeze(view: UserView): UserView {
  Object.freeze(view.roles);
  return Object.freeze(view);
}
