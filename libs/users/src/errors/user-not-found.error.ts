import { ErrorCode, ServiceError } from '@platform/contracts';

export class UserNotFoundError extends ServiceError {
  constructor() {
    super(ErrorCode.NotFound, 'User not found');
  }
}
