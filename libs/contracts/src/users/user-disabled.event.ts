import { IsOptional, IsString, IsUUID } from 'class-validator';

/**
 * Payload of `users.user.disabled`, validated where it is consumed as a request is: what acts
 * on it (auth disables the credential and ends every session) takes nothing else.
 */
export class UserDisabledEvent {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
  /** The administrator who disabled the account. */
  @IsOptional()
  @IsString()
  by?: string;
}
