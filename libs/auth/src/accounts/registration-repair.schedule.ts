import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MaintenanceSchedule } from '@platform/database';
import { RegistrationSettlement } from './registration-settlement.service';

/** Stalled registrations are looked for often: a client waits to retry. */
const STALLED_INTERVAL_MS = 2_000;
/** Profiles left unconfirmed come only from failures outside a registration: rarely. */
const PROFILES_INTERVAL_MS = 30_000;

/**
 * Runs the registration repair (`RegistrationSettlement`) on every auth replica; each stalled
 * registration and each unconfirmed profile is claimed by one of them at a time.
 */
@Injectable()
export class RegistrationRepairSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly schedules: MaintenanceSchedule[];

  constructor(settlement: RegistrationSettlement) {
    this.schedules = [
      new MaintenanceSchedule('RegistrationRepair', STALLED_INTERVAL_MS, () =>
        settlement.repairStalled(),
      ),
      new MaintenanceSchedule('ProfileRepair', PROFILES_INTERVAL_MS, () =>
        settlement.repairProfiles(),
      ),
    ];
  }

  onApplicationBootstrap(): void {
    for (const schedule of this.schedules) schedule.start();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.schedules.map((schedule) => schedule.stop()));
  }
}
