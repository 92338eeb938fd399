import { IsOptional, IsString, IsUUID } from 'class-validator';
import { CanonicalUuid } from '../validation/canonical-uuid.decorator';

/**
 * Payload of `users.user.disabled`, validated where it is consumed as a request is: what acts
 * on it (auth disables the credential and ends every session) takes nothing else.
 */
export class UserDisabledEvent {
  @CanonicalUuid()
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
  /** The administrator who disabled the account. */
  @IsOptional()
  @IsString()
  by?: string;
}
