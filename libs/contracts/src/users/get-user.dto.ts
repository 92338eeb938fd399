import { IsUUID } from 'class-validator';

/** `users.user.get` payload. */
export class GetUserDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
