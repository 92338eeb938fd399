import { IsOptional, IsString, Length } from 'class-validator';
import { AccountEmail } from '../validation/account-email.decorator';
import { DiffersFrom } from '../validation/differs-from.decorator';

/** `POST /v1/auth/register` body. */
export class RegisterAccountDto {
  /** Login name; compared case-insensitively, stored lower-cased. */
  @AccountEmail()
  email!: string;

  /** 8 to 128 characters (NIST SP 800-63B 5.1.1.2). Hashed with argon2id, never stored or logged. */
  @IsString()
  @Length(8, 128)
  @DiffersFrom('email')
  password!: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;
}
