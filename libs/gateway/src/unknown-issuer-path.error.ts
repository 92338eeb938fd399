import { ErrorCode, ServiceError } from '@platform/contracts';

/** RFC 8414 3.1 metadata asked for under a path that is not the issuer's. */
export class UnknownIssuerPathError extends ServiceError {
  constructor() {
    super(ErrorCode.NotFound, 'No authorization server has this issuer path');
  }
}
