import { ErrorCode, ServiceError } from '@platform/contracts';

/** `?all=true` is an administrator's view (see `actsAsAdministrator`). */
export class AllOrdersForbiddenError extends ServiceError {
  constructor() {
    super(ErrorCode.Forbidden, 'Only administrators may list every order');
  }
}
