import { isIP } from 'node:net';
import Joi from 'joi';
import { CONTEXTS, ContextName, SIGNING_ALGORITHMS, SigningAlgorithm } from '@platform/contracts';

/** Validated, defaulted configuration. `.env.example` documents every variable. */
export interface PlatformEnv {
  PORT: number;
  HOST: string;
  /** Contexts this process runs. `all` in the environment expands to every context. */
  SERVICES: ContextName[];
  /** Unset: contexts talk over the in-process transport. */
  NATS_URL?: string;
  /** Unset: embedded PostgreSQL (PGlite) under `DATA_DIR`. */
  DATABASE_URL?: string;
  DATA_DIR: string;
  ISSUER: string;
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Upper bound for one request/reply hop between contexts. */
  REQUEST_TIMEOUT_MS: number;
  /** Largest HTTP request body the gateway reads. */
  BODY_LIMIT_BYTES: number;
  /** Algorithm of newly generated signing keys. */
  SIGNING_ALG: SigningAlgorithm;
  /** Base64 of 32 random bytes that encrypts signing keys at rest; unset: a file in `DATA_DIR`. */
  KEY_ENCRYPTION_KEY?: string;
  /** Earlier key-encryption keys that may still open signing keys, until `keys:rotate-kek`. */
  PREVIOUS_KEY_ENCRYPTION_KEYS: string[];
  /** How long a signing key signs before the next one takes over. */
  SIGNING_KEY_ROTATION_HOURS: number;
  /** Lifetime of access tokens. */
  ACCESS_TOKEN_TTL_SECONDS: number;
  /** Access tokens each process remembers as verified, so their next use skips the signature check. */
  VERIFIED_TOKEN_CACHE_SIZE: number;
  /** A session ends after this long without a refresh. */
  REFRESH_IDLE_DAYS: number;
  /** A session ends this long after login, however often it is refreshed. */
  REFRESH_ABSOLUTE_DAYS: number;
  /** Failed logins for one account before the first lock. */
  LOGIN_MAX_FAILURES: number;
  /** Failed logins from one client address, across accounts, before it is locked too. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: number;
  /** First lock length; each further failure doubles it up to `LOGIN_MAX_LOCK_SECONDS`. */
  LOGIN_LOCK_SECONDS: number;
  LOGIN_MAX_LOCK_SECONDS: number;
  /** A key's failed logins are forgotten after this long without another attempt. */
  LOGIN_FAILURE_WINDOW_SECONDS: number;
  /** The window the per-address limits below count requests in. */
  RATE_LIMIT_WINDOW_SECONDS: number;
  /** Registrations one client address may make per window. */
  REGISTER_LIMIT_PER_ADDRESS: number;
  /** Refresh-token rotations one client address may make per window. */
  REFRESH_LIMIT_PER_ADDRESS: number;
  /** Password changes one client address may attempt per window. */
  PASSWORD_CHANGE_LIMIT_PER_ADDRESS: number;
  /** Proxies whose `X-Forwarded-For` is believed: addresses, CIDRs or `loopback`, comma-separated. */
  TRUSTED_PROXIES: string[];
  /** First administrator, created at start-up if absent. Both or neither. */
  BOOTSTRAP_ADMIN_EMAIL?: string;
  BOOTSTRAP_ADMIN_PASSWORD?: string;
}

const servicesSchema = Joi.string()
  .trim()
  .default(() => [...CONTEXTS])
  .custom((value: string, helpers) => {
    if (value === 'all') return [...CONTEXTS];
    const names = value.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !(CONTEXTS as readonly string[]).includes(name));
    if (unknown.length > 0 || names.length === 0) {
      return helpers.message({
        custom: `SERVICES must be "all" or a comma list of ${CONTEXTS.join(', ')} (got "${value}")`,
      });
    }
    return [...new Set(names)];
  });

/** proxy-addr's names for address ranges, as Fastify's `trustProxy` takes them. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

const trustedProxiesSchema = Joi.string()
  .trim()
  .empty('')
  .default(() => [])
  .custom((value: string, helpers) => {
    const entries = value.split(',').map((entry) => entry.trim());
    const wrong = entries.filter(
      (entry) => !PROXY_RANGE_NAMES.includes(entry) && !isAddressRange(entry),
    );
    if (wrong.length > 0) {
      return helpers.message({
        custom: `TRUSTED_PROXIES must list addresses, CIDR ranges or ${PROXY_RANGE_NAMES.join(', ')} (not ${wrong.join(', ')})`,
      });
    }
    return entries;
  });

function isAddressRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits >= 0 && bits <= (version === 4 ? 32 : 128);
}

const schema = Joi.object<PlatformEnv>({
  PORT: Joi.number().port().default(3000),
  HOST: Joi.string().default('0.0.0.0'),
  SERVICES: servicesSchema,
  NATS_URL: Joi.string()
    .uri({ scheme: ['nats', 'tls', 'ws', 'wss'] })
    .empty(''),
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .empty(''),
  DATA_DIR: Joi.string().default('./data'),
  ISSUER: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('http://localhost:3000'),
  LOG_LEVEL: Joi.string()
    .valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')
    .default('info'),
  REQUEST_TIMEOUT_MS: Joi.number().integer().min(50).max(120_000).default(5000),
  BODY_LIMIT_BYTES: Joi.number().integer().min(1024).max(10_485_760).default(102_400),
  SIGNING_ALG: Joi.string()
    .valid(...SIGNING_ALGORITHMS)
    .default('RS256' satisfies SigningAlgorithm),
  KEY_ENCRYPTION_KEY: Joi.string()
    .empty('')
    .custom((value: string, helpers) =>
      Buffer.from(value, 'base64').length === 32
        ? value
        : helpers.message({ custom: 'KEY_ENCRYPTION_KEY must be the base64 of exactly 32 bytes' }),
    ),
  PREVIOUS_KEY_ENCRYPTION_KEYS: Joi.string()
    .trim()
    .empty('')
    .default(() => [])
    .custom((value: string) => value.split(',').map((entry) => entry.trim())),
  SIGNING_KEY_ROTATION_HOURS: Joi.number().integer().min(1).max(8760).default(720),
  ACCESS_TOKEN_TTL_SECONDS: Joi.number().integer().min(30).max(86_400).default(600),
  VERIFIED_TOKEN_CACHE_SIZE: Joi.number().integer().min(0).max(1_000_000).default(10_000),
  REFRESH_IDLE_DAYS: Joi.number().integer().min(1).max(365).default(14),
  REFRESH_ABSOLUTE_DAYS: Joi.number().integer().min(1).max(365).default(30),
  LOGIN_MAX_FAILURES: Joi.number().integer().min(1).max(100).default(5),
  // Higher than per account: many honest users can share one address behind a NAT.
  LOGIN_MAX_FAILURES_PER_ADDRESS: Joi.number().integer().min(1).max(10_000).default(50),
  LOGIN_LOCK_SECONDS: Joi.number().integer().min(1).max(3600).default(30),
  LOGIN_MAX_LOCK_SECONDS: Joi.number().integer().min(1).max(86_400).default(900),
  LOGIN_FAILURE_WINDOW_SECONDS: Joi.number().integer().min(1).max(604_800).default(900),
  RATE_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).max(86_400).default(600),
  REGISTER_LIMIT_PER_ADDRESS: Joi.number().integer().min(1).max(1_000_000).default(20),
  REFRESH_LIMIT_PER_ADDRESS: Joi.number().integer().min(1).max(1_000_000).default(600),
  PASSWORD_CHANGE_LIMIT_PER_ADDRESS: Joi.number().integer().min(1).max(1_000_000).default(20),
  TRUSTED_PROXIES: trustedProxiesSchema,
  BOOTSTRAP_ADMIN_EMAIL: Joi.string()
    .email({ tlds: { allow: false } })
    .empty(''),
  BOOTSTRAP_ADMIN_PASSWORD: Joi.string().min(8).max(128).empty(''),
})
  // Auth creates the bootstrap administrator and needs both; users, which only makes that
  // account an administrator, needs the email alone.
  .custom((env: PlatformEnv, helpers) =>
    env.SERVICES.includes('auth') && !env.BOOTSTRAP_ADMIN_EMAIL !== !env.BOOTSTRAP_ADMIN_PASSWORD
      ? helpers.message({
          custom: 'BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD go together where auth runs',
        })
      : env,
  )
  .unknown(true);

export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/**
 * Validates the environment and fills in defaults. Throws `InvalidConfigurationError` naming
 * every bad variable, so a misconfigured process refuses to start instead of half-working.
 */
export function validatePlatformEnv(env: Record<string, unknown>): PlatformEnv {
  const { value, error } = schema.validate(env, {
    abortEarly: false,
    convert: true,
    errors: { wrap: { label: false } },
  });
  if (error) {
    throw new InvalidConfigurationError(
      error.details.map((detail) => `${detail.path.join('.')}: ${detail.message}`),
    );
  }
  return value;
}
