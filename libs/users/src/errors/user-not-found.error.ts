import { ErrorCode, ServiceError } from '@platform/contracts';

export class UserNotFoundError extends ServiceError {
  constructor() {
    super(404, ErrorCode.NotFound, 'User not found');
  }
}
