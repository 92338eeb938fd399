import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { isErrorReply, ServiceError } from '@platform/contracts';
import { LabelledChildren, LATENCY_BUCKETS, Metrics } from './metrics/metrics';

/**
 * One line and one observation of `message_handled_duration_seconds{subject, outcome}` per
 * message handled, written by the message servers once a handler's result has settled (HTTP
 * requests get theirs from `HttpRequestLog` and `HttpRequestMetrics`). The servers record it
 * themselves rather than through a Nest interceptor: any interceptor makes Nest run every
 * handler, HTTP routes included, through a chain of Observables, which cost a tenth of a
 * service's time and a sixth of the gateway's.
 */
@Injectable()
export class MessageHandledLog {
  private readonly handled: LabelledChildren<{ observe(seconds: number): void }>;

  constructor(
    private readonly logger: PinoLogger,
    metrics: Metrics,
  ) {
    const histogram = metrics.histogram({
      name: 'message_handled_duration_seconds',
      help: 'Messages handled, by subject and outcome (ok or the error code), and how long they took',
      labelNames: ['subject', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
    });
    this.handled = new LabelledChildren((values) =>
      histogram.labels(...(values as [string, string])),
    );
  }

  /**
   * A message on `subject` whose handling began at `started` (`performance.now()`) settled:
   * without `error`, or with what the handler failed with, a `ServiceError` or the `ErrorReply`
   * the exception filter made of it. A client's mistake is routine (`info`); only our own
   * failures are errors (the exception filter logs an unexpected error's stack).
   */
  record(subject: string, started: number, error?: unknown): void {
    const elapsed = performance.now() - started;
    const refusal = error instanceof ServiceError || isErrorReply(error) ? error : undefined;
    const outcome = error === undefined ? 'ok' : (refusal?.code ?? 'INTERNAL');
    this.handled.get(subject, outcome).observe(elapsed / 1000);
    const failed = error !== undefined && !(refusal && refusal.status < 500);
    const level = failed ? 'error' : 'info';
    const log = this.logger.logger;
    if (!log.isLevelEnabled(level)) return;
    const responseTime = Math.round(elapsed * 100) / 100;
    if (error === undefined) {
      log.info({ subject, responseTime }, 'message handled');
    } else if (refusal) {
      const message = failed ? 'message failed' : 'message refused';
      log[level]({ subject, responseTime, code: refusal.code }, message);
    } else {
      log.error({ subject, responseTime, err: error }, 'message failed');
    }
  }
}
