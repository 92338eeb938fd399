/**
 * Names under which a value is a credential, or may carry one, wherever they appear in a log
 * line: request headers, bodies, and the errors of database drivers, whose `parameters` are a
 * query's bound values (password hashes, token hashes, emails) and whose `detail` quotes the
 * value a constraint refused. Compared without case, `-` or `_`.
 */
const SECRET_NAMES = new Set(
  [
    'authorization',
    'cookie',
    'set-cookie',
    'password',
    'currentPassword',
    'newPassword',
    'passwordHash',
    'token',
    'accessToken',
    'refreshToken',
    'idToken',
    'subjectToken',
    'actorToken',
    'clientSecret',
    'clientAssertion',
    'codeVerifier',
    'secret',
    'privateKey',
    'parameters',
    'detail',
  ].map(canonical),
);

const CENSOR = '[redacted]';
/** Deeper than any log line the platform writes; anything below is dropped, not walked. */
const MAX_DEPTH = 8;

/**
 * A copy of `value` with every property named like a secret replaced by `[redacted]`, at any
 * depth, arrays and errors included (an error's own properties, such as a driver error's
 * `parameters`, are walked too). Cycles and very deep values are cut off.
 */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH || seen.has(value)) return '[truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  const keys =
    value instanceof Error
      ? ['name', 'message', 'stack', ...Object.keys(value)]
      : Object.keys(value);
  for (const key of keys) {
    const property = (value as Record<string, unknown>)[key];
    copy[key] = SECRET_NAMES.has(canonical(key))
      ? CENSOR
      : redactSecrets(property, depth + 1, seen);
  }
  return copy;
}

function canonical(name: string): string {
  return name.replace(/[-_]/g, '').toLowerCase();
}
