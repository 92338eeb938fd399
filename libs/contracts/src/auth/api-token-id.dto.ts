import { IsUUID } from 'class-validator';
import { CanonicalUuid } from '../validation/canonical-uuid.decorator';

/** `DELETE /v1/api-tokens/:id` parameters and `auth.api-token.revoke` payload. */
export class ApiTokenIdDto {
  @CanonicalUuid()
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
