import { IsString, Length } from 'class-validator';

/** `POST /v1/auth/refresh` body and `auth.session.refresh` payload. */
export class RefreshTokenDto {
  @IsString()
  @Length(20, 200)
  refresh_token!: string;
}
