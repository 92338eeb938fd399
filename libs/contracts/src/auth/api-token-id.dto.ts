import { IsUUID } from 'class-validator';

/** `DELETE /v1/api-tokens/:id` parameters and `auth.api-token.revoke` payload. */
export class ApiTokenIdDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
