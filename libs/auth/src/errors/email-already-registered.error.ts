import { ErrorCode, ServiceError } from '@platform/contracts';

export class EmailAlreadyRegisteredError extends ServiceError {
  constructor() {
    super(409, ErrorCode.EmailAlreadyRegistered, 'An account with this email already exists');
  }
}
