import { ErrorCode, ServiceError } from '@platform/contracts';

/** A subject that only some platform services may send came without their service token. */
export class ServiceCallerRequiredError extends ServiceError {
  constructor(services: readonly string[]) {
    super(
      ErrorCode.Forbidden,
      `Only ${services.length === 1 ? 'the service' : 'the services'} ${services.join(', ')} may send this`,
    );
  }
}
