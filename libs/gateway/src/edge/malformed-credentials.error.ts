import { ErrorCode, ServiceError } from '@platform/contracts';

/** HTTP Basic credentials that are not `user-id ":" password` (RFC 7617 2). */
export class MalformedCredentialsError extends ServiceError {
  constructor() {
    super(ErrorCode.InvalidCredentials, 'Malformed credentials');
  }
}
