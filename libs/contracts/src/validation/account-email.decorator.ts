import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength } from 'class-validator';

/** The one spelling an email is stored and compared in: trimmed and lower-cased. */
export function normalizeEmail(value: unknown): unknown {
  return typeof value === 'string' ? value.trim().toLowerCase() : value;
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
