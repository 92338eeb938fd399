import { ErrorCode, ServiceError } from '@platform/contracts';

/** Nobody answers a subject: no process serves it, or the connection to NATS is down. */
export class ServiceUnavailableError extends ServiceError {
  constructor(subject: string) {
    super(ErrorCode.ServiceUnavailable, `No service is answering ${subject}`);
  }
}
