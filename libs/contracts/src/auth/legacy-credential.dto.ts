import { IsString, Length } from 'class-validator';

/** `auth.legacy-credential.exchange` payload: HTTP Basic credentials of a named legacy client. */
export class LegacyCredentialDto {
  @IsString()
  @Length(1, 64)
  clientName!: string;

  @IsString()
  @Length(1, 256)
  secret!: string;
}
