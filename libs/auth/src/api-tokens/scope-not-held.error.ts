import { ErrorCode, ServiceError } from '@platform/contracts';

/** An API token may only carry scopes its owner's session holds. */
export class ScopeNotHeldError extends ServiceError {
  constructor(scopes: string[]) {
    super(ErrorCode.Forbidden, `You cannot grant scopes you do not hold: ${scopes.join(' ')}`);
  }
}
