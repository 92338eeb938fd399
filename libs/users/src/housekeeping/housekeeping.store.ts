import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HousekeepingPurge } from '@platform/database';
import { purgePublishedOutbox } from '@platform/transport';

/** Delivered events are kept this long, for an operator looking at what just happened. */
const PUBLISHED_EVENTS_KEPT_SECONDS = 86_400;
/** A late profile creation arrives within seconds of its cancellation, never a day after. */
const CANCELLATIONS_KEPT_SECONDS = 86_400;

/** What the users context keeps only as long as it can matter: delivered events, cancellations. */
@Injectable()
export class HousekeepingStore implements HousekeepingPurge {
  async purge(manager: EntityManager): Promise<Record<string, number>> {
    const [, cancellations] = (await manager.query(
      `DELETE FROM users.cancelled_registrations
        WHERE cancelled_at < now() - make_interval(secs => $1)`,
      [CANCELLATIONS_KEPT_SECONDS],
    )) as [unknown, number];
    return {
      cancelledRegistrations: cancellations,
      outbox: await purgePublishedOutbox(manager, 'users', PUBLISHED_EVENTS_KEPT_SECONDS),
    };
  }
}
