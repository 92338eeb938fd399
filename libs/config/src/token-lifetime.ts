import type { ConfigService } from '@nestjs/config';
import type { PlatformEnv } from './platform-env';

/** How far apart the clocks of signers and verifiers may be. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * The longest any token the platform issues may be presented for: the access-token lifetime
 * (every other token the services verify lives shorter) and the clock skew. A revocation need
 * not outlive it, and a process that starts late replays this much of the revocation events.
 */
export function longestTokenLifetimeSeconds(
  env: Pick<PlatformEnv, 'ACCESS_TOKEN_TTL_SECONDS'>,
): number {
  return env.ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS;
}

/** `longestTokenLifetimeSeconds` of the running configuration. */
export function longestTokenLifetimeOf(config: ConfigService<PlatformEnv, true>): number {
  return longestTokenLifetimeSeconds({
    ACCESS_TOKEN_TTL_SECONDS: config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true }),
  });
}
