import { IsOptional, IsString, IsUUID } from 'class-validator';
import { CanonicalUuid } from '../validation/canonical-uuid.decorator';
import { RoleAssignmentDto } from './role-assignment.dto';

/**
 * Payload of `users.user.roles-changed`, validated where it is consumed as a request is: what
 * acts on it (auth ends the user's sessions) takes nothing else.
 */
export class UserRolesChangedEvent extends RoleAssignmentDto {
  @CanonicalUuid()
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
  /** The administrator who changed them. */
  @IsOptional()
  @IsString()
  by?: string;
}
