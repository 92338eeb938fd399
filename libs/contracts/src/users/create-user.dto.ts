import { IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { AccountEmail } from '../validation/account-email.decorator';
import { Role, ROLES } from './role';

/** `users.user.create` payload: the profile of an account whose credential auth has stored. */
export class CreateUserDto {
  /** Chosen by auth, so the credential and the profile share one id. */
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @AccountEmail()
  email!: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  /** Defaults to `['user']`; the bootstrap administrator gets `['user', 'admin']`. */
  @IsOptional()
  @IsArray()
  @IsIn(ROLES, { each: true })
  roles?: Role[];
}
