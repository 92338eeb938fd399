/**
 * Every secret the suites send or receive (passwords, tokens, refresh tokens, client secrets),
 * gathered by `http` as requests go out and answers come back, so that each deployment can
 * check, when it stops, that none of them ever reached a log line or the security log.
 */
const used = new Set<string>();

/** Values shorter than this are too likely to occur by chance to count as a leak. */
const MIN_LENGTH = 8;

/** Request or response members that hold a secret. */
const SECRET_MEMBERS = new Set([
  'password',
  'currentPassword',
  'newPassword',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'token',
  'subject_token',
  'code_verifier',
]);

export function rememberSecret(value: unknown): void {
  if (typeof value === 'string' && value.length >= MIN_LENGTH) used.add(value);
}

/** The secret members of a request or response body, at any depth. */
export function rememberSecretsIn(body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  for (const [name, value] of Object.entries(body)) {
    if (SECRET_MEMBERS.has(name)) rememberSecret(value);
    else rememberSecretsIn(value);
  }
}

/** The credential of an `Authorization` header: a bearer token, or Basic's encoded pair. */
export function rememberAuthorization(header: string | undefined): void {
  const credential = header?.split(' ')[1];
  rememberSecret(credential);
}

/**
 * Where any secret used so far (or one of `alsoSecret`, such as stored hashes) appears in
 * `texts`: a list of `name: what` lines naming the text and the kind of secret, never the
 * secret itself.
 */
export function leaksIn(texts: Record<string, string>, alsoSecret: string[] = []): string[] {
  const secrets = [...used, ...alsoSecret.filter((value) => value.length >= MIN_LENGTH)];
  const leaks: string[] = [];
  for (const [name, text] of Object.entries(texts)) {
    for (const secret of secrets) {
      if (text.includes(secret)) leaks.push(`${name}: a secret starting ${secret.slice(0, 4)}…`);
    }
  }
  return leaks;
}
