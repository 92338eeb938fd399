import { PlatformEnv, RouteRateLimit } from '@platform/config';

/** What one route allows: requests per window per client address, principal and client. */
export interface RouteLimits {
  windowSeconds: number;
  address: number;
  principal: number;
  client: number;
}

/** The defaults, and the operator's limits for particular routes. */
export interface RateLimitSettings {
  defaults: RouteLimits;
  /** `RATE_LIMIT_ROUTES`, keyed `METHOD /route/:param` (the route's pattern, not its path). */
  overrides: Record<string, RouteRateLimit>;
}

/** The variables that configure the limits. */
export type RateLimitVariables = Pick<
  PlatformEnv,
  | 'RATE_LIMIT_WINDOW_SECONDS'
  | 'RATE_LIMIT_PER_ADDRESS'
  | 'RATE_LIMIT_PER_PRINCIPAL'
  | 'RATE_LIMIT_PER_CLIENT'
  | 'RATE_LIMIT_ROUTES'
>;

/** The limits `RATE_LIMIT_*` configure. */
export function rateLimitSettingsOf(env: RateLimitVariables): RateLimitSettings {
  return {
    defaults: {
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      address: env.RATE_LIMIT_PER_ADDRESS,
      principal: env.RATE_LIMIT_PER_PRINCIPAL,
      client: env.RATE_LIMIT_PER_CLIENT,
    },
    overrides: env.RATE_LIMIT_ROUTES,
  };
}

/** Probes and documents are not limited: an orchestrator polls them, and they cost nothing. */
const EXEMPT = [/^\/health\//, /^\/metrics$/, /^\/docs(\/|-json$|$)/];

/**
 * Which limits apply to a route, resolved once per route and remembered: the defaults, and what
 * the operator set for that route.
 */
export class RateLimitPolicy {
  private readonly resolved = new Map<string, RouteLimits | null>();

  constructor(private readonly settings: RateLimitSettings) {}

  /** The longest window any route uses, so the shared counters can expire after it. */
  get longestWindowSeconds(): number {
    return Math.max(
      this.settings.defaults.windowSeconds,
      ...Object.values(this.settings.overrides).map((limits) => limits.windowSeconds ?? 0),
    );
  }

  /** The limits of `route` (its pattern) for `method`; null when the route is exempt. */
  limitsFor(method: string, route: string | undefined): RouteLimits | null {
    const key = `${method} ${route ?? '(unmatched)'}`;
    let limits = this.resolved.get(key);
    if (limits === undefined) {
      limits =
        route !== undefined && EXEMPT.some((pattern) => pattern.test(route))
          ? null
          : { ...this.settings.defaults, ...this.settings.overrides[key] };
      this.resolved.set(key, limits);
    }
    return limits;
  }
}
