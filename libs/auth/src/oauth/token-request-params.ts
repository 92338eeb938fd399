import { isStorableText } from '@platform/contracts';
import { OAuthError } from './oauth.error';

/** Parameters RFC 8707 2 and RFC 8693 2.1 allow more than once. */
const REPEATABLE = new Set(['resource', 'audience']);

/**
 * The form parameters of a request to an OAuth endpoint (RFC 6749 3.2), read by name. A
 * parameter sent without a value is treated as omitted (RFC 6749 3.1), and one sent twice is
 * an `invalid_request` unless RFC 8707 or 8693 allows repeating it. A value that is not
 * storable text (a NUL character, `%00`, or an unpaired surrogate) is malformed, an
 * `invalid_request` (RFC 6749 5.2), before any of it reaches a lookup.
 */
export class TokenRequestParams {
  private constructor(
    private readonly params: ReadonlyMap<string, readonly string[]>,
    /** The client's address as the gateway saw it, for limits and the security log. */
    readonly clientIp?: string,
  ) {}

  /** From the relayed form; throws `invalid_request` for a malformed one. */
  static of(raw: unknown, clientIp?: string): TokenRequestParams {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new OAuthError('invalid_request', 'The request must be a form');
    }
    const params = new Map<string, readonly string[]>();
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      const values = (Array.isArray(value) ? value : [value]).filter((entry) => entry !== '');
      if (
        !values.every(
          (entry): entry is string => typeof entry === 'string' && isStorableText(entry),
        )
      ) {
        throw new OAuthError('invalid_request', `Malformed parameter ${safe(name)}`);
      }
      if (values.length > 1 && !REPEATABLE.has(name)) {
        throw new OAuthError('invalid_request', `Parameter ${safe(name)} is repeated`);
      }
      if (values.length > 0) params.set(name, values);
    }
    return new TokenRequestParams(params, clientIp);
  }

  /** A single-valued parameter, or undefined when it is absent. */
  get(name: string): string | undefined {
    return this.params.get(name)?.[0];
  }

  /** A single-valued parameter that must be present. */
  required(name: string): string {
    const value = this.get(name);
    if (value === undefined) throw new OAuthError('invalid_request', `Missing ${safe(name)}`);
    return value;
  }

  /** Every value of a parameter that may repeat. */
  all(name: string): readonly string[] {
    return this.params.get(name) ?? [];
  }

  has(name: string): boolean {
    return this.params.has(name);
  }
}

/** A parameter name as a description may repeat it: RFC 6749 5.2's character set, bounded. */
function safe(name: string): string {
  return name.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '').slice(0, 64);
}
