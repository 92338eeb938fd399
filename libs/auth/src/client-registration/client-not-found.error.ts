import { ErrorCode, ServiceError } from '@platform/contracts';

/** No registered client has this id (a built-in client is not managed through the API either). */
export class ClientNotFoundError extends ServiceError {
  constructor() {
    super(ErrorCode.NotFound, 'Client not found');
  }
}
