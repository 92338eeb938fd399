import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength } from 'class-validator';

/**
 * The one spelling an email is stored and compared in, so that addresses a person cannot tell
 * apart are one account: trimmed, Unicode NFKC (compatibility forms such as full-width letters
 * and ligatures become their plain letters), then case-folded, then NFKC again, as the
 * `NFKC_Casefold` mapping of Unicode 3.13 does.
 *
 * ECMAScript has no case folding of its own. Upper- then lower-casing until nothing changes
 * puts every case variant in the same class as Unicode's full folding does (`ẞ`, `ß` and `ss`
 * alike; `ǅ` and `dž`; `ſ` and `s`), and the final sigma, which lower-casing keeps apart, is
 * folded to `σ` as in CaseFolding.txt.
 */
export function normalizeEmail(value: string): string;
export function normalizeEmail(value: unknown): unknown;
export function normalizeEmail(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  let folded = value.trim().normalize('NFKC');
  for (let previous = ''; previous !== folded;) {
    previous = folded;
    folded = folded.toUpperCase().toLowerCase().normalize('NFKC');
  }
  return folded.replaceAll('ς', 'σ');
}

/**
 * An account's email, normalized (`normalizeEmail`) then validated; 254 characters at most
 * (RFC 5321 4.5.3.1.3, the longest path).
 */
export function AccountEmail(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => normalizeEmail(value)),
    IsEmail({}, { message: 'email must be a valid email address' }),
    MaxLength(254),
  );
}
