import { IsOptional, IsString, Length } from 'class-validator';

/** `PATCH /v1/users/me` body and `users.user.update-profile` payload. */
export class UpdateProfileDto {
  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;
}
