import type { ConfigService } from '@nestjs/config';
import type { PlatformEnv } from '@platform/config';

const DAY_SECONDS = 86_400;

/**
 * How long a session lasts: it ends after `idleSeconds` without use (`REFRESH_IDLE_DAYS`) and
 * `absoluteSeconds` after it began however often it is used (`REFRESH_ABSOLUTE_DAYS`). First-party
 * sessions, SSO sessions and the sessions authorization codes open all keep these.
 */
export interface SessionLifetime {
  idleSeconds: number;
  absoluteSeconds: number;
}

export function sessionLifetimeOf(config: ConfigService<PlatformEnv, true>): SessionLifetime {
  return {
    idleSeconds: config.get('REFRESH_IDLE_DAYS', { infer: true }) * DAY_SECONDS,
    absoluteSeconds: config.get('REFRESH_ABSOLUTE_DAYS', { infer: true }) * DAY_SECONDS,
  };
}
