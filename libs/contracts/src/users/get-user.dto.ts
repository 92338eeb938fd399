import { IsUUID } from 'class-validator';
import { MemoizedValidation } from '../validation/validation-memo';

/** `users.user.get` payload. */
@MemoizedValidation()
export class GetUserDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
