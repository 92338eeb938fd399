import { IsString, Matches } from 'class-validator';

/** `auth.api-token.resolve` payload: the secret the client presented. */
export class ResolveApiTokenDto {
  @IsString()
  @Matches(/^pat_[A-Za-z0-9]{36}$/, { message: 'token is not an API token' })
  token!: string;
}

/**
 * Reply of `auth.api-token.resolve` and `auth.legacy-credential.exchange`: a short-lived
 * internal access token standing in for the presented credential (the phantom-token pattern).
 */
export interface InternalToken {
  access_token: string;
  /** Seconds until `access_token` expires. */
  expires_in: number;
  /** The user the token acts for. */
  userId: string;
  /** The API token it stands in for; absent for a legacy credential. */
  tokenId?: string;
}
