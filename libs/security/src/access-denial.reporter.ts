import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AccessDeniedReport, AuthPattern } from '@platform/contracts';
import { MessageBus } from '@platform/transport';

/** Refusals are gathered this long, then reported once each with their count. */
const FLUSH_INTERVAL_MS = 1000;
/** At most this many distinct refusals are reported per interval; the rest are counted. */
const MAX_REPORTS_PER_FLUSH = 100;

/** A guard's refusal, before it is gathered with identical ones. */
export type AccessDenial = Omit<AccessDeniedReport, 'count'>;

/**
 * Tells the security log (in the auth context) about every refusal this process's guard makes.
 * Identical refusals (same code, target and caller) within a second become one report with a
 * count, and no more than a hundred reports leave per second, so a flood of bad requests cannot
 * turn into a flood of log rows or messages. Reports are events: a refusal never waits for them.
 */
@Injectable()
export class AccessDenialReporter implements OnModuleDestroy {
  private readonly logger = new Logger(AccessDenialReporter.name);
  private pending = new Map<string, AccessDeniedReport>();
  private readonly timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS).unref();

  constructor(private readonly bus: MessageBus) {}

  denied(denial: AccessDenial): void {
    const key = [denial.code, denial.context, denial.target, denial.subject, denial.clientId].join(
      '\u0000',
    );
    const gathered = this.pending.get(key);
    if (gathered) gathered.count += 1;
    else this.pending.set(key, { ...denial, count: 1 });
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const reports = [...this.pending.values()];
    this.pending = new Map();
    for (const report of reports.slice(0, MAX_REPORTS_PER_FLUSH)) {
      this.bus.emit(AuthPattern.RecordAccessDenied, report).catch((error: unknown) => {
        this.logger.warn(`Could not report a refusal to the security log: ${String(error)}`);
      });
    }
    const dropped = reports.slice(MAX_REPORTS_PER_FLUSH).reduce((sum, r) => sum + r.count, 0);
    if (dropped > 0) {
      this.logger.warn(`${dropped} refusals in the last second were not reported individually`);
    }
  }
}
