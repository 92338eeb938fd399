import { EntityManager } from 'typeorm';
import type { Principal } from '@platform/security';
import { DisabledCallerError } from './errors/disabled-caller.error';
import { LastAdministratorError } from './errors/last-administrator.error';
import { WithdrawnRoleError } from './errors/withdrawn-role.error';

/**
 * The active administrators, locked for the rest of a transaction that changes who may
 * administer (roles, disabling), so such changes take turns: every one of them locks the same
 * rows first, in the same order, before reading or writing anything else.
 */
export class ActiveAdministrators {
  private constructor(private readonly ids: ReadonlySet<string>) {}

  /**
   * Locks the active administrators and refuses `caller` unless it is still one of them. The
   * token's roles are what they were when it was signed; the stored ones are what they are now,
   * and a demotion or a disabling committed a moment ago counts even though the revocation it
   * causes has not come back from auth.
   */
  static async lock(manager: EntityManager, caller: Principal): Promise<ActiveAdministrators> {
    // Ordered, so two transactions never hold part of the set each and wait for the rest.
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM users.users WHERE 'admin' = ANY (roles) AND disabled_at IS NULL
        ORDER BY id FOR UPDATE`,
    );
    const administrators = new ActiveAdministrators(new Set(rows.map((row) => row.id)));
    if (!administrators.ids.has(caller.subject)) throw await refusalOf(manager, caller.subject);
    return administrators;
  }

  /** Refuses a change that takes administration from `userId` when it is the last one left. */
  assertAnotherThan(userId: string): void {
    if (this.ids.has(userId) && this.ids.size === 1) throw new LastAdministratorError();
  }
}

async function refusalOf(manager: EntityManager, callerId: string): Promise<Error> {
  const [caller]: { disabled: boolean }[] = await manager.query(
    `SELECT disabled_at IS NOT NULL AS disabled FROM users.users WHERE id = $1`,
    [callerId],
  );
  return caller?.disabled ? new DisabledCallerError() : new WithdrawnRoleError();
}
