import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { CONTEXTS } from '../platform/contexts';
import type { Audience } from './access-token-claims';
import { SCOPES } from './scopes';

/**
 * `auth.token.delegate` payload: a narrower token for calling one service on the caller's
 * behalf. The caller's own access token is the proof; the result can never do more than it.
 */
export class DelegateTokenDto {
  @IsIn(CONTEXTS)
  audience!: Audience;

  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(SCOPES, { each: true })
  scopes!: string[];
}

/** Reply of `auth.token.delegate`. */
export interface DelegatedToken {
  access_token: string;
  expires_in: number;
}
