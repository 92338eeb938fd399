import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuthPattern, RevocationSnapshot } from '@platform/contracts';
import { MessageBus } from '@platform/transport';
import { RevocationList } from './revocation-list';

const ATTEMPTS = 60;
const RETRY_MS = 1000;

/**
 * A verifier that starts after a revocation was broadcast never heard it: at start-up it asks
 * the auth context for every revocation still in force and loads it, retrying until auth
 * answers (in a split deployment it may start later).
 */
@Injectable()
export class RevocationCatchUp implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationCatchUp.name);
  private stopped = false;

  constructor(
    private readonly bus: MessageBus,
    private readonly revocations: RevocationList,
  ) {}

  onApplicationBootstrap(): void {
    void this.catchUp();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async catchUp(): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS && !this.stopped; attempt++) {
      try {
        const snapshot = await this.bus.send<RevocationSnapshot>(AuthPattern.ListRevocations, {});
        for (const { sessionId, until } of snapshot.sessions) {
          this.revocations.revokeSession(sessionId, until);
        }
        for (const { userId, notBefore, until } of snapshot.subjects) {
          this.revocations.revokeSubject(userId, notBefore, until);
        }
        return;
      } catch {
        await sleep(RETRY_MS);
      }
    }
    if (!this.stopped) this.logger.error('Could not load revocations from the auth context');
  }
}
