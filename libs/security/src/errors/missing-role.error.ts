import { ErrorCode, ServiceError } from '@platform/contracts';

/** The caller holds none of the roles an operation requires. */
export class MissingRoleError extends ServiceError {
  constructor(roles: readonly string[]) {
    super(
      ErrorCode.Forbidden,
      `Requires ${roles.length === 1 ? 'role' : 'one of the roles'}: ${roles.join(' ')}`,
    );
  }
}
