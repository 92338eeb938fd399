import { ErrorCode, ServiceError } from '@platform/contracts';

/** A `pat_` token whose shape or checksum is wrong: a typo or a made-up one, not auth's. */
export class MalformedApiTokenError extends ServiceError {
  constructor() {
    super(ErrorCode.InvalidToken, 'Malformed API token');
  }
}
