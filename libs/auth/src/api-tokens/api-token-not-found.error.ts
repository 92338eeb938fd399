import { ErrorCode, ServiceError } from '@platform/contracts';

/** No live API token of the caller has this id (another user's is not found either). */
export class ApiTokenNotFoundError extends ServiceError {
  constructor() {
    super(ErrorCode.NotFound, 'API token not found');
  }
}
