import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MaintenanceSchedule } from '@platform/database';
import { ActiveSigningKey } from './active-signing-key';
import { KeySetAnnouncement } from './key-set.announcement';
import { MAINTENANCE_INTERVAL_SECONDS, SigningKeyRotation } from './signing-key.rotation';

/**
 * What an auth replica does with its signing keys while it runs: at start-up it opens the
 * active and the next key before anything else (a wrong `KEY_ENCRYPTION_KEY` fails the start
 * with nothing changed), creates missing ones, makes a rotation that is due and announces the
 * set; then it repeats that on a schedule. Commands (`keys:rotate`, `keys:revoke`,
 * `keys:rotate-kek`) do not run it: a withdrawal must work while the active key cannot be
 * opened, and a rotation on demand must not be preceded by a scheduled one.
 */
@Injectable()
export class SigningKeyMaintenance implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly schedule = new MaintenanceSchedule(
    SigningKeyMaintenance.name,
    MAINTENANCE_INTERVAL_SECONDS * 1000,
    () => this.maintain(),
  );

  constructor(
    private readonly rotation: SigningKeyRotation,
    private readonly activeKey: ActiveSigningKey,
    private readonly announcement: KeySetAnnouncement,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintain();
    this.schedule.start();
  }

  /** Stops the schedule before the DataSource closes, letting a running pass finish. */
  onModuleDestroy(): Promise<void> {
    return this.schedule.stop();
  }

  /**
   * One pass: open the live keys and repair, rotate if due, pick up a rotation made elsewhere
   * (whose announcement normally arrives first), announce a set that changed with time.
   */
  async maintain(): Promise<void> {
    await this.rotation.ensureKeys();
    await this.rotation.rotateIfDue();
    if (await this.activeKey.reload()) this.announcement.changed();
    await this.announcement.announceIfChanged();
  }
}
