import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HttpRequestLog } from './http-request-log';
import { MessageHandledLog } from './message-handled.log';
import { MetricsModule } from './metrics/metrics.module';
import { RequestContext } from './request-context';
import { redactSecrets } from './secret-redaction';

export interface LoggingOptions {
  level: string;
  /** Added to every line, e.g. `users` or `gateway,users`. */
  service: string;
}

/**
 * Structured JSON logs (pino) through Nest's logger: a line per HTTP request (`HttpRequestLog`)
 * and per message handled (`MessageHandledLog`, which the message servers write), and every line written while a request
 * or message is handled carries its `correlationId`, taken from the `RequestContext` by a pino
 * mixin. Credentials are redacted at any depth, in errors too (`redactSecrets`).
 *
 * pino-http's middleware is not mounted: it builds a child logger and response listeners for
 * every request, even with request lines switched off, where the mixin gives every line the
 * same correlation id with no per-request objects at all.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        MetricsModule,
        LoggerModule.forRoot({
          forRoutes: [],
          pinoHttp: {
            level: options.level,
            base: { service: options.service },
            mixin: () => {
              const context = RequestContext.current();
              return context ? { correlationId: context.correlationId } : {};
            },
            formatters: {
              log: (line: Record<string, unknown>) =>
                redactSecrets(line) as Record<string, unknown>,
            },
          },
        }),
      ],
      providers: [HttpRequestLog, MessageHandledLog],
      exports: [MessageHandledLog],
    };
  }
}
