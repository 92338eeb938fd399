import { Logger } from '@nestjs/common';

/**
 * A task a process repeats in the background every `intervalMs` (key rotation, repairs,
 * purges): one pass at a time, a failed pass logged and retried at the next tick, and `stop`
 * waiting for a running pass so it never outlives the DataSource it uses. The timer does not
 * keep the process alive.
 */
export class MaintenanceSchedule {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs a pass now unless one is running; resolves when that pass has ended either way. */
  runOnce(): Promise<void> {
    this.running ??= this.task()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.error(
          `Maintenance failed: ${error instanceof Error ? error.message : String(error)}`,
          error instanceof Error ? error.stack : undefined,
        ),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
