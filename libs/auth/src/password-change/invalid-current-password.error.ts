import { ErrorCode, ServiceError } from '@platform/contracts';

/** The password a signed-in caller confirmed a change with is not theirs. */
export class InvalidCurrentPasswordError extends ServiceError {
  constructor() {
    super(ErrorCode.InvalidCurrentPassword, 'The current password is wrong');
  }
}
