import Joi from 'joi';
import { CONTEXT_NAMES, ContextName } from './context-name';

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
}

const servicesSchema = Joi.string()
  .trim()
  .default(() => [...CONTEXT_NAMES])
  .custom((value: string, helpers) => {
    if (value === 'all') return [...CONTEXT_NAMES];
    const names = value.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !(CONTEXT_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0 || names.length === 0) {
      return helpers.message({
        custom: `SERVICES must be "all" or a comma list of ${CONTEXT_NAMES.join(', ')} (got "${value}")`,
      });
    }
    return [...new Set(names)];
  });

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
}).unknown(true);

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
