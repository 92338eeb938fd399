import { Transform } from 'class-transformer';

/**
 * Puts a UUID in the one spelling the platform stores, signs and compares it in: lower case,
 * as RFC 9562 4 says UUIDs are output and as PostgreSQL gives them back. The same RFC makes
 * them case-insensitive on input, and PostgreSQL finds a row by either spelling, so an id taken
 * as sent reached the right row while every comparison in code (`sub` against the id, the deny
 * lists and caches keyed by it, the events naming it) missed it. Beside `@IsUUID()`, which
 * still says what is accepted (and what the OpenAPI document shows).
 */
export function CanonicalUuid(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
}
