import { PageQueryDto } from '../validation/page-query.dto';

/** `GET /v1/users` query and `users.user.list` payload. */
export class ListUsersDto extends PageQueryDto {}
