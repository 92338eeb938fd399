import { ErrorCode, ServiceError } from '@platform/contracts';

/** A user's profile is the user's own, and administrators'. */
export class UserAccessDeniedError extends ServiceError {
  constructor() {
    super(ErrorCode.Forbidden, 'Only the user or an administrator may read it');
  }
}
