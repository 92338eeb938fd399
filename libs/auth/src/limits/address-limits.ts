import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { addressKey } from '@platform/security';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { RateLimitedError } from './rate-limited.error';
import { RateLimitStore } from './rate-limit.store';

/** What a client address is limited in, each with its own count. */
export type LimitedOperation = 'register' | 'refresh' | 'password-change';

const LIMIT_VARIABLES = {
  register: 'REGISTER_LIMIT_PER_ADDRESS',
  refresh: 'REFRESH_LIMIT_PER_ADDRESS',
  'password-change': 'PASSWORD_CHANGE_LIMIT_PER_ADDRESS',
} as const satisfies Record<LimitedOperation, keyof PlatformEnv>;

/**
 * Per-address limits on what an anonymous or token-holding client can repeat cheaply for it
 * and dearly for the platform (OWASP Authentication Cheat Sheet, "Protect Against Automated
 * Attacks"): registrations, which hash a password; refresh-token rotations; password changes,
 * which check one. Each is counted before any of its work is done. A refusal is logged.
 */
@Injectable()
export class AddressLimits {
  private readonly windowSeconds: number;
  private readonly limits: Record<LimitedOperation, number>;

  constructor(
    private readonly store: RateLimitStore,
    private readonly securityLog: SecurityEventWriter,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.windowSeconds = config.get('ADDRESS_LIMIT_WINDOW_SECONDS', { infer: true });
    this.limits = {
      register: config.get(LIMIT_VARIABLES.register, { infer: true }),
      refresh: config.get(LIMIT_VARIABLES.refresh, { infer: true }),
      'password-change': config.get(LIMIT_VARIABLES['password-change'], { infer: true }),
    };
  }

  /** Counts one `operation` from `clientIp`; throws `RateLimitedError` past its limit. */
  async count(operation: LimitedOperation, clientIp: string | undefined): Promise<void> {
    const key = `${operation}:${addressKey(clientIp)}`;
    const { count, endsIn } = await this.store.count(key, this.windowSeconds);
    const limit = this.limits[operation];
    if (count <= limit) return;
    // Once per window, not once per refused request: a flood would otherwise flood the log.
    if (count === limit + 1) {
      await this.securityLog.append({ type: 'rate_limited', details: { key, limit } });
    }
    throw new RateLimitedError(endsIn);
  }
}
