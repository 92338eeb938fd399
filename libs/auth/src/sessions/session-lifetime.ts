import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';

const DAY_SECONDS = 86_400;

/**
 * How long a session lasts: it ends after `idleSeconds` without use (`REFRESH_IDLE_DAYS`) and
 * `absoluteSeconds` after it began however often it is used (`REFRESH_ABSOLUTE_DAYS`). First-party
 * sessions, SSO sessions and the sessions authorization codes open all keep these.
 */
@Injectable()
export class SessionLifetime {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;

  constructor(config: ConfigService<PlatformEnv, true>) {
    this.idleSeconds = config.get('REFRESH_IDLE_DAYS', { infer: true }) * DAY_SECONDS;
    this.absoluteSeconds = config.get('REFRESH_ABSOLUTE_DAYS', { infer: true }) * DAY_SECONDS;
  }

  /**
   * The idle lifetime a new session starts with: `idleSeconds`, or a client's shorter one, and
   * never past the session's absolute end.
   */
  firstIdleSeconds(clientIdleSeconds = this.idleSeconds): number {
    return Math.min(clientIdleSeconds, this.idleSeconds, this.absoluteSeconds);
  }
}
