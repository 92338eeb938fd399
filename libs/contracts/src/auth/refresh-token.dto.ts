import { IsString, Length } from 'class-validator';

/** `POST /v1/auth/refresh` body. */
export class RefreshTokenDto {
  @IsString()
  @Length(20, 200)
  refresh_token!: string;
}
