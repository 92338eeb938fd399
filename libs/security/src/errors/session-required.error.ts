import { ErrorCode, ServiceError } from '@platform/contracts';

/** The operation needs a first-party session; this token stands for something else. */
export class SessionRequiredError extends ServiceError {
  constructor() {
    super(
      ErrorCode.SessionRequired,
      'Requires a signed-in session: API tokens, legacy credentials and service tokens cannot do this',
    );
  }
}
