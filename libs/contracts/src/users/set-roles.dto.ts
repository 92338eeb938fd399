import { IsUUID } from 'class-validator';
import { CanonicalUuid } from '../validation/canonical-uuid.decorator';
import { RoleAssignmentDto } from './role-assignment.dto';

/** `users.user.set-roles` payload. */
export class SetRolesDto extends RoleAssignmentDto {
  @CanonicalUuid()
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
