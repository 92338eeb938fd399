import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AuthPattern, RevocationSnapshot } from '@platform/contracts';
import { TRANSPORT_OPTIONS, TransportOptions } from '@platform/transport';
import { RevocationList } from './revocation-list';
import { ServiceTokens } from './service-tokens';

const RETRY_MS = 1000;

/**
 * Over the in-process transport a process that starts has heard no revocation broadcast before
 * (over NATS it reads them back from the event stream instead, see `RevocationEventsController`):
 * at start-up it asks the auth context for every revocation still in force and loads it,
 * retrying until auth answers. Until then it is not ready (`SecurityHealthIndicator`).
 */
@Injectable()
export class RevocationCatchUp implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationCatchUp.name);
  private stopped = false;
  private done: boolean;

  constructor(
    private readonly revocations: RevocationList,
    private readonly serviceTokens: ServiceTokens,
    @Inject(TRANSPORT_OPTIONS) options: TransportOptions,
  ) {
    this.done = options.natsUrl !== undefined;
  }

  /** Whether the revocations in force are loaded (always, when the event stream has them). */
  get loaded(): boolean {
    return this.done;
  }

  onApplicationBootstrap(): void {
    if (!this.done) void this.catchUp();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async catchUp(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        // The revocations in force are for the platform's verifiers only (`@CallableBy`).
        const snapshot = await this.serviceTokens.send<RevocationSnapshot>(
          AuthPattern.ListRevocations,
          {},
        );
        this.revocations.apply(snapshot);
        this.done = true;
        return;
      } catch (error) {
        if (attempt === 1) this.logger.warn(`Revocations not loaded yet: ${String(error)}`);
        await sleep(RETRY_MS);
      }
    }
  }
}
