import { IsString, Length, MaxLength } from 'class-validator';

/** `POST /v1/auth/password` body. */
export class ChangePasswordDto {
  @IsString()
  @MaxLength(1024)
  currentPassword!: string;

  /** Same policy as at registration; auth also refuses the account's email. */
  @IsString()
  @Length(8, 128)
  newPassword!: string;
}
