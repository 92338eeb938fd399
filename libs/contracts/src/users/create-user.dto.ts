import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { CanonicalUuid } from '../validation/canonical-uuid.decorator';
import { AccountEmail } from '../validation/account-email.decorator';

/**
 * `users.user.create` payload: the profile of an account whose credential auth has stored. It
 * names no roles: a new account is a `user`, and only the users context makes an administrator
 * (the bootstrap one, or by an administrator's request), so the service that registers
 * accounts cannot create one.
 */
export class CreateUserDto {
  /** Chosen by auth, so the credential and the profile share one id. */
  @CanonicalUuid()
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @AccountEmail()
  email!: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;
}
