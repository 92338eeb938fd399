import { ErrorCode, ServiceError } from '@platform/contracts';

/** An administrator locking themselves out is a mistake another administrator should make. */
export class SelfDisableError extends ServiceError {
  constructor() {
    super(ErrorCode.SelfDisable, 'Administrators cannot disable their own account');
  }
}
