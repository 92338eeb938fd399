import { IncomingMessage } from 'node:http';
import { DynamicModule, ExecutionContext, Module, RequestMethod } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { LoggerModule } from 'nestjs-pino';
import { MessageHeader, ServiceError } from '@platform/contracts';
import { acceptCorrelationId } from './correlation-id';

export interface LoggingOptions {
  level: string;
  /** Added to every line, e.g. `users` or `gateway,users`. */
  service: string;
}

/**
 * Structured JSON logs (pino): a line per HTTP request and per message handled, and every line
 * written meanwhile carries the `correlationId` that came with the request or message (see
 * `correlationIdHttpOptions` for how HTTP requests get theirs). Credentials are redacted.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
          pinoHttp: {
            level: options.level,
            base: { service: options.service },
            customAttributeKeys: { reqId: 'correlationId' },
            // A client's mistake is routine; only our own failures are errors.
            customLogLevel: (_request, response, error) =>
              error || response.statusCode >= 500 ? 'error' : 'info',
            customProps: (request: IncomingMessage & { id?: unknown }) => ({
              correlationId: request.id,
            }),
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', '*.password'],
              censor: '[redacted]',
            },
            serializers: {
              req: (request: { method: string; url: string }) => ({
                method: request.method,
                url: request.url,
              }),
              res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
            },
          },
          microservice: {
            customAttributeKeys: { reqId: 'correlationId' },
            customLogLevel: (_context: ExecutionContext, error?: Error) =>
              error && !(error instanceof ServiceError && error.status < 500) ? 'error' : 'info',
            genReqId: (context: ExecutionContext) => {
              const headers = context.switchToRpc().getContext<NatsContext>().getHeaders?.();
              return acceptCorrelationId(headers?.get(MessageHeader.CorrelationId));
            },
          },
        }),
      ],
    };
  }
}
