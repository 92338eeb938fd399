import { IsUUID } from 'class-validator';
import { CanonicalUuid } from '../validation/canonical-uuid.decorator';
import { MemoizedValidation } from '../validation/validation-memo';

/** `users.user.get` payload. */
@MemoizedValidation()
export class GetUserDto {
  @CanonicalUuid()
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
