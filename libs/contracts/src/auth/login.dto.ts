import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { normalizeEmail } from '../validation/account-email.decorator';

/** `POST /v1/auth/login` body. Deliberately loose: login must not reveal the password policy. */
export class LoginDto {
  @Transform(({ value }: { value: unknown }) => normalizeEmail(value))
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}
