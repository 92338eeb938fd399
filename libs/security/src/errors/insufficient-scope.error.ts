import { ErrorCode, ServiceError } from '@platform/contracts';

/** RFC 6750 3.1 `insufficient_scope`: the description names the scopes needed. */
export class InsufficientScopeError extends ServiceError {
  constructor(scopes: readonly string[]) {
    super(ErrorCode.InsufficientScope, `Requires scope: ${scopes.join(' ')}`);
  }
}
