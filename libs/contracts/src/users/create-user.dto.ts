import { Transform } from 'class-transformer';
import {
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { Role, ROLES } from './role';

/** `users.user.create` payload: the profile of an account whose credential auth has stored. */
export class CreateUserDto {
  /** Chosen by auth, so the credential and the profile share one id. */
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
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
