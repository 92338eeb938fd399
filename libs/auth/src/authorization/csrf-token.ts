import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a form's token protects; a token for one form is refused by another. */
export type CsrfPurpose = 'login' | 'consent' | 'logout';

/**
 * CSRF tokens for the hosted forms (OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit
 * Cookie"): an HMAC, keyed with the browser's binding cookie, of the form's purpose and what it
 * acts on. Another site can neither read the cookie nor the page, so it cannot compute the
 * token, and a token minted in one browser is worthless in another (no login CSRF with an
 * attacker's own form).
 */
export function csrfToken(browserSecret: string, purpose: CsrfPurpose, subject: string): string {
  return createHmac('sha256', browserSecret).update(`${purpose}:${subject}`).digest('base64url');
}

/** Whether `presented` is the token of this browser, form and subject; constant time. */
export function csrfTokenMatches(
  presented: unknown,
  browserSecret: string | undefined,
  purpose: CsrfPurpose,
  subject: string,
): boolean {
  if (typeof presented !== 'string' || !browserSecret) return false;
  const expected = Buffer.from(csrfToken(browserSecret, purpose, subject));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
