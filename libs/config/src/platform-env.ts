import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import Joi from 'joi';
import {
  isKeyEncryptionKeyEncoding,
  KEY_ENCRYPTION_KEY_BYTES,
} from './key-encryption-key-encoding';
import { nkeyUserSeedProblem, privateFileProblem, readableFileProblem } from './secret-file';
import {
  CONTEXTS,
  ContextName,
  SCOPES,
  SIGNING_ALGORITHMS,
  SigningAlgorithm,
} from '@platform/contracts';

/** What one route allows per window; unset dimensions keep the defaults. */
export interface RouteRateLimit {
  address?: number;
  principal?: number;
  client?: number;
  windowSeconds?: number;
}

/** A legacy system allowed to call with HTTP Basic, acting as one user with some scopes. */
export interface LegacyClient {
  /** The Basic user name. */
  name: string;
  /** argon2id PHC string of the client's secret (never the secret itself). */
  secretHash: string;
  /** The user whose identity the client borrows, typically a service account. */
  userId: string;
  /** At most these scopes, and never more than the user's own. */
  scopes: string[];
}

/** Validated, defaulted configuration. `.env.example` documents every variable. */
export interface PlatformEnv {
  PORT: number;
  HOST: string;
  /** Contexts this process runs. `all` in the environment expands to every context. */
  SERVICES: ContextName[];
  /** Unset: contexts talk over the in-process transport. */
  NATS_URL?: string;
  /**
   * This process's NATS identity: a file holding its NKey seed, readable by its owner alone.
   * Unset: the process connects without credentials (the open development bus).
   */
  NATS_NKEY_SEED_FILE?: string;
  /** The CA certificate (PEM) that a `tls://` NATS server's certificate must chain to. */
  NATS_TLS_CA_FILE?: string;
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
  ADDRESS_LIMIT_WINDOW_SECONDS: number;
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
  /** Origins browsers may call the API from (CORS); empty: none. */
  CORS_ORIGINS: string[];
  /** Default rate-limit window, and requests allowed per window per address, principal, client. */
  RATE_LIMIT_WINDOW_SECONDS: number;
  RATE_LIMIT_PER_ADDRESS: number;
  RATE_LIMIT_PER_PRINCIPAL: number;
  RATE_LIMIT_PER_CLIENT: number;
  /** Per-route overrides, keyed `METHOD /route/:param`. */
  RATE_LIMIT_ROUTES: Record<string, RouteRateLimit>;
  /** How long the gateway reuses the internal token of an API token it resolved. */
  API_TOKEN_CACHE_SECONDS: number;
  /** Legacy clients allowed HTTP Basic; empty: the adapter is off. */
  LEGACY_CLIENTS: LegacyClient[];
  /** Serve `/metrics` on this port only (not on `PORT`), to keep it off the public edge. */
  METRICS_PORT?: number;
  /** The services the first-party client's tokens (`/v1/auth/login`) are for. */
  FIRST_PARTY_AUDIENCES: ContextName[];
  /** The scopes the first-party client's tokens carry (`admin` for administrators only). */
  FIRST_PARTY_SCOPES: string[];
  /**
   * Each platform service's OAuth client secret (its `client_id` is its name). Unset entries
   * are random per process, which serves only a process that hosts auth and its callers.
   */
  SERVICE_CLIENT_SECRETS: Record<ContextName, string>;
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

const KEY_ENCODING_MESSAGE = (name: string) =>
  `${name} must be the base64 of exactly ${KEY_ENCRYPTION_KEY_BYTES} bytes`;

const requestsPerWindow = Joi.number().integer().min(1).max(1_000_000_000);

const routeRateLimit = Joi.object<RouteRateLimit>({
  address: requestsPerWindow,
  principal: requestsPerWindow,
  client: requestsPerWindow,
  windowSeconds: Joi.number().integer().min(1).max(86_400),
});

/** A JSON value in a variable, validated by `inner`. */
const json = (inner: Joi.Schema, fallback: object) =>
  Joi.any()
    .empty('')
    .default(fallback)
    .custom((value: unknown, helpers) => {
      let parsed = value;
      if (typeof value === 'string') {
        try {
          parsed = JSON.parse(value);
        } catch {
          return helpers.message({ custom: `${String(helpers.state.path)} is not valid JSON` });
        }
      }
      const { value: checked, error } = inner.validate(parsed);
      if (error)
        return helpers.message({ custom: `${String(helpers.state.path)}: ${error.message}` });
      return checked;
    });

/** A comma list of `allowed` values, every one known; `all` or unset: every one. */
const listOf = (name: string, allowed: readonly string[]) =>
  Joi.string()
    .trim()
    .empty('')
    .default(() => [...allowed])
    .custom((value: string, helpers) => {
      if (value === 'all') return [...allowed];
      const entries = [...new Set(value.split(',').map((entry) => entry.trim()))];
      const unknown = entries.filter((entry) => !allowed.includes(entry));
      return unknown.length > 0 || entries.length === 0
        ? helpers.message({
            custom: `${name} must be "all" or a comma list of ${allowed.join(', ')} (not ${unknown.join(', ')})`,
          })
        : entries;
    });

/**
 * A secret per context; those not given are random, so that a process hosting everything
 * needs no configuration. 32 characters at least: a client secret must resist guessing
 * (RFC 6749 10.10).
 */
const withRandomSecrets = (secrets: Partial<Record<ContextName, string>>) =>
  Object.fromEntries(
    CONTEXTS.map((name) => [name, secrets[name] ?? randomBytes(32).toString('base64url')]),
  );
// Joi runs no rule on a default: the default makes its random secrets itself.
const serviceClientSecrets = json(
  Joi.object().pattern(Joi.valid(...CONTEXTS), Joi.string().min(32).max(512)),
  () => withRandomSecrets({}),
).custom(withRandomSecrets);

const legacyClient = Joi.object<LegacyClient>({
  name: Joi.string()
    .pattern(/^[A-Za-z0-9._-]{1,64}$/)
    .required(),
  secretHash: Joi.string()
    .pattern(/^\$argon2id\$/)
    .required()
    .messages({ 'string.pattern.base': 'secretHash must be an argon2id PHC string' }),
  userId: Joi.string().guid().required(),
  scopes: Joi.array()
    .items(Joi.string().valid(...SCOPES))
    .min(1)
    .required(),
});

const schema = Joi.object<PlatformEnv>({
  PORT: Joi.number().port().default(3000),
  HOST: Joi.string().default('0.0.0.0'),
  SERVICES: servicesSchema,
  NATS_URL: Joi.string()
    .uri({ scheme: ['nats', 'tls', 'ws', 'wss'] })
    .empty(''),
  NATS_NKEY_SEED_FILE: Joi.string()
    .empty('')
    .custom((path: string, helpers) => {
      const problem = privateFileProblem(path) ?? nkeyUserSeedProblem(path);
      return problem ? helpers.message({ custom: `NATS_NKEY_SEED_FILE ${problem}` }) : path;
    }),
  NATS_TLS_CA_FILE: Joi.string()
    .empty('')
    .custom((path: string, helpers) => {
      const problem = readableFileProblem(path);
      return problem ? helpers.message({ custom: `NATS_TLS_CA_FILE ${problem}` }) : path;
    }),
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .empty(''),
  DATA_DIR: Joi.string().default('./data'),
  // RFC 8414 2, OpenID Connect Core 2: an issuer identifier has "no query or fragment
  // components"; relying parties compare `iss` with it character for character.
  ISSUER: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('http://localhost:3000')
    .custom((value: string, helpers) =>
      /[?#]/.test(value)
        ? helpers.message({ custom: `ISSUER must have no query or fragment (got "${value}")` })
        : value,
    ),
  LOG_LEVEL: Joi.string()
    .valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')
    .default('info'),
  REQUEST_TIMEOUT_MS: Joi.number().integer().min(50).max(120_000).default(5000),
  BODY_LIMIT_BYTES: Joi.number().integer().min(1024).max(10_485_760).default(102_400),
  SIGNING_ALG: Joi.string()
    .valid(...SIGNING_ALGORITHMS)
    .default('RS256' satisfies SigningAlgorithm),
  KEY_ENCRYPTION_KEY: Joi.string()
    .trim()
    .empty('')
    .custom((value: string, helpers) =>
      isKeyEncryptionKeyEncoding(value)
        ? value
        : helpers.message({ custom: KEY_ENCODING_MESSAGE('KEY_ENCRYPTION_KEY') }),
    ),
  PREVIOUS_KEY_ENCRYPTION_KEYS: Joi.string()
    .trim()
    .empty('')
    .default(() => [])
    .custom((value: string, helpers) => {
      const keys = value.split(',').map((entry) => entry.trim());
      return keys.every(isKeyEncryptionKeyEncoding)
        ? keys
        : helpers.message({ custom: KEY_ENCODING_MESSAGE('PREVIOUS_KEY_ENCRYPTION_KEYS') });
    }),
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
  ADDRESS_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).max(86_400).default(600),
  REGISTER_LIMIT_PER_ADDRESS: Joi.number().integer().min(1).max(1_000_000).default(20),
  REFRESH_LIMIT_PER_ADDRESS: Joi.number().integer().min(1).max(1_000_000).default(600),
  PASSWORD_CHANGE_LIMIT_PER_ADDRESS: Joi.number().integer().min(1).max(1_000_000).default(20),
  TRUSTED_PROXIES: trustedProxiesSchema,
  BOOTSTRAP_ADMIN_EMAIL: Joi.string()
    .email({ tlds: { allow: false } })
    .empty(''),
  BOOTSTRAP_ADMIN_PASSWORD: Joi.string().min(8).max(128).empty(''),
  CORS_ORIGINS: Joi.string()
    .empty('')
    .default(() => [])
    .custom((value: string, helpers) => {
      const origins = value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean);
      const bad = origins.filter((origin) => !/^https?:\/\/[^/\s]+$/.test(origin));
      return bad.length > 0
        ? helpers.message({
            custom: `CORS_ORIGINS must be a comma list of origins such as https://app.example.com (got "${bad.join(', ')}")`,
          })
        : origins;
    }),
  RATE_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).max(86_400).default(60),
  RATE_LIMIT_PER_ADDRESS: requestsPerWindow.default(600),
  RATE_LIMIT_PER_PRINCIPAL: requestsPerWindow.default(300),
  RATE_LIMIT_PER_CLIENT: requestsPerWindow.default(3000),
  RATE_LIMIT_ROUTES: json(
    Joi.object().pattern(/^(GET|POST|PUT|PATCH|DELETE) \/\S*$/, routeRateLimit),
    {},
  ),
  API_TOKEN_CACHE_SECONDS: Joi.number().integer().min(0).max(300).default(30),
  LEGACY_CLIENTS: json(Joi.array().items(legacyClient).unique('name'), []),
  METRICS_PORT: Joi.number().port(),
  FIRST_PARTY_AUDIENCES: listOf('FIRST_PARTY_AUDIENCES', CONTEXTS),
  FIRST_PARTY_SCOPES: listOf('FIRST_PARTY_SCOPES', SCOPES),
  SERVICE_CLIENT_SECRETS: serviceClientSecrets,
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
  // Registration refuses a password equal to the email (RegisterAccountDto, DiffersFrom); the
  // bootstrap registration passes no DTO, so the rule is checked here, ignoring case and spaces.
  .custom((env: PlatformEnv, helpers) =>
    env.BOOTSTRAP_ADMIN_EMAIL &&
    env.BOOTSTRAP_ADMIN_PASSWORD?.trim().toLowerCase() ===
      env.BOOTSTRAP_ADMIN_EMAIL.trim().toLowerCase()
      ? helpers.message({
          custom: 'BOOTSTRAP_ADMIN_PASSWORD must not be the same as BOOTSTRAP_ADMIN_EMAIL',
        })
      : env,
  )
  // Split over NATS, auth and each service must agree on the services' client secrets: a
  // random one, made up by one process, would lock the others out.
  .custom((env: PlatformEnv, helpers) => {
    const raw = (helpers.prefs.context as { raw?: Record<string, unknown> } | undefined)?.raw;
    const partial = env.SERVICES.length < CONTEXTS.length;
    return env.NATS_URL && partial && raw && !raw.SERVICE_CLIENT_SECRETS
      ? helpers.message({
          custom:
            'SERVICE_CLIENT_SECRETS must be set when SERVICES is not "all" over NATS (every process shares it)',
        })
      : env;
  })
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
    context: { raw: env },
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
