import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { Role, ROLES } from './role';

/** `PUT /v1/users/:id/roles` body: the complete new set of roles. */
export class RoleAssignmentDto {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}
