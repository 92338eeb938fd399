import { IsUUID } from 'class-validator';
import { RoleAssignmentDto } from './role-assignment.dto';

/** `users.user.set-roles` payload. */
export class SetRolesDto extends RoleAssignmentDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
